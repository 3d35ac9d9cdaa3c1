"""Signing in: one check of email and password for the web form and for scripts, throttled per email, off the
event loop; and the short-lived bearer tokens of the JSON API, read without any password hashing."""

from __future__ import annotations

import asyncio
import hmac
from datetime import timedelta
from functools import lru_cache

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden, ServiceError
from api.services.applicants import RESEND_PATH
from api.services.cases import release_connection
from core.models import Applicant, LoginAttempt, StaffAccount, utcnow
from core.security import (
    TokenExpired,
    hash_password,
    needs_rehash,
    password_stamp,
    read_token,
    sign_token,
    verify_password,
)
from core.settings import Settings

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
TOKEN_PURPOSE = "api-token"
TOKEN_PATH = "/api/v1/auth/token"
HOW_TO_GET_A_TOKEN = (
    f"Minta token dengan POST {TOKEN_PATH} (formulir: username = email, password = kata sandi), "
    "lalu kirim header 'Authorization: Bearer <token>'."
)

Account = StaffAccount | Applicant


class Unauthorized(ServiceError):
    status = 401


class TooManyAttempts(ServiceError):
    status = 429


class TokenRead(BaseModel):
    """A bearer token of the JSON API (OAuth2 password flow)."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when no account has the email, so both answers take as long."""
    return hash_password("pst-flow-no-such-account")


def _password_matches(account: Account | None, password: str) -> bool:
    matches = verify_password(account.password_hash if account is not None else _dummy_hash(), password)
    return account is not None and matches


async def sign_in(*, session: AsyncSession, email: str, password: str, ip: str) -> Account:
    """The account behind ``email`` and ``password``; five failures in 15 minutes lock the email for a while."""
    email = email.strip().lower()
    since = utcnow() - FAILURE_WINDOW
    failures = await session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.email == email, LoginAttempt.success.is_(False), LoginAttempt.at > since)
    )
    if (failures or 0) >= MAX_FAILURES:
        raise TooManyAttempts("Terlalu banyak percobaan masuk untuk email ini. Coba lagi setelah 15 menit.")
    staff = await session.scalar(select(StaffAccount).where(StaffAccount.email == email, StaffAccount.active.is_(True)))
    account: Account | None = staff
    if staff is None:
        account = await session.scalar(select(Applicant).where(Applicant.email == email))
    await release_connection(session=session)  # argon2 takes a while: no connection held meanwhile
    ok = await asyncio.to_thread(_password_matches, account, password)
    session.add(LoginAttempt(email=email, ip=ip, success=ok))
    if ok and account is not None and needs_rehash(account.password_hash):
        account.password_hash = await asyncio.to_thread(hash_password, password)
    await session.commit()
    if account is None or not ok:
        raise Unauthorized("Email atau kata sandi salah.")
    if isinstance(account, Applicant) and account.email_verified_at is None:
        raise Forbidden(
            f"Verifikasi email Anda dulu: buka tautan yang kami kirim ke {account.email}, "
            f"atau minta tautan baru di {RESEND_PATH}"
        )
    return account


def _token_age(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.api_token_minutes)


def _kind(account: Account) -> str:
    return "staff" if isinstance(account, StaffAccount) else "applicant"


async def issue_token(*, session: AsyncSession, settings: Settings, email: str, password: str, ip: str) -> TokenRead:
    """Sign in once (throttled like the form) and get a bearer token naming the account, valid a short while."""
    account = await sign_in(session=session, email=email, password=password, ip=ip)
    subject = f"{_kind(account)}:{account.id}:{password_stamp(account.password_hash)}"
    token = sign_token(settings.secret_key.get_secret_value(), TOKEN_PURPOSE, subject, utcnow())
    return TokenRead(access_token=token, expires_in=int(_token_age(settings).total_seconds()))


async def token_account(*, session: AsyncSession, settings: Settings, token: str) -> Account:
    """The active account a bearer token names (a signature check and one read, no password hashing), or
    Unauthorized saying how to get a new token."""
    try:
        subject = read_token(settings.secret_key.get_secret_value(), TOKEN_PURPOSE, token, _token_age(settings))
    except TokenExpired as expired:
        minutes = settings.api_token_minutes
        raise Unauthorized(
            f"Token akses sudah kedaluwarsa (berlaku {minutes} menit). {HOW_TO_GET_A_TOKEN}"
        ) from expired
    except ValueError as invalid:
        raise Unauthorized(f"Token akses tidak valid. {HOW_TO_GET_A_TOKEN}") from invalid
    kind, _, rest = subject.partition(":")
    account_id, _, stamp = rest.partition(":")
    account: Account | None = None
    if account_id.isdigit():
        if kind == "staff":
            account = await session.get(StaffAccount, int(account_id))
        else:
            account = await session.get(Applicant, int(account_id))
    if (
        account is None
        or (isinstance(account, StaffAccount) and not account.active)
        or not hmac.compare_digest(stamp, password_stamp(account.password_hash))
    ):
        raise Unauthorized(
            f"Token akses ini tidak berlaku lagi (akun nonaktif atau kata sandi diganti). {HOW_TO_GET_A_TOKEN}"
        )
    return account
