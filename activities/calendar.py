"""Calendar look-ups: an office's budgets, clock moments and working days, read from the database.

The SLA clock's look-ups run inside the step activity that changes the clock (``reading``); the digest asks
``is_working_day`` as an activity of its own. Replay reads no database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.failures import database_errors_by_kind
from contracts.sla import (
    Budget,
    BudgetRequest,
    ClockChange,
    ClockReading,
    ClockRequest,
    ClockTimes,
    UsedRequest,
    WorkingDayRequest,
)
from core.calendar import (
    DEFAULT_QUEUE_MINUTES,
    DEFAULT_SALE_WORKING_DAYS,
    OfficeCalendar,
    budget_used,
    clock_moments,
)
from core.db import SessionFactory
from core.enums import COUNTING_CLOCK_ACTIONS, ClockAction, Service, TimeUnit
from core.models import Office, ServiceStandard
from core.office_calendars import load_office_calendar


async def _office_and_calendar(
    session_factory: SessionFactory, office_code: str, around: datetime
) -> tuple[Office, OfficeCalendar]:
    async with session_factory() as session:
        found = await load_office_calendar(session, office_code, around)
    if found is None:
        raise ApplicationError(f"Kantor {office_code} tidak dikenal", non_retryable=True)
    return found


class CalendarActivities:
    """Answers the SLA clock's and the digest's calendar questions from the database."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    async def service_budget(self, request: BudgetRequest) -> Budget:
        """The office's time limit for a service (a sale stated only in queue minutes gets 10 working days)."""
        async with self._sessions() as session:
            standard = await session.scalar(
                select(ServiceStandard).where(
                    ServiceStandard.office_code == request.office_code, ServiceStandard.service == request.service
                )
            )
        if request.service == Service.VISIT:
            minutes = standard.time_limit if standard and standard.time_unit == TimeUnit.MINUTES else None
            return Budget(unit=TimeUnit.MINUTES, amount=minutes or DEFAULT_QUEUE_MINUTES)
        if standard is None or standard.time_unit == TimeUnit.MINUTES:
            return Budget(unit=TimeUnit.WORKING_DAYS, amount=DEFAULT_SALE_WORKING_DAYS)
        return Budget(unit=standard.time_unit, amount=standard.time_limit)

    async def clock_times(self, request: ClockRequest) -> ClockTimes:
        """Deadline, warning and provincial escalation of a clock (re)started at ``request.anchor``."""
        office, calendar = await _office_and_calendar(self._sessions, request.office_code, request.anchor)
        moments = clock_moments(
            calendar,
            unit=request.unit,
            anchor=request.anchor,
            anchor_budget=request.anchor_budget,
            total_budget=request.total_budget,
            warning_share=office.sla_warning_share,
            escalation_working_days=office.escalation_working_days,
        )
        return ClockTimes(
            deadline=moments.deadline.astimezone(UTC),
            warning_at=moments.warning_at.astimezone(UTC),
            escalation_at=moments.escalation_at.astimezone(UTC),
        )

    async def budget_used(self, request: UsedRequest) -> float:
        """How much of the budget has gone between the clock's (re)start and ``request.at``."""
        _office, calendar = await _office_and_calendar(self._sessions, request.office_code, request.anchor)
        return budget_used(calendar, request.unit, request.anchor, request.at)

    async def reading(self, change: ClockChange, at: datetime) -> ClockReading:
        """The clock after ``change`` made at ``at``: the moments of a (re)started clock, what a pause leaves."""
        unit, total, anchor_budget = change.unit, change.total, change.anchor_budget
        if change.action == ClockAction.STARTED:
            budget = await self.service_budget(BudgetRequest(change.office_code, change.service))
            unit, total, anchor_budget = budget.unit, budget.amount, budget.amount
        reading = ClockReading(unit=unit, total=total, anchor_budget=anchor_budget, remaining=anchor_budget)
        if change.anchor is None:
            return reading
        if change.action in COUNTING_CLOCK_ACTIONS:
            times = await self.clock_times(ClockRequest(change.office_code, unit, change.anchor, anchor_budget, total))
            reading.deadline, reading.warning_at, reading.escalation_at = (
                times.deadline,
                times.warning_at,
                times.escalation_at,
            )
        elif change.action == ClockAction.PAUSED:
            used = await self.budget_used(UsedRequest(change.office_code, unit, change.anchor, at))
            reading.remaining = max(0.0, anchor_budget - used)
        return reading

    @activity.defn
    @database_errors_by_kind
    async def is_working_day(self, request: WorkingDayRequest) -> bool:
        """Whether ``request.at`` falls on a working day of the office, in office time."""
        _office, calendar = await _office_and_calendar(self._sessions, request.office_code, request.at)
        return calendar.is_working_day(request.at.astimezone(calendar.zone).date())
