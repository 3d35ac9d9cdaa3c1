"""A complaint left unanswered on the time-skipping server: warned, then breached after 5 working days."""

from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from api.services.cases import allocate_case_id, get_office
from contracts.complaint import ComplaintInput, ComplaintResolution
from core.calendar import office_calendar
from core.db import SessionFactory
from core.enums import CaseStatus, Service
from core.models import AuditEntry, Case, utcnow
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import officer, wait_for_mail, wait_for_outbox_sent
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.complaint import ComplaintWorkflow


async def test_an_unanswered_complaint_breaches_after_five_working_days_then_is_answered(
    time_env: WorkflowEnvironment, time_settings: Settings, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    async with session_factory() as session, session.begin():
        office = await get_office(session=session, office_code="3304")
        now = utcnow()
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=Service.COMPLAINT, now=now),
            service=Service.COMPLAINT,
            office_code="3304",
            channel="email",
            applicant_name="Wati",
            applicant_email="wati@example.com",
            details={"text": "Data tidak bisa diunduh"},
            step="submitted",
            status=CaseStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
    async with build_worker(time_env.client, time_settings, session_factory):
        handle = await time_env.client.start_workflow(
            ComplaintWorkflow.run,
            ComplaintInput(case.id, "3304", "email"),
            id=case.id,
            task_queue=time_settings.task_queue,
        )
        await wait_for_mail(smtp, 2)  # acknowledgement to the complainant, task to the officer
        await time_env.sleep(timedelta(days=12))
        await wait_for_mail(smtp, 4)
        answer = ComplaintResolution(officer("3304"), "Tautan unduhan baru sudah kami kirim ke email Anda.")
        await handle.execute_update(ComplaintWorkflow.resolve, answer)
        await handle.result()
        await wait_for_outbox_sent(session_factory)
        if os.environ.get("PST_RECORD_HISTORIES") == "1":
            (HISTORIES / "complaint.json").write_text((await handle.fetch_history()).to_json())

    async with session_factory() as session:
        rows = dict(
            (await session.execute(select(AuditEntry.action, AuditEntry.at).where(AuditEntry.case_id == case.id))).all()
        )
    calendar = office_calendar(
        timezone="Asia/Jakarta", close_of_business="16:00", cuti_bersama_is_day_off=True, around=rows["sla_started"]
    )
    assert abs(rows["sla_breached"] - calendar.add_working_days(rows["sla_started"], 5)) < timedelta(seconds=1)
    assert smtp.to("supervisor.3304@")[0]["Subject"].startswith("Tenggat terlewati")
    assert any("Tanggapan atas pengaduan" in str(m["Subject"]) for m in smtp.to("wati@example.com"))
