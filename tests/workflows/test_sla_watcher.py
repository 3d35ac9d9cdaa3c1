"""The SLA watcher and a step race at the warning moment: the watcher writes under the workflow's lock and checks the
clock again there, so a paused case never shows "warning" (time-skipping server, the step activity held open)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import activity
from temporalio.client import WorkflowUpdateStage
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contracts.case import StepOutcome, StepRecord
from contracts.sla import CLOCK_NOTICES
from core.db import SessionFactory
from core.enums import ClockAction, SlaState
from tests.conftest import SmtpSink, make_settings
from tests.helpers import audit_actions, read_case_row, store_sale
from tests.workflows.clock_probe import ClockProbeWorkflow
from worker import record_activities


class Gate:
    """Holds the step activity that carries ``action`` open until released, so the other side of the race runs."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.entered = asyncio.Event()
        self.release = asyncio.Event()


@pytest.fixture
async def gated(
    time_env: WorkflowEnvironment,
    database_url: str,
    smtp: SmtpSink,
    task_queue: str,
    tmp_path: Path,
    session_factory: SessionFactory,
) -> AsyncIterator[tuple[str, list[Gate]]]:
    records = record_activities(make_settings(database_url, smtp.port, task_queue, tmp_path), session_factory)
    gates: list[Gate] = []

    @activity.defn(name="record_step")
    async def record_step(record: StepRecord) -> StepOutcome:
        for gate in gates:
            if record.clock is not None and record.clock.action == gate.action:
                gate.entered.set()
                await gate.release.wait()
        return await records.record_step(record)

    async with Worker(
        time_env.client,
        task_queue=task_queue,
        workflows=[ClockProbeWorkflow],
        activities=[record_step],
        max_cached_workflows=0,
    ):
        yield task_queue, gates


@pytest.mark.parametrize("first", ["pause", "watcher"])
async def test_a_paused_case_never_shows_warning_whoever_comes_first_at_the_warning_moment(
    first: str,
    time_env: WorkflowEnvironment,
    gated: tuple[str, list[Gate]],
    session_factory: SessionFactory,
) -> None:
    task_queue, gates = gated
    case = await store_sale(session_factory)
    probe = await time_env.client.start_workflow(ClockProbeWorkflow.run, case.id, id=case.id, task_queue=task_queue)
    await probe.execute_update(ClockProbeWorkflow.start)
    warning_at = (await probe.query(ClockProbeWorkflow.clock_state)).warning_at
    assert warning_at is not None
    await time_env.sleep(warning_at - await time_env.get_current_time() - timedelta(seconds=2))

    gate = Gate(ClockAction.PAUSED if first == "pause" else CLOCK_NOTICES[0])
    gates.append(gate)
    if first == "pause":  # the officer's pause holds the lock when the warning's moment comes
        pause = await probe.start_update(ClockProbeWorkflow.pause, wait_for_stage=WorkflowUpdateStage.ACCEPTED)
        await asyncio.wait_for(gate.entered.wait(), 10)
        await time_env.sleep(timedelta(seconds=3))
    else:  # the watcher's warning holds the lock when the officer pauses
        await time_env.sleep(timedelta(seconds=3))
        await asyncio.wait_for(gate.entered.wait(), 10)
        pause = await probe.start_update(ClockProbeWorkflow.pause, wait_for_stage=WorkflowUpdateStage.ACCEPTED)
    assert await time_env.get_current_time() > warning_at
    gate.release.set()
    await pause.result()
    await time_env.sleep(timedelta(minutes=5))  # the watcher had its turn

    clock = await probe.query(ClockProbeWorkflow.clock_state)
    row = await read_case_row(session_factory, case.id)
    assert (clock.state, row.sla_state) == (SlaState.PAUSED, SlaState.PAUSED)
    actions = await audit_actions(session_factory, case.id)
    assert actions[-1] == "sla_paused", actions
    if first == "pause":
        assert "sla_warning" not in actions  # the pause won: nobody is warned of a paused case
    else:
        assert actions[-2:] == ["sla_warning", "sla_paused"]
    await probe.execute_update(ClockProbeWorkflow.stop)
    await probe.result()
