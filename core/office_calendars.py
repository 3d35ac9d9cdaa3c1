"""Loading an office's calendar: its settings and overrides from the database (or the seed data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calendar import OfficeCalendar, Override, office_calendar
from core.models import CalendarOverride, Office
from core.reference import OFFICES


async def load_office_calendar(
    session: AsyncSession, office_code: str, around: datetime
) -> tuple[Office, OfficeCalendar] | None:
    """The office and its calendar around ``around``, or None when the office is not in the database."""
    office = await session.get(Office, office_code)
    if office is None:
        return None
    rows = await session.scalars(select(CalendarOverride).where(CalendarOverride.office_code == office_code))
    calendar = office_calendar(
        timezone=office.timezone,
        close_of_business=office.close_of_business,
        cuti_bersama_is_day_off=office.cuti_bersama_is_day_off,
        around=around,
        overrides=[Override(day=row.day, closed=row.closed, name=row.name) for row in rows],
    )
    return office, calendar


def reference_calendar(office_code: str, around: datetime) -> OfficeCalendar | None:
    """The calendar of a seed office with the default settings and no overrides (before any database)."""
    for office in OFFICES:
        if office["code"] == office_code:
            return office_calendar(
                timezone=office["timezone"], close_of_business="16:00", cuti_bersama_is_day_off=True, around=around
            )
    return None
