"""Scripts sign in once for a short-lived bearer token; a request checks the token, never the password."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from api.services.auth import TOKEN_PURPOSE, session_stamp
from api.ui.session import SESSION_PURPOSE
from core.db import SessionFactory
from core.models import Applicant, StaffAccount, utcnow
from core.security import hash_password, sign_token
from tests.api.conftest import ui_login
from tests.conftest import TEST_SECRET
from tests.helpers import APPLICANT_PASSWORD, TokenAuth, make_applicant

TOKEN_URL = "/api/v1/auth/token"
MISSING_CASE = "/api/v1/cases/sale-6202-2026-999999"
NOT_VERIFIED = (
    "Verifikasi email Anda dulu: buka tautan yang kami kirim ke {email}, "
    "atau minta tautan baru di /akun/verifikasi-ulang"
)


def _email() -> str:
    return f"pemohon-{uuid.uuid4().hex[:8]}@example.com"


async def _sign_in(api: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await api.post(TOKEN_URL, data={"username": email, "password": password})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_staff_and_applicants_sign_in_once_for_a_bearer_token(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    officer = demo_accounts[("6202", "officer")]
    staff = await _sign_in(api, officer.email.upper(), officer.password)
    email, password = await make_applicant(session_factory, email=_email())
    applicant = await _sign_in(api, email, password)

    assert staff.status_code == 200, staff.text
    assert set(staff.json()) == {"access_token", "token_type", "expires_in"}
    assert staff.json()["token_type"] == "bearer" and staff.json()["expires_in"] == 3600
    assert (await api.get(MISSING_CASE, headers=_bearer(staff.json()["access_token"]))).status_code == 404
    me = await api.get("/api/v1/applicants/me", headers=_bearer(applicant.json()["access_token"]))
    assert me.status_code == 200 and me.json()["email"] == email
    # Each token names its kind: an applicant's is no staff token, and the other way round.
    assert (await api.get(MISSING_CASE, headers=_bearer(applicant.json()["access_token"]))).status_code == 401
    staff_as_applicant = await api.get("/api/v1/applicants/me", headers=_bearer(staff.json()["access_token"]))
    assert staff_as_applicant.status_code == 401


async def test_wrong_passwords_and_unverified_emails_get_no_token(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=_email())
    unverified, _ = await make_applicant(session_factory, email=_email(), verified=False)

    wrong = await _sign_in(api, email, "salah-sekali-123")
    unknown = await _sign_in(api, _email(), password)
    not_verified = await _sign_in(api, unverified, APPLICANT_PASSWORD)

    for refused in (wrong, unknown):
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
        assert refused.json()["detail"] == "Email atau kata sandi salah."
        assert "access_token" not in refused.json()
    assert not_verified.status_code == 403
    assert not_verified.json()["detail"] == NOT_VERIFIED.format(email=unverified)


async def test_failed_sign_ins_share_the_throttle_of_the_login_form(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=_email())
    form_failures = [await ui_login(api, email, "salah") for _ in range(3)]
    api_failures = [await _sign_in(api, email, "salah") for _ in range(2)]
    locked = await _sign_in(api, email, password)
    form_locked = await ui_login(api, email, password)

    assert [r.status_code for r in form_failures + api_failures] == [401] * 5
    assert locked.status_code == 429 and "Terlalu banyak percobaan" in locked.json()["detail"]
    assert form_locked.status_code == 429


async def test_a_request_checks_the_token_and_never_a_password(
    api: httpx.AsyncClient, session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    argon2_verify = PasswordHasher.verify

    def counted(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        verified.append("argon2")
        return argon2_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    email, password = await make_applicant(session_factory, email=_email())
    auth = TokenAuth(email, password)

    answers = [await api.get("/api/v1/applicants/me", auth=auth) for _ in range(10)]
    assert [answer.status_code for answer in answers] == [200] * 10
    assert verified == ["argon2"]  # once, at sign-in

    # Five wrong passwords make this address wait before its next sign-in; a script already signed in goes on.
    for _ in range(5):
        assert (await _sign_in(api, email, "salah")).status_code == 401
    assert (await _sign_in(api, email, password)).status_code == 429
    assert (await api.get("/api/v1/applicants/me", auth=auth)).status_code == 200


async def test_expired_tampered_and_foreign_tokens_are_refused_with_the_way_to_a_new_one(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    officer = demo_accounts[("6202", "officer")]
    async with session_factory() as session:
        staff = await session.scalar(select(StaffAccount).where(StaffAccount.email == officer.email))
    assert staff is not None
    subject = f"staff:{staff.id}:{session_stamp(staff)}"
    fresh = sign_token(TEST_SECRET, TOKEN_PURPOSE, subject, utcnow() - timedelta(minutes=59))
    expired = sign_token(TEST_SECRET, TOKEN_PURPOSE, subject, utcnow() - timedelta(minutes=61))
    payload, signature = fresh.split(".")
    tampered = f"{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    other_secret = sign_token("another-secret", TOKEN_PURPOSE, subject, utcnow())
    session_cookie = sign_token(TEST_SECRET, SESSION_PURPOSE, f"staff:{staff.id}", utcnow())

    assert (await api.get(MISSING_CASE, headers=_bearer(fresh))).status_code == 404
    late = await api.get(MISSING_CASE, headers=_bearer(expired))
    assert late.status_code == 401 and late.headers["WWW-Authenticate"] == "Bearer"
    assert "kedaluwarsa (berlaku 60 menit)" in late.json()["detail"]
    assert "POST /api/v1/auth/token" in late.json()["detail"]
    for bad in (tampered, other_secret, session_cookie, "bukan-token"):
        refused = await api.get(MISSING_CASE, headers=_bearer(bad))
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
        assert "Token akses tidak valid" in refused.json()["detail"]
        assert "POST /api/v1/auth/token" in refused.json()["detail"]
    anonymous = await api.get(MISSING_CASE)
    assert anonymous.status_code == 401 and "POST /api/v1/auth/token" in anonymous.json()["detail"]
    basic = await api.get(MISSING_CASE, auth=(officer.email, officer.password))
    assert basic.status_code == 401  # HTTP Basic is gone


async def test_a_new_password_ends_the_tokens_of_the_old_one(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=_email())
    token = (await _sign_in(api, email, password)).json()["access_token"]
    assert (await api.get("/api/v1/applicants/me", headers=_bearer(token))).status_code == 200
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Applicant).where(Applicant.email == email).values(password_hash=hash_password("baru-2026-rahasia"))
        )
    stale = await api.get("/api/v1/applicants/me", headers=_bearer(token))
    assert stale.status_code == 401 and "tidak berlaku lagi" in stale.json()["detail"]


async def test_a_password_hashed_with_older_parameters_still_signs_in_and_is_rehashed(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=_email())
    old_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(password)  # argon2-cffi's default
    async with session_factory() as session, session.begin():
        await session.execute(update(Applicant).where(Applicant.email == email).values(password_hash=old_hash))

    first = await _sign_in(api, email, password)
    async with session_factory() as session:
        stored = await session.scalar(select(Applicant.password_hash).where(Applicant.email == email))

    assert first.status_code == 200, first.text
    assert stored is not None and stored != old_hash and "m=19456,t=2,p=1" in stored
    assert (await api.get("/api/v1/applicants/me", headers=_bearer(first.json()["access_token"]))).status_code == 200
    assert (await _sign_in(api, email, password)).status_code == 200
    assert (await _sign_in(api, email, "salah-sekali-123")).status_code == 401


async def test_swagger_authorize_uses_the_password_flow(api: httpx.AsyncClient) -> None:
    schemes = (await api.get("/openapi.json")).json()["components"]["securitySchemes"]
    assert list(schemes) == ["OAuth2PasswordBearer"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == TOKEN_URL
