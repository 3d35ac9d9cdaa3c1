"""Temporal Schedules of PST Flow: one daily digest per office, created or updated idempotently."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from api.services.cases import release_connection
from contracts.sla import DigestInput
from core.models import Office
from core.settings import Settings
from workflows.digest import DigestWorkflow

log = logging.getLogger(__name__)

DIGEST_HOUR, DIGEST_MINUTE = 7, 30
DIGEST_CATCHUP = timedelta(hours=3)


def digest_schedule_id(office_code: str) -> str:
    """The id of an office's digest schedule in Temporal."""
    return f"pst-digest-{office_code}"


def digest_schedule(office: Office, settings: Settings) -> Schedule:
    """07:30 office time, Monday to Friday; the workflow itself skips holidays and the office's closures."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            DigestWorkflow.run,
            DigestInput(office_code=office.code),
            id=f"digest-{office.code}",
            task_queue=settings.task_queue,
            static_summary=f"Ringkasan harian tenggat kantor {office.code}",
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    hour=[ScheduleRange(DIGEST_HOUR)],
                    minute=[ScheduleRange(DIGEST_MINUTE)],
                    day_of_week=[ScheduleRange(1, 5)],
                    comment="07:30 waktu kantor, Senin-Jumat",
                )
            ],
            time_zone_name=office.timezone,
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=DIGEST_CATCHUP),
        state=ScheduleState(note=f"Ringkasan harian kasus terlambat dan hampir terlambat kantor {office.code}"),
    )


async def sync_digest_schedules(*, session: AsyncSession, temporal: Client, settings: Settings) -> list[str]:
    """Create each office's digest schedule, or bring it up to date keeping whether it is paused."""
    synced: list[str] = []
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    await release_connection(session=session)
    for office in offices:
        schedule_id = digest_schedule_id(office.code)
        wanted = digest_schedule(office, settings)
        try:
            await temporal.create_schedule(schedule_id, wanted)
        except ScheduleAlreadyRunningError:

            def keep_pause(current: ScheduleUpdateInput, wanted: Schedule = wanted) -> ScheduleUpdate:
                wanted.state = current.description.schedule.state
                return ScheduleUpdate(schedule=wanted)

            await temporal.get_schedule_handle(schedule_id).update(keep_pause)
        synced.append(schedule_id)
    log.info("digest schedules in sync: %s", ", ".join(synced))
    return synced
