"""Signing in: one check of email and password for the web form and for scripts, throttled by
``sign_in_throttle``, off the event loop; the short-lived bearer tokens of the JSON API, read without any
password hashing; and the session version that logout and a new password raise to end every session and token."""

from __future__ import annotations

import asyncio
import hmac
import math
from datetime import timedelta
from functools import lru_cache

from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.applicant_schemas import PASSWORD_MIN_LENGTH
from api.errors import Forbidden, ServiceError
from api.services.applicants import RESEND_PATH
from api.services.cases import release_connection
from api.services.sign_in_throttle import begin_attempt, normalised_email, settle, try_again_message
from core.i18n import gettext as _
from core.models import Applicant, StaffAccount, utcnow
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
    """Too many failed sign-ins: the password was not checked; ``retry_after`` is the wait in whole seconds."""

    status = 429

    def __init__(self, wait: timedelta) -> None:
        super().__init__(try_again_message(wait))
        self.retry_after = str(max(1, math.ceil(wait.total_seconds())))


class PasswordChange(BaseModel):
    """Your own new password, with the one in use."""

    current_password: str = Field(min_length=1, max_length=200, description="The password in use now")
    new_password: str = Field(
        min_length=PASSWORD_MIN_LENGTH, max_length=200, description=f"At least {PASSWORD_MIN_LENGTH} characters"
    )


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
    """The account behind ``email`` and ``password`` signing in from address ``ip``; TooManyAttempts, without
    checking the password, while failures from there or for that email ask for a wait."""
    email = normalised_email(email)
    attempt = await begin_attempt(session=session, email=email, ip=ip, now=utcnow())
    if isinstance(attempt, timedelta):
        raise TooManyAttempts(attempt)
    staff = await session.scalar(select(StaffAccount).where(StaffAccount.email == email, StaffAccount.active.is_(True)))
    account: Account | None = staff
    if staff is None:
        account = await session.scalar(select(Applicant).where(Applicant.email == email))
    await release_connection(session=session)  # argon2 takes a while: no connection held meanwhile
    ok = await asyncio.to_thread(_password_matches, account, password)
    settle(attempt, success=ok)
    if ok and account is not None and needs_rehash(account.password_hash):
        account.password_hash = await asyncio.to_thread(hash_password, password)
    await session.commit()
    if account is None or not ok:
        raise Unauthorized(_("Email atau kata sandi salah."))
    if isinstance(account, Applicant) and account.email_verified_at is None:
        raise Forbidden(
            _(
                "Verifikasi email Anda dulu: buka tautan yang kami kirim ke %(email)s, atau minta tautan baru di "
                "%(path)s"
            )
            % {"email": account.email, "path": RESEND_PATH}
        )
    return account


def session_stamp(account: Account) -> str:
    """What a session cookie or a bearer token carries of its account's sign-in state: the session version and a
    fingerprint of the password hash. A token whose stamp is not the account's today is refused."""
    return f"{account.session_version}.{password_stamp(account.password_hash)}"


def stamp_holds(account: Account, stamp: str) -> bool:
    """Whether ``stamp`` (from a cookie or token) is still the account's: no logout or new password since."""
    return hmac.compare_digest(stamp.encode(), session_stamp(account).encode())


async def end_sessions(*, session: AsyncSession, account: Account) -> None:
    """Every session cookie and bearer token ``account`` holds stops working (the caller commits)."""
    model = type(account)
    await session.execute(update(model).where(model.id == account.id).values(session_version=model.session_version + 1))


async def new_password(*, session: AsyncSession, account: Account, password: str) -> None:
    """Set ``account``'s password (hashed off the event loop) and end its sessions and tokens (the caller commits)."""
    account.password_hash = await asyncio.to_thread(hash_password, password)
    await end_sessions(session=session, account=account)


async def change_password(*, session: AsyncSession, account: Account, change: PasswordChange, ip: str) -> None:
    """Your own new password, given the one in use (checked and throttled as a sign-in is): every session and token
    of yours ends, the one that asked included."""
    try:
        await sign_in(session=session, email=account.email, password=change.current_password, ip=ip)
    except Unauthorized as wrong:
        raise Forbidden(
            "Kata sandi yang sedang dipakai salah; kata sandi tidak diganti. Periksa lalu kirim lagi."
        ) from wrong
    await new_password(session=session, account=account, password=change.new_password)
    await session.commit()
    await session.refresh(account)  # its new session version, for a new session of the browser that asked


async def sign_out(*, session: AsyncSession, account: Account) -> None:
    """Logout: every session and token of ``account``, on every device and script, stops working."""
    await end_sessions(session=session, account=account)
    await session.commit()


def _token_age(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.api_token_minutes)


def _kind(account: Account) -> str:
    return "staff" if isinstance(account, StaffAccount) else "applicant"


async def issue_token(*, session: AsyncSession, settings: Settings, email: str, password: str, ip: str) -> TokenRead:
    """Sign in once (throttled like the form) and get a bearer token naming the account, valid a short while."""
    account = await sign_in(session=session, email=email, password=password, ip=ip)
    subject = f"{_kind(account)}:{account.id}:{session_stamp(account)}"
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
    kind, _sep, rest = subject.partition(":")
    account_id, _sep, stamp = rest.partition(":")
    account: Account | None = None
    if account_id.isdigit():
        if kind == "staff":
            account = await session.get(StaffAccount, int(account_id))
        else:
            account = await session.get(Applicant, int(account_id))
    if account is None or (isinstance(account, StaffAccount) and not account.active) or not stamp_holds(account, stamp):
        raise Unauthorized(
            "Token akses ini tidak berlaku lagi (Anda sudah keluar, kata sandi diganti atau akun nonaktif). "
            f"{HOW_TO_GET_A_TOKEN}"
        )
    return account
