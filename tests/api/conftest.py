"""An HTTP client on the real app (its lifespan runs), with a worker on the dev server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from core.seeding import DemoAccount
from core.settings import Settings


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
    """``login("6202", "officer")`` → httpx auth of that demo account."""

    def _login(office_code: str, role: str) -> httpx.BasicAuth:
        account = demo_accounts[(office_code, role)]
        return httpx.BasicAuth(account.email, account.password)

    return _login


SALE_REQUEST = {
    "office_code": "6202",
    "channel": "online",
    "applicant": {"name": "Siti Aminah", "email": "siti.aminah@example.com", "segment": "individual"},
    "items": [{"kind": "microdata", "name": "Susenas Maret 2025"}, {"kind": "map", "name": "Sampit", "level": "desa"}],
    "abstract": "Skripsi tentang kemiskinan rumah tangga di Kotawaringin Timur tahun 2025.",
}
