"""The microdata and digital map sale (seeds 000, 001, 002, 004): one workflow per transaction.

This module holds the opening steps: the request is received, the officer checks the usage abstract
(approve: the request is clear and the 10-working-day clock starts; reject: online cancels, walk-in
refers to statistical consultation). The rest of the sale extends this workflow.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.notify import NotifyActivities
    from activities.records import RecordActivities
    from core import search_attributes as sa
    from core.enums import Channel, Decision, Role, SaleStep, Service
    from workflows.shared import (
        DB_ACTIVITY_TIMEOUT,
        MAIL_SEND_TIMEOUT,
        RETRY_FOREVER,
        AbstractReview,
        Actor,
        MailRequest,
        SaleInput,
        SaleStatus,
        StepRecord,
        StepResult,
    )
    from workflows.sla import SlaClock, SlaState


@dataclass
class SaleState:
    """Everything the sale remembers between events."""

    step: str = SaleStep.SUBMITTED
    assignee: str | None = Role.OFFICER
    done: bool = False
    reason: str = ""
    sla: SlaState = field(default_factory=SlaState)


@workflow.defn
class SaleWorkflow:
    """Carries one sale from the request to its end, waiting on people through validated Updates."""

    @workflow.init
    def __init__(self, sale: SaleInput) -> None:
        self.sale = sale
        self.state = SaleState()
        self.lock = asyncio.Lock()
        self.clock = SlaClock(
            case_id=sale.case_id,
            office_code=sale.office_code,
            service=Service.SALE,
            state=self.state.sla,
            waits_on=lambda: self.state.assignee,
        )

    @workflow.run
    async def run(self, sale: SaleInput) -> SaleStatus:
        """Receive the request, wait for the officer's abstract check, tell the applicant the result."""
        watcher = asyncio.create_task(self.clock.watch())
        applicant = Actor(name="applicant", role="applicant", office_code=sale.office_code)
        await self._move(
            step=SaleStep.ABSTRACT_REVIEW, status="open", assignee=Role.OFFICER, action="submitted", actor=applicant
        )
        await self._mail("sale_received", "submitted")
        await self._mail("sale_new_request", "submitted", to_role=Role.OFFICER)

        await workflow.wait_condition(lambda: self.state.step != SaleStep.ABSTRACT_REVIEW)
        if self.state.step == SaleStep.OFFER:
            await self._mail("sale_abstract_approved", "abstract")
        else:
            notice = "sale_cancelled" if self.state.step == SaleStep.CANCELLED else "sale_referred"
            await self._mail(notice, "abstract", reason=self.state.reason)
            self.state.done = True

        await workflow.wait_condition(lambda: self.state.done and workflow.all_handlers_finished())
        await self.clock.stop(self.clock.system)
        await watcher
        return self.status()

    @workflow.update
    async def review_abstract(self, review: AbstractReview) -> StepResult:
        """Sent by the officer: the abstract fits (the clock starts, the offer is prepared) or not."""
        async with self.lock:
            if self.state.step != SaleStep.ABSTRACT_REVIEW:
                raise ApplicationError(
                    f"Abstraksi permintaan {self.sale.case_id} sudah diperiksa; tahap sekarang: {self.state.step}",
                    non_retryable=True,
                )
            if review.decision == Decision.APPROVE:
                await self._move(
                    step=SaleStep.OFFER,
                    status="open",
                    assignee=Role.OFFICER,
                    action="abstract_approved",
                    actor=review.actor,
                )
                await self.clock.start(review.actor)
            elif self.sale.channel == Channel.WALK_IN:
                await self._move(
                    step=SaleStep.REFERRED_TO_CONSULTATION,
                    status="cancelled",
                    assignee=None,
                    action="referred_to_consultation",
                    actor=review.actor,
                    note=review.reason,
                )
            else:
                await self._move(
                    step=SaleStep.CANCELLED,
                    status="cancelled",
                    assignee=None,
                    action="abstract_rejected",
                    actor=review.actor,
                    note=review.reason,
                )
            self.state.reason = review.reason
            return StepResult(case_id=self.sale.case_id, step=self.state.step)

    @review_abstract.validator
    def _validate_review(self, review: AbstractReview) -> None:
        if self.state.step != SaleStep.ABSTRACT_REVIEW:
            raise ValueError(
                f"Permintaan {self.sale.case_id} tidak sedang menunggu pemeriksaan abstraksi "
                f"(tahap sekarang: {self.state.step})."
            )
        if review.actor.role != Role.OFFICER:
            raise ValueError("Hanya petugas PST yang dapat memeriksa abstraksi penggunaan data.")
        if review.actor.office_code != self.sale.office_code:
            raise ValueError(f"Permintaan ini milik kantor {self.sale.office_code}, bukan kantor Anda.")
        if review.decision not in (Decision.APPROVE, Decision.REJECT):
            raise ValueError("Keputusan harus 'approve' (sesuai) atau 'reject' (tidak sesuai).")
        if review.decision == Decision.REJECT and not review.reason.strip():
            raise ValueError("Tuliskan alasan mengapa abstraksi tidak sesuai; alasan dikirim ke pemohon.")

    @workflow.signal
    def calendar_changed(self) -> None:
        """Sent by the API when an administrator edits the office's calendar: recompute the deadline."""
        self.clock.calendar_changed()

    @workflow.query
    def status(self) -> SaleStatus:
        """Read by the API and developers: the step the sale is in."""
        return SaleStatus(case_id=self.sale.case_id, step=self.state.step, done=self.state.done)

    async def _move(
        self, *, step: str, status: str, assignee: str | None, action: str, actor: Actor, note: str = ""
    ) -> None:
        """Record the step in the audit trail and read model, then show it in Temporal visibility."""
        await workflow.execute_activity_method(
            RecordActivities.record_step,
            StepRecord(
                case_id=self.sale.case_id,
                event_key=action,
                action=action,
                step=step,
                status=status,
                assignee_role=assignee,
                actor=actor,
                at=workflow.now(),
                note=note,
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        self.state.step, self.state.assignee = step, assignee
        workflow.upsert_search_attributes([sa.STEP.value_set(step)])

    async def _mail(self, notice: str, phase: str, *, to_role: str | None = None, **context: str) -> None:
        """Queue a notice in the outbox and deliver it; an SMTP outage only delays it."""
        queued = await workflow.execute_activity_method(
            NotifyActivities.queue_mail,
            MailRequest(
                case_id=self.sale.case_id,
                notice=notice,
                phase=phase,
                to_applicant=to_role is None,
                to_role=to_role,
                context=context,
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        await workflow.execute_activity_method(
            NotifyActivities.send_mail,
            queued,
            start_to_close_timeout=MAIL_SEND_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
