"""A walk-in guest (seeds 001, 002, 004): guest book → queue number → called → served → done.

The wait counts from the previous guest's finish (or from registration when the desk is free); past the
office's standard (5 or 10 minutes) the officer on duty is warned and the supervisor told, once per visit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordActivities
    from core import search_attributes as sa
    from core.enums import Role, Service, VisitStep
    from workflows.shared import (
        DB_ACTIVITY_TIMEOUT,
        RETRY_FOREVER,
        Actor,
        StepRecord,
        StepResult,
        VisitAction,
        VisitInput,
    )
    from workflows.sla import SlaClock, SlaState

V = VisitStep
NEXT: dict[str, str] = {V.WAITING: V.CALLED, V.CALLED: V.SERVING, V.SERVING: V.DONE}
ACTIONS: dict[str, str] = {V.CALLED: "guest_called", V.SERVING: "service_started", V.DONE: "service_finished"}


@dataclass
class VisitState:
    """Everything the visit remembers."""

    step: str = V.WAITING
    moves: int = 0
    turn_started: bool = False
    turn_requested: bool = False
    sla: SlaState = field(default_factory=SlaState)


@workflow.defn
class VisitWorkflow:
    """One guest of the PST desk, from the queue number to the end of the service."""

    @workflow.init
    def __init__(self, visit: VisitInput) -> None:
        self.visit = visit
        self.state = VisitState(turn_requested=visit.desk_free)
        self.lock = asyncio.Lock()
        self.clock = SlaClock(
            case_id=visit.case_id,
            office_code=visit.office_code,
            service=Service.VISIT,
            state=self.state.sla,
            waits_on=lambda: Role.OFFICER,
        )

    @workflow.run
    async def run(self, visit: VisitInput) -> StepResult:
        """Wait for the guest's turn (the clock), then for the officer's steps."""
        watcher = asyncio.create_task(self.clock.watch())
        async with self.lock:
            await self._record(V.WAITING, "guest_registered", self.clock.system, visit.queue_number)
        await workflow.wait_condition(lambda: self.state.turn_requested or self.state.step != V.WAITING)
        async with self.lock:
            if self.state.step == V.WAITING and not self.state.turn_started:
                self.state.turn_started = True
                await self.clock.start(self.clock.system)
        await workflow.wait_condition(lambda: self.state.step == V.DONE and workflow.all_handlers_finished())
        await self.clock.stop(self.clock.system)
        await watcher
        return StepResult(case_id=visit.case_id, step=self.state.step)

    @workflow.signal
    def previous_finished(self) -> None:
        """Sent by the API when the guest ahead finished: this guest's wait starts counting."""
        self.state.turn_requested = True

    @workflow.update
    async def advance(self, action: VisitAction) -> StepResult:
        """Sent by the officer on duty: call the guest, start serving, or finish."""
        async with self.lock:
            if self.state.step not in NEXT:
                raise ApplicationError(f"Kunjungan {self.visit.queue_number} sudah selesai.", non_retryable=True)
            step = NEXT[self.state.step]
            await self._record(step, ACTIONS[step], action.actor, self.visit.queue_number)
            if step == V.CALLED:
                await self.clock.stop(action.actor)  # the guest's wait is over
            return StepResult(case_id=self.visit.case_id, step=step)

    @advance.validator
    def _validate(self, action: VisitAction) -> None:
        if self.state.step not in NEXT:
            raise ValueError(f"Kunjungan {self.visit.queue_number} sudah selesai.")
        if action.actor.role not in (Role.OFFICER, Role.SUPERVISOR):
            raise ValueError("Tamu dilayani oleh petugas PST.")
        if action.actor.office_code != self.visit.office_code:
            raise ValueError(f"Tamu ini berada di kantor {self.visit.office_code}, bukan kantor Anda.")

    @workflow.signal
    def calendar_changed(self) -> None:
        """Visits count minutes; the calendar does not move them."""

    @workflow.query
    def status(self) -> StepResult:
        """Read by the API."""
        return StepResult(case_id=self.visit.case_id, step=self.state.step)

    async def _record(self, step: str, action: str, actor: Actor, note: str) -> None:
        await workflow.execute_activity_method(
            RecordActivities.record_step,
            StepRecord(
                case_id=self.visit.case_id,
                event_key=f"{action}:{self.state.moves}",
                action=action,
                step=step,
                status="completed" if step == V.DONE else "open",
                assignee_role=None if step == V.DONE else Role.OFFICER,
                actor=actor,
                at=workflow.now(),
                note=note,
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        self.state.moves += 1
        self.state.step = step
        workflow.upsert_search_attributes([sa.STEP.value_set(step)])
