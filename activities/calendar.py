"""Deadline computation: calendar look-ups run here, never in workflow code (replay reads no database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core.calendar import DEFAULT_SALE_WORKING_DAYS, office_calendar
from core.db import SessionFactory
from core.enums import TimeUnit
from core.models import Office, ServiceStandard
from workflows.shared import DeadlineRequest


class CalendarActivities:
    """Computes service deadlines from an office's service standard and working-day calendar."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    @activity.defn
    async def service_deadline(self, request: DeadlineRequest) -> datetime:
        """When the office's time limit for ``request.service`` ends, counted from ``request.start`` (UTC)."""
        async with self._sessions() as session:
            office = await session.get(Office, request.office_code)
            if office is None:
                raise ApplicationError(f"Kantor {request.office_code} tidak dikenal", non_retryable=True)
            standard = await session.scalar(
                select(ServiceStandard).where(
                    ServiceStandard.office_code == office.code, ServiceStandard.service == request.service
                )
            )
        unit = standard.time_unit if standard else TimeUnit.MINUTES
        limit = standard.time_limit if standard else 0
        if unit == TimeUnit.DAYS:
            return request.start + timedelta(days=limit)
        if unit != TimeUnit.WORKING_DAYS:
            limit = DEFAULT_SALE_WORKING_DAYS
        calendar = office_calendar(
            timezone=office.timezone,
            close_of_business=office.close_of_business,
            cuti_bersama_is_day_off=office.cuti_bersama_is_day_off,
            around=request.start,
        )
        return calendar.add_working_days(request.start, limit)
