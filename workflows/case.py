"""The core every case workflow (sale, recommendation, complaint, visit) is written on.

It holds what the four have in common, once: the step/role/office check of validators and its re-check
under the lock, running an activity with the named timeout and retry policy, recording a step or an
event, the SLA clock's hooks and the mails a step owes. One step is one activity (``record_step``): the
audit entry, the read model, the clock's change and the rendered mails are written in one transaction;
the outbox relay of the worker sends the mails, so no step waits on SMTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordActivities
    from contracts.case import (
        CLOSE_RULES,
        REOPEN_DAYS,
        REOPEN_RULE,
        ActionRule,
        Actor,
        CaseClosing,
        CaseReopening,
        ReopenWindow,
        StepEffects,
        StepOutcome,
        StepRecord,
        StepResult,
    )
    from contracts.mail import Notice
    from contracts.sla import ClockChange, ClockReading
    from core import search_attributes as sa
    from core.enums import CLOSED_STEP, STEP_LABELS, ActorKind, CaseStatus, Role
    from core.enums import SlaState as ClockState
    from core.i18n import N_
    from workflows.sla import ClockMove, SlaClock, SlaState

# Timeouts and retry policies, named once.
DB_ACTIVITY_TIMEOUT = timedelta(seconds=30)
RETRY_FOREVER = RetryPolicy(
    initial_interval=timedelta(seconds=1), backoff_coefficient=2.0, maximum_interval=timedelta(minutes=5)
)
# A case a timer closed waits out its reopen window before it ends (before this, it ended at once).
REOPEN_PATCH = "case-reopen-window"

Arg = TypeVar("Arg")
Result = TypeVar("Result")


@dataclass
class CaseState:
    """What every case remembers; each service's state extends it."""

    step: str = ""
    assignee: str | None = None
    moves: int = 0
    moving_to: str = ""  # the step a move is writing now (the read model may already show it)
    done: bool = False
    sla: SlaState = field(default_factory=SlaState)
    owed: list[Notice] = field(default_factory=list)
    # Set when a timer closed the case because the applicant never answered (audit action ``closed_timeout``): the
    # step it waited in (e.g. "payment"), "" otherwise. A supervisor's reopen (issue 14) reads it to return there.
    closed_by_timeout: str = ""
    # Until when a supervisor may reopen the case a timer closed (set while its workflow waits out the window).
    reopen_until: datetime | None = None


async def run_activity(method: Callable[[Any, Arg], Awaitable[Result]], argument: Arg) -> Result:
    """Run an activity method with the database timeout and retries until it succeeds or refuses."""
    return await workflow.execute_activity_method(
        method, argument, start_to_close_timeout=DB_ACTIVITY_TIMEOUT, retry_policy=RETRY_FOREVER
    )


