"""Every wait of a recommendation on its agency ends (issue 14): an FS3 returned incomplete, or returned by the
examiner for revision, is reminded before the office's limit (the sale's setting for a returned request, 14 days by
default) and then closes with a mail in the agency's language; a supervisor may reopen it within the window. On the
time-skipping server."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from contracts.case import CaseReopening, CompletenessCheck
from contracts.recommendation import Examination, ExaminerAssignment, RecommendationResubmit
from core.db import SessionFactory
from core.enums import CLOSED_STEP, Role
from core.models import Applicant, AuditEntry, Case, OutboxMail
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import officer, read_case_row
from tests.workflows.test_recommendation import _recorded_complete, _stored_fs3
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.case import ClosableCase
from workflows.recommendation import RecommendationWorkflow

AGENCY_EMAIL = "rina@dinkes.example.com"
OPERATOR = officer(role=Role.OPERATOR)
SUPERVISOR = officer(role=Role.SUPERVISOR)
EXAMINER = officer(role=Role.EXAMINER)
AGENCY = officer(role="applicant")


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never: {what}")
        await asyncio.sleep(0.1)


async def _actions(session_factory: SessionFactory, case_id: str) -> list[tuple[str, str]]:
    async with session_factory() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.note)
            .where(AuditEntry.case_id == case_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return [(action, note) for action, note in rows.all()]


async def _has(session_factory: SessionFactory, case_id: str, action: str, times: int = 1) -> None:
    async def found() -> bool:
        return [a for a, _ in await _actions(session_factory, case_id)].count(action) >= times

    await _until(found, f"{case_id}: {action} ×{times}")


async def _agency_mails(session_factory: SessionFactory, case_id: str) -> list[OutboxMail]:
    async with session_factory() as session:
        rows = await session.scalars(select(OutboxMail).where(OutboxMail.case_id == case_id).order_by(OutboxMail.id))
        return [mail for mail in rows.all() if AGENCY_EMAIL in mail.to_addr]


def _notice(mail: OutboxMail) -> str:
    return mail.key.split(":")[1]


def _save(name: str, history: Any) -> None:
    if os.environ.get("PST_RECORD_HISTORIES") == "1":
        (HISTORIES / name).write_text(history.to_json())


async def _started(
    env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> tuple[str, WorkflowHandle[Any, Any]]:
    """A stored FS3 whose workflow waits for the operator's completeness check."""
    from api.services.recommendations import start_recommendation_workflow  # noqa: PLC0415 - as test_recommendation

    case = await _stored_fs3(session_factory)
    async with session_factory() as session:
        await start_recommendation_workflow(session=session, temporal=env.client, settings=settings, case=case)
    handle = env.client.get_workflow_handle_for(RecommendationWorkflow.run, case.id)
    for _ in range(100):
        if (await handle.query(RecommendationWorkflow.status)).step == "completeness":
            break
        await asyncio.sleep(0.05)
    return case.id, handle


async def _closed(env: WorkflowEnvironment, session_factory: SessionFactory, case_id: str, clock: str) -> None:
    async def cancelled() -> bool:
        return (await read_case_row(session_factory, case_id)).status == "cancelled"

    await _until(cancelled, f"{case_id} closed")
    row = await read_case_row(session_factory, case_id)
    assert (row.step, row.status, row.sla_state, row.assignee_role) == (CLOSED_STEP, "cancelled", clock, None)
    assert row.outcome_reason.startswith("Ditutup: tidak ada jawaban dari instansi")


