"""Service deadlines read the office's own standard and calendar from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.exceptions import ApplicationError

from activities.calendar import CalendarActivities
from core.db import SessionFactory
from workflows.shared import DeadlineRequest

START = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


async def test_sale_in_6202_ends_after_ten_working_days(session_factory: SessionFactory) -> None:
    deadline = await CalendarActivities(session_factory).service_deadline(DeadlineRequest("6202", "sale", START))
    assert deadline == datetime(2026, 4, 7, 9, 0, tzinfo=UTC)


async def test_recommendation_in_6202_ends_after_fifteen_days(session_factory: SessionFactory) -> None:
    deadline = await CalendarActivities(session_factory).service_deadline(
        DeadlineRequest("6202", "recommendation", START)
    )
    assert deadline == START + timedelta(days=15)


async def test_an_office_whose_standard_states_minutes_uses_ten_working_days_in_its_zone(
    session_factory: SessionFactory,
) -> None:
    deadline = await CalendarActivities(session_factory).service_deadline(DeadlineRequest("6302", "sale", START))
    assert deadline == datetime(2026, 4, 7, 8, 0, tzinfo=UTC)  # 16:00 WITA


async def test_unknown_office_is_a_readable_failure(session_factory: SessionFactory) -> None:
    with pytest.raises(ApplicationError, match="Kantor 9999 tidak dikenal"):
        await CalendarActivities(session_factory).service_deadline(DeadlineRequest("9999", "sale", START))
