"""Offices for the public: the list, and one office's contacts with its published service standards."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.cases import get_office
from api.services.tariffs import describe
from core.enums import SERVICE_LABELS, Service, TimeUnit
from core.formatting import zone_label
from core.models import Office, ServiceStandard, Tariff

TIME_UNIT_LABELS: dict[str, str] = {
    TimeUnit.WORKING_DAYS: "hari kerja",
    TimeUnit.DAYS: "hari",
    TimeUnit.MINUTES: "menit",
}
_SERVICE_ORDER = {service.value: position for position, service in enumerate(Service)}


@dataclass(frozen=True)
class TariffLine:
    """One active PNBP tariff line as the public reads it."""

    name: str
    description: str


@dataclass(frozen=True)
class StandardView:
    """One service standard of an office, with the words the page shows."""

    standard: ServiceStandard
    label: str
    decree: str
    time_limit: str
    tariffs: list[TariffLine] = field(default_factory=list)


@dataclass(frozen=True)
class OfficeView:
    """An office, the name of its time zone, and its service standards ordered by service."""

    office: Office
    zone: str
    standards: list[StandardView]


def decree_text(decree_number: str) -> str:
    """``006.01 Tahun 2024`` or ``Nomor 006.01 Tahun 2024`` → ``SK Nomor 006.01 Tahun 2024``; empty stays empty."""
    number = decree_number.strip()
    if not number:
        return ""
    if number.lower().startswith("sk "):
        return number
    return f"SK {number}" if number.lower().startswith("nomor") else f"SK Nomor {number}"


def time_limit_text(time_limit: int, time_unit: str) -> str:
    """``10``, ``working_days`` → ``10 hari kerja``."""
    return f"{time_limit} {TIME_UNIT_LABELS.get(time_unit, time_unit)}"


async def office_page(*, session: AsyncSession, office_code: str) -> OfficeView:
    """The office's contacts and its service standards (the sale with its active tariffs), or NotFound."""
    office = await get_office(session=session, office_code=office_code)
    rows = (await session.scalars(select(ServiceStandard).where(ServiceStandard.office_code == office.code))).all()
    standards = sorted(rows, key=lambda row: (_SERVICE_ORDER.get(row.service, len(_SERVICE_ORDER)), row.service))
    tariffs: list[TariffLine] = []
    if any(row.service == Service.SALE for row in standards):
        active = await session.scalars(
            select(Tariff).where(Tariff.active.is_(True)).order_by(Tariff.base_price, Tariff.code)
        )
        tariffs = [TariffLine(name=tariff.name, description=describe(tariff)) for tariff in active]
    return OfficeView(
        office=office,
        zone=zone_label(office.timezone),
        standards=[
            StandardView(
                standard=row,
                label=SERVICE_LABELS.get(row.service, row.title),
                decree=decree_text(row.decree_number),
                time_limit=time_limit_text(row.time_limit, row.time_unit),
                tariffs=tariffs if row.service == Service.SALE else [],
            )
            for row in standards
        ],
    )
