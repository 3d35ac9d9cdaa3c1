"""Logout and a new password end every session and token of the person: a copied cookie or a script's bearer
token from before is refused (401 on the API, the login page in the browser)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select

from core.db import SessionFactory
from core.enums import Role
from core.models import LoginAttempt, StaffAccount
from core.security import hash_password
from tests.api.conftest import form_csrf, ui_login
from tests.helpers import make_applicant

TOKEN_URL = "/api/v1/auth/token"
LOGOUT_URL = "/api/v1/auth/logout"
MISSING_CASE = "/api/v1/cases/sale-6202-2026-999999"
MANAGED_EMAIL = "petugas.sesi@bps.go.id"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _token(api: httpx.AsyncClient, email: str, password: str) -> str:
    answer = await api.post(TOKEN_URL, data={"username": email, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


async def _cookie_of(api: httpx.AsyncClient, email: str, password: str) -> str:
    """Sign in through the form; the session cookie's value, as someone who copied it would hold it."""
    assert (await ui_login(api, email, password)).status_code == 303
    return str(api.cookies["pst_session"])


@pytest.fixture
async def replay(api: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser of the same app with no cookies of its own: it sends whatever cookie a test gives it."""
    app = api._transport.app  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pst.test") as client:
        yield client


async def _page_with(replay: httpx.AsyncClient, path: str, cookie: str) -> httpx.Response:
    return await replay.get(path, headers={"Cookie": f"pst_session={cookie}"})


def _stale(answer: httpx.Response) -> bool:
    return answer.status_code == 401 and "tidak berlaku lagi" in answer.json()["detail"]


async def test_a_scripts_logout_ends_every_token_and_session_of_the_applicant(
    api: httpx.AsyncClient, replay: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=f"keluar-{uuid.uuid4().hex[:8]}@example.com")
    script, other_script = await _token(api, email, password), await _token(api, email, password)
    cookie = await _cookie_of(api, email, password)
    assert (await api.get("/api/v1/applicants/me", headers=_bearer(other_script))).status_code == 200
    assert (await _page_with(replay, "/portal", cookie)).status_code == 200

    logout = await api.post(LOGOUT_URL, headers=_bearer(script))

    assert logout.status_code == 204
    for token in (script, other_script):
        assert _stale(await api.get("/api/v1/applicants/me", headers=_bearer(token)))
    portal = await _page_with(replay, "/portal", cookie)
    assert portal.status_code == 303 and portal.headers["location"].startswith("/login")
    again = await _token(api, email, password)  # signing in again works
    assert (await api.get("/api/v1/applicants/me", headers=_bearer(again))).status_code == 200
    assert _stale(await api.post(LOGOUT_URL, headers=_bearer(script)))
    anonymous = await api.post(LOGOUT_URL)
    assert anonymous.status_code == 401 and "POST /api/v1/auth/token" in anonymous.json()["detail"]


async def test_the_web_logout_ends_the_copied_cookie_and_the_scripts_token(
    api: httpx.AsyncClient, replay: httpx.AsyncClient, demo_accounts: Any
) -> None:
    officer = demo_accounts[("6202", "officer")]
    token = await _token(api, officer.email, officer.password)
    cookie = await _cookie_of(api, officer.email, officer.password)
    inbox = await _page_with(replay, "/staff", cookie)
    assert inbox.status_code == 200

    logged_out = await api.post("/logout", data={"csrf": form_csrf(inbox.text)})

    assert logged_out.status_code == 303
    copied = await _page_with(replay, "/staff", cookie)
    assert copied.status_code == 303 and copied.headers["location"] == "/login?next=/staff"
    assert _stale(await api.get(MISSING_CASE, headers=_bearer(token)))


@pytest.fixture
async def managed_account(session_factory: SessionFactory) -> AsyncIterator[str]:
    async with session_factory() as session, session.begin():
        session.add(
            StaffAccount(
                email=MANAGED_EMAIL,
                name="Petugas Sesi",
                office_code="6202",
                role=Role.OFFICER,
                password_hash=hash_password("sandi-lama-petugas"),
            )
        )
    yield MANAGED_EMAIL
    async with session_factory() as session, session.begin():
        await session.execute(delete(StaffAccount).where(StaffAccount.email == MANAGED_EMAIL))
        await session.execute(delete(LoginAttempt).where(LoginAttempt.email == MANAGED_EMAIL))


async def test_an_administrators_password_reset_ends_the_old_sessions_and_tokens(
    api: httpx.AsyncClient,
    replay: httpx.AsyncClient,
    demo_accounts: Any,
    session_factory: SessionFactory,
    managed_account: str,
) -> None:
    token = await _token(api, managed_account, "sandi-lama-petugas")
    cookie = await _cookie_of(api, managed_account, "sandi-lama-petugas")
    assert (await _page_with(replay, "/staff", cookie)).status_code == 200
    async with session_factory() as session:
        account_id = await session.scalar(select(StaffAccount.id).where(StaffAccount.email == managed_account))
    administrator = demo_accounts[("6202", "administrator")]
    await ui_login(api, administrator.email, administrator.password)
    page = await api.get(f"/staff/admin/accounts/{account_id}")

    reset = await api.post(
        f"/staff/admin/accounts/{account_id}/password",
        data={"csrf": form_csrf(page.text), "password": "sandi-baru-petugas"},
    )

    assert reset.status_code == 303
    stale_page = await _page_with(replay, "/staff", cookie)
    assert stale_page.status_code == 303 and stale_page.headers["location"].startswith("/login")
    assert _stale(await api.get(MISSING_CASE, headers=_bearer(token)))
    fresh = await _token(api, managed_account, "sandi-baru-petugas")
    assert (await api.get(MISSING_CASE, headers=_bearer(fresh))).status_code == 404


async def test_changing_your_own_password_ends_every_session_and_token_and_a_wrong_one_changes_nothing(
    api: httpx.AsyncClient, replay: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=f"ganti-{uuid.uuid4().hex[:8]}@example.com")
    script = await _token(api, email, password)
    cookie = await _cookie_of(api, email, password)
    change = {"current_password": password, "new_password": "sandi-baru-pemohon-2026"}

    wrong = await api.post("/api/v1/auth/password", headers=_bearer(script), json={**change, "current_password": "x"})
    short = await api.post("/api/v1/auth/password", headers=_bearer(script), json={**change, "new_password": "pendek"})
    assert wrong.status_code == 403 and "tidak diganti" in wrong.json()["detail"]
    assert short.status_code == 422
    assert (await api.get("/api/v1/applicants/me", headers=_bearer(script))).status_code == 200  # nothing changed

    changed = await api.post("/api/v1/auth/password", headers=_bearer(script), json=change)

    assert changed.status_code == 204
    assert _stale(await api.get("/api/v1/applicants/me", headers=_bearer(script)))
    portal = await _page_with(replay, "/portal", cookie)
    assert portal.status_code == 303 and portal.headers["location"].startswith("/login")
    old = await api.post(TOKEN_URL, data={"username": email, "password": password})
    assert old.status_code == 401
    assert (
        await api.get("/api/v1/applicants/me", headers=_bearer(await _token(api, email, change["new_password"])))
    ).status_code == 200


async def test_guessing_the_password_in_use_is_throttled_as_a_sign_in_is(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=f"curi-{uuid.uuid4().hex[:8]}@example.com")
    stolen = _bearer(await _token(api, email, password))  # a token in a stranger's hands
    guess = {"new_password": "milik-penyusup-2026"}

    guesses = [
        await api.post("/api/v1/auth/password", headers=stolen, json={**guess, "current_password": f"t{n}"})
        for n in range(5)
    ]
    right = await api.post("/api/v1/auth/password", headers=stolen, json={**guess, "current_password": password})

    assert [answer.status_code for answer in guesses] == [403] * 5
    assert right.status_code == 429 and "Coba lagi setelah" in right.json()["detail"] and right.headers["Retry-After"]
    assert (await api.get("/api/v1/applicants/me", headers=stolen)).status_code == 200  # the password is unchanged


async def test_the_password_page_keeps_this_browser_and_ends_the_others(
    api: httpx.AsyncClient, replay: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=f"halaman-{uuid.uuid4().hex[:8]}@example.com")
    script = await _token(api, email, password)
    other_browser = await _cookie_of(api, email, password)
    await ui_login(api, email, password)
    page = await api.get("/akun/kata-sandi")
    assert page.status_code == 200 and 'href="/akun/kata-sandi"' in page.text
    form = {"csrf": form_csrf(page.text), "current_password": "salah-tebak", "new_password": "pendek"}

    short = await api.post("/akun/kata-sandi", data=form)
    wrong = await api.post("/akun/kata-sandi", data={**form, "new_password": "sandi-baru-pemohon-2026"})
    changed = await api.post(
        "/akun/kata-sandi", data={**form, "current_password": password, "new_password": "sandi-baru-pemohon-2026"}
    )

    assert short.status_code == 422 and "Isi kata sandi baru 10 sampai 200 karakter." in short.text
    assert "Ada masalah" in short.text and "salah-tebak" not in short.text  # a password is never shown back
    assert wrong.status_code == 403 and "kata sandi tidak diganti" in wrong.text
    assert changed.status_code == 303 and changed.headers["location"] == "/portal"
    assert (await api.get("/portal")).status_code == 200  # this browser stays signed in
    stale = await _page_with(replay, "/portal", other_browser)
    assert stale.status_code == 303 and stale.headers["location"].startswith("/login")
    assert _stale(await api.get("/api/v1/applicants/me", headers=_bearer(script)))


async def test_a_deactivated_accounts_old_sessions_stay_ended_when_it_is_enabled_again(
    api: httpx.AsyncClient,
    replay: httpx.AsyncClient,
    demo_accounts: Any,
    session_factory: SessionFactory,
    managed_account: str,
) -> None:
    token = await _token(api, managed_account, "sandi-lama-petugas")
    cookie = await _cookie_of(api, managed_account, "sandi-lama-petugas")
    async with session_factory() as session:
        account_id = await session.scalar(select(StaffAccount.id).where(StaffAccount.email == managed_account))
    administrator = demo_accounts[("6202", "administrator")]
    await ui_login(api, administrator.email, administrator.password)
    csrf = form_csrf((await api.get(f"/staff/admin/accounts/{account_id}")).text)

    off = await api.post(f"/staff/admin/accounts/{account_id}/deactivate", data={"csrf": csrf})
    on = await api.post(f"/staff/admin/accounts/{account_id}/activate", data={"csrf": csrf})

    assert off.status_code == on.status_code == 303
    stale_page = await _page_with(replay, "/staff", cookie)
    assert stale_page.status_code == 303 and stale_page.headers["location"].startswith("/login")
    assert _stale(await api.get(MISSING_CASE, headers=_bearer(token)))
    fresh = await _token(api, managed_account, "sandi-lama-petugas")  # enabled again, it signs in afresh
    assert (await api.get(MISSING_CASE, headers=_bearer(fresh))).status_code == 404
