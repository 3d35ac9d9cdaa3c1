"""Database writes of the workflows: the audit trail and the read model of each case."""

from __future__ import annotations

import logging

from sqlalchemy import select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core.db import SessionFactory
from core.models import AuditEntry, Case
from workflows.shared import StepRecord

log = logging.getLogger(__name__)


class RecordActivities:
    """Writes what happened to a case; every method is idempotent (one audit entry per event key)."""

    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    @activity.defn
    async def record_step(self, record: StepRecord) -> None:
        """Append the audit entry of ``record`` and move the case's read model to its step, once."""
        async with self._sessions() as session, session.begin():
            case = await session.get(Case, record.case_id)
            if case is None:
                raise ApplicationError(f"Kasus {record.case_id} tidak ditemukan", non_retryable=True)
            already = await session.scalar(
                select(AuditEntry.id).where(
                    AuditEntry.case_id == record.case_id, AuditEntry.event_key == record.event_key
                )
            )
            if already is not None:
                log.info("event already recorded", extra={"case_id": record.case_id})
                return
            session.add(
                AuditEntry(
                    case_id=record.case_id,
                    event_key=record.event_key,
                    at=record.at,
                    actor=record.actor.name,
                    role=record.actor.role,
                    office_code=record.actor.office_code,
                    action=record.action,
                    step=record.step,
                    note=record.note,
                )
            )
            case.step = record.step
            case.status = record.status
            case.assignee_role = record.assignee_role
            case.workflow_started = True
            case.updated_at = record.at
            if record.sla_deadline is not None:
                case.sla_deadline = record.sla_deadline
            if record.sla_state is not None:
                case.sla_state = record.sla_state
            if record.note and record.status != "open":
                case.outcome_reason = record.note
            log.info("recorded %s at step %s", record.action, record.step, extra={"case_id": record.case_id})
