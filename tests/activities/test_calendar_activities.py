"""Calendar activities read the office's standard, settings and overrides from the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete
from temporalio.exceptions import ApplicationError

from activities.calendar import CalendarActivities
from contracts.sla import BudgetRequest, ClockRequest, UsedRequest, WorkingDayRequest
from core.db import SessionFactory
from core.models import CalendarOverride

START = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


@pytest.fixture
async def overrides(session_factory: SessionFactory) -> AsyncIterator[SessionFactory]:
    yield session_factory
    async with session_factory() as session, session.begin():
        await session.execute(delete(CalendarOverride))


async def _add(session_factory: SessionFactory, day: date, closed: bool) -> None:
    async with session_factory() as session, session.begin():
        session.add(CalendarOverride(office_code="6202", day=day, closed=closed, name="uji", created_by="test"))


async def test_budgets_come_from_the_office_standard(session_factory: SessionFactory) -> None:
    calendar = CalendarActivities(session_factory)
    sale = await calendar.service_budget(BudgetRequest("6202", "sale"))
    recommendation = await calendar.service_budget(BudgetRequest("6202", "recommendation"))
    minutes_only = await calendar.service_budget(BudgetRequest("6302", "sale"))
    assert (sale.unit, sale.amount) == ("working_days", 10)
    assert (recommendation.unit, recommendation.amount) == ("days", 15)
    assert (minutes_only.unit, minutes_only.amount) == ("working_days", 10)


async def test_clock_times_of_a_sale_in_6202(session_factory: SessionFactory) -> None:
    times = await CalendarActivities(session_factory).clock_times(ClockRequest("6202", "working_days", START, 10, 10))
    assert times.deadline == datetime(2026, 4, 7, 9, 0, tzinfo=UTC)
    assert times.warning_at == datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    assert times.escalation_at == datetime(2026, 4, 9, 9, 0, tzinfo=UTC)


async def test_overrides_move_the_deadline_both_ways(overrides: SessionFactory) -> None:
    calendar = CalendarActivities(overrides)
    await _add(overrides, date(2026, 3, 25), closed=True)  # a regional holiday
    later = await calendar.clock_times(ClockRequest("6202", "working_days", START, 10, 10))
    await _add(overrides, date(2026, 3, 18), closed=False)  # the office works this cuti bersama
    await _add(overrides, date(2026, 3, 20), closed=False)
    earlier = await calendar.clock_times(ClockRequest("6202", "working_days", START, 10, 10))
    assert later.deadline == datetime(2026, 4, 8, 9, 0, tzinfo=UTC)
    assert earlier.deadline == datetime(2026, 4, 6, 9, 0, tzinfo=UTC)


async def test_budget_used_counts_closed_working_days(session_factory: SessionFactory) -> None:
    calendar = CalendarActivities(session_factory)
    used = await calendar.budget_used(
        UsedRequest("6202", "working_days", START, datetime(2026, 3, 26, 3, 0, tzinfo=UTC))
    )
    days = await calendar.budget_used(UsedRequest("6202", "days", START, START + timedelta(hours=36)))
    assert used == 2  # 17 and 25 March have closed; 26 March is still open at 10:00 WIB
    assert days == 1.5


async def test_working_day_in_office_time(session_factory: SessionFactory) -> None:
    calendar = CalendarActivities(session_factory)
    assert await calendar.is_working_day(WorkingDayRequest("6202", datetime(2026, 3, 17, 0, 30, tzinfo=UTC)))
    assert not await calendar.is_working_day(WorkingDayRequest("6202", datetime(2026, 3, 19, 0, 30, tzinfo=UTC)))
    with pytest.raises(ApplicationError, match="Kantor 9999 tidak dikenal"):
        await calendar.is_working_day(WorkingDayRequest("9999", START))
