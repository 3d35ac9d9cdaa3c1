"""The one activity of a step: its effects, the audit trail, the read model, the SLA clock and its mails."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.calendar import CalendarActivities
from activities.corrections import record_correction
from activities.documents import DocumentWriter
from activities.failures import database_errors_by_kind
from activities.mailer import Mailer
from activities.payments import PaymentWriter
from activities.ratings import close_follow_up, store_rating
from contracts.case import REOPEN_DETAILS_KEY, ReopenWindow, StepEffects, StepOutcome, StepRecord
from contracts.sale import ApplicantWaits, WaitsRequest
from contracts.sale_items import ItemsRevision
from contracts.sla import CLOCK_NOTICES, ClockChange, ClockReading
from core.case_details import RequestedItem, sale_details, save_details
from core.db import SessionFactory
from core.enums import CaseStatus, ClockAction, SlaState
from core.formatting import rupiah
from core.models import AuditEntry, Case, Office

log = logging.getLogger(__name__)


async def _recorded(session: AsyncSession, case_id: str, event_key: str) -> bool:
    found = await session.scalar(
        select(AuditEntry.id).where(AuditEntry.case_id == case_id, AuditEntry.event_key == event_key)
    )
    return found is not None


def _add_entry(session: AsyncSession, record: StepRecord, key: str, action: str, step: str, note: str) -> None:
    session.add(
        AuditEntry(
            case_id=record.case_id,
            event_key=key,
            at=record.at,
            actor=record.actor.name,
            role=record.actor.role,
            office_code=record.actor.office_code,
            action=action,
            step=step,
            note=note,
        )
    )


def _move_read_model(case: Case, record: StepRecord, note: str) -> None:
    if record.status == CaseStatus.OPEN:
        case.closed_at = None  # open again (a reopened case): no month has completed it yet
    elif case.status != record.status or case.closed_at is None:
        case.closed_at = record.at  # completed or cancelled now: the month the reports count it in
    case.step = record.step
    case.status = record.status
    case.assignee_role = record.assignee_role
    case.workflow_started = True
    case.updated_at = record.at
    if note and record.status != CaseStatus.OPEN:
        case.outcome_reason = note


async def revise_items(session: AsyncSession, revision: ItemsRevision) -> None:
    """The sale's items replaced by the applicant's revised ones (idempotent: a retry writes the same)."""
    case = await session.get(Case, revision.case_id)
    if case is None:
        raise ApplicationError(f"Kasus {revision.case_id} tidak ditemukan", non_retryable=True)
    details = sale_details(case)
    details.items = [RequestedItem.model_validate(asdict(item)) for item in revision.items]
    save_details(case, details)


async def record_reopen_window(session: AsyncSession, window: ReopenWindow) -> None:
    """The read model learns until when a supervisor may reopen the closed case, and into which step; a window of
    None (reopened, or over) removes it. Idempotent: a retry writes the same."""
    case = await session.get(Case, window.case_id)
    if case is None:
        raise ApplicationError(f"Kasus {window.case_id} tidak ditemukan", non_retryable=True)
    details = {key: value for key, value in (case.details or {}).items() if key != REOPEN_DETAILS_KEY}
    if window.until is not None:
        details[REOPEN_DETAILS_KEY] = {"step": window.step, "until": window.until.isoformat()}
    case.details = details


def _clock_changed(change: ClockChange, reading: ClockReading) -> bool:
    """A recompute that finds the same deadline records nothing; every other change is recorded."""
    return change.action != ClockAction.RECOMPUTED or reading.deadline != change.deadline


def _show_clock(case: Case, change: ClockChange, reading: ClockReading) -> None:
    case.sla_state = change.sla_state
    if change.action in CLOCK_NOTICES:
        return
    counting = change.sla_state not in (SlaState.PAUSED, SlaState.STOPPED)
    case.sla_unit = reading.unit
    case.sla_deadline = reading.deadline if counting else None
    case.sla_warning_at = reading.warning_at if counting else None
    case.sla_remaining = reading.remaining if change.sla_state == SlaState.PAUSED else reading.anchor_budget


def office_waits(office: Office) -> ApplicantWaits:
    """An office's limits on waiting for the applicant, as the sale workflow takes them (never below one day, and
    at least one billing code)."""
    return ApplicantWaits(
        returned_days=max(1, office.wait_returned_days),
        sample_review_days=max(1, office.wait_sample_review_days),
        payment_days=max(1, office.wait_payment_days),
        sppd_days=max(1, office.wait_sppd_days),
        reminder_days=max(0, office.wait_reminder_days),
        billing_codes=max(1, office.billing_code_limit),
    )


class RecordActivities:
    """Writes one step of a case in one transaction; idempotent (one audit entry per event key)."""

    def __init__(
        self,
        session_factory: SessionFactory,
        mailer: Mailer,
        calendar: CalendarActivities,
        documents: DocumentWriter,
        payments: PaymentWriter,
        on_mail: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = session_factory
        self._mailer = mailer
        self._calendar = calendar
        self._documents = documents
        self._payments = payments
        self._on_mail = on_mail

    @activity.defn
    @database_errors_by_kind
    async def record_step(self, record: StepRecord) -> StepOutcome:
        """Write one step in one transaction, once: its effects, audit entry, read model, clock and mails."""
        change = record.clock
        reading = await self._calendar.reading(change, record.at) if change is not None else None
        async with self._sessions() as session, session.begin():
            case = await session.get(Case, record.case_id)
            if case is None:
                raise ApplicationError(f"Kasus {record.case_id} tidak ditemukan", non_retryable=True)
            key = record.event_key or (change.event_key if change is not None else "")
            already = bool(key) and await _recorded(session, case.id, key)
            outcome = StepOutcome(clock=reading, note=record.note)
            context = await self._effects(session, record.effects, outcome, replay=already, key=key)
            if already:
                log.info("event %s already recorded", key, extra={"case_id": case.id})
                return outcome
            if record.event_key:
                step = record.step if record.changes_step else case.step
                _add_entry(session, record, record.event_key, record.action, step, outcome.note)
                if record.changes_step:
                    _move_read_model(case, record, outcome.note)
            if change is not None and reading is not None and _clock_changed(change, reading):
                _add_entry(session, record, change.event_key, change.action, case.step, change.note)
                _show_clock(case, change, reading)
            if record.mails:
                office = await session.get(Office, case.office_code)
                if office is None:
                    raise ApplicationError(f"Kantor {case.office_code} tidak dikenal", non_retryable=True)
                for notice in record.mails:
                    filled = {name: value for name, value in notice.context.items() if value}
                    notice.context = {**context, "note": record.note, **filled}  # a person's note, not a number
                    await self._mailer.add_case_notice(session, case, office, notice, at=record.at)
        if record.mails:
            self._on_mail()
        log.info("recorded %s at step %s", record.action or key, case.step, extra={"case_id": record.case_id})
        return outcome

    @activity.defn
    @database_errors_by_kind
    async def applicant_waits(self, request: WaitsRequest) -> ApplicantWaits:
        """Read the office's limits on waiting for the applicant (a sale reads them when it first waits)."""
        async with self._sessions() as session:
            office = await session.get(Office, request.office_code)
        if office is None:
            raise ApplicationError(f"Kantor {request.office_code} tidak dikenal", non_retryable=True)
        return office_waits(office)

    async def _effects(
        self, session: AsyncSession, effects: StepEffects | None, outcome: StepOutcome, *, replay: bool, key: str = ""
    ) -> dict[str, str]:
        """Write the step's effects into ``outcome`` (a replay of a recorded step only reads them back); the
        values its mails may name."""
        if effects is None:
            return {}
        documents, payments = self._documents, self._payments
        context: dict[str, str] = {}
        if effects.zero_rupiah is not None:
            await payments.grant_zero_rupiah(session, effects.zero_rupiah)
        if effects.void_billing:
            await payments.void_billing(session, effects.void_billing)
        if effects.invoice is not None:
            outcome.invoice = await documents.invoice(session, effects.invoice)
            outcome.note = outcome.note or f"Invoice {rupiah(outcome.invoice.amount)}"
        if effects.sppd_draft is not None:
            await documents.sppd_draft(session, effects.sppd_draft)
        if effects.billing is not None:
            outcome.billing = await payments.billing(session, effects.billing)
            outcome.note = outcome.note or outcome.billing.billing_code
            context |= {
                "billing_code": outcome.billing.billing_code,
                "expires_at": outcome.billing.expires_at.isoformat(),
            }
        if effects.settlement is not None and not replay:
            await payments.settle(session, effects.settlement, key)  # keyed: a doubled step writes no second row
        if effects.receipt is not None:
            outcome.receipt = await documents.receipt(session, effects.receipt)
            outcome.note = outcome.note or outcome.receipt.number
            context["receipt_number"] = outcome.receipt.number
        if effects.link is not None:
            await payments.link(session, effects.link)
        if effects.rating is not None:
            await store_rating(session, effects.rating)
        if effects.follow_up is not None:
            context["follow_up_note"] = await close_follow_up(session, effects.follow_up)
        if effects.letter is not None:
            outcome.letter = await documents.recommendation_letter(session, effects.letter)
            outcome.note = outcome.note or outcome.letter.number
            context["letter_number"] = outcome.letter.number
        if effects.revision is not None:
            await revise_items(session, effects.revision)
        if effects.correction is not None:
            context |= await record_correction(session, documents, effects.correction)
        if effects.reopen is not None:
            await record_reopen_window(session, effects.reopen)
        return context
