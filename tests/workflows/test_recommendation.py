"""The recommendation on the time-skipping server: the 15-day limit of 6202 is warned and breached."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from api.services.cases import allocate_case_id, get_office
from api.services.recommendations import start_recommendation_workflow
from contracts.case import CompletenessCheck
from contracts.recommendation import Examination, ExaminerAssignment
from core.db import SessionFactory
from core.enums import CaseStatus, Role, Service
from core.models import AuditEntry, Case, utcnow
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import officer, wait_for_mail
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.recommendation import RecommendationWorkflow


async def _stored_fs3(session_factory: SessionFactory) -> Case:
    async with session_factory() as session, session.begin():
        office = await get_office(session=session, office_code="6202")
        now = utcnow()
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=Service.RECOMMENDATION, now=now),
            service=Service.RECOMMENDATION,
            office_code="6202",
            channel="online",
            applicant_name="Rina",
            applicant_email="rina@dinkes.example.com",
            applicant_institution="Dinas Kesehatan",
            segment="government",
            details={"fs3": {"title": "Survei Kesehatan Ibu dan Anak 2027", "year": 2027}, "unit": "Kesmas"},
            step="submitted",
            status=CaseStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
    return case


async def _recorded_complete(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory
) -> tuple[Case, WorkflowHandle[Any, Any]]:
    """A stored FS3 whose workflow has started and that the operator has recorded complete (its limit runs)."""
    case = await _stored_fs3(session_factory)
    async with session_factory() as session:
        await start_recommendation_workflow(
            session=session, temporal=time_env.client, settings=time_settings, case=case
        )
    handle = time_env.client.get_workflow_handle_for(RecommendationWorkflow.run, case.id)
    for _ in range(100):
        if (await handle.query(RecommendationWorkflow.status)).step == "completeness":
            break
        await asyncio.sleep(0.05)
    await handle.execute_update(
        RecommendationWorkflow.check_completeness, CompletenessCheck(officer(role=Role.OPERATOR), complete=True)
    )
    return case, handle


async def _moments(session_factory: SessionFactory, case_id: str, action: str) -> list:  # type: ignore[type-arg]
    async with session_factory() as session:
        rows = await session.scalars(
            select(AuditEntry.at).where(AuditEntry.case_id == case_id, AuditEntry.action == action)
        )
        return list(rows.all())


async def test_the_15_day_limit_warns_and_breaches_then_a_letter_ends_it(
    time_env: WorkflowEnvironment, time_settings: Settings, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case, handle = await _recorded_complete(time_env, time_settings, session_factory)
        await time_env.sleep(timedelta(days=20))
        await wait_for_mail(smtp, 6)
        supervisor = officer(role=Role.SUPERVISOR)
        examiner = officer(role=Role.EXAMINER)
        await handle.execute_update(
            RecommendationWorkflow.assign_examiner, ExaminerAssignment(supervisor, examiner.name)
        )
        result = await handle.execute_update(RecommendationWorkflow.examine, Examination(examiner, recommend=True))
        finished = await handle.result()
        if os.environ.get("PST_RECORD_HISTORIES") == "1":
            (HISTORIES / "recommendation.json").write_text((await handle.fetch_history()).to_json())

    [started] = await _moments(session_factory, case.id, "sla_started")
    [warned] = await _moments(session_factory, case.id, "sla_warning")
    [breached] = await _moments(session_factory, case.id, "sla_breached")
    assert abs(warned - (started + timedelta(days=12))) < timedelta(seconds=1)  # 80% of 15 days
    assert abs(breached - (started + timedelta(days=15))) < timedelta(seconds=1)
    assert result.detail.startswith("REK-6202-") and finished.step == "recommended"
    subjects = smtp.subjects()
    assert any(s.startswith("Tenggat terlewati") for s in subjects)
    assert smtp.to("supervisor.6202@")[0] is not None


async def test_a_run_that_holds_its_examiner_as_an_email_can_still_be_examined(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory
) -> None:
    """Runs assigned before people travelled as references hold the examiner's email: the examiner, who now acts as
    a reference, is checked by role in the workflow (and as a person by the API) instead of being locked out."""
    async with build_worker(time_env.client, time_settings, session_factory):
        _case, handle = await _recorded_complete(time_env, time_settings, session_factory)
        legacy = ExaminerAssignment(officer(role=Role.SUPERVISOR), "examiner.6202@demo.pst-flow.id")
        await handle.execute_update(RecommendationWorkflow.assign_examiner, legacy)
        with pytest.raises(WorkflowUpdateFailedError):  # the role is still checked
            await handle.execute_update(
                RecommendationWorkflow.examine, Examination(officer(role=Role.OPERATOR), recommend=True)
            )
        result = await handle.execute_update(
            RecommendationWorkflow.examine, Examination(officer(role=Role.EXAMINER), recommend=True)
        )

    assert result.step == "recommended"
