"""A walk-in guest (seeds 001, 002, 004): guest book → queue number → called → served → done.

The wait counts from the previous guest's finish (or from registration when the desk is free); past the
office's standard (5 or 10 minutes) the officer on duty is warned and the supervisor told, once per visit.
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from contracts.case import StepResult
    from contracts.visit import VISIT_RULES, VisitAction, VisitInput
    from core.enums import CLOSED_STEP, STEP_LABELS, CaseStatus, Role, Service, VisitStep
    from workflows.case import CaseCore, CaseState, ClosableCase
    from workflows.sla import ClockMove

V = VisitStep
NEXT: dict[str, str] = {V.WAITING: V.CALLED, V.CALLED: V.SERVING, V.SERVING: V.DONE}
ACTIONS: dict[str, str] = {V.CALLED: "guest_called", V.SERVING: "service_started", V.DONE: "service_finished"}
# A click that reaches a new visit before its registration is recorded waits for it (before, the registration
# written after the call put the guest back to waiting).
REGISTRATION_FIRST = "visit-registration-first"


@dataclass
class VisitState(CaseState):
    """Everything the visit remembers."""

    step: str = V.WAITING
    assignee: str | None = Role.OFFICER
    turn_started: bool = False
    turn_requested: bool = False


@workflow.defn
class VisitWorkflow(ClosableCase):
    """One guest of the PST desk, from the queue number to the end of the service."""

    @workflow.init
    def __init__(self, visit: VisitInput) -> None:
        self.visit = visit
        self.state = VisitState(turn_requested=visit.desk_free)
        self.core = CaseCore(
            case_id=visit.case_id,
            office_code=visit.office_code,
            service=Service.VISIT,
            state=self.state,
            waits_on=lambda: Role.OFFICER,
        )

    @workflow.run
    async def run(self, visit: VisitInput) -> StepResult:
        """Wait for the guest's turn (the clock), then for the officer's steps."""
        self.core.start_clock_watch()
        async with self.core.lock:
            await self.core.move(
                V.WAITING, "guest_registered", self.core.system, visit.queue_number, assignee=Role.OFFICER
            )
        await workflow.wait_condition(lambda: self.state.turn_requested or self.state.step != V.WAITING)
        async with self.core.lock:
            if self.state.step == V.WAITING and not self.state.turn_started:
                self.state.turn_started = True
                await self.core.clock_only(ClockMove.START)
        await workflow.wait_condition(lambda: self.state.step in (V.DONE, CLOSED_STEP))
        await self.core.finish()
        return self.core.result()

    @workflow.signal
    def previous_finished(self) -> None:
        """Sent by the API when the guest ahead finished: this guest's wait starts counting."""
        self.state.turn_requested = True

    @workflow.update
    async def advance(self, action: VisitAction) -> StepResult:
        """Sent by the officer on duty: call the guest (the wait is over), start serving, or finish."""
        if workflow.patched(REGISTRATION_FIRST):
            await workflow.wait_condition(lambda: self.state.moves > 0)
        async with self.core.lock:
            if self.state.step not in NEXT:
                raise ApplicationError(f"Kunjungan {self.visit.queue_number} sudah selesai.", non_retryable=True)
            if moved_on := self._moved_on(action):  # a second click that waited for the first one's move
                raise ApplicationError(moved_on, non_retryable=True)
            step = NEXT[self.state.step]
            done = step == V.DONE
            counter = action.counter.strip() if step == V.CALLED else ""
            await self.core.move(
                step,
                ACTIONS[step],
                action.actor,
                counter or self.visit.queue_number,
                assignee=None if done else Role.OFFICER,
                status=CaseStatus.COMPLETED if done else CaseStatus.OPEN,
                clock=ClockMove.STOP if step == V.CALLED else None,
            )
            return self.core.result()

    @advance.validator
    def _validate(self, action: VisitAction) -> None:
        if self.state.step not in NEXT:
            raise ValueError(f"Kunjungan {self.visit.queue_number} sudah selesai.")
        if moved_on := self._moved_on(action):
            raise ValueError(moved_on)
        self.core.expect(VISIT_RULES["advance"], action.actor)

    def _moved_on(self, action: VisitAction) -> str:
        """Why an action sent for another step than the guest's is refused ("" when none was named or it matches).

        Actions sent before ``expected_step`` existed name none: their histories replay unchanged."""
        if not action.expected_step or action.expected_step == self.state.step:
            return ""
        now = STEP_LABELS.get(self.state.step, self.state.step).lower()
        return f"Tamu {self.visit.queue_number} sudah pindah tahap ({now}); muat ulang halaman antrean."

    @workflow.signal
    def calendar_changed(self) -> None:
        """Visits count minutes; the calendar does not move them."""

    @workflow.query
    def status(self) -> StepResult:
        """Read by the API."""
        return self.core.result()
