"""Staff accounts of an office, managed by its administrator: create, change the role, reset the password,
deactivate. A national administrator's account (it may sit at the office) is never managed from the office."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.admin_schemas import FormInvalid, StaffCreate
from api.errors import Forbidden, Invalid, NotFound
from api.services.admin_access import ensure_office_administrator
from api.services.auth import end_sessions, new_password
from core.enums import Role
from core.i18n import N_
from core.i18n import gettext as _
from core.models import StaffAccount
from core.security import hash_password

MANAGE_STAFF = N_("mengelola akun staf")


def may_manage(staff: StaffAccount, account: StaffAccount) -> bool:
    """Whether ``staff`` may change ``account``: the administrator of its office, never for a national role."""
    return (
        staff.role == Role.ADMINISTRATOR
        and account.office_code == staff.office_code
        and account.role != Role.NATIONAL_ADMINISTRATOR
    )


async def list_staff(*, session: AsyncSession, staff: StaffAccount) -> list[StaffAccount]:
    """The staff of the administrator's office, by name."""
    ensure_office_administrator(staff, _(MANAGE_STAFF))
    rows = await session.scalars(
        select(StaffAccount).where(StaffAccount.office_code == staff.office_code).order_by(StaffAccount.name)
    )
    return list(rows.all())


async def account_of(*, session: AsyncSession, staff: StaffAccount, account_id: int) -> StaffAccount:
    """One staff account the administrator may change."""
    ensure_office_administrator(staff, _(MANAGE_STAFF))
    account = await session.get(StaffAccount, account_id)
    if account is None or account.office_code != staff.office_code:
        raise NotFound(_("Akun staf tidak ditemukan di kantor Anda."))
    if not may_manage(staff, account):
        raise Forbidden(_("Akun administrator nasional tidak dikelola oleh kantor; hubungi administrator nasional."))
    return account


async def create_staff(*, session: AsyncSession, staff: StaffAccount, new: StaffCreate) -> StaffAccount:
    """A new staff account of the administrator's office, with an office role."""
    ensure_office_administrator(staff, _(MANAGE_STAFF))
    if await session.scalar(select(StaffAccount.id).where(StaffAccount.email == new.email)) is not None:
        raise FormInvalid(
            {"email": _("Email %(email)s sudah dipakai akun staf lain; isi email yang lain.") % {"email": new.email}}
        )
    account = StaffAccount(
        email=new.email,
        name=new.name,
        office_code=staff.office_code,
        role=new.role,
        password_hash=await asyncio.to_thread(hash_password, new.password),
    )
    session.add(account)
    await session.commit()
    return account


async def set_role(*, session: AsyncSession, staff: StaffAccount, account_id: int, role: str) -> StaffAccount:
    """A staff account's new office role (never the administrator's own: an office keeps its administrator)."""
    account = await account_of(session=session, staff=staff, account_id=account_id)
    if account.id == staff.id:
        raise Invalid(_("Anda tidak dapat mengubah peran akun Anda sendiri; minta administrator lain melakukannya."))
    account.role = role
    await session.commit()
    return account


async def reset_password(*, session: AsyncSession, staff: StaffAccount, account_id: int, password: str) -> StaffAccount:
    """A staff account's new password, set by the administrator: its sessions and scripts' tokens stop working."""
    account = await account_of(session=session, staff=staff, account_id=account_id)
    await new_password(session=session, account=account, password=password)
    await session.commit()
    return account


async def set_active(*, session: AsyncSession, staff: StaffAccount, account_id: int, active: bool) -> StaffAccount:
    """Enable or disable a staff account of the office (never the administrator's own); disabled, it cannot sign in,
    and its sessions and tokens end for good (enabled again, it signs in afresh)."""
    account = await account_of(session=session, staff=staff, account_id=account_id)
    if account.id == staff.id:
        raise Invalid(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    account.active = active
    if not active:
        await end_sessions(session=session, account=account)
    await session.commit()
    return account
