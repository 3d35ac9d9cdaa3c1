"""The daily digest: its content, once per day and supervisor, skipping holidays; its Schedules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update
from temporalio.testing import WorkflowEnvironment

from api.services.schedules import digest_schedule_id, sync_digest_schedules
from contracts.sla import DigestInput
from core.db import SessionFactory
from core.models import Case
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import store_sale
from workflows.digest import DigestWorkflow

pytestmark = pytest.mark.usefixtures("dev_worker")

TUESDAY_0730_WIB = datetime(2026, 3, 17, 0, 30, tzinfo=UTC)
NYEPI_0730_WIB = datetime(2026, 3, 19, 0, 30, tzinfo=UTC)


async def _case_with_clock(session_factory: SessionFactory, warning: datetime, deadline: datetime) -> str:
    case = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(step="offer", sla_state="running", sla_warning_at=warning, sla_deadline=deadline)
        )
    return case.id


async def _digest(dev_env: WorkflowEnvironment, settings: Settings, as_of: datetime, run: str):  # type: ignore[no-untyped-def]
    return await dev_env.client.execute_workflow(
        DigestWorkflow.run, DigestInput("6202", as_of), id=f"digest-test-{run}", task_queue=settings.task_queue
    )


async def test_the_digest_lists_late_and_nearly_late_cases_once_per_day(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    late = await _case_with_clock(
        session_factory, datetime(2026, 3, 12, tzinfo=UTC), datetime(2026, 3, 16, 9, tzinfo=UTC)
    )
    near = await _case_with_clock(
        session_factory, datetime(2026, 3, 16, tzinfo=UTC), datetime(2026, 3, 25, 9, tzinfo=UTC)
    )
    on_track = await _case_with_clock(
        session_factory, datetime(2026, 4, 20, tzinfo=UTC), datetime(2026, 4, 24, 9, tzinfo=UTC)
    )

    first = await _digest(dev_env, settings, TUESDAY_0730_WIB, "first")
    again = await _digest(dev_env, settings, TUESDAY_0730_WIB, "again")

    assert (first.sent, again.sent) == (1, 1)
    assert len(smtp.messages) == 1  # the same day's digest is not sent twice
    mail = smtp.messages[0]
    assert mail["To"] == "supervisor.6202@demo.pst-flow.id"
    assert (
        mail["Subject"]
        == "Ringkasan harian BPS Kabupaten Kotawaringin Timur 17 Maret 2026: 1 terlambat, 1 hampir terlambat"
    )
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    late_part, near_part = text.split("Mendekati tenggat")
    assert late in late_part and "16 Maret 2026 pukul 16.00 WIB" in late_part
    assert near in near_part and late not in near_part
    assert on_track not in text
    assert f"http://pst.test/staff/cases/{late}" in text


async def test_the_digest_skips_a_holiday(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    await _case_with_clock(session_factory, datetime(2026, 3, 12, tzinfo=UTC), datetime(2026, 3, 16, 9, tzinfo=UTC))

    result = await _digest(dev_env, settings, NYEPI_0730_WIB, "nyepi")

    assert (result.sent, result.skipped_reason) == (0, "bukan hari kerja")
    assert smtp.messages == []


async def test_schedules_are_synced_idempotently_and_stay_paused(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    async with session_factory() as session:
        first = await sync_digest_schedules(session=session, temporal=dev_env.client, settings=settings)
    handle = dev_env.client.get_schedule_handle(digest_schedule_id("6302"))
    try:
        await handle.pause(note="uji jeda")
        async with session_factory() as session:
            second = await sync_digest_schedules(session=session, temporal=dev_env.client, settings=settings)
        description = await handle.describe()

        assert first == second == [digest_schedule_id(code) for code in ("1906", "3304", "6202", "6302")]
        assert description.schedule.state.paused is True
        spec = description.schedule.spec
        assert spec.time_zone_name == "Asia/Makassar"
        calendar = spec.calendars[0]
        assert [r.start for r in calendar.hour] == [7] and [r.start for r in calendar.minute] == [30]
        assert (calendar.day_of_week[0].start, calendar.day_of_week[0].end) == (1, 5)
        zone_6202 = (await dev_env.client.get_schedule_handle(digest_schedule_id("6202")).describe()).schedule.spec
        assert zone_6202.time_zone_name == "Asia/Pontianak"
    finally:
        for schedule_id in first:
            await dev_env.client.get_schedule_handle(schedule_id).delete()
