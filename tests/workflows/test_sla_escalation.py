"""An untouched sale on the time-skipping server: one warning, one breach, one provincial escalation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from core.calendar import clock_moments, office_calendar
from core.db import SessionFactory
from core.models import AuditEntry
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import approved_sale, read_case_row, wait_for_mail
from worker import build_worker

WIB = "Asia/Pontianak"


async def _audit_times(session_factory: SessionFactory, case_id: str) -> dict[str, list]:  # type: ignore[type-arg]
    async with session_factory() as session:
        rows = (
            await session.execute(select(AuditEntry.action, AuditEntry.at).where(AuditEntry.case_id == case_id))
        ).all()
    times: dict[str, list] = {}  # type: ignore[type-arg]
    for action, at in rows:
        times.setdefault(action, []).append(at)
    return times


async def test_an_untouched_sale_is_warned_breached_and_escalated_once_each_at_office_time(
    time_env: WorkflowEnvironment, time_settings: Settings, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    settings = time_settings
    # no sticky cache: the first worker's sticky queue would hold the time-skipping server's clock
    async with build_worker(time_env.client, settings, session_factory, max_cached_workflows=0):
        case = await approved_sale(session_factory, time_env.client, settings)
        await wait_for_mail(smtp, 6)  # three steps: the applicant and the officer hear of each
        warning_at = (await read_case_row(session_factory, case.id)).sla_warning_at
        assert warning_at is not None
        await time_env.sleep(warning_at - await time_env.get_current_time() + timedelta(hours=1))
        await wait_for_mail(smtp, 7)

    # the worker restarts between the warning and the breach: nothing is sent twice
    async with build_worker(time_env.client, settings, session_factory, max_cached_workflows=0):
        await time_env.sleep(timedelta(days=45))
        await wait_for_mail(smtp, 9)
        await time_env.sleep(timedelta(days=45))

    started = (await _audit_times(session_factory, case.id))["sla_started"][0]
    calendar = office_calendar(timezone=WIB, close_of_business="16:00", cuti_bersama_is_day_off=True, around=started)
    expected = clock_moments(
        calendar,
        unit="working_days",
        anchor=started,
        anchor_budget=10,
        total_budget=10,
        warning_share=0.8,
        escalation_working_days=2,
    )
    times = await _audit_times(session_factory, case.id)
    for action, moment in (
        ("sla_warning", expected.warning_at),
        ("sla_breached", expected.deadline),
        ("sla_escalated", expected.escalation_at),
    ):
        assert len(times[action]) == 1, action
        assert abs(times[action][0] - moment) < timedelta(seconds=1), (action, times[action][0], moment)
    for moment in (expected.warning_at, expected.deadline, expected.escalation_at):
        local = moment.astimezone(calendar.zone)
        assert (local.hour, local.minute) == (16, 0) and calendar.is_working_day(local.date())

    subjects = smtp.subjects()
    assert len(subjects) == 9, subjects
    assert sum(s.startswith("Peringatan tenggat") for s in subjects) == 1, subjects
    assert sum(s.startswith("Tenggat terlewati") for s in subjects) == 1
    assert sum(s.startswith("Eskalasi") for s in subjects) == 1
    assert [m["Subject"] for m in smtp.to("officer.6202@")][-1].startswith("Peringatan tenggat")
    assert smtp.to("supervisor.6202@")[0]["Subject"].startswith("Tenggat terlewati")
    assert smtp.to("provincial-supervisor.6202@")[0]["Subject"].startswith("Eskalasi")
    row = await read_case_row(session_factory, case.id)
    assert (row.sla_state, row.sla_deadline) == ("breached", expected.deadline)
