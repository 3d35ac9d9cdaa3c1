"""A complaint (seeds' complaint channels, LAPOR! practice): acknowledged, answered within the office's limit
(5 working days by default), escalated like every case when late; the resolution is sent and kept."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.case import StepResult
    from contracts.complaint import COMPLAINT_RULES, ComplaintInput, ComplaintResolution
    from core.enums import CLOSED_STEP, CaseStatus, ComplaintStep, Role, Service
    from core.i18n import N_
    from workflows.case import CaseCore, CaseState, ClosableCase
    from workflows.sla import ClockMove

C = ComplaintStep


@dataclass
class ComplaintState(CaseState):
    """Everything the complaint remembers."""

    step: str = C.SUBMITTED
    assignee: str | None = Role.OFFICER


@workflow.defn
class ComplaintWorkflow(ClosableCase):
    """Receives a complaint, waits for its response, tells the complainant."""

    @workflow.init
    def __init__(self, complaint: ComplaintInput) -> None:
        self.complaint = complaint
        self.state = ComplaintState()
        self.core = CaseCore(
            case_id=complaint.case_id, office_code=complaint.office_code, service=Service.COMPLAINT, state=self.state
        )

    @workflow.run
    async def run(self, complaint: ComplaintInput) -> StepResult:
        """Acknowledge, start the response clock, wait for the resolution."""
        self.core.start_clock_watch()
        async with self.core.lock:
            if complaint.has_email:
                self.core.owe("complaint_received", "received")
            self.core.owe("staff_task", "received", to_role=Role.OFFICER, step=C.RESPONSE)
            await self.core.move(
                C.RESPONSE,
                "complaint_received",
                self.core.system,
                complaint.channel,
                assignee=Role.OFFICER,
                clock=ClockMove.START,
            )
        await workflow.wait_condition(lambda: self.state.step in (C.RESOLVED, CLOSED_STEP))
        await self.core.finish()
        return self.core.result()

    @workflow.update
    async def resolve(self, resolution: ComplaintResolution) -> StepResult:
        """Sent by the officer or supervisor: the response; it is mailed to the complainant and kept."""
        async with self.core.lock:
            self.core.still(COMPLAINT_RULES["resolve"].steps)
            if self.complaint.has_email:
                self.core.owe("complaint_resolved", "resolved", response=resolution.response)
            await self.core.move(
                C.RESOLVED,
                "complaint_resolved",
                resolution.actor,
                resolution.response,
                status=CaseStatus.COMPLETED,
                clock=ClockMove.STOP,
            )
            return self.core.result()

    @resolve.validator
    def _validate_resolution(self, resolution: ComplaintResolution) -> None:
        self.core.expect(COMPLAINT_RULES["resolve"], resolution.actor)
        if len(resolution.response.strip()) < 10:
            raise ValueError(
                N_("Tuliskan tanggapan yang jelas (paling sedikit 10 karakter); tanggapan dikirim ke pelapor.")
            )

    @workflow.signal
    def calendar_changed(self) -> None:
        """Sent by the API when an administrator edits the office's calendar."""
        self.core.clock.calendar_changed()

    @workflow.query
    def status(self) -> StepResult:
        """Read by the API and developers."""
        return self.core.result()
