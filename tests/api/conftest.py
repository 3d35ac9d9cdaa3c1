"""An HTTP client on the real app (its lifespan runs), with a worker on the dev server."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from temporalio.client import Client

from api.main import create_app
from core.db import SessionFactory
from core.enums import SaleStep
from core.seeding import DemoAccount
from core.settings import Settings
from tests.helpers import TokenAuth, make_applicant, wait_for_step


async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pst.test") as client:
            yield client


@pytest.fixture
async def api(settings: Settings, dev_worker: object) -> AsyncIterator[httpx.AsyncClient]:
    """The API with Temporal, the worker, the database and SMTP all up."""
    async for client in _client(create_app(settings)):
        yield client


@pytest.fixture
def login(demo_accounts: dict[tuple[str, str], DemoAccount]):  # type: ignore[no-untyped-def]
    """``login("6202", "officer")`` → httpx auth of that demo account (signs in once per test for a token)."""
    signed_in: dict[tuple[str, str], TokenAuth] = {}

    def _login(office_code: str, role: str) -> TokenAuth:
        if (office_code, role) not in signed_in:
            account = demo_accounts[(office_code, role)]
            signed_in[(office_code, role)] = TokenAuth(account.email, account.password)
        return signed_in[(office_code, role)]

    return _login


@pytest.fixture
async def applicant_auth(session_factory: SessionFactory) -> TokenAuth:
    """A verified applicant's login."""
    return TokenAuth(*await make_applicant(session_factory))


SALE_REQUEST = {
    "office_code": "6202",
    "channel": "online",
    "items": [{"kind": "microdata", "name": "Susenas Maret 2025"}, {"kind": "map", "name": "Sampit", "level": "desa"}],
    "abstract": "Skripsi tentang kemiskinan rumah tangga di Kotawaringin Timur tahun 2025.",
}
WALK_IN_REQUEST = {
    **SALE_REQUEST,
    "channel": "walk_in",
    "items": [{"kind": "microdata", "name": "Susenas Maret 2025"}],
    "applicant": {"name": "Budi Santoso", "email": "budi@example.com", "segment": "individual"},
}


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def submit_online(api: httpx.AsyncClient, auth: httpx.Auth, client: Client, **changes: Any) -> str:
    """An online sale submitted by ``auth`` with its abstract PDF uploaded, waiting for the completeness check."""
    response = await api.post("/api/v1/sales", json={**SALE_REQUEST, **changes}, auth=auth)
    assert response.status_code == 201, response.text
    case_id = str(response.json()["id"])
    await wait_for_step(client, case_id, SaleStep.COMPLETENESS)
    uploaded = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "abstract"},
        files={"file": ("abstrak.pdf", PDF)},
        auth=auth,
    )
    assert uploaded.status_code == 201, uploaded.text
    return case_id


async def ui_login(api: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    """Sign in through the login form (its CSRF token included); the client keeps the session cookie."""
    page = await api.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    return await api.post("/login", data={"email": email, "password": password, "csrf": csrf.group(1)})


def confirmation(page: str) -> dict[str, str]:
    """The hidden fields of the confirmation form on a page (a decision that cannot be undone), confirmed."""
    start = page.index('class="panel confirm"')
    form = page[start : page.index("</form>", start)]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    return {**{name: html.unescape(value) for name, value in fields.items()}, "confirmed": "1"}


def form_csrf(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)
