"""Database writes of the workflows: the audit trail and the read model of each case."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.calendar import CalendarActivities
from activities.mailer import Mailer
from contracts.case import StepOutcome, StepRecord
from contracts.sale import FollowUpDone, RatingRecord
from contracts.sla import ClockChange, ClockReading
from core.db import SessionFactory
from core.enums import CaseStatus, SlaState
from core.models import AuditEntry, Case, FollowUp, Office, Rating, SurveyResponse, utcnow

log = logging.getLogger(__name__)
NOTICE_ACTIONS = ("sla_warning", "sla_breached", "sla_escalated")


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


def _move_read_model(case: Case, record: StepRecord) -> None:
    case.step = record.step
    case.status = record.status
    case.assignee_role = record.assignee_role
    case.workflow_started = True
    case.updated_at = record.at
    if record.note and record.status != CaseStatus.OPEN:
        case.outcome_reason = record.note


def _clock_changed(change: ClockChange, reading: ClockReading) -> bool:
    """A recompute that finds the same deadline records nothing; every other change is recorded."""
    return change.action != "sla_recomputed" or reading.deadline != change.deadline


def _show_clock(case: Case, change: ClockChange, reading: ClockReading) -> None:
    case.sla_state = change.sla_state
    if change.action in NOTICE_ACTIONS:
        return
    counting = change.sla_state not in (SlaState.PAUSED, SlaState.STOPPED)
    case.sla_unit = reading.unit
    case.sla_deadline = reading.deadline if counting else None
    case.sla_warning_at = reading.warning_at if counting else None
    case.sla_remaining = reading.remaining if change.sla_state == SlaState.PAUSED else reading.anchor_budget


class RecordActivities:
    """Writes what happened to a case; every method is idempotent (one audit entry per event key)."""

    def __init__(
        self,
        session_factory: SessionFactory,
        mailer: Mailer,
        calendar: CalendarActivities,
        on_mail: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = session_factory
        self._mailer = mailer
        self._calendar = calendar
        self._on_mail = on_mail

    @activity.defn
    async def record_step(self, record: StepRecord) -> StepOutcome:
        """Write one step in one transaction, once: its audit entry, the read model, the clock, its mails."""
        change = record.clock
        reading = await self._calendar.reading(change, record.at) if change is not None else None
        async with self._sessions() as session, session.begin():
            case = await session.get(Case, record.case_id)
            if case is None:
                raise ApplicationError(f"Kasus {record.case_id} tidak ditemukan", non_retryable=True)
            key = record.event_key or (change.event_key if change is not None else "")
            if key and await _recorded(session, case.id, key):
                log.info("event %s already recorded", key, extra={"case_id": case.id})
                return StepOutcome(clock=reading)
            if record.event_key:
                _add_entry(session, record, record.event_key, record.action, record.step if record.changes_step
                           else case.step, record.note)  # fmt: skip
                if record.changes_step:
                    _move_read_model(case, record)
            if change is not None and reading is not None and _clock_changed(change, reading):
                _add_entry(session, record, change.event_key, change.action, case.step, change.note)
                _show_clock(case, change, reading)
            if record.mails:
                office = await session.get(Office, case.office_code)
                if office is None:
                    raise ApplicationError(f"Kantor {case.office_code} tidak dikenal", non_retryable=True)
                for notice in record.mails:
                    await self._mailer.add_case_notice(session, case, office, notice)
        if record.mails:
            self._on_mail()
        log.info("recorded %s at step %s", record.action or key, case.step, extra={"case_id": record.case_id})
        return StepOutcome(clock=reading)

    async def _office_today(self, session: AsyncSession, office_code: str) -> date:
        office = await session.get(Office, office_code)
        zone = ZoneInfo(office.timezone if office else "Asia/Jakarta")
        return utcnow().astimezone(zone).date()

    @activity.defn
    async def record_rating(self, record: RatingRecord) -> bool:
        """Store the applicant's survey once; open a follow-up task when it needs one. True if it does."""
        async with self._sessions() as session, session.begin():
            case = await session.get(Case, record.case_id)
            if case is None:
                raise ApplicationError(f"Kasus {record.case_id} tidak ditemukan", non_retryable=True)
            if await session.get(Rating, record.case_id) is None:
                session.add(
                    SurveyResponse(
                        office_code=case.office_code,
                        service=case.service,
                        day=await self._office_today(session, case.office_code),
                        scores=record.scores,
                        source="online",
                        case_id=case.id,
                    )
                )
                session.add(
                    Rating(
                        case_id=record.case_id,
                        office_code=case.office_code,
                        service=case.service,
                        scores=record.scores,
                        feedback=record.feedback,
                        follow_up_requested=record.follow_up,
                    )
                )
            if not record.reason:
                return False
            existing = await session.scalar(select(FollowUp).where(FollowUp.case_id == record.case_id))
            if existing is None:
                session.add(FollowUp(case_id=record.case_id, reason=record.reason))
            return True

    @activity.defn
    async def close_follow_up(self, done: FollowUpDone) -> None:
        """Record what the officer did about a rating that needed follow-up."""
        async with self._sessions() as session, session.begin():
            follow_up = await session.scalar(select(FollowUp).where(FollowUp.case_id == done.case_id))
            if follow_up is None:
                raise ApplicationError(f"Tidak ada tindak lanjut terbuka untuk {done.case_id}", non_retryable=True)
            if follow_up.status != "done":
                follow_up.status, follow_up.note, follow_up.recorded_by = "done", done.note, done.actor
                follow_up.done_at = utcnow()
