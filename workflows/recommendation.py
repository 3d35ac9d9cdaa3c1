"""The statistical activity recommendation (seed 003, FS3, Romantik): one workflow per request.

The agency submits its FS3 (online, or recorded by an operator at the desk) → the operator checks it is
complete (the office's limit starts, 15 days in 6202) or returns it → the supervisor assigns an examiner →
the examiner recommends (a numbered letter) or returns the FS3 for revision → the agency revises and
resubmits: a new examination round with a new clock. Every round stays in the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordActivities
    from contracts.case import Actor, CompletenessCheck, DocumentAttached, StepEffects, StepOutcome, StepResult
    from contracts.documents import LetterRequest
    from contracts.recommendation import (
        RECOMMENDATION_RULES,
        Examination,
        ExaminerAssignment,
        RecommendationInput,
        RecommendationResubmit,
    )
    from contracts.sale import ApplicantWaits, WaitsRequest
    from core.enums import CLOSED_STEP, ActorKind, CaseStatus, RecommendationStep, Role, Service
    from core.i18n import N_
    from workflows.case import CaseCore, CaseState, ClosableCase, run_activity
    from workflows.sla import ClockMove
    from workflows.waits import wait_on_applicant

R = RecommendationStep
MANUAL_DOCUMENTS = {"fs3_manual", "request_letter"}
# From this change on, every wait on the agency ends (a reminder, then the FS3 closes): workflows started before it
# keep waiting as they did (README, "Changing a workflow").
WAITS_PATCH = "recommendation-agency-waits"
# The steps in which BPS waits on the agency, and what for, in the words of a closure's timeline note.
AGENCY_STEPS: dict[str, str] = {
    R.RETURNED: "melengkapi FS3",
    R.REVISION: "mengirim FS3 perbaikan",
}


@dataclass
class RecommendationState(CaseState):
    """Everything the recommendation remembers between events (besides what every case remembers)."""

    step: str = R.SUBMITTED
    assignee: str | None = Role.OPERATOR
    examiner: str = ""
    round: int = 0
    documents: list[str] = field(default_factory=list)
    letter_number: str = ""
    # The office's limits on waiting for the agency, read when it is first waited on (the sale's office settings).
    waits: ApplicantWaits | None = None
    reminders: int = 0


def held_as_email(examiner: str) -> bool:
    """A run assigned before workflows carried people as references (2026-11-27) holds its examiner as an email,
    which no examiner's reference can equal: for those the workflow checks the role, and the API checks that the
    person is the one assigned (``api.services.recommendations.ensure_assigned_examiner``)."""
    return "@" in examiner


@workflow.defn
class RecommendationWorkflow(ClosableCase):
    """Carries one FS3 from submission to the recommendation letter, round after round."""

    @workflow.init
    def __init__(self, request: RecommendationInput) -> None:
        self.request = request
        self.state = RecommendationState()
        self.core = CaseCore(
            case_id=request.case_id, office_code=request.office_code, service=Service.RECOMMENDATION, state=self.state
        )

    @workflow.run
    async def run(self, request: RecommendationInput) -> StepResult:
        """Wait for people until the letter is issued."""
        self.core.start_clock_watch()
        async with self.core.lock:
            await self._move(R.COMPLETENESS, "submitted", self.core.actor(ActorKind.APPLICANT, "agency"), Role.OPERATOR)
        if not workflow.patched(WAITS_PATCH):
            await workflow.wait_condition(lambda: self.state.step in (R.RECOMMENDED, CLOSED_STEP))
        else:
            while self.state.step not in (R.RECOMMENDED, CLOSED_STEP) or await self.core.reopened():
                step = self.state.step
                if step in AGENCY_STEPS:
                    await self._wait_on_agency(step)
                else:  # the staff's turn: bounded by the SLA clock's escalation and the staff's close
                    await workflow.wait_condition(lambda step=step: self.state.step != step)  # type: ignore[misc]
        await self.core.finish()
        return self.core.result(self.state.letter_number)

    # ------------------------------------------------------------ waits on the agency (issue 14)

    async def _wait_on_agency(self, step: str) -> None:
        """Wait in ``step`` (returned incomplete, or returned for revision) for the agency, up to the office's limit for
        a returned request (14 days by default): a reminder before the end, then the FS3 closes with a mail."""
        if self.state.waits is None:
            office = WaitsRequest(self.request.office_code)
            self.state.waits = await run_activity(RecordActivities.applicant_waits, office)
        waits = self.state.waits
        days = waits.returned_days
        await wait_on_applicant(
            answered=lambda: self.state.step != step,
            limit=timedelta(days=days),
            reminder=timedelta(days=waits.reminder_days),
            remind=lambda ends_at: self._remind(step, ends_at),
            close=lambda ends_at: self._close_unanswered(step, ends_at, days),
        )

    async def _remind(self, step: str, ends_at: datetime) -> bool:
        """The agency is reminded that the FS3 closes at ``ends_at`` unless it acts (an audit entry and a mail, in one
        step); False if it acted meanwhile."""
        async with self.core.lock:
            if self.state.step != step:
                return False
            self.state.reminders += 1
            phase = f"{step}-{self.state.reminders}"
            self.core.owe("recommendation_reminder", phase, step=step, expires_at=ends_at.isoformat())
            note = f"FS3 ditutup {ends_at:%Y-%m-%d} bila instansi tidak menanggapi ({AGENCY_STEPS[step]})"
            await self.core.event(f"wait_reminder_{self.state.reminders}", self.core.system, note)
            return True

    async def _close_unanswered(self, step: str, ends_at: datetime, days: int) -> bool:
        """The agency never answered in ``step``: the FS3 closes with a mail; ``closed_by_timeout`` keeps the step for
        a supervisor's reopen. False if it answered meanwhile."""
        async with self.core.lock:
            if self.state.step != step:
                return False
            note = f"Ditutup: tidak ada jawaban dari instansi dalam {days} hari ({AGENCY_STEPS[step]})"
            self.state.closed_by_timeout = step
            self.core.owe("recommendation_closed_timeout", f"{step}-{self.state.moves}", step=step, days=str(days))
            await self.core.move(
                self.closed_step,
                "closed_timeout",
                self.core.system,
                note,
                assignee=None,
                status=CaseStatus.CANCELLED,
                clock=ClockMove.STOP,
            )
            return True

    def reopen_plan(self, step: str) -> tuple[str | None, ClockMove | None]:
        """A reopened FS3 waits on the agency again, its clock paused (or not started) as before the closure."""
        return None, ClockMove.PAUSE

    # ------------------------------------------------------------ the operator and the agency

    @workflow.update
    async def attach_document(self, attached: DocumentAttached) -> StepResult:
        """Sent after an upload of the manual FS3 or the request letter."""
        async with self.core.lock:
            self.core.still(RECOMMENDATION_RULES["attach_document"].steps)
            self.state.documents.append(attached.kind)
            await self.core.event(f"{attached.kind}_{attached.document_id}", attached.actor, attached.kind)
            return self.core.result()

    @attach_document.validator
    def _validate_attach(self, attached: DocumentAttached) -> None:
        self.core.expect(RECOMMENDATION_RULES["attach_document"], attached.actor)
        if attached.kind not in MANUAL_DOCUMENTS:
            raise ValueError(N_("Unggah FS3 manual (fs3_manual) atau surat permohonan (request_letter), dalam PDF."))

    @workflow.update
    async def check_completeness(self, check: CompletenessCheck) -> StepResult:
        """Sent by the operator: the FS3 is recorded complete (the clock starts) or goes back to the agency."""
        async with self.core.lock:
            self.core.still(RECOMMENDATION_RULES["check_completeness"].steps)
            if check.complete:
                self.state.round += 1  # a new examination round: the whole limit counts again from now
                await self._move(R.ASSIGNMENT, "recorded_complete", check.actor, Role.SUPERVISOR, clock=ClockMove.START)
            else:
                await self._move(R.RETURNED, "returned_incomplete", check.actor, None, check.missing.strip())
            return self.core.result()

    @check_completeness.validator
    def _validate_completeness(self, check: CompletenessCheck) -> None:
        self.core.expect(RECOMMENDATION_RULES["check_completeness"], check.actor)
        if check.complete and not self.request.electronic_form and not MANUAL_DOCUMENTS <= set(self.state.documents):
            raise ValueError(
                N_("FS3 manual dan surat permohonan (PDF) belum lengkap diunggah; kembalikan ke instansi.")
            )
        if not check.complete and not check.missing.strip():
            raise ValueError(N_("Tuliskan apa yang kurang; pesan ini dikirim ke instansi."))

    @workflow.update
    async def resubmit(self, resubmitted: RecommendationResubmit) -> StepResult:
        """Sent by the agency: the FS3 is completed (back to the operator) or revised (a new examination)."""
        async with self.core.lock:
            self.core.still(RECOMMENDATION_RULES["resubmit"].steps)
            if self.state.step == R.RETURNED:
                await self._move(R.COMPLETENESS, "completed_by_agency", resubmitted.actor, Role.OPERATOR)
            else:
                self.state.round += 1
                await self._move(
                    R.EXAMINATION,
                    "revision_submitted",
                    resubmitted.actor,
                    Role.EXAMINER,
                    resubmitted.note,
                    clock=ClockMove.START,
                )
            return self.core.result()

    @resubmit.validator
    def _validate_resubmit(self, resubmitted: RecommendationResubmit) -> None:
        self.core.expect(RECOMMENDATION_RULES["resubmit"], resubmitted.actor)

    # ------------------------------------------------------------ supervisor and examiner

    @workflow.update
    async def assign_examiner(self, assignment: ExaminerAssignment) -> StepResult:
        """Sent by the supervisor: the examiner who examines this FS3."""
        async with self.core.lock:
            self.core.still(RECOMMENDATION_RULES["assign_examiner"].steps)
            self.state.examiner = assignment.examiner
            await self._move(R.EXAMINATION, "examiner_assigned", assignment.actor, Role.EXAMINER, assignment.examiner)
            return self.core.result()

    @assign_examiner.validator
    def _validate_assignment(self, assignment: ExaminerAssignment) -> None:
        self.core.expect(RECOMMENDATION_RULES["assign_examiner"], assignment.actor)
        if not assignment.examiner.strip():
            raise ValueError(N_("Pilih pemeriksa dari kantor ini."))

    @workflow.update
    async def examine(self, examination: Examination) -> StepResult:
        """Sent by the assigned examiner: recommend (the numbered letter) or return the FS3 with notes."""
        async with self.core.lock:
            self.core.still(RECOMMENDATION_RULES["examine"].steps)
            if examination.recommend:
                letter = LetterRequest(
                    self.request.case_id, examination.actor.name, examination.notes, self.state.round
                )
                outcome = await self._move(
                    R.RECOMMENDED,
                    "recommended",
                    examination.actor,
                    None,
                    clock=ClockMove.STOP,
                    effects=StepEffects(letter=letter),
                )
                assert outcome.letter is not None
                self.state.letter_number = outcome.letter.number
                return self.core.result(outcome.letter.number)
            await self._move(
                R.REVISION,
                f"returned_round_{self.state.round}",
                examination.actor,
                None,
                examination.notes.strip(),
                clock=ClockMove.PAUSE,
            )
            return self.core.result()

    @examine.validator
    def _validate_examination(self, examination: Examination) -> None:
        self.core.expect(RECOMMENDATION_RULES["examine"], examination.actor)
        if examination.actor.name != self.state.examiner and not held_as_email(self.state.examiner):
            raise ValueError(N_("Anda bukan pemeriksa yang ditunjuk untuk FS3 ini."))
        if not examination.recommend and not examination.notes.strip():
            raise ValueError(N_("Tuliskan catatan perbaikan untuk instansi."))

    # ------------------------------------------------------------ calendar and status

    @workflow.signal
    def calendar_changed(self) -> None:
        """Sent by the API when an administrator edits the office's calendar."""
        self.core.clock.calendar_changed()

    @workflow.query
    def status(self) -> StepResult:
        """Read by the API and developers: the step and, once issued, the letter number."""
        return self.core.result(self.state.letter_number)

    # ------------------------------------------------------------ helpers

    async def _move(
        self,
        step: str,
        action: str,
        actor: Actor,
        assignee: str | None,
        note: str = "",
        *,
        clock: ClockMove | None = None,
        effects: StepEffects | None = None,
    ) -> StepOutcome:
        """Record the step and tell the agency and the staff who act next."""
        phase = f"{step}-{self.state.moves + 1}"
        self.core.owe("recommendation_step", phase, step=step, note=note)
        if assignee is not None:
            examiner = self.state.examiner if assignee == Role.EXAMINER else ""
            self.core.owe("staff_task", phase, to_role=assignee, to_staff=examiner, step=step)
        status = CaseStatus.COMPLETED if step == R.RECOMMENDED else CaseStatus.OPEN
        return await self.core.move(
            step,
            action,
            actor,
            note,
            assignee=assignee,
            status=status,
            clock=clock,
            clock_note="FS3 dikembalikan untuk perbaikan",
            effects=effects,
        )
