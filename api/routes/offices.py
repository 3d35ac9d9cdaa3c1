"""Offices and their calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter, Query, status

from api.deps import SessionDep, StaffDep, TemporalDep
from api.openapi_errors import CASE
from api.schemas import CalendarRead, OfficeSettingsIn, OverrideIn, OverrideRead
from api.services import calendar

router = APIRouter(prefix="/api/v1/offices", tags=["offices"], responses=CASE)


@router.get("/{office_code}/calendar", summary="The office's non-working weekdays of a year and its overrides")
async def read_calendar(
    office_code: str, session: SessionDep, year: int = Query(default_factory=lambda: datetime.now(UTC).year)
) -> CalendarRead:
    return await calendar.read_calendar(session=session, office_code=office_code, year=year)


@router.post(
    "/{office_code}/calendar/overrides",
    status_code=status.HTTP_201_CREATED,
    summary="Administrator: close a day or work a national day off; running deadlines are recomputed",
)
async def add_override(
    office_code: str, override: OverrideIn, session: SessionDep, temporal: TemporalDep, staff: StaffDep
) -> OverrideRead:
    return await calendar.add_override(
        session=session, temporal=temporal, staff=staff, office_code=office_code, override=override
    )


@router.delete(
    "/{office_code}/calendar/overrides/{day}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Administrator: take back an override",
)
async def remove_override(
    office_code: str, day: date, session: SessionDep, temporal: TemporalDep, staff: StaffDep
) -> None:
    await calendar.remove_override(session=session, temporal=temporal, staff=staff, office_code=office_code, day=day)


@router.patch("/{office_code}/settings", summary="Administrator: cuti bersama, close of business, escalation")
async def update_settings(
    office_code: str, changes: OfficeSettingsIn, session: SessionDep, temporal: TemporalDep, staff: StaffDep
) -> CalendarRead:
    return await calendar.update_settings(
        session=session, temporal=temporal, staff=staff, office_code=office_code, changes=changes
    )