class CaseCore:
    """One case's shared machinery; the service workflow owns it and calls it from its handlers."""

    def __init__(
        self,
        *,
        case_id: str,
        office_code: str,
        service: str,
        state: CaseState,
        waits_on: Callable[[], str | None] | None = None,
    ) -> None:
        self.case_id = case_id
        self.office_code = office_code
        self.service = service
        self.state = state
        self.lock = asyncio.Lock()
        self.clock = SlaClock(
            office_code=office_code, service=service, state=state.sla, waits_on=waits_on or (lambda: state.assignee)
        )
        self._watcher: asyncio.Task[None] | None = None

    @property
    def system(self) -> Actor:
        """The actor of what the case does by itself (its clock, its timers)."""
        return Actor(name="sistem", role=ActorKind.SYSTEM, office_code=self.office_code)

    def actor(self, kind: ActorKind, name: str = "") -> Actor:
        """An actor that is not staff (the applicant, a payment system) of this case's office."""
        return Actor(name=name or kind.value, role=kind, office_code=self.office_code)

    # ------------------------------------------------------------ validators and handlers

    def expect(self, rule: ActionRule, actor: Actor, *, steps: Collection[str] | None = None) -> None:
        """Validator rule: the case is in one of the rule's ``steps`` (or the narrower ones given) and ``actor``'s
        role may act there, in this office. A step being moved to counts: the read model (and so the person's
        page) already shows it, and the handler re-checks under the lock once the move is done."""
        narrower = None if steps is None else frozenset(steps)
        refusal = rule.refusal(self.case_id, self.state.step, actor.role, narrower)
        if refusal and self.state.moving_to:
            refusal = rule.refusal(self.case_id, self.state.moving_to, actor.role, narrower) and refusal
        if refusal:
            raise ValueError(refusal)
        if actor.office_code != self.office_code:
            raise ValueError(f"Permintaan ini milik kantor {self.office_code}, bukan kantor Anda.")

    def still(self, steps: Collection[str]) -> None:
        """Handler rule, checked again under the lock: a double click acts once."""
        if self.state.step not in steps:
            raise ApplicationError(
                f"Permintaan {self.case_id} sudah pindah ke tahap {STEP_LABELS.get(self.state.step, self.state.step)}; "
                "muat ulang halaman.",
                non_retryable=True,
            )

    def result(self, detail: str = "") -> StepResult:
        """What an Update answers: the case, its step now and a detail."""
        return StepResult(case_id=self.case_id, step=self.state.step, detail=detail)

    # ------------------------------------------------------------ steps, events, mails

    def owe(self, notice: str, phase: str, *, to_role: str | None = None, to_staff: str = "", **context: str) -> None:
        """Owe a mail (to the applicant, or to ``to_role``); it is written with the next recorded step."""
        self.state.owed.append(Notice(notice=notice, phase=phase, to_role=to_role, context=context, to_staff=to_staff))

    async def move(
        self,
        step: str,
        action: str,
        actor: Actor,
        note: str = "",
        *,
        assignee: str | None = None,
        status: CaseStatus = CaseStatus.OPEN,
        clock: ClockMove | None = None,
        clock_note: str = "",
        effects: StepEffects | None = None,
    ) -> StepOutcome:
        """Move the case to ``step``: its effects, audit entry, read model, visibility, the clock's change and
        the owed mails, in one activity."""
        record = self._record(f"{action}:{self.state.moves}", action, actor, note, effects)
        record.step, record.status, record.assignee_role, record.changes_step = step, status, assignee, True
        change = self.clock.plan(clock, clock_note) if clock else None
        self.state.moving_to = step
        try:
            outcome = await self._commit(record, change, list(self.state.owed))
        finally:
            self.state.moving_to = ""
        self.state.moves += 1
        self.state.step, self.state.assignee = step, assignee
        workflow.upsert_search_attributes([sa.STEP.value_set(step)])
        return outcome

    async def event(self, key: str, actor: Actor, note: str = "", *, effects: StepEffects | None = None) -> StepOutcome:
        """An audit entry within the step, with its effects and the mails owed so far, in one activity."""
        record = self._record(key, key.rstrip("_0123456789") or key, actor, note, effects)
        return await self._commit(record, None, list(self.state.owed))

    async def clock_only(self, move: ClockMove, actor: Actor | None = None, *, note: str = "") -> None:
        """Change the clock alone (e.g. start a guest's wait, or stop the clock when the case ends by itself)."""
        change = self.clock.plan(move, note)
        if change is not None:
            await self._commit(self._record("", "", actor or self.system, ""), change, [])

    # ------------------------------------------------------------ closing and reopening (issue 14)
    # A timer that closes a case for want of the applicant's answer (h8's waits) sets ``state.closed_by_timeout`` to the
    # step it waited in and moves to the service's end with the audit action ``closed_timeout``; the service's run then
    # calls ``reopened()``, which keeps the workflow (and so its updates) alive through the reopen window. Closing
    # with ``clock=ClockMove.PAUSE`` keeps the read model's clock "paused"; a STOP is undone here on a reopen.

    async def close(self, actor: Actor, reason: str, *, step: str, action: str = "case_closed") -> StepOutcome:
        """Close the case where it stands: the audit entry with the reason, the read model (cancelled, no assignee:
        out of every inbox), the clock stopped and the applicant's mail in their language, in one activity."""
        self.owe("case_closed", f"closed-{self.state.moves + 1}", reason=reason)
        return await self.move(
            step, action, actor, reason, assignee=None, status=CaseStatus.CANCELLED, clock=ClockMove.STOP
        )

    async def reopened(self, *, days: int = REOPEN_DAYS) -> bool:
        """Called by the service's run once the case is over: if a timer closed it, wait up to ``days`` for a
        supervisor's reopen (the read model learns until when); True when it was reopened (the run goes on from the
        step it went back to), False when the case is over. A case closed otherwise ends at once."""
        state = self.state
        if not state.closed_by_timeout or not workflow.patched(REOPEN_PATCH):
            return False
        until = workflow.now() + timedelta(days=days)
        async with self.lock:
            window = ReopenWindow(self.case_id, state.closed_by_timeout, until)
            await self.event(f"reopen_window_{state.moves}", self.system, effects=StepEffects(reopen=window))
            state.reopen_until = until
        try:
            await workflow.wait_condition(lambda: not state.closed_by_timeout, timeout=until - workflow.now())
        except TimeoutError:
            pass
        async with self.lock:  # a reopen that got the lock first wins; after this, none is taken
            state.reopen_until = None
            return not state.closed_by_timeout

    def check_reopen(self, reopening: CaseReopening) -> None:
        """Validator rule of a reopen: a case a timer closed, within its window; a supervisor of the office; a
        reason."""
        until = self.state.reopen_until
        if not self.state.closed_by_timeout or until is None:
            raise ValueError(
                N_("Hanya permintaan yang ditutup karena batas waktu dapat dibuka kembali, selama masa layanannya.")
            )
        if workflow.now() >= until:
            raise ValueError(N_("Masa untuk membuka kembali permintaan ini sudah berakhir."))
        self.expect(REOPEN_RULE, reopening.actor)
        if not reopening.reason.strip():
            raise ValueError(N_("Tuliskan alasan membuka kembali permintaan ini."))

    async def reopen(self, reopening: CaseReopening, *, assignee: str | None, clock: ClockMove | None) -> StepOutcome:
        """Take the case back to the step it was closed in, with its assignee and clock, and tell the applicant."""
        state, until = self.state, self.state.reopen_until
        if not state.closed_by_timeout or until is None or workflow.now() >= until:
            raise ApplicationError(N_("Masa untuk membuka kembali permintaan ini sudah berakhir."), non_retryable=True)
        sla = self.clock.state
        if sla.state == ClockState.STOPPED:  # the closure stopped a paused clock (it keeps what was left of its time)
            sla.state = ClockState.PAUSED if sla.anchor is not None else ClockState.NOT_STARTED  # or one never started
            sla.version += 1
        if self._watcher is None or self._watcher.done():
            self.start_clock_watch()
        self.owe("case_reopened", f"reopened-{state.moves + 1}", reason=reopening.reason.strip())
        outcome = await self.move(
            state.closed_by_timeout,
            "case_reopened",
            reopening.actor,
            reopening.reason.strip(),
            assignee=assignee,
            clock=clock,
            effects=StepEffects(reopen=ReopenWindow(self.case_id)),
        )
        state.closed_by_timeout, state.reopen_until = "", None
        return outcome

    # ------------------------------------------------------------ the clock

    def start_clock_watch(self) -> None:
        """Run the clock's watcher beside the workflow (escalation notices, calendar changes)."""
        self._watcher = asyncio.create_task(self.clock.watch(self.lock, self._clock_commit))

    async def finish(self) -> None:
        """End of the case: stop the clock if it still runs and let the watcher and the handlers finish."""
        async with self.lock:
            await self.clock_only(ClockMove.STOP)
        self.state.done = True
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._watcher is not None:
            await self._watcher

    async def _clock_commit(self, change: ClockChange, mails: list[Notice]) -> ClockReading | None:
        """How the watcher writes a notice or a recompute: one step transaction with its mails."""
        return (await self._commit(self._record("", "", self.system, ""), change, mails)).clock

    # ------------------------------------------------------------ helpers

    def _record(self, key: str, action: str, actor: Actor, note: str, effects: StepEffects | None = None) -> StepRecord:
        """A record of ``action`` within the current step (a move sets the step it goes to)."""
        return StepRecord(
            case_id=self.case_id,
            event_key=key,
            action=action,
            step=self.state.step,
            status=CaseStatus.OPEN,
            assignee_role=self.state.assignee,
            actor=actor,
            at=workflow.now(),
            note=note,
            changes_step=False,
            effects=effects,
        )

    async def _commit(self, record: StepRecord, change: ClockChange | None, mails: list[Notice]) -> StepOutcome:
        """Write ``record`` with ``mails`` and the clock's ``change`` in one activity, then take the answer."""
        record.clock, record.mails = change, mails
        try:
            outcome: StepOutcome = await run_activity(RecordActivities.record_step, record)
        finally:  # written with the step, or refused with it; mails owed meanwhile go with the next step
            owed = self.state.owed
            if owed[: len(mails)] == mails:
                del owed[: len(mails)]
        if change is not None:
            self.clock.apply(change, outcome.clock)
        return outcome


