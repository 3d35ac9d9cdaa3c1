"""The SLA clock: pause and resume carry the budget over; a calendar edit moves a running deadline."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from core import search_attributes as sa
from core.calendar import add_budget, office_calendar
from core.db import SessionFactory
from core.models import CalendarOverride
from tests.conftest import SmtpSink, make_settings
from tests.helpers import audit_actions, read_case_row, store_sale
from tests.workflows.clock_probe import ClockProbeWorkflow
from worker import build_worker

WIB = "Asia/Pontianak"


@pytest.fixture
async def probe(
    time_env: WorkflowEnvironment,
    database_url: str,
    smtp: SmtpSink,
    task_queue: str,
    tmp_path: Path,
    session_factory: SessionFactory,
) -> AsyncIterator[WorkflowHandle[ClockProbeWorkflow, None]]:
    settings = make_settings(database_url, smtp.port, task_queue, tmp_path)
    case = await store_sale(session_factory)
    async with build_worker(time_env.client, settings, session_factory, workflows=[ClockProbeWorkflow]):
        yield await time_env.client.start_workflow(ClockProbeWorkflow.run, case.id, id=case.id, task_queue=task_queue)
    async with session_factory() as session, session.begin():
        await session.execute(delete(CalendarOverride))


async def test_pause_carries_the_rest_of_the_budget_over_to_the_resume(
    probe: WorkflowHandle[ClockProbeWorkflow, None],
    time_env: WorkflowEnvironment,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    await probe.execute_update(ClockProbeWorkflow.start)
    started = await probe.query(ClockProbeWorkflow.clock_state)
    assert started.anchor is not None and started.deadline is not None
    calendar = office_calendar(
        timezone=WIB, close_of_business="16:00", cuti_bersama_is_day_off=True, around=started.anchor
    )

    await time_env.sleep(timedelta(days=3))
    await probe.execute_update(ClockProbeWorkflow.pause)
    paused = await probe.query(ClockProbeWorkflow.clock_state)
    used = calendar.working_days_used(started.anchor, await time_env.get_current_time())
    assert paused.state == "paused" and paused.remaining == 10 - used and paused.deadline is None
    row = await read_case_row(session_factory, probe.id)
    assert (row.sla_state, row.sla_remaining, row.sla_deadline) == ("paused", 10 - used, None)

    await time_env.sleep(timedelta(days=40))  # far past the first deadline: no notice while paused
    assert not [s for s in smtp.subjects() if "enggat" in s or "Eskalasi" in s]

    await probe.execute_update(ClockProbeWorkflow.resume)
    resumed = await probe.query(ClockProbeWorkflow.clock_state)
    assert resumed.anchor is not None and resumed.phase == 2
    later = office_calendar(
        timezone=WIB, close_of_business="16:00", cuti_bersama_is_day_off=True, around=resumed.anchor
    )
    assert resumed.deadline == add_budget(later, "working_days", resumed.anchor, 10 - used)
    row = await read_case_row(session_factory, probe.id)
    assert row.sla_state == "running" and row.sla_deadline == resumed.deadline
    description = await probe.describe()
    assert description.typed_search_attributes.get(sa.SLA_DEADLINE) == resumed.deadline

    await probe.execute_update(ClockProbeWorkflow.stop)
    await probe.result()
    assert await audit_actions(session_factory, probe.id) == [
        "sla_started",
        "sla_paused",
        "sla_resumed",
        "sla_stopped",
    ]
    assert (await read_case_row(session_factory, probe.id)).sla_state == "stopped"


async def test_a_closure_added_by_the_office_moves_the_running_deadline(
    probe: WorkflowHandle[ClockProbeWorkflow, None], session_factory: SessionFactory
) -> None:
    await probe.execute_update(ClockProbeWorkflow.start)
    before = await probe.query(ClockProbeWorkflow.clock_state)
    assert before.anchor is not None and before.deadline is not None
    calendar = office_calendar(
        timezone=WIB, close_of_business="16:00", cuti_bersama_is_day_off=True, around=before.anchor
    )
    first_working_day = calendar.add_working_days(before.anchor, 1).date()

    async with session_factory() as session, session.begin():
        session.add(
            CalendarOverride(
                office_code="6202", day=first_working_day, closed=True, name="Cuti bersama tambahan", created_by="t"
            )
        )
    await probe.signal(ClockProbeWorkflow.calendar_changed)

    for _ in range(100):
        after = await probe.query(ClockProbeWorkflow.clock_state)
        if after.deadline != before.deadline:
            break
        await asyncio.sleep(0.05)
    assert after.deadline is not None
    assert after.deadline == calendar.add_working_days(before.deadline, 1)  # one working day later
    for _ in range(100):  # the new deadline is in the workflow first, then in the audit trail and read model
        if "sla_recomputed" in await audit_actions(session_factory, probe.id):
            break
        await asyncio.sleep(0.05)
    assert "sla_recomputed" in await audit_actions(session_factory, probe.id)
    assert (await read_case_row(session_factory, probe.id)).sla_deadline == after.deadline
