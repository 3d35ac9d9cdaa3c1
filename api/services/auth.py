"""Signing in to the web UI: one form for staff and applicants, throttled per email."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden, ServiceError
from core.models import Applicant, LoginAttempt, StaffAccount, utcnow
from core.security import verify_password

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


class Unauthorized(ServiceError):
    status = 401


class TooManyAttempts(ServiceError):
    status = 429


async def sign_in(*, session: AsyncSession, email: str, password: str, ip: str) -> StaffAccount | Applicant:
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
    account: StaffAccount | Applicant | None = staff
    if staff is None:
        account = await session.scalar(select(Applicant).where(Applicant.email == email))
    ok = account is not None and verify_password(account.password_hash, password)
    session.add(LoginAttempt(email=email, ip=ip, success=ok))
    await session.commit()
    if account is None or not ok:
        raise Unauthorized("Email atau kata sandi salah.")
    if isinstance(account, Applicant) and account.email_verified_at is None:
        raise Forbidden(f"Verifikasi email Anda dulu: buka tautan yang kami kirim ke {account.email}.")
    return account
