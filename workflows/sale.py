"""The microdata and digital map sale (seeds 000, 001, 002, 004): one workflow per transaction.

This module holds the opening steps: the request is received, the officer checks the usage abstract
(approve, or reject: online cancels, walk-in refers to statistical consultation). The rest of the sale
extends this workflow.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.calendar import CalendarActivities
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
        DeadlineRequest,
        MailRequest,
        SaleInput,
        SaleStatus,
        StepRecord,
        StepResult,
    )


@dataclass
class SaleState:
    """Everything the sale remembers between events."""

    step: str = SaleStep.SUBMITTED
    done: bool = False
    reason: str = ""
    sla_deadline: datetime | None = None


@workflow.defn
class SaleWorkflow:
    """Carries one sale from the request to its end, waiting on people through validated Updates."""

    @workflow.init
    def __init__(self, sale: SaleInput) -> None:
        self.sale = sale
        self.state = SaleState()
        self.lock = asyncio.Lock()

    @workflow.run
    async def run(self, sale: SaleInput) -> SaleStatus:
        """Receive the request, wait for the officer's abstract check, tell the applicant the result."""
        applicant = Actor(name="applicant", role="applicant", office_code=sale.office_code)
        await self._move(
            step=SaleStep.ABSTRACT_REVIEW,
            status="open",
            assignee=Role.OFFICER,
            action="submitted",
            actor=applicant,
        )
        await self._mail("sale_received", "submitted")
        await self._mail("sale_new_request", "submitted", to_role=Role.OFFICER)

        await workflow.wait_condition(lambda: self.state.step != SaleStep.ABSTRACT_REVIEW)
        if self.state.step == SaleStep.OFFER:
            await self._mail("sale_abstract_approved", "abstract")
        elif self.state.step == SaleStep.CANCELLED:
            await self._mail("sale_cancelled", "abstract", reason=self.state.reason)
            self.state.done = True
        else:
            await self._mail("sale_referred", "abstract", reason=self.state.reason)
            self.state.done = True

        await workflow.wait_condition(lambda: self.state.done and workflow.all_handlers_finished())
        return self.status()

    @workflow.update
    async def review_abstract(self, review: AbstractReview) -> StepResult:
        """Sent by the officer: the abstract fits (the offer is prepared) or not (cancel or refer)."""
        async with self.lock:
            if self.state.step != SaleStep.ABSTRACT_REVIEW:
                raise ApplicationError(
                    f"Abstraksi permintaan {self.sale.case_id} sudah diperiksa; tahap sekarang: {self.state.step}",
                    non_retryable=True,
                )
            deadline = None
            if review.decision == Decision.APPROVE:
                step, status, assignee, action = SaleStep.OFFER, "open", Role.OFFICER, "abstract_approved"
                deadline = await self._service_deadline()
            elif self.sale.channel == Channel.WALK_IN:
                step, status, assignee, action = (
                    SaleStep.REFERRED_TO_CONSULTATION,
                    "cancelled",
                    None,
                    "referred_to_consultation",
                )
            else:
                step, status, assignee, action = SaleStep.CANCELLED, "cancelled", None, "abstract_rejected"
            await self._move(
                step=step,
                status=status,
                assignee=assignee,
                action=action,
                actor=review.actor,
                note=review.reason,
                sla_deadline=deadline,
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

    @workflow.query
    def status(self) -> SaleStatus:
        """Read by the API and developers: the step the sale is in."""
        return SaleStatus(case_id=self.sale.case_id, step=self.state.step, done=self.state.done)

    async def _service_deadline(self) -> datetime:
        """The office's limit for the sale, counted from now: the request is clear and its abstract fits."""
        return await workflow.execute_activity_method(
            CalendarActivities.service_deadline,
            DeadlineRequest(office_code=self.sale.office_code, service=Service.SALE, start=workflow.now()),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )

    async def _move(
        self,
        *,
        step: str,
        status: str,
        assignee: str | None,
        action: str,
        actor: Actor,
        note: str = "",
        sla_deadline: datetime | None = None,
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
                sla_deadline=sla_deadline,
                sla_state="running" if sla_deadline else None,
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        self.state.step = step
        updates: list[SearchAttributeUpdate[Any]] = [sa.STEP.value_set(step)]
        if sla_deadline is not None:
            self.state.sla_deadline = sla_deadline
            updates.append(sa.SLA_DEADLINE.value_set(sla_deadline))
        workflow.upsert_search_attributes(updates)

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
