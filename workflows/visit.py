"""A walk-in guest (seeds 001, 002, 004): guest book → queue number → called → served → done.

The wait counts from the previous guest's finish (or from registration when the desk is free); past the
office's standard (5 or 10 minutes) the officer on duty is warned and the supervisor told, once per visit (never
the province: the queue's clock counts minutes). At the office's close of business a guest still waiting or called
is closed as not served and leaves the queue; a guest being served is not cut off, and a service nobody marked
finished ends with the day. Every action names the step the officer's page showed, so a repeated click is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from contracts.case import StepResult
    from contracts.visit import VISIT_RULES, VisitAction, VisitInput
    from core.enums import CLOSED_STEP, CaseStatus, Role, Service, VisitStep
    from core.i18n import N_
    from workflows.case import CaseCore, CaseState, ClosableCase
    from workflows.sla import ClockMove

V = VisitStep
NEXT: dict[str, str] = {V.WAITING: V.CALLED, V.CALLED: V.SERVING, V.SERVING: V.DONE}
ACTIONS: dict[str, str] = {V.CALLED: "guest_called", V.SERVING: "service_started", V.DONE: "service_finished"}
# A click that reaches a new visit before its registration is recorded waits for it (before, the registration
# written after the call put the guest back to waiting).
REGISTRATION_FIRST = "visit-registration-first"
# At the office's close of business a guest still waiting or called (not being served) is closed as not served and
# leaves the queue (before, yesterday's unserved guests stayed in it).
CLOSE_OF_BUSINESS = "visit-close-of-business"
UNSERVED = (V.WAITING, V.CALLED)
# A guest still being served at the end of the office's day (the officer never pressed "Selesai") is finished by the
# system, so the visit ends (before, it waited on the officer forever).
SERVING_ENDS = "visit-serving-ends-with-the-day"
# An action that names no step (a client older than ``expected_step``) may only call a waiting guest: repeated, it
# finds the guest called and is refused (before, a second "Panggil" started serving the guest).
STEP_NAMED = "visit-step-named"
# Why a click meant for another step is refused, by the step the guest is in now.
MOVED_ON: dict[str, str] = {
    V.WAITING: N_("Tamu ini belum dipanggil; muat ulang halaman."),
    V.CALLED: N_("Tamu ini sudah dipanggil; muat ulang halaman."),
    V.SERVING: N_("Tamu ini sedang dilayani; muat ulang halaman."),
    V.DONE: N_("Layanan tamu ini sudah selesai; muat ulang halaman."),
    V.NOT_SERVED: N_("Tamu ini tidak dilayani karena layanan kantor sudah tutup; muat ulang halaman."),
}
OVER = N_("Kunjungan ini sudah berakhir; muat ulang halaman.")


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
        day_end: asyncio.Task[None] | None = None
        if visit.closes_at is not None and workflow.patched(CLOSE_OF_BUSINESS):
            day_end = asyncio.create_task(self._close_unserved_at(visit.closes_at))
        await workflow.wait_condition(lambda: self.state.turn_requested or self.state.step != V.WAITING)
        async with self.core.lock:
            if self.state.step == V.WAITING and not self.state.turn_started:
                self.state.turn_started = True
                await self.core.clock_only(ClockMove.START)
        await workflow.wait_condition(lambda: self.state.step in (V.DONE, V.NOT_SERVED, CLOSED_STEP))
        if day_end is not None:
            await day_end
        await self.core.finish()
        return self.core.result()

    async def _close_unserved_at(self, closes_at: datetime) -> None:
        """The office's close of business: a guest still waiting or called is closed as not served (the clock
        stops, the visit leaves the queue and the lobby); a guest being served is not cut off, but a service the
        officer never marked finished is finished by the system at the end of the day (no visit waits forever)."""
        if not await self._until(lambda: self.state.step not in UNSERVED, closes_at):
            async with self.core.lock:
                if self.state.step in UNSERVED:
                    await self.core.move(
                        V.NOT_SERVED,
                        "not_served",
                        self.core.system,
                        self.visit.queue_number,
                        assignee=None,
                        status=CaseStatus.CANCELLED,
                        clock=ClockMove.STOP,
                    )
            return
        day_ends_at = self.visit.day_ends_at
        if self.state.step != V.SERVING or day_ends_at is None or not workflow.patched(SERVING_ENDS):
            return
        if not await self._until(lambda: self.state.step != V.SERVING, day_ends_at):
            async with self.core.lock:
                if self.state.step == V.SERVING:
                    await self.core.move(
                        V.DONE,
                        "service_finished_at_day_end",
                        self.core.system,
                        self.visit.queue_number,
                        assignee=None,
                        status=CaseStatus.COMPLETED,
                    )

    @staticmethod
    async def _until(condition: Callable[[], bool], moment: datetime) -> bool:
        """Wait for ``condition`` until ``moment``; False when the moment came first."""
        left = moment - workflow.now()
        if left > timedelta(0):
            try:
                await workflow.wait_condition(condition, timeout=left)
                return True
            except TimeoutError:
                pass
        return condition()

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
                raise ApplicationError(MOVED_ON.get(self.state.step, OVER), non_retryable=True)
            # a second click that waited for the first one's move; a click naming no step only calls (patched: the
            # histories of actions sent before expected_step replay unchanged)
            expected = action.expected_step or (V.WAITING if workflow.patched(STEP_NAMED) else self.state.step)
            if expected != self.state.step:
                raise ApplicationError(MOVED_ON.get(self.state.step, OVER), non_retryable=True)
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
        """The guest is still in the step the officer's page showed (the step a move is writing counts: the page
        may already show it); an action naming no step may only call a waiting guest."""
        if self.state.step not in NEXT:
            raise ValueError(MOVED_ON.get(self.state.step, OVER))
        if (action.expected_step or V.WAITING) not in (self.state.step, self.state.moving_to):
            raise ValueError(MOVED_ON.get(self.state.step, OVER))
        self.core.expect(VISIT_RULES["advance"], action.actor)

    @workflow.signal
    def calendar_changed(self) -> None:
        """Visits count minutes; the calendar does not move them."""

    @workflow.query
    def status(self) -> StepResult:
        """Read by the API."""
        return self.core.result()
