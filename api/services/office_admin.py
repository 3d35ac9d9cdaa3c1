"""An office's administrator edits the office's contacts (complaint channels included) and its published service
standards."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.admin_schemas import OfficeContactsIn, ServiceStandardIn
from api.errors import NotFound
from api.services.admin_access import ensure_office_administrator
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Office, ServiceStandard, StaffAccount

EDIT_OFFICE = N_("mengubah data kantor dan standar pelayanan")


async def office_of(*, session: AsyncSession, staff: StaffAccount) -> Office:
    """The administrator's own office."""
    ensure_office_administrator(staff, _(EDIT_OFFICE))
    office = await session.get(Office, staff.office_code)
    assert office is not None  # staff_accounts.office_code is a foreign key
    return office


async def standards_of(*, session: AsyncSession, staff: StaffAccount) -> list[ServiceStandard]:
    """The administrator's office's service standards."""
    ensure_office_administrator(staff, _(EDIT_OFFICE))
    rows = await session.scalars(
        select(ServiceStandard).where(ServiceStandard.office_code == staff.office_code).order_by(ServiceStandard.id)
    )
    return list(rows.all())


async def update_contacts(*, session: AsyncSession, staff: StaffAccount, contacts: OfficeContactsIn) -> Office:
    """New contacts of the office (address, phone, email, website, WhatsApp, complaint channels)."""
    office = await office_of(session=session, staff=staff)
    for name, value in contacts.model_dump().items():
        setattr(office, name, value)
    await session.commit()
    return office


async def standard_of(*, session: AsyncSession, staff: StaffAccount, standard_id: int) -> ServiceStandard:
    """One service standard of the administrator's office."""
    ensure_office_administrator(staff, _(EDIT_OFFICE))
    standard = await session.get(ServiceStandard, standard_id)
    if standard is None or standard.office_code != staff.office_code:
        raise NotFound(_("Standar pelayanan tidak ditemukan di kantor Anda."))
    return standard


async def update_standard(
    *, session: AsyncSession, staff: StaffAccount, standard_id: int, changes: ServiceStandardIn
) -> ServiceStandard:
    """A service standard's published text and time limit (the limit counts for new clocks)."""
    standard = await standard_of(session=session, staff=staff, standard_id=standard_id)
    for name, value in changes.model_dump().items():
        setattr(standard, name, value)
    await session.commit()
    return standard
