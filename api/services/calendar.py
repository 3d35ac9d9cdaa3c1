"""Office calendars: the days off an office keeps, an administrator's edits, and telling running cases."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.errors import Conflict, Invalid, NotFound
from api.schemas import CalendarDay, CalendarRead, OfficeSettingsIn, OverrideIn, OverrideRead
from api.services.admin_access import ensure_office_administrator
from api.services.cases import get_office, release_connection
from core.calendar import national_days_off
from core.enums import CaseStatus, Service
from core.formatting import date_in_words
from core.i18n import N_
from core.i18n import gettext as _
from core.models import CalendarOverride, Case, Office, StaffAccount
from core.office_calendars import load_office_calendar
from workflows.complaint import ComplaintWorkflow
from workflows.recommendation import RecommendationWorkflow
from workflows.sale import SaleWorkflow

# The signal that tells a running case of each service that its office's calendar changed.
CALENDAR_SIGNALS: dict[str, Callable[[Any], None]] = {
    Service.SALE: SaleWorkflow.calendar_changed,
    Service.RECOMMENDATION: RecommendationWorkflow.calendar_changed,
    Service.COMPLAINT: ComplaintWorkflow.calendar_changed,
}

log = logging.getLogger(__name__)
EDIT_CALENDAR = N_("mengubah kalender dan pengaturan kantor")


def _ensure_administrator(staff: StaffAccount, office: Office) -> None:
    ensure_office_administrator(staff, _(EDIT_CALENDAR), office.code)


async def _overrides(session: AsyncSession, office_code: str) -> list[CalendarOverride]:
    rows = await session.scalars(
        select(CalendarOverride).where(CalendarOverride.office_code == office_code).order_by(CalendarOverride.day)
    )
    return list(rows.all())


async def read_calendar(*, session: AsyncSession, office_code: str, year: int) -> CalendarRead:
    """The office's non-working weekdays of ``year`` with their names, and its own overrides."""
    if not 2000 <= year <= 2100:
        raise Invalid(_("Tahun harus antara 2000 dan 2100."))
    office = await get_office(session=session, office_code=office_code)
    found = await load_office_calendar(session, office.code, datetime(year, 7, 1, tzinfo=UTC))
    assert found is not None
    calendar = found[1]
    overrides = await _overrides(session, office.code)
    closures = {row.day for row in overrides if row.closed}
    return CalendarRead(
        office_code=office.code,
        year=year,
        timezone=office.timezone,
        close_of_business=office.close_of_business,
        cuti_bersama_is_day_off=office.cuti_bersama_is_day_off,
        sla_warning_share=office.sla_warning_share,
        escalation_working_days=office.escalation_working_days,
        days_off=[
            CalendarDay(day=day, name=name, source="office" if day in closures else "national")
            for day, name in calendar.non_working_weekdays(year)
        ],
        overrides=[OverrideRead.model_validate(row) for row in overrides if row.day.year == year],
    )


async def calendar_to_edit(*, session: AsyncSession, staff: StaffAccount, year: int) -> CalendarRead:
    """The calendar of the administrator's own office, to edit."""
    ensure_office_administrator(staff, _(EDIT_CALENDAR))
    return await read_calendar(session=session, office_code=staff.office_code, year=year)


async def tell_running_cases(*, session: AsyncSession, temporal: Client, office_code: str) -> int:
    """Signal every open case of the office that its calendar changed; return how many were told."""
    rows = (
        await session.execute(
            select(Case.id, Case.service).where(
                Case.office_code == office_code,
                Case.status == CaseStatus.OPEN,
                Case.workflow_started.is_(True),
                Case.service.in_(list(CALENDAR_SIGNALS)),
            )
        )
    ).all()
    await release_connection(session=session)
    told = 0
    for case_id, service in rows:
        try:
            await temporal.get_workflow_handle(case_id).signal(CALENDAR_SIGNALS[service])
            told += 1
        except Exception as error:  # noqa: BLE001 - a finished or missing workflow has no deadline to move
            log.warning("calendar change not delivered: %s", error, extra={"case_id": case_id})
    return told


async def add_override(
    *, session: AsyncSession, temporal: Client, staff: StaffAccount, office_code: str, override: OverrideIn
) -> OverrideRead:
    """An administrator closes a day (e.g. a regional holiday) or opens one (e.g. a cuti bersama worked)."""
    office = await get_office(session=session, office_code=office_code)
    _ensure_administrator(staff, office)
    if override.day.weekday() >= 5:
        raise Invalid(
            _("%(day)s jatuh pada akhir pekan; Sabtu dan Minggu selalu hari libur.")
            % {"day": date_in_words(override.day)}
        )
    existing = await session.scalar(
        select(CalendarOverride).where(
            CalendarOverride.office_code == office.code, CalendarOverride.day == override.day
        )
    )
    if existing is not None:
        raise Conflict(
            _("Tanggal %(day)s sudah diubah (%(name)s); hapus perubahan itu dulu bila ingin menggantinya.")
            % {"day": date_in_words(override.day), "name": existing.name}
        )
    national = national_days_off([override.day.year], cuti_bersama_is_day_off=office.cuti_bersama_is_day_off)
    if override.closed and override.day in national:
        raise Invalid(
            _("%(day)s sudah hari libur nasional (%(holiday)s).")
            % {"day": date_in_words(override.day), "holiday": national[override.day]}
        )
    if not override.closed and override.day not in national:
        raise Invalid(
            _("%(day)s bukan hari libur; hanya hari libur yang dapat dijadikan hari kerja.")
            % {"day": date_in_words(override.day)}
        )
    row = CalendarOverride(
        office_code=office.code,
        day=override.day,
        closed=override.closed,
        name=override.name.strip()
        or (
            "Libur kantor" if override.closed else f"Masuk kerja: {national[override.day]}"  # stored, in Indonesian
        ),
        created_by=staff.email,
    )
    session.add(row)
    await session.commit()
    await tell_running_cases(session=session, temporal=temporal, office_code=office.code)
    return OverrideRead.model_validate(row)


async def remove_override(
    *, session: AsyncSession, temporal: Client, staff: StaffAccount, office_code: str, day: date
) -> None:
    """An administrator takes back an override; the national calendar applies again on that day."""
    office = await get_office(session=session, office_code=office_code)
    _ensure_administrator(staff, office)
    row = await session.scalar(
        select(CalendarOverride).where(CalendarOverride.office_code == office.code, CalendarOverride.day == day)
    )
    if row is None:
        raise NotFound(
            _("Tidak ada perubahan kalender kantor %(code)s pada %(day)s.")
            % {"code": office.code, "day": date_in_words(day)}
        )
    await session.delete(row)
    await session.commit()
    await tell_running_cases(session=session, temporal=temporal, office_code=office.code)


async def update_settings(
    *, session: AsyncSession, temporal: Client, staff: StaffAccount, office_code: str, changes: OfficeSettingsIn
) -> CalendarRead:
    """An administrator changes the office's calendar and escalation settings."""
    office = await get_office(session=session, office_code=office_code)
    _ensure_administrator(staff, office)
    for name, value in changes.model_dump(exclude_none=True).items():
        setattr(office, name, value)
    await session.commit()
    await tell_running_cases(session=session, temporal=temporal, office_code=office.code)
    return await read_calendar(session=session, office_code=office.code, year=datetime.now(UTC).year)
