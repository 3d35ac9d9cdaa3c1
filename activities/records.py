"""Database writes of the workflows: the audit trail and the read model of each case."""

from __future__ import annotations

import logging
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core.db import SessionFactory
from core.models import AuditEntry, Case, FollowUp, Office, Rating, SurveyResponse, utcnow
from workflows.shared import FollowUpDone, RatingRecord, SlaRecord, StepRecord

log = logging.getLogger(__name__)


class RecordActivities:
    """Writes what happened to a case; every method is idempotent (one audit entry per event key)."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    async def _new_entry(self, session: AsyncSession, record: StepRecord | SlaRecord) -> Case | None:
        """The case to update, after adding the audit entry of ``record``; None if it was recorded before."""
        case = await session.get(Case, record.case_id)
        if case is None:
            raise ApplicationError(f"Kasus {record.case_id} tidak ditemukan", non_retryable=True)
        already = await session.scalar(
            select(AuditEntry.id).where(AuditEntry.case_id == record.case_id, AuditEntry.event_key == record.event_key)
        )
        if already is not None:
            log.info("event %s already recorded", record.event_key, extra={"case_id": record.case_id})
            return None
        session.add(
            AuditEntry(
                case_id=record.case_id,
                event_key=record.event_key,
                at=record.at,
                actor=record.actor.name,
                role=record.actor.role,
                office_code=record.actor.office_code,
                action=record.action,
                step=record.step if isinstance(record, StepRecord) else case.step,
                note=record.note,
            )
        )
        return case

    @activity.defn
    async def record_step(self, record: StepRecord) -> None:
        """Append the audit entry of ``record`` and move the case's read model to its step, once."""
        async with self._sessions() as session, session.begin():
            case = await self._new_entry(session, record)
            if case is None or not record.changes_step:
                return
            case.step = record.step
            case.status = record.status
            case.assignee_role = record.assignee_role
            case.workflow_started = True
            case.updated_at = record.at
            if record.note and record.status != "open":
                case.outcome_reason = record.note
            log.info("recorded %s at step %s", record.action, record.step, extra={"case_id": record.case_id})

    @activity.defn
    async def record_sla(self, record: SlaRecord) -> None:
        """Append the audit entry of an SLA clock change and show the clock on the read model, once."""
        async with self._sessions() as session, session.begin():
            case = await self._new_entry(session, record)
            if case is None:
                return
            case.sla_state = record.sla_state
            case.sla_unit = record.unit
            case.sla_deadline = record.deadline
            case.sla_warning_at = record.warning_at
            case.sla_remaining = record.remaining
            log.info("clock %s", record.action, extra={"case_id": record.case_id})

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
