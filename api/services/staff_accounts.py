"""Staff accounts of an office, managed by its administrator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Conflict, Forbidden, Invalid, NotFound
from core.enums import Role
from core.models import StaffAccount
from core.security import hash_password

MIN_PASSWORD = 10


def _ensure_administrator(staff: StaffAccount) -> None:
    if staff.role != Role.ADMINISTRATOR:
        raise Forbidden("Hanya administrator kantor yang dapat mengelola akun staf.")


async def list_staff(*, session: AsyncSession, staff: StaffAccount) -> list[StaffAccount]:
    """The staff of the administrator's office."""
    _ensure_administrator(staff)
    rows = await session.scalars(
        select(StaffAccount).where(StaffAccount.office_code == staff.office_code).order_by(StaffAccount.role)
    )
    return list(rows.all())


async def create_staff(
    *, session: AsyncSession, staff: StaffAccount, name: str, email: str, role: str, password: str
) -> StaffAccount:
    """A new staff account of the administrator's office."""
    _ensure_administrator(staff)
    email = email.strip().lower()
    if role not in {r.value for r in Role}:
        raise Invalid(f"Peran harus salah satu dari: {', '.join(r.value for r in Role)}.")
    if len(name.strip()) < 2 or "@" not in email:
        raise Invalid("Isi nama dan email staf yang valid.")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    if await session.scalar(select(StaffAccount.id).where(StaffAccount.email == email)) is not None:
        raise Conflict(f"Email {email} sudah dipakai akun staf lain.")
    account = StaffAccount(
        email=email, name=name.strip(), office_code=staff.office_code, role=role, password_hash=hash_password(password)
    )
    session.add(account)
    await session.commit()
    return account


async def set_active(*, session: AsyncSession, staff: StaffAccount, account_id: int, active: bool) -> StaffAccount:
    """Enable or disable a staff account of the office (never the administrator's own)."""
    _ensure_administrator(staff)
    account = await session.get(StaffAccount, account_id)
    if account is None or account.office_code != staff.office_code:
        raise NotFound("Akun staf tidak ditemukan di kantor Anda.")
    if account.id == staff.id:
        raise Invalid("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    account.active = active
    await session.commit()
    return account
