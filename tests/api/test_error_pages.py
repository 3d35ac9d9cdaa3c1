"""Errors as pages: a browser gets an Indonesian page with what to do next; the API and scripts keep JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.errors import Conflict, Forbidden, Gone, NotFound
from api.main import create_app
from core.settings import Settings
from tests.api.conftest import submit_online
from tests.helpers import TokenAuth

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
async def failing(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with a few routes that fail on purpose (one per error status), served without re-raising."""
    app = create_app(settings)

    def _raise(error: Exception) -> Any:
        async def route() -> None:
            raise error

        return route

    for path, error in (
        ("/boom/409", Conflict("Permintaan ini sudah berpindah tahap.")),
        ("/boom/410", Gone("Tautan unduhan ini sudah kedaluwarsa.")),
        ("/boom/403", Forbidden("Permintaan ini milik kantor lain.")),
        ("/boom/404", NotFound("Permintaan X tidak ditemukan.")),
        ("/boom/500", RuntimeError("database exploded: secret-internals")),
        ("/api/v1/boom/500", RuntimeError("database exploded: secret-internals")),
    ):
        app.add_api_route(path, _raise(error))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://pst.test") as client:
            yield client


@pytest.mark.parametrize(
    ("status", "title", "message"),
    [
        (403, "Halaman ini bukan untuk akun Anda", "Permintaan ini milik kantor lain."),
        (404, "Halaman tidak ditemukan", "Permintaan X tidak ditemukan."),
        (409, "Langkah ini tidak dapat dilakukan sekarang", "Permintaan ini sudah berpindah tahap."),
        (410, "Sudah berakhir", "Tautan unduhan ini sudah kedaluwarsa."),
    ],
)
async def test_a_browser_gets_a_page_that_says_what_happened_and_what_to_do(
    failing: httpx.AsyncClient, status: int, title: str, message: str
) -> None:
    page = await failing.get(f"/boom/{status}", headers=BROWSER)
    script = await failing.get(f"/boom/{status}")

    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in page.text and message in page.text and "Yang dapat Anda lakukan" in page.text
    assert script.status_code == status and script.json() == {"detail": message}  # a script keeps JSON


async def test_an_unexpected_error_is_a_calm_page_without_internals(failing: httpx.AsyncClient) -> None:
    page = await failing.get("/boom/500", headers=BROWSER)
    api = await failing.get("/api/v1/boom/500", headers=BROWSER)

    assert page.status_code == 500 and "Terjadi kesalahan di sistem kami" in page.text
    assert "secret-internals" not in page.text and "Traceback" not in page.text
    assert api.status_code == 500 and "secret-internals" not in api.text and "detail" in api.json()


async def test_an_unknown_address_and_another_offices_case_are_pages_for_a_signed_in_officer(
    api: httpx.AsyncClient, dev_env: Any, login: Any, applicant_auth: TokenAuth
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)

    unknown = await api.get("/staff/tidak-ada", headers=BROWSER)
    other_office = await api.get(f"/staff/cases/{case_id}", headers=BROWSER, auth=login("1906", "officer"))
    missing_case = await api.get("/staff/cases/sale-6202-2026-999999", headers=BROWSER, auth=login("6202", "officer"))
    from_api = await api.get("/api/v1/sales/sale-6202-2026-999999", auth=login("6202", "officer"))

    assert unknown.status_code == 404 and "Halaman tidak ditemukan" in unknown.text
    assert other_office.status_code == 403 and "milik kantor lain" in other_office.text
    assert "<h1>Halaman ini bukan untuk akun Anda</h1>" in other_office.text
    assert missing_case.status_code == 404 and "sale-6202-2026-999999 tidak ditemukan" in missing_case.text
    assert from_api.status_code == 404 and "detail" in from_api.json()
    assert '{"detail"' not in other_office.text + missing_case.text
