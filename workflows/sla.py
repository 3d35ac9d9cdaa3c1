"""The SLA clock every service workflow uses: start, pause, resume, stop, and escalation by email.

The clock lives inside a workflow: its state is part of the workflow's state. It plans each change (a
``ClockChange``) that the case core sends with the step that causes it, so the calendar look-up, the
audit entry, the read model and the escalation mail are written in the step's one transaction; then it
applies the answer. Its notices are keyed by (case, notice, clock phase): each is sent once per phase.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.mail import Notice
    from contracts.sla import CLOCK_NOTICES, ClockChange, ClockReading
    from core import search_attributes as sa
    from core.enums import COUNTING_CLOCK_ACTIONS, COUNTING_SLA_STATES, ClockAction, Role, TimeUnit
    from core.enums import SlaState as ClockState


class ClockMove(StrEnum):
    """What a step does to the clock."""

    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


WARNING, BREACHED, ESCALATED = CLOCK_NOTICES
# notice → (read-model state after it, who is told; None: the role the case waits on)
NOTICES: dict[str, tuple[ClockState, str | None]] = {
    WARNING: (ClockState.WARNING, None),
    BREACHED: (ClockState.BREACHED, Role.SUPERVISOR),
    ESCALATED: (ClockState.BREACHED, Role.PROVINCIAL_SUPERVISOR),
}
RECOMPUTED_NOTE = "Kalender kantor berubah; tenggat dihitung ulang."
# A clock counted in minutes (the walk-in queue) is told to the officer on duty and the supervisor only: it is never
# escalated to the province after working days (before this patch its escalation moment was still awaited).
MINUTES_STAY_LOCAL = "sla-minutes-stay-local"

# Sends a clock change (and the mails it owes) in one step transaction; answers the clock after it.
Commit = Callable[[ClockChange, list[Notice]], Awaitable[ClockReading | None]]


@dataclass
class SlaState:
    """The clock's memory, kept inside the workflow's state."""

    state: str = ClockState.NOT_STARTED
    phase: int = 0
    unit: str = ""
    total: float = 0.0
    anchor: datetime | None = None
    anchor_budget: float = 0.0
    remaining: float = 0.0
    deadline: datetime | None = None
    warning_at: datetime | None = None
    escalation_at: datetime | None = None
    sent: list[str] = field(default_factory=list)
    version: int = 0
    calendar_changes: int = 0
    recomputes: int = 0


class SlaClock:
    """Counts one case's service-standard limit and escalates when it is near or missed."""

    def __init__(self, *, office_code: str, service: str, state: SlaState, waits_on: Callable[[], str | None]) -> None:
        self.office_code = office_code
        self.service = service
        self.state = state
        self.waits_on = waits_on

    # ------------------------------------------------------------ planning a change with a step

    def plan(self, move: ClockMove, note: str = "") -> ClockChange | None:
        """The change ``move`` makes now, or None when it changes nothing (e.g. a pause of a paused clock)."""
        state = self.state
        if move in (ClockMove.START, ClockMove.RESUME):
            if move == ClockMove.RESUME and state.state != ClockState.PAUSED:
                return None
            action = ClockAction.STARTED if move == ClockMove.START else ClockAction.RESUMED
            return self._change(
                action,
                ClockState.RUNNING,
                phase=state.phase + 1,
                anchor=workflow.now(),
                anchor_budget=0.0 if move == ClockMove.START else state.remaining,
                unit="" if move == ClockMove.START else state.unit,
            )
        if move == ClockMove.PAUSE:
            if state.state not in COUNTING_SLA_STATES or state.anchor is None:
                return None
            return self._change(ClockAction.PAUSED, ClockState.PAUSED, note=note)
        if state.state == ClockState.STOPPED:
            return None
        if state.state == ClockState.NOT_STARTED:  # never counted: nothing to record
            state.state = ClockState.STOPPED
            state.version += 1
            return None
        return self._change(ClockAction.STOPPED, ClockState.STOPPED)

    def apply(self, change: ClockChange, reading: ClockReading | None) -> None:
        """Take the answer of the step that carried ``change``."""
        state = self.state
        state.state = change.sla_state
        state.version += 1
        if change.action in COUNTING_CLOCK_ACTIONS:
            assert reading is not None
            if change.action != ClockAction.RECOMPUTED:
                state.phase += 1
                state.anchor = change.anchor
            state.unit, state.total, state.anchor_budget = reading.unit, reading.total, reading.anchor_budget
            state.deadline, state.warning_at, state.escalation_at = (
                reading.deadline,
                reading.warning_at,
                reading.escalation_at,
            )
            if reading.deadline is not None:
                workflow.upsert_search_attributes([sa.SLA_DEADLINE.value_set(reading.deadline)])
        elif change.action in (ClockAction.PAUSED, ClockAction.STOPPED):
            if change.action == ClockAction.PAUSED:
                assert reading is not None
                state.remaining = reading.remaining
            state.deadline = state.warning_at = state.escalation_at = None
            workflow.upsert_search_attributes([sa.SLA_DEADLINE.value_unset()])

    def calendar_changed(self) -> None:
        """The office's calendar changed: the running deadline is computed again."""
        self.state.calendar_changes += 1

    # ------------------------------------------------------------ the watcher

    async def watch(self, lock: asyncio.Lock, commit: Commit) -> None:
        """Run beside the workflow until the clock stops: recompute on calendar changes, send due notices.

        Each change is made under the workflow's lock, after checking it is still due, so a step that
        pauses or stops the clock at the same moment wins and the read model never shows a stale state.
        """
        while self.state.state != ClockState.STOPPED:
            seen = (self.state.version, self.state.calendar_changes)

            def changed(seen: tuple[int, int] = seen) -> bool:
                return (self.state.version, self.state.calendar_changes) != seen

            if self.state.recomputes == self.state.calendar_changes:
                due = self._next_notice()
                if due is None:
                    await workflow.wait_condition(changed)
                    continue
                delay = due[1] - workflow.now()
                if delay > timedelta(0):
                    try:
                        await workflow.wait_condition(changed, timeout=delay)
                        continue
                    except TimeoutError:
                        pass
            async with lock:
                if self.state.recomputes != self.state.calendar_changes:
                    self.state.recomputes = self.state.calendar_changes
                    await self._recompute(commit)
                elif not changed() and (due := self._next_notice()) is not None:
                    await self._notify(due[0], commit)

    def _next_notice(self) -> tuple[str, datetime] | None:
        state = self.state
        if state.state not in COUNTING_SLA_STATES:
            return None
        moments = {WARNING: state.warning_at, BREACHED: state.deadline, ESCALATED: state.escalation_at}
        pending = [
            (at, notice)
            for notice, at in moments.items()
            if at is not None and f"{state.phase}:{notice}" not in state.sent
        ]
        if not pending:
            return None
        at, notice = min(pending)
        if notice == ESCALATED and state.unit == TimeUnit.MINUTES and workflow.patched(MINUTES_STAY_LOCAL):
            return None
        return notice, at

    async def _notify(self, notice: str, commit: Commit) -> None:
        """Send ``notice``; called under the workflow's lock only, so a step that paused or stopped the clock first
        wins (checked again here: a paused case never reads "warning")."""
        if self.state.state not in COUNTING_SLA_STATES:
            return
        read_state, role = NOTICES[notice]
        self.state.sent.append(f"{self.state.phase}:{notice}")
        recipient = role or self.waits_on() or Role.OFFICER
        change = self._change(notice, read_state)
        mail = Notice(notice=notice, phase=f"clock{self.state.phase}", to_role=recipient)
        self.apply(change, await commit(change, [mail]))

    async def _recompute(self, commit: Commit) -> None:
        if self.state.state not in COUNTING_SLA_STATES or self.state.anchor is None:
            return
        change = self._change(
            ClockAction.RECOMPUTED,
            ClockState(self.state.state),
            key=f"sla:{self.state.phase}:recomputed:{self.state.recomputes}",
            note=RECOMPUTED_NOTE,
        )
        self.apply(change, await commit(change, []))

    def _change(
        self,
        action: str,
        sla_state: ClockState,
        *,
        phase: int | None = None,
        anchor: datetime | None = None,
        anchor_budget: float | None = None,
        unit: str | None = None,
        key: str = "",
        note: str = "",
    ) -> ClockChange:
        state = self.state
        phase = state.phase if phase is None else phase
        return ClockChange(
            action=action,
            event_key=key or f"sla:{phase}:{action}",
            sla_state=sla_state,
            office_code=self.office_code,
            service=self.service,
            unit=state.unit if unit is None else unit,
            total=state.total,
            anchor=anchor or state.anchor,
            anchor_budget=state.anchor_budget if anchor_budget is None else anchor_budget,
            deadline=state.deadline,
            note=note,
        )
