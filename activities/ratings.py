"""The applicant's satisfaction survey of a case and its follow-up, written inside a step's transaction."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.exceptions import ApplicationError

from contracts.case import FollowUpDone, RatingRecord
from core.enums import Channel, FollowUpStatus
from core.models import Case, FollowUp, Office, Rating, SurveyResponse, utcnow


async def _office_today(session: AsyncSession, office_code: str) -> date:
    office = await session.get(Office, office_code)
    zone = ZoneInfo(office.timezone if office else "Asia/Jakarta")
    return utcnow().astimezone(zone).date()


async def store_rating(session: AsyncSession, record: RatingRecord) -> bool:
    """Store the applicant's survey once; open a follow-up task when it needs one. True if it does."""
    case = await session.get(Case, record.case_id)
    if case is None:
        raise ApplicationError(f"Kasus {record.case_id} tidak ditemukan", non_retryable=True)
    if await session.get(Rating, record.case_id) is None:
        session.add(
            SurveyResponse(
                office_code=case.office_code,
                service=case.service,
                day=await _office_today(session, case.office_code),
                scores=record.scores,
                source=Channel.ONLINE,
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


async def close_follow_up(session: AsyncSession, done: FollowUpDone) -> str:
    """Record what the officer did about a rating that needed follow-up; the note as stored (the applicant's mail
    reads it from here, not from the workflow)."""
    follow_up = await session.scalar(select(FollowUp).where(FollowUp.case_id == done.case_id))
    if follow_up is None:
        raise ApplicationError(f"Tidak ada tindak lanjut terbuka untuk {done.case_id}", non_retryable=True)
    if follow_up.status != FollowUpStatus.DONE:
        follow_up.status, follow_up.note, follow_up.recorded_by = FollowUpStatus.DONE, done.note, done.actor
        follow_up.done_at = utcnow()
    return follow_up.note