class ClosableCase:
    """The staff's close and the supervisor's reopen, once for every service: a service workflow inherits it, owns
    ``core`` and names the step a closed case goes to (``closed_step``); ``reopen_plan`` says who holds a reopened
    step and what its clock does."""

    core: CaseCore
    closed_step: str = CLOSED_STEP

    @workflow.update
    async def close_case(self, closing: CaseClosing) -> StepResult:
        """Sent by the officer or supervisor: close (cancel) the case with a reason, mailed to the applicant; the
        case leaves the inbox and counts as cancelled."""
        async with self.core.lock:
            self.core.still(CLOSE_RULES[self.core.service].steps)
            await self.core.close(closing.actor, closing.reason.strip(), step=self.closed_step)
            return self.core.result()

    @close_case.validator
    def _validate_close_case(self, closing: CaseClosing) -> None:
        self.core.expect(CLOSE_RULES[self.core.service], closing.actor)
        if not closing.reason.strip():
            raise ValueError(N_("Tuliskan alasan penutupan; alasan ini dikirim ke pemohon."))

    @workflow.update
    async def reopen_case(self, reopening: CaseReopening) -> StepResult:
        """Sent by a supervisor: reopen a case a timer closed, within its window; it goes back to its step."""
        async with self.core.lock:
            assignee, clock = self.reopen_plan(self.core.state.closed_by_timeout)
            await self.core.reopen(reopening, assignee=assignee, clock=clock)
            return self.core.result()

    @reopen_case.validator
    def _validate_reopen_case(self, reopening: CaseReopening) -> None:
        self.core.check_reopen(reopening)

    def reopen_plan(self, step: str) -> tuple[str | None, ClockMove | None]:
        """Who holds ``step`` again after a reopen and what the clock does there (default: the officer, running)."""
        return Role.OFFICER, ClockMove.RESUME
