"""An administrator edits the office's contacts and its published service standards."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden, Invalid, NotFound
from core.enums import Role, TimeUnit
from core.models import Office, ServiceStandard, StaffAccount

OFFICE_FIELDS = ("address", "phone", "email", "website", "whatsapp")


def _ensure_administrator(staff: StaffAccount) -> None:
    if staff.role != Role.ADMINISTRATOR:
        raise Forbidden("Hanya administrator kantor yang dapat mengubah data kantor dan standar pelayanan.")


async def standards_of(*, session: AsyncSession, staff: StaffAccount) -> list[ServiceStandard]:
    """The administrator's office's service standards."""
    _ensure_administrator(staff)
    rows = await session.scalars(
        select(ServiceStandard).where(ServiceStandard.office_code == staff.office_code).order_by(ServiceStandard.id)
    )
    return list(rows.all())


async def update_contacts(*, session: AsyncSession, staff: StaffAccount, values: dict[str, str]) -> Office:
    """New contacts of the office (address, phone, email, website, WhatsApp)."""
    _ensure_administrator(staff)
    office = await session.get(Office, staff.office_code)
    assert office is not None
    cleaned = {name: values.get(name, "").strip() for name in OFFICE_FIELDS}
    if not cleaned["address"] or not cleaned["phone"] or "@" not in cleaned["email"]:
        raise Invalid("Alamat, telepon dan email kantor wajib diisi (email yang valid).")
    for name, value in cleaned.items():
        setattr(office, name, value)
    await session.commit()
    return office


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


async def update_standard(
    *, session: AsyncSession, staff: StaffAccount, standard_id: int, values: dict[str, str]
) -> ServiceStandard:
    """A service standard's published text and time limit (the limit counts for new clocks)."""
    _ensure_administrator(staff)
    standard = await session.get(ServiceStandard, standard_id)
    if standard is None or standard.office_code != staff.office_code:
        raise NotFound("Standar pelayanan tidak ditemukan di kantor Anda.")
    try:
        limit = int(values.get("time_limit", ""))
    except ValueError as error:
        raise Invalid("Jangka waktu harus bilangan bulat.") from error
    unit = values.get("time_unit", "")
    if limit < 1 or unit not in {u.value for u in TimeUnit}:
        raise Invalid("Jangka waktu minimal 1 dengan satuan hari kerja, hari atau menit.")
    if not values.get("title", "").strip():
        raise Invalid("Judul standar pelayanan wajib diisi.")
    standard.title = values["title"].strip()
    standard.decree_number = values.get("decree_number", "").strip()
    standard.time_limit, standard.time_unit = limit, unit
    standard.time_text = values.get("time_text", "").strip()
    standard.fee_text = values.get("fee_text", "").strip()
    standard.requirements = _lines(values.get("requirements", ""))
    standard.procedure = _lines(values.get("procedure", ""))
    standard.products = _lines(values.get("products", ""))
    await session.commit()
    return standard
