"""A complaint (seeds' complaint channels, LAPOR! practice): acknowledged, answered within the office's limit
(5 working days by default), escalated like every case when late; the resolution is sent and kept."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordActivities
    from core import search_attributes as sa
    from core.enums import ComplaintStep, Role, Service
    from workflows.notices import send_notice
    from workflows.shared import (
        DB_ACTIVITY_TIMEOUT,
        RETRY_FOREVER,
        Actor,
        ComplaintInput,
        ComplaintResolution,
        Notice,
        StepRecord,
        StepResult,
    )
    from workflows.sla import SlaClock, SlaState

Arg = TypeVar("Arg")
Result = TypeVar("Result")
C = ComplaintStep


@dataclass
class ComplaintState:
    """Everything the complaint remembers."""

    step: str = C.SUBMITTED
    moves: int = 0
    sla: SlaState = field(default_factory=SlaState)
    outbox: list[Notice] = field(default_factory=list)


@workflow.defn
class ComplaintWorkflow:
    """Receives a complaint, waits for its response, tells the complainant."""

    @workflow.init
    def __init__(self, complaint: ComplaintInput) -> None:
        self.complaint = complaint
        self.state = ComplaintState()
        self.lock = asyncio.Lock()
        self.clock = SlaClock(
            case_id=complaint.case_id,
            office_code=complaint.office_code,
            service=Service.COMPLAINT,
            state=self.state.sla,
            waits_on=lambda: Role.OFFICER,
        )

    @workflow.run
    async def run(self, complaint: ComplaintInput) -> StepResult:
        """Acknowledge, start the response clock, wait for the resolution."""
        watcher = asyncio.create_task(self.clock.watch())
        mailer = asyncio.create_task(self._mailer())
        system = self.clock.system
        async with self.lock:
            await self._move(C.RESPONSE, "complaint_received", system, complaint.channel)
            if complaint.has_email:
                self.state.outbox.append(Notice("complaint_received", "received", None, {}))
            self.state.outbox.append(Notice("staff_task", "received", Role.OFFICER, {"step": C.RESPONSE}))
            await self.clock.start(system)
        await workflow.wait_condition(lambda: self.state.step == C.RESOLVED)
        await workflow.wait_condition(lambda: not self.state.outbox and workflow.all_handlers_finished())
        await watcher
        mailer.cancel()
        return StepResult(case_id=complaint.case_id, step=self.state.step)

    @workflow.update
    async def resolve(self, resolution: ComplaintResolution) -> StepResult:
        """Sent by the officer or supervisor: the response; it is mailed to the complainant and kept."""
        async with self.lock:
            if self.state.step != C.RESPONSE:
                raise ApplicationError(f"Pengaduan {self.complaint.case_id} sudah ditanggapi.", non_retryable=True)
            if self.complaint.has_email:
                self.state.outbox.append(
                    Notice("complaint_resolved", "resolved", None, {"response": resolution.response})
                )
            await self._move(C.RESOLVED, "complaint_resolved", resolution.actor, resolution.response)
            await self.clock.stop(resolution.actor)
            return StepResult(case_id=self.complaint.case_id, step=self.state.step)

    @resolve.validator
    def _validate_resolution(self, resolution: ComplaintResolution) -> None:
        if self.state.step != C.RESPONSE:
            raise ValueError(f"Pengaduan {self.complaint.case_id} tidak sedang menunggu tanggapan.")
        if resolution.actor.role not in (Role.OFFICER, Role.SUPERVISOR):
            raise ValueError("Tanggapan pengaduan diberikan oleh petugas PST atau supervisor.")
        if resolution.actor.office_code != self.complaint.office_code:
            raise ValueError(f"Pengaduan ini milik kantor {self.complaint.office_code}, bukan kantor Anda.")
        if len(resolution.response.strip()) < 10:
            raise ValueError(
                "Tuliskan tanggapan yang jelas (paling sedikit 10 karakter); tanggapan dikirim ke pelapor."
            )

    @workflow.signal
    def calendar_changed(self) -> None:
        """Sent by the API when an administrator edits the office's calendar."""
        self.clock.calendar_changed()

    @workflow.query
    def status(self) -> StepResult:
        """Read by the API and developers."""
        return StepResult(case_id=self.complaint.case_id, step=self.state.step)

    async def _activity(self, method: Callable[[Any, Arg], Awaitable[Result]], argument: Arg) -> Result:
        return await workflow.execute_activity_method(
            method, argument, start_to_close_timeout=DB_ACTIVITY_TIMEOUT, retry_policy=RETRY_FOREVER
        )

    async def _move(self, step: str, action: str, actor: Actor, note: str) -> None:
        await self._activity(
            RecordActivities.record_step,
            StepRecord(
                case_id=self.complaint.case_id,
                event_key=f"{action}:{self.state.moves}",
                action=action,
                step=step,
                status="completed" if step == C.RESOLVED else "open",
                assignee_role=None if step == C.RESOLVED else Role.OFFICER,
                actor=actor,
                at=workflow.now(),
                note=note,
            ),
        )
        self.state.moves += 1
        self.state.step = step
        workflow.upsert_search_attributes([sa.STEP.value_set(step)])

    async def _mailer(self) -> None:
        """Send the owed mails in order (a complaint without an email address gets none)."""
        while True:
            await workflow.wait_condition(lambda: bool(self.state.outbox))
            await send_notice(self.complaint.case_id, self.state.outbox[0])
            self.state.outbox.pop(0)
