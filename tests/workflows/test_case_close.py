"""Staff close and supervisor reopen (issue 14 items 1 and 8), on the time-skipping server: every service closes
with a reason mailed to the applicant and leaves the inbox; a sale a timer closed can be reopened by a supervisor
within its window (back to its step, clock as it was), and not after it (its workflow has ended)."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from contracts.case import CaseClosing, CaseReopening, CompletenessCheck
from contracts.complaint import ComplaintInput
from contracts.documents import PriceLine
from contracts.recommendation import RecommendationInput
from contracts.sale import Offer, SampleReview
from contracts.visit import VisitInput
from core.db import SessionFactory
from core.enums import CLOSED_STEP, Role, SaleStep, Service
from core.models import OutboxMail
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import (
    APPLICANT_EMAIL,
    applicant,
    approved_sale,
    audit_actions,
    officer,
    read_case_row,
    start_sale,
    store_case,
    store_document,
    wait_for_step,
)
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.case import ClosableCase
from workflows.complaint import ComplaintWorkflow
from workflows.recommendation import RecommendationWorkflow
from workflows.sale import SaleWorkflow
from workflows.visit import VisitWorkflow

SUPERVISOR = officer(role=Role.SUPERVISOR)
REASON = "Pemohon meminta permintaannya dibatalkan melalui telepon"
SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]


def _save(name: str, history: Any) -> None:
    if os.environ.get("PST_RECORD_HISTORIES") == "1":
        (HISTORIES / name).write_text(history.to_json())


async def _until_step(handle: WorkflowHandle[Any, Any], step: str, timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while (await handle.query("status"))["step"] != step:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{handle.id} never reached {step}")
        await asyncio.sleep(0.05)


async def _until_action(session_factory: SessionFactory, case_id: str, action: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while action not in await audit_actions(session_factory, case_id):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{case_id}: no {action} in {await audit_actions(session_factory, case_id)}")
        await asyncio.sleep(0.1)


async def _closing_mail(session_factory: SessionFactory, case_id: str, notice: str = "case_closed") -> OutboxMail:
    async with session_factory() as session:
        mail = await session.scalar(
            select(OutboxMail).where(OutboxMail.case_id == case_id, OutboxMail.key.like(f"%:{notice}:%"))
        )
    assert mail is not None, f"no {notice} mail of {case_id}"
    return mail


async def _start(client: Client, settings: Settings, session_factory: SessionFactory, service: str) -> str:
    """A case of ``service`` whose workflow runs and waits on the office."""
    if service == Service.SALE:
        return (await approved_sale(session_factory, client, settings)).id
    if service == Service.RECOMMENDATION:
        case_id = await store_case(session_factory, service, "submitted", Role.OPERATOR)
        message: Any = RecommendationInput(case_id, "6202", "online")
        run: Any = RecommendationWorkflow.run
        first = "completeness"
    elif service == Service.COMPLAINT:
        case_id = await store_case(session_factory, service, "submitted", Role.OFFICER, text="Data tidak bisa diunduh")
        message, run, first = ComplaintInput(case_id, "6202", "email"), ComplaintWorkflow.run, "response"
    else:
        case_id = await store_case(session_factory, service, "waiting", Role.OFFICER)
        message, run, first = VisitInput(case_id, "6202", "A-001"), VisitWorkflow.run, "waiting"
    handle = await client.start_workflow(run, message, id=case_id, task_queue=settings.task_queue)
    await _until_step(handle, first)
    return case_id


@pytest.mark.parametrize(
    ("service", "closer"),
    [
        (Service.SALE, officer()),
        (Service.RECOMMENDATION, SUPERVISOR),
        (Service.COMPLAINT, officer()),
        (Service.VISIT, SUPERVISOR),
    ],
)
async def test_staff_close_ends_every_service_with_a_mail_and_out_of_the_inbox(
    service: str,
    closer: Any,
    time_env: WorkflowEnvironment,
    time_settings: Settings,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _start(time_env.client, time_settings, session_factory, service)
        handle = time_env.client.get_workflow_handle(case_id)
        for refused in (CaseClosing(closer, "   "), CaseClosing(officer(role=Role.TREASURER), REASON)):
            with pytest.raises(WorkflowUpdateFailedError):
                await handle.execute_update(ClosableCase.close_case, refused)
        closed = await handle.execute_update(ClosableCase.close_case, CaseClosing(closer, REASON))
        step = SaleStep.CANCELLED if service == Service.SALE else CLOSED_STEP
        assert closed.step == step
        await handle.result()  # the workflow ends: a staff close is not reopened
        with pytest.raises(Exception):  # noqa: B017 - an ended workflow takes no update
            await handle.execute_update(ClosableCase.close_case, CaseClosing(closer, REASON))
        _save(f"{service}_closed_by_staff.json", await handle.fetch_history())

    row = await read_case_row(session_factory, case_id)
    assert (row.step, row.status, row.assignee_role) == (step, "cancelled", None)
    assert row.outcome_reason == REASON
    assert row.sla_state in ("stopped", "not_started")
    actions = await audit_actions(session_factory, case_id)
    assert "case_closed" in actions and "reopen_window" not in actions
    mail = await _closing_mail(session_factory, case_id)
    assert mail.subject == f"Permintaan {case_id} ditutup"
    assert REASON in mail.body_text and "Alasan:" in mail.body_text


async def _returned_and_closed_by_timer(env: WorkflowEnvironment, settings: Settings, sf: SessionFactory) -> str:
    """A sale returned to the applicant who never answers: after 14 days a timer closes it (h8's waits)."""
    case = await start_sale(sf, env.client, settings)
    await wait_for_step(env.client, case.id, SaleStep.COMPLETENESS)
    handle = env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    await handle.execute_update(
        SaleWorkflow.check_completeness, CompletenessCheck(officer(), False, "Abstraksi belum diunggah")
    )
    await env.sleep(timedelta(days=14, hours=1))
    await _until_action(sf, case.id, "reopen_window")
    return case.id


async def test_a_supervisor_reopens_a_sale_a_timer_closed_within_its_window(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _returned_and_closed_by_timer(time_env, time_settings, session_factory)
        row = await read_case_row(session_factory, case_id)
        assert (row.status, row.step) == ("cancelled", SaleStep.CANCELLED)
        assert row.details["reopen"]["step"] == SaleStep.RETURNED
        handle = time_env.client.get_workflow_handle_for(SaleWorkflow.run, case_id)
        await time_env.sleep(timedelta(days=10))
        for refused in (CaseReopening(officer(), "Pemohon menelepon"), CaseReopening(SUPERVISOR, " ")):
            with pytest.raises(WorkflowUpdateFailedError):  # only a supervisor, only with a reason
                await handle.execute_update(ClosableCase.reopen_case, refused)
        reopened = await handle.execute_update(
            ClosableCase.reopen_case, CaseReopening(SUPERVISOR, "Pemohon menelepon: abstraksi dikirim minggu ini")
        )
        assert reopened.step == SaleStep.RETURNED
        row = await read_case_row(session_factory, case_id)
        assert (row.status, row.step, row.assignee_role) == ("open", SaleStep.RETURNED, None)
        assert "reopen" not in row.details
        # the applicant is waited on again, with a new limit; a staff close still ends it
        await time_env.sleep(timedelta(days=2))
        assert (await handle.query(SaleWorkflow.status)).step == SaleStep.RETURNED
        await handle.execute_update(ClosableCase.close_case, CaseClosing(SUPERVISOR, REASON))
        await handle.result()
        _save("sale_reopened_after_timeout.json", await handle.fetch_history())

    actions = await audit_actions(session_factory, case_id)
    assert actions.index("closed_timeout") < actions.index("reopen_window") < actions.index("case_reopened")
    assert actions[-1] in ("case_closed", "sla_stopped")
    reopening = await _closing_mail(session_factory, case_id, "case_reopened")
    assert reopening.subject == f"Permintaan {case_id} dibuka kembali"
    assert "Menunggu pemohon melengkapi permintaan" in reopening.body_text
    assert APPLICANT_EMAIL in reopening.to_addr


async def test_no_reopen_after_the_window_the_workflow_ends(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _returned_and_closed_by_timer(time_env, time_settings, session_factory)
        handle = time_env.client.get_workflow_handle_for(SaleWorkflow.run, case_id)
        await time_env.sleep(timedelta(days=30, hours=1))  # the window is over: the workflow ends
        result = await handle.result()
        assert result.done and result.step == SaleStep.CANCELLED
        with pytest.raises(Exception):  # noqa: B017 - the window is over: the workflow has ended
            await handle.execute_update(ClosableCase.reopen_case, CaseReopening(SUPERVISOR, "Terlambat"))
        _save("sale_reopen_window_over.json", await handle.fetch_history())

    row = await read_case_row(session_factory, case_id)
    assert (row.status, row.step) == ("cancelled", SaleStep.CANCELLED)
    assert "case_reopened" not in await audit_actions(session_factory, case_id)


async def test_a_reopened_sample_review_keeps_its_paused_clock_which_runs_again_with_the_office(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case = await approved_sale(session_factory, time_env.client, time_settings)
        handle = time_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
        sample = await store_document(session_factory, case.id, "sample")
        await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
        paused = await read_case_row(session_factory, case.id)
        assert paused.sla_state == "paused" and paused.sla_remaining
        await time_env.sleep(timedelta(days=7, hours=1))  # the sample is never reviewed: a timer closes the sale
        await _until_action(session_factory, case.id, "reopen_window")
        await handle.execute_update(ClosableCase.reopen_case, CaseReopening(SUPERVISOR, "Pemohon sedang sakit"))
        reopened = await read_case_row(session_factory, case.id)
        assert (reopened.status, reopened.step) == ("open", SaleStep.SAMPLE_REVIEW)
        assert reopened.sla_remaining == paused.sla_remaining  # the closed days did not count
        await handle.execute_update(
            SaleWorkflow.review_sample, SampleReview(applicant(), False, "Tambahkan variabel umur")
        )
        running = await read_case_row(session_factory, case.id)
        assert (running.step, running.sla_state) == (SaleStep.OFFER, "running")  # the clock runs again
        assert running.sla_deadline is not None
