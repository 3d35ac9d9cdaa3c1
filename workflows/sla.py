"""The SLA clock every service workflow uses: start, pause, resume, stop, and escalation by email.

The clock lives inside a workflow: its state is part of the workflow's state, its calendar look-ups are
activities (replay reads no database or wall clock) and its notices go through the outbox, keyed by
(case, notice, phase), so each is sent once per clock phase, also across worker restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from activities.calendar import CalendarActivities
    from activities.notify import NotifyActivities
    from activities.records import RecordActivities
    from core import search_attributes as sa
    from core.enums import Role
    from workflows.shared import (
        DB_ACTIVITY_TIMEOUT,
        MAIL_SEND_TIMEOUT,
        RETRY_FOREVER,
        Actor,
        BudgetRequest,
        ClockRequest,
        MailRequest,
        SlaRecord,
        UsedRequest,
    )

NOT_STARTED, RUNNING, PAUSED, STOPPED = "not_started", "running", "paused", "stopped"
WARNING, BREACHED = "warning", "breached"

# notice → (read-model state after it, who is told)
NOTICES: dict[str, tuple[str, str | None]] = {
    "sla_warning": (WARNING, None),  # None: the role the case waits on
    "sla_breached": (BREACHED, Role.SUPERVISOR),
    "sla_escalated": (BREACHED, Role.PROVINCIAL_SUPERVISOR),
}


@dataclass
class SlaState:
    """The clock's memory, kept inside the workflow's state."""

    state: str = NOT_STARTED
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

    def __init__(
        self, *, case_id: str, office_code: str, service: str, state: SlaState, waits_on: Callable[[], str | None]
    ) -> None:
        self.case_id = case_id
        self.office_code = office_code
        self.service = service
        self.state = state
        self.waits_on = waits_on

    @property
    def system(self) -> Actor:
        """The actor of what the clock does by itself."""
        return Actor(name="sistem", role="system", office_code=self.office_code)

    # ------------------------------------------------------------ changes made by the workflow

    async def start(self, actor: Actor) -> None:
        """Start the office's limit for the service now (a new phase)."""
        budget = await workflow.execute_activity_method(
            CalendarActivities.service_budget,
            BudgetRequest(office_code=self.office_code, service=self.service),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        self.state.unit, self.state.total = budget.unit, budget.amount
        await self._run_from_now(actor, "sla_started", budget.amount)

    async def pause(self, actor: Actor, note: str = "") -> None:
        """Stop counting while BPS waits on the applicant; what is left is carried over to the resume."""
        if self.state.state not in (RUNNING, WARNING, BREACHED) or self.state.anchor is None:
            return
        used = await workflow.execute_activity_method(
            CalendarActivities.budget_used,
            UsedRequest(
                office_code=self.office_code, unit=self.state.unit, anchor=self.state.anchor, at=workflow.now()
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        self.state.remaining = max(0.0, self.state.anchor_budget - used)
        self.state.state = PAUSED
        self.state.deadline = self.state.warning_at = self.state.escalation_at = None
        self.state.version += 1
        await self._record("sla_paused", actor, PAUSED, note=note)
        workflow.upsert_search_attributes([sa.SLA_DEADLINE.value_unset()])

    async def resume(self, actor: Actor) -> None:
        """Count again from now with the budget that was left (a new phase)."""
        if self.state.state != PAUSED:
            return
        await self._run_from_now(actor, "sla_resumed", self.state.remaining)

    async def stop(self, actor: Actor) -> None:
        """The case is finished (or no longer BPS's to do): the clock ends."""
        if self.state.state == STOPPED:
            return
        was_counting = self.state.state != NOT_STARTED
        self.state.state = STOPPED
        self.state.version += 1
        if was_counting:
            await self._record("sla_stopped", actor, STOPPED)
            workflow.upsert_search_attributes([sa.SLA_DEADLINE.value_unset()])

    def calendar_changed(self) -> None:
        """The office's calendar changed: the running deadline is computed again."""
        self.state.calendar_changes += 1

    # ------------------------------------------------------------ the watcher

    async def watch(self) -> None:
        """Run beside the workflow until the clock stops: recompute on calendar changes, send due notices."""
        while self.state.state != STOPPED:
            if self.state.recomputes != self.state.calendar_changes:
                self.state.recomputes = self.state.calendar_changes
                await self._recompute()
                continue
            due = self._next_notice()
            seen = (self.state.version, self.state.calendar_changes)

            def changed(seen: tuple[int, int] = seen) -> bool:
                return (self.state.version, self.state.calendar_changes) != seen

            if due is None:
                await workflow.wait_condition(changed)
                continue
            notice, at = due
            delay = at - workflow.now()
            if delay > timedelta(0):
                try:
                    await workflow.wait_condition(changed, timeout=delay)
                    continue
                except TimeoutError:
                    pass
            await self._notify(notice)

    def _next_notice(self) -> tuple[str, datetime] | None:
        state = self.state
        if state.state not in (RUNNING, WARNING, BREACHED):
            return None
        moments = {
            "sla_warning": state.warning_at,
            "sla_breached": state.deadline,
            "sla_escalated": state.escalation_at,
        }
        pending = [
            (at, notice)
            for notice, at in moments.items()
            if at is not None and f"{state.phase}:{notice}" not in state.sent
        ]
        if not pending:
            return None
        at, notice = min(pending)
        return notice, at

    async def _notify(self, notice: str) -> None:
        read_state, role = NOTICES[notice]
        self.state.sent.append(f"{self.state.phase}:{notice}")
        self.state.state = read_state
        await self._record(notice, self.system, read_state)
        recipient = role or self.waits_on() or Role.OFFICER
        queued = await workflow.execute_activity_method(
            NotifyActivities.queue_mail,
            MailRequest(case_id=self.case_id, notice=notice, phase=f"clock{self.state.phase}", to_role=recipient,
                        to_applicant=False),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )  # fmt: skip
        await workflow.execute_activity_method(
            NotifyActivities.send_mail, queued, start_to_close_timeout=MAIL_SEND_TIMEOUT, retry_policy=RETRY_FOREVER
        )

    # ------------------------------------------------------------ helpers

    async def _run_from_now(self, actor: Actor, action: str, budget: float) -> None:
        self.state.phase += 1
        self.state.anchor = workflow.now()
        self.state.anchor_budget = budget
        self.state.state = RUNNING
        await self._schedule()
        await self._record(action, actor, RUNNING)

    async def _schedule(self) -> None:
        assert self.state.anchor is not None
        times = await workflow.execute_activity_method(
            CalendarActivities.clock_times,
            ClockRequest(
                office_code=self.office_code,
                unit=self.state.unit,
                anchor=self.state.anchor,
                anchor_budget=self.state.anchor_budget,
                total_budget=self.state.total,
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        self.state.deadline, self.state.warning_at = times.deadline, times.warning_at
        self.state.escalation_at = times.escalation_at
        self.state.version += 1
        updates: list[SearchAttributeUpdate[Any]] = [sa.SLA_DEADLINE.value_set(times.deadline)]
        workflow.upsert_search_attributes(updates)

    async def _recompute(self) -> None:
        if self.state.state not in (RUNNING, WARNING, BREACHED):
            return
        before = self.state.deadline
        await self._schedule()
        if self.state.deadline != before:
            await self._record(
                "sla_recomputed",
                self.system,
                self.state.state,
                key=f"sla:{self.state.phase}:recomputed:{self.state.recomputes}",
                note="Kalender kantor berubah; tenggat dihitung ulang.",
            )

    async def _record(self, action: str, actor: Actor, read_state: str, *, key: str = "", note: str = "") -> None:
        counting = read_state not in (PAUSED, STOPPED)
        await workflow.execute_activity_method(
            RecordActivities.record_sla,
            SlaRecord(
                case_id=self.case_id,
                event_key=key or f"sla:{self.state.phase}:{action}",
                action=action,
                actor=actor,
                at=workflow.now(),
                sla_state=read_state,
                unit=self.state.unit,
                deadline=self.state.deadline if counting else None,
                warning_at=self.state.warning_at if counting else None,
                remaining=self.state.remaining if read_state == PAUSED else self.state.anchor_budget,
                note=note,
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
