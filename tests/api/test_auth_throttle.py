"""Guessing passwords is slowed per address and per account, with a growing wait instead of a lock: a stranger
hammering an officer's email from elsewhere never keeps the officer out of their usual desk."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import delete

from api.services.sign_in_throttle import wait_after
from core.db import SessionFactory
from core.models import LoginAttempt, utcnow
from tests.helpers import make_applicant

TOKEN_URL = "/api/v1/auth/token"
WAIT = re.compile(r"^Terlalu banyak percobaan masuk yang gagal .*Coba lagi setelah (\d+) (detik|menit)\.$")

Client = Callable[[str], httpx.AsyncClient]


@pytest.fixture
async def from_address(api: httpx.AsyncClient) -> AsyncIterator[Client]:
    """``from_address("203.0.113.7")``: a client of the same app whose requests come from that address."""
    app = api._transport.app  # type: ignore[attr-defined]
    clients: list[httpx.AsyncClient] = []

    def _client(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        clients.append(httpx.AsyncClient(transport=transport, base_url="http://pst.test"))
        return clients[-1]

    yield _client
    for client in clients:
        await client.aclose()


@pytest.fixture
def checked_passwords(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password argon2 checks, in order (a throttled attempt must check none)."""
    checked: list[str] = []
    verify = PasswordHasher.verify

    def counted(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        checked.append(str(password))
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return checked


def _address() -> str:
    """A fresh address for each test: the shared test database keeps every attempt."""
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250 + 1}"


async def _token(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(TOKEN_URL, data={"username": email, "password": password})


def _assert_waits(response: httpx.Response) -> int:
    """A 429 that says in Indonesian when to try again, and says the same in Retry-After; the wait in seconds."""
    assert response.status_code == 429, response.text
    found = WAIT.match(response.json()["detail"])
    assert found is not None, response.json()["detail"]
    seconds = int(found.group(1)) * (60 if found.group(2) == "menit" else 1)
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60 and abs(retry_after - seconds) <= 60
    assert "access_token" not in response.json()
    return retry_after


async def test_thirty_wrong_passwords_then_the_right_one_wait_and_the_owner_at_their_desk_signs_in(
    from_address: Client, session_factory: SessionFactory, checked_passwords: list[str]
) -> None:
    email, password = await make_applicant(session_factory, email=f"diserang-{uuid.uuid4().hex[:8]}@example.com")
    desk, stranger, elsewhere = from_address(_address()), from_address(_address()), from_address(_address())
    assert (await _token(desk, email, password)).status_code == 200  # the owner's usual address

    wrong = [await _token(stranger, email, f"tebakan-{n}") for n in range(30)]
    right_from_stranger = await _token(stranger, email.upper(), password)

    assert [r.status_code for r in wrong[:5]] == [401] * 5
    assert [_assert_waits(r) for r in wrong[5:]][0] >= 30
    _assert_waits(right_from_stranger)
    assert checked_passwords == [password] + [f"tebakan-{n}" for n in range(5)]  # the right one never checked
    form = await stranger.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    form_login = await stranger.post("/login", data={"email": email, "password": password, "csrf": csrf.group(1)})
    assert form_login.status_code == 429 and "Coba lagi setelah" in form_login.text
    assert int(form_login.headers["Retry-After"]) > 0

    # The owner is not locked out: not at their desk, nor from a new address (one stranger's failures slow the
    # stranger's address only).
    assert (await _token(desk, email, password)).status_code == 200
    assert (await _token(elsewhere, email, password)).status_code == 200


async def test_guessing_one_account_from_many_addresses_slows_new_addresses_but_not_the_owners_desk(
    from_address: Client, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=f"disebar-{uuid.uuid4().hex[:8]}@example.com")
    desk = from_address(_address())
    assert (await _token(desk, email, password)).status_code == 200
    strangers = [from_address(_address()) for _ in range(2)]
    failures = [await _token(stranger, email, "tebakan") for stranger in strangers for _ in range(5)]

    new_address = await _token(from_address(_address()), email, password)
    at_the_desk = await _token(desk, email, password)

    assert [r.status_code for r in failures] == [401] * 10
    _assert_waits(new_address)
    assert at_the_desk.status_code == 200


async def test_one_address_trying_many_accounts_is_slowed_but_not_an_owner_who_signs_in_there(
    from_address: Client, session_factory: SessionFactory, demo_accounts: Any
) -> None:
    shared = _address()  # an office's one public address, say
    spraying = from_address(shared)
    officer = demo_accounts[("6202", "officer")]
    email, password = await make_applicant(session_factory, email=f"sekantor-{uuid.uuid4().hex[:8]}@example.com")
    assert (await _token(spraying, email, password)).status_code == 200
    failures = [await _token(spraying, f"tebak-{n}-{uuid.uuid4().hex[:6]}@bps.go.id", "rahasia123") for n in range(30)]

    next_account = await _token(spraying, officer.email, officer.password)

    assert [r.status_code for r in failures] == [401] * 30
    _assert_waits(next_account)
    assert (await _token(from_address(_address()), officer.email, officer.password)).status_code == 200
    assert (await _token(from_address(shared), email, password)).status_code == 200  # signed in there before


async def test_the_wait_grows_with_the_failures_and_ends(from_address: Client, session_factory: SessionFactory) -> None:
    assert [wait_after(n, 5).total_seconds() for n in (0, 4, 5, 6, 7, 9)] == [0, 0, 32, 64, 128, 512]
    assert wait_after(30, 5) == wait_after(500, 5) == timedelta(minutes=15)
    email, password = await make_applicant(session_factory, email=f"sabar-{uuid.uuid4().hex[:8]}@example.com")
    ip = _address()
    client = from_address(ip)

    async def failed(count: int, seconds_ago: int) -> None:
        async with session_factory() as session, session.begin():
            await session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
            at = utcnow() - timedelta(seconds=seconds_ago)
            session.add_all(LoginAttempt(email=email, ip=ip, success=False, at=at) for _ in range(count))

    await failed(6, 40)  # the sixth failure asks for 64 s: 24 s are left
    waits = _assert_waits(await _token(client, email, password))
    assert 20 <= waits <= 25
    await failed(5, 40)  # the fifth asks for 32 s: over
    assert (await _token(client, email, password)).status_code == 200


async def test_wrong_passwords_sent_in_parallel_get_no_more_checks_than_one_after_another(
    from_address: Client, session_factory: SessionFactory, checked_passwords: list[str]
) -> None:
    email, password = await make_applicant(session_factory, email=f"serentak-{uuid.uuid4().hex[:8]}@example.com")
    stranger = from_address(_address())

    bursts = [
        await asyncio.gather(*(_token(stranger, email, f"tebakan-{burst}-{n}") for n in range(30)))
        for burst in range(3)
    ]
    answers = [response for burst in bursts for response in burst]
    refused = [response for response in answers if response.status_code == 401]
    assert len(refused) == len(checked_passwords) <= 5  # never more checks than one after another
    for throttled in (response for response in answers if response.status_code != 401):
        _assert_waits(throttled)
    one_by_one = [await _token(stranger, email, f"satu-{n}") for n in range(5 - len(refused))]
    right = await _token(stranger, email, password)

    assert all(response.status_code == 401 for response in one_by_one)
    _assert_waits(right)
    assert len(checked_passwords) == 5 and password not in checked_passwords