async def test_an_fs3_returned_incomplete_is_reminded_then_closed_and_the_workflow_ends_after_the_window(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id, handle = await _started(time_env, time_settings, session_factory)
        returned = await handle.execute_update(
            RecommendationWorkflow.check_completeness, CompletenessCheck(OPERATOR, False, "Jadwal kegiatan belum diisi")
        )
        assert returned.step == "returned"
        await time_env.sleep(timedelta(days=11, hours=1))  # 3 days before the 14th
        await _has(session_factory, case_id, "wait_reminder")
        row = await read_case_row(session_factory, case_id)
        assert (row.status, row.sla_state) == ("open", "not_started")  # the 15 days start once recorded complete
        await time_env.sleep(timedelta(days=3))
        await _closed(time_env, session_factory, case_id, "not_started")
        await time_env.sleep(timedelta(days=31))  # no reopen within the window: the workflow ends
        result = await handle.result()
        assert result.step == CLOSED_STEP
        _save("recommendation_returned_closed_timeout.json", await handle.fetch_history())

    actions = await _actions(session_factory, case_id)
    names = [a for a, _ in actions]
    assert names.index("wait_reminder") < names.index("closed_timeout") < names.index("reopen_window")
    assert dict(actions)["closed_timeout"] == "Ditutup: tidak ada jawaban dari instansi dalam 14 hari (melengkapi FS3)"
    assert "instansi tidak menanggapi (melengkapi FS3)" in dict(actions)["wait_reminder"]
    mails = await _agency_mails(session_factory, case_id)
    assert [_notice(m) for m in mails][-2:] == ["recommendation_reminder", "recommendation_closed_timeout"]
    reminder, closing = mails[-2:]
    assert reminder.subject == f"Pengingat: FS3 {case_id} menunggu tanggapan instansi Anda"
    assert "FS3 Anda belum lengkap" in reminder.body_text and "ditutup" in reminder.body_text
    assert closing.subject == f"Permintaan rekomendasi {case_id} ditutup: tidak ada tanggapan dari instansi"
    assert "(melengkapi FS3) selama 14 hari" in closing.body_text


async def test_a_revision_never_sent_closes_in_english_for_an_english_agency_and_a_supervisor_reopens_it(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case, handle = await _recorded_complete(time_env, time_settings, session_factory)
        async with session_factory() as session, session.begin():  # the agency's account reads English
            agency = Applicant(
                email=AGENCY_EMAIL,
                name="Rina",
                institution="Dinas Kesehatan",
                segment="government",
                password_hash="x",
                language="en",
            )
            session.add(agency)
            await session.flush()
            await session.execute(update(Case).where(Case.id == case.id).values(applicant_id=agency.id))
        await handle.execute_update(
            RecommendationWorkflow.assign_examiner, ExaminerAssignment(SUPERVISOR, EXAMINER.name)
        )
        await time_env.sleep(timedelta(days=2))
        revision = await handle.execute_update(
            RecommendationWorkflow.examine, Examination(EXAMINER, False, "Definisi variabel belum lengkap")
        )
        assert revision.step == "revision"
        paused = await read_case_row(session_factory, case.id)
        assert paused.sla_state == "paused" and paused.sla_remaining
        await time_env.sleep(timedelta(days=11, hours=1))
        await _has(session_factory, case.id, "wait_reminder")
        assert (await read_case_row(session_factory, case.id)).sla_state == "paused"
        await time_env.sleep(timedelta(days=3))
        await _closed(time_env, session_factory, case.id, "stopped")

        await time_env.sleep(timedelta(days=5))
        with pytest.raises(WorkflowUpdateFailedError):  # only a supervisor reopens
            await handle.execute_update(ClosableCase.reopen_case, CaseReopening(OPERATOR, "Instansi menelepon"))
        reopened = await handle.execute_update(
            ClosableCase.reopen_case, CaseReopening(SUPERVISOR, "Instansi menelepon: FS3 perbaikan dikirim besok")
        )
        assert reopened.step == "revision"
        row = await read_case_row(session_factory, case.id)
        assert (row.status, row.step, row.assignee_role) == ("open", "revision", None)
        resubmitted = await handle.execute_update(
            RecommendationWorkflow.resubmit, RecommendationResubmit(AGENCY, "Definisi variabel dilengkapi")
        )
        assert resubmitted.step == "examination"
        running = await read_case_row(session_factory, case.id)  # a new examination round: the 15 days again
        assert running.sla_state == "running" and running.sla_deadline is not None
        letter = await handle.execute_update(RecommendationWorkflow.examine, Examination(EXAMINER, True))
        assert letter.step == "recommended"
        await handle.result()
        _save("recommendation_revision_closed_reopened.json", await handle.fetch_history())

    names = [a for a, _ in await _actions(session_factory, case.id)]
    assert names.index("closed_timeout") < names.index("case_reopened") < names.index("recommended")
    notices = [_notice(m) for m in await _agency_mails(session_factory, case.id)]
    assert notices.index("recommendation_reminder") < notices.index("recommendation_closed_timeout")
    closing = next(m for m in await _agency_mails(session_factory, case.id) if "closed_timeout" in m.key)
    assert closing.subject == f"Recommendation request {case.id} closed: no answer from the agency"
    assert "(sending the revised FS3)" in closing.body_text


async def test_an_agency_that_answers_in_time_is_not_closed(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id, handle = await _started(time_env, time_settings, session_factory)
        await handle.execute_update(RecommendationWorkflow.check_completeness, CompletenessCheck(OPERATOR, False, "X"))
        await time_env.sleep(timedelta(days=12))
        await _has(session_factory, case_id, "wait_reminder")
        completed = await handle.execute_update(RecommendationWorkflow.resubmit, RecommendationResubmit(AGENCY))
        assert completed.step == "completeness"
        await time_env.sleep(timedelta(days=5))  # the operator's turn: no closure
        assert (await handle.query(RecommendationWorkflow.status)).step == "completeness"

    assert "closed_timeout" not in [a for a, _ in await _actions(session_factory, case_id)]
