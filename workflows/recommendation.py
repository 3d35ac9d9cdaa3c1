"""The statistical activity recommendation (seed 003, FS3, Romantik): one workflow per request.

The agency submits its FS3 (online, or recorded by an operator at the desk) → the operator checks it is
complete (the office's limit starts, 15 days in 6202) or returns it → the supervisor assigns an examiner →
the examiner recommends (a numbered letter) or returns the FS3 for revision → the agency revises and
resubmits: a new examination round with a new clock. Every round stays in the history.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.documents import DocumentActivities
    from activities.records import RecordActivities
    from core import search_attributes as sa
    from core.enums import RecommendationStep, Role, Service
    from workflows.notices import send_notice
    from workflows.shared import (
        DB_ACTIVITY_TIMEOUT,
        RETRY_FOREVER,
        Actor,
        CompletenessCheck,
        DocumentAttached,
        Examination,
        ExaminerAssignment,
        LetterRequest,
        Notice,
        RecommendationInput,
        RecommendationResubmit,
        StepRecord,
        StepResult,
    )
    from workflows.sla import SlaClock, SlaState

Arg = TypeVar("Arg")
Result = TypeVar("Result")
R = RecommendationStep
MANUAL_DOCUMENTS = {"fs3_manual", "request_letter"}


@dataclass
class RecommendationState:
    """Everything the recommendation remembers between events."""

    step: str = R.SUBMITTED
    assignee: str | None = Role.OPERATOR
    examiner: str = ""
    round: int = 0
    moves: int = 0
    documents: list[str] = field(default_factory=list)
    letter_number: str = ""
    done: bool = False
    sla: SlaState = field(default_factory=SlaState)
    outbox: list[Notice] = field(default_factory=list)


@workflow.defn
class RecommendationWorkflow:
    """Carries one FS3 from submission to the recommendation letter, round after round."""

    @workflow.init
    def __init__(self, request: RecommendationInput) -> None:
        self.request = request
        self.state = RecommendationState()
        self.lock = asyncio.Lock()
        self.clock = SlaClock(
            case_id=request.case_id,
            office_code=request.office_code,
            service=Service.RECOMMENDATION,
            state=self.state.sla,
            waits_on=lambda: self.state.assignee,
        )

    @workflow.run
    async def run(self, request: RecommendationInput) -> StepResult:
        """Wait for people until the letter is issued."""
        watcher = asyncio.create_task(self.clock.watch())
        mailer = asyncio.create_task(self._mailer())
        submitter = Actor(name="agency", role="applicant", office_code=request.office_code)
        async with self.lock:
            await self._move(R.COMPLETENESS, "submitted", submitter, Role.OPERATOR)
        await workflow.wait_condition(lambda: self.state.step == R.RECOMMENDED)
        await workflow.wait_condition(lambda: not self.state.outbox and workflow.all_handlers_finished())
        self.state.done = True
        await self.clock.stop(self.clock.system)
        await watcher
        mailer.cancel()
        return self._result(self.state.letter_number)

    # ------------------------------------------------------------ the operator and the agency

    @workflow.update
    async def attach_document(self, attached: DocumentAttached) -> StepResult:
        """Sent after an upload of the manual FS3 or the request letter."""
        async with self.lock:
            self._still({R.COMPLETENESS, R.RETURNED, R.REVISION})
            self.state.documents.append(attached.kind)
            await self._record(f"{attached.kind}_{attached.document_id}", attached.actor, attached.kind)
            return self._result()

    @attach_document.validator
    def _validate_attach(self, attached: DocumentAttached) -> None:
        self._expect({R.COMPLETENESS, R.RETURNED, R.REVISION}, attached.actor, {"applicant", Role.OPERATOR})
        if attached.kind not in MANUAL_DOCUMENTS:
            raise ValueError("Unggah FS3 manual (fs3_manual) atau surat permohonan (request_letter), dalam PDF.")

    @workflow.update
    async def check_completeness(self, check: CompletenessCheck) -> StepResult:
        """Sent by the operator: the FS3 is recorded complete (the clock starts) or goes back to the agency."""
        async with self.lock:
            self._still({R.COMPLETENESS})
            if check.complete:
                await self._move(R.ASSIGNMENT, "recorded_complete", check.actor, Role.SUPERVISOR)
                await self._new_round(check.actor)
            else:
                await self._move(R.RETURNED, "returned_incomplete", check.actor, None, check.missing.strip())
            return self._result()

    @check_completeness.validator
    def _validate_completeness(self, check: CompletenessCheck) -> None:
        self._expect({R.COMPLETENESS}, check.actor, {Role.OPERATOR})
        if check.complete and not self.request.electronic_form and not MANUAL_DOCUMENTS <= set(self.state.documents):
            raise ValueError("FS3 manual dan surat permohonan (PDF) belum lengkap diunggah; kembalikan ke instansi.")
        if not check.complete and not check.missing.strip():
            raise ValueError("Tuliskan apa yang kurang; pesan ini dikirim ke instansi.")

    @workflow.update
    async def resubmit(self, resubmitted: RecommendationResubmit) -> StepResult:
        """Sent by the agency: the FS3 is completed (back to the operator) or revised (a new examination)."""
        async with self.lock:
            self._still({R.RETURNED, R.REVISION})
            if self.state.step == R.RETURNED:
                await self._move(R.COMPLETENESS, "completed_by_agency", resubmitted.actor, Role.OPERATOR)
            else:
                await self._move(
                    R.EXAMINATION, "revision_submitted", resubmitted.actor, Role.EXAMINER, resubmitted.note
                )
                await self._new_round(resubmitted.actor)
            return self._result()

    @resubmit.validator
    def _validate_resubmit(self, resubmitted: RecommendationResubmit) -> None:
        self._expect({R.RETURNED, R.REVISION}, resubmitted.actor, {"applicant", Role.OPERATOR})

    # ------------------------------------------------------------ supervisor and examiner

    @workflow.update
    async def assign_examiner(self, assignment: ExaminerAssignment) -> StepResult:
        """Sent by the supervisor: the examiner who examines this FS3."""
        async with self.lock:
            self._still({R.ASSIGNMENT})
            self.state.examiner = assignment.examiner
            await self._move(R.EXAMINATION, "examiner_assigned", assignment.actor, Role.EXAMINER, assignment.examiner)
            return self._result()

    @assign_examiner.validator
    def _validate_assignment(self, assignment: ExaminerAssignment) -> None:
        self._expect({R.ASSIGNMENT}, assignment.actor, {Role.SUPERVISOR})
        if not assignment.examiner.strip():
            raise ValueError("Pilih pemeriksa dari kantor ini.")

    @workflow.update
    async def examine(self, examination: Examination) -> StepResult:
        """Sent by the assigned examiner: recommend (the numbered letter) or return the FS3 with notes."""
        async with self.lock:
            self._still({R.EXAMINATION})
            if examination.recommend:
                letter = await self._activity(
                    DocumentActivities.issue_recommendation_letter,
                    LetterRequest(self.request.case_id, examination.actor.name, examination.notes, self.state.round),
                )
                self.state.letter_number = letter.number
                await self._move(R.RECOMMENDED, "recommended", examination.actor, None, letter.number)
                await self.clock.stop(examination.actor)
                return self._result(letter.number)
            await self._move(R.REVISION, f"returned_round_{self.state.round}", examination.actor, None,
                             examination.notes.strip())  # fmt: skip
            await self.clock.pause(examination.actor, note="FS3 dikembalikan untuk perbaikan")
            return self._result()

    @examine.validator
    def _validate_examination(self, examination: Examination) -> None:
        self._expect({R.EXAMINATION}, examination.actor, {Role.EXAMINER})
        if examination.actor.name != self.state.examiner:
            raise ValueError(f"FS3 ini diperiksa oleh {self.state.examiner}; Anda bukan pemeriksa yang ditunjuk.")
        if not examination.recommend and not examination.notes.strip():
            raise ValueError("Tuliskan catatan perbaikan untuk instansi.")

    # ------------------------------------------------------------ calendar and status

    @workflow.signal
    def calendar_changed(self) -> None:
        """Sent by the API when an administrator edits the office's calendar."""
        self.clock.calendar_changed()

    @workflow.query
    def status(self) -> StepResult:
        """Read by the API and developers: the step and, once issued, the letter number."""
        return self._result(self.state.letter_number)

    # ------------------------------------------------------------ helpers

    async def _new_round(self, actor: Actor) -> None:
        """A new examination round: the office's whole limit counts again from now (a new clock phase)."""
        self.state.round += 1
        await self.clock.start(actor)

    def _expect(self, steps: set[str], actor: Actor, roles: set[str]) -> None:
        if self.state.step not in steps:
            raise ValueError(
                f"Aksi ini tidak berlaku pada tahap sekarang permintaan {self.request.case_id} ({self.state.step})."
            )
        if actor.role not in roles:
            raise ValueError(f"Aksi ini hanya untuk {' atau '.join(sorted(roles))}; peran Anda {actor.role}.")
        if actor.office_code != self.request.office_code:
            raise ValueError(f"Permintaan ini milik kantor {self.request.office_code}, bukan kantor Anda.")

    def _still(self, steps: set[str]) -> None:
        if self.state.step not in steps:
            raise ApplicationError(
                f"Permintaan {self.request.case_id} sudah pindah ke tahap {self.state.step}; muat ulang halaman.",
                non_retryable=True,
            )

    def _result(self, detail: str = "") -> StepResult:
        return StepResult(case_id=self.request.case_id, step=self.state.step, detail=detail)

    async def _activity(self, method: Callable[[Any, Arg], Awaitable[Result]], argument: Arg) -> Result:
        return await workflow.execute_activity_method(
            method, argument, start_to_close_timeout=DB_ACTIVITY_TIMEOUT, retry_policy=RETRY_FOREVER
        )

    async def _record(self, action: str, actor: Actor, note: str, step: str | None = None) -> None:
        """An audit entry; with ``step`` also the move of the read model to it."""
        status = "completed" if (step or self.state.step) == R.RECOMMENDED else "open"
        await self._activity(
            RecordActivities.record_step,
            StepRecord(
                case_id=self.request.case_id,
                event_key=f"{action}:{self.state.moves}",
                action=action,
                step=step or self.state.step,
                status=status,
                assignee_role=self.state.assignee,
                actor=actor,
                at=workflow.now(),
                note=note,
                changes_step=step is not None,
            ),
        )

    async def _move(self, step: str, action: str, actor: Actor, assignee: str | None, note: str = "") -> None:
        """Record the step, show it in visibility, and tell the agency and the staff who act next."""
        self.state.assignee = assignee
        await self._record(action, actor, note, step)
        self.state.moves += 1
        self.state.step = step
        workflow.upsert_search_attributes([sa.STEP.value_set(step)])
        phase = f"{step}-{self.state.moves}"
        self.state.outbox.append(Notice("recommendation_step", phase, None, {"step": step, "note": note}))
        if assignee is not None:
            examiner = self.state.examiner if assignee == Role.EXAMINER else ""
            self.state.outbox.append(Notice("staff_task", phase, assignee, {"step": step}, to_staff=examiner))

    async def _mailer(self) -> None:
        """Send the owed mails in order, beside the steps."""
        while True:
            await workflow.wait_condition(lambda: bool(self.state.outbox))
            await send_notice(self.request.case_id, self.state.outbox[0])
            self.state.outbox.pop(0)
