"""The statistical activity recommendation (seed 003, FS3, Romantik): one workflow per request.

The agency submits its FS3 (online, or recorded by an operator at the desk) → the operator checks it is
complete (the office's limit starts, 15 days in 6202) or returns it → the supervisor assigns an examiner →
the examiner recommends (a numbered letter) or returns the FS3 for revision → the agency revises and
resubmits: a new examination round with a new clock. Every round stays in the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.case import Actor, CompletenessCheck, DocumentAttached, StepEffects, StepOutcome, StepResult
    from contracts.documents import LetterRequest
    from contracts.recommendation import (
        RECOMMENDATION_RULES,
        Examination,
        ExaminerAssignment,
        RecommendationInput,
        RecommendationResubmit,
    )
    from core.enums import CLOSED_STEP, ActorKind, CaseStatus, RecommendationStep, Role, Service
    from core.i18n import N_
    from workflows.case import CaseCore, CaseState, ClosableCase
    from workflows.sla import ClockMove

R = RecommendationStep
MANUAL_DOCUMENTS = {"fs3_manual", "request_letter"}


@dataclass
class RecommendationState(CaseState):
    """Everything the recommendation remembers between events (besides what every case remembers)."""

    step: str = R.SUBMITTED
    assignee: str | None = Role.OPERATOR
    examiner: str = ""
    round: int = 0
    documents: list[str] = field(default_factory=list)
    letter_number: str = ""


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
        await workflow.wait_condition(lambda: self.state.step in (R.RECOMMENDED, CLOSED_STEP))
        await self.core.finish()
        return self.core.result(self.state.letter_number)

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
