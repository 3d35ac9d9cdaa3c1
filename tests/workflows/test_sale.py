"""The sale's opening steps on the Temporal dev server: completeness, abstract check, refusals."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contracts.case import CompletenessCheck, DocumentAttached
from contracts.sale import AbstractReview
from core import search_attributes as sa
from core.db import SessionFactory
from core.enums import Channel, Decision, Role, SaleStep
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import (
    APPLICANT_EMAIL,
    applicant,
    audit_actions,
    officer,
    read_case_row,
    sale_at_abstract_review,
    start_sale,
    store_document,
    wait_for_mail,
    wait_for_outbox_sent,
    wait_for_step,
)
from workflows.sale import SaleWorkflow

pytestmark = pytest.mark.usefixtures("dev_worker")


async def _review(client: Client, case_id: str, review: AbstractReview) -> str:
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case_id)
    return (await handle.execute_update(SaleWorkflow.review_abstract, review)).step


async def test_a_submission_waits_for_the_completeness_check_and_tells_both_sides(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case = await start_sale(session_factory, dev_env.client, settings)
    await wait_for_step(dev_env.client, case.id, SaleStep.COMPLETENESS)

    row = await read_case_row(session_factory, case.id)
    assert (row.step, row.status, row.assignee_role, row.sla_state) == (
        "completeness",
        "open",
        "officer",
        "not_started",
    )
    await wait_for_mail(smtp, 2)
    assert smtp.to(APPLICANT_EMAIL)[0]["Subject"] == f"Permintaan {case.id}: Pemeriksaan kelengkapan permintaan"
    officer_mail = smtp.to("officer.6202@demo.pst-flow.id")[0]
    assert officer_mail["Subject"] == f"Tugas: {case.id} – Pemeriksaan kelengkapan permintaan"
    assert f"http://pst.test/staff/cases/{case.id}" in officer_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    description = await dev_env.client.get_workflow_handle(case.id).describe()
    attributes = description.typed_search_attributes
    assert (attributes.get(sa.OFFICE_CODE), attributes.get(sa.SERVICE), attributes.get(sa.STEP)) == (
        "6202",
        "sale",
        "completeness",
    )
    summary = await description.static_summary()
    assert summary and case.id in summary
    assert "Siti" not in summary and APPLICANT_EMAIL not in summary


async def test_an_incomplete_request_goes_back_and_returns_when_the_abstract_arrives(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case = await start_sale(session_factory, dev_env.client, settings)
    await wait_for_step(dev_env.client, case.id, SaleStep.COMPLETENESS)
    handle = dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)

    with pytest.raises(WorkflowUpdateFailedError) as no_abstract:
        await handle.execute_update(SaleWorkflow.check_completeness, CompletenessCheck(actor=officer(), complete=True))
    with pytest.raises(WorkflowUpdateFailedError) as no_reason:
        await handle.execute_update(SaleWorkflow.check_completeness, CompletenessCheck(actor=officer(), complete=False))
    returned = await handle.execute_update(
        SaleWorkflow.check_completeness,
        CompletenessCheck(actor=officer(), complete=False, missing="Unggah abstraksi penggunaan data (PDF)."),
    )
    document_id = await store_document(session_factory, case.id, "abstract")
    back = await handle.execute_update(
        SaleWorkflow.attach_document, DocumentAttached(actor=applicant(), document_id=document_id, kind="abstract")
    )
    complete = await handle.execute_update(
        SaleWorkflow.check_completeness, CompletenessCheck(actor=officer(), complete=True)
    )

    assert "Abstraksi penggunaan data (PDF) belum diunggah" in str(no_abstract.value.cause)
    assert "Tuliskan apa yang kurang" in str(no_reason.value.cause)
    assert (returned.step, back.step, complete.step) == ("returned", "completeness", "abstract_review")
    assert await audit_actions(session_factory, case.id) == [
        "submitted",
        "request_returned",
        "request_completed",
        "request_complete",
        "sla_started",
    ]
    row = await read_case_row(session_factory, case.id)
    assert row.sla_state == "running" and row.sla_deadline is not None
    await wait_for_mail(smtp, 5)
    returned_mail = [m for m in smtp.to(APPLICANT_EMAIL) if "Menunggu pemohon melengkapi" in str(m["Subject"])][0]
    assert "Unggah abstraksi penggunaan data (PDF)." in returned_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]


async def test_approval_moves_to_the_offer_with_the_clock_running(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)

    step = await _review(dev_env.client, case.id, AbstractReview(decision=Decision.APPROVE, actor=officer()))

    assert step == SaleStep.OFFER
    row = await read_case_row(session_factory, case.id)
    assert (row.step, row.status, row.assignee_role) == ("offer", "open", "officer")
    assert (await audit_actions(session_factory, case.id))[-1] == "abstract_approved"
    described = await dev_env.client.get_workflow_handle(case.id).describe()
    assert described.typed_search_attributes.get(sa.STEP) == "offer"
    deadline = described.typed_search_attributes.get(sa.SLA_DEADLINE)
    assert deadline is not None and row.sla_deadline == deadline and row.sla_state == "running"
    local = deadline.astimezone(ZoneInfo("Asia/Pontianak"))
    assert (local.hour, local.minute, local.weekday() < 5) == (16, 0, True)
    assert timedelta(days=12) <= deadline - row.created_at <= timedelta(days=30)


async def test_online_rejection_cancels_the_transaction_and_mails_the_reason(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)
    reason = "Abstraksi membahas pertanian, data yang diminta Susenas."

    step = await _review(
        dev_env.client, case.id, AbstractReview(decision=Decision.REJECT, reason=reason, actor=officer())
    )

    assert step == SaleStep.CANCELLED
    result = await dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id).result()
    assert result.done
    row = await read_case_row(session_factory, case.id)
    assert (row.status, row.outcome_reason, row.sla_state) == ("cancelled", reason, "stopped")
    for _ in range(100):
        cancelled = [m for m in smtp.to(APPLICANT_EMAIL) if "dibatalkan" in str(m["Subject"])]
        if cancelled:
            break
        await asyncio.sleep(0.1)
    text = cancelled[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert reason in text and "transaksi baru" in text


async def test_walk_in_starts_at_the_abstract_check_and_a_misfit_goes_to_consultation(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case = await start_sale(session_factory, dev_env.client, settings, channel=Channel.WALK_IN)
    await wait_for_step(dev_env.client, case.id, SaleStep.ABSTRACT_REVIEW)
    for _ in range(100):
        if (await read_case_row(session_factory, case.id)).sla_state == "running":
            break
        await asyncio.sleep(0.05)
    assert (await read_case_row(session_factory, case.id)).sla_state == "running"  # recorded complete at the desk

    step = await _review(
        dev_env.client, case.id, AbstractReview(decision=Decision.REJECT, reason="Belum jelas", actor=officer())
    )

    assert step == SaleStep.REFERRED_TO_CONSULTATION
    await dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id).result()
    await wait_for_outbox_sent(session_factory)
    assert f"Permintaan {case.id} dialihkan ke konsultasi statistik" in smtp.subjects()


@pytest.mark.parametrize(
    ("review", "message"),
    [
        (AbstractReview(decision=Decision.REJECT, reason="  ", actor=officer()), "Tuliskan alasan"),
        (AbstractReview(decision=Decision.APPROVE, actor=officer(role=Role.TREASURER)), "hanya untuk Petugas PST"),
        (AbstractReview(decision=Decision.APPROVE, actor=officer(office_code="3304")), "milik kantor 6202"),
        (AbstractReview(decision="maybe", actor=officer()), "Keputusan harus"),
    ],
)
async def test_an_illegal_review_is_refused_and_changes_nothing(
    dev_env: WorkflowEnvironment,
    settings: Settings,
    session_factory: SessionFactory,
    review: AbstractReview,
    message: str,
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)
    before = await audit_actions(session_factory, case.id)

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await _review(dev_env.client, case.id, review)

    assert message in str(refused.value.cause)
    assert await audit_actions(session_factory, case.id) == before
    assert (await read_case_row(session_factory, case.id)).step == "abstract_review"


async def test_a_double_click_approves_once(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)
    approve = AbstractReview(decision=Decision.APPROVE, actor=officer())

    outcomes = await asyncio.gather(
        _review(dev_env.client, case.id, approve), _review(dev_env.client, case.id, approve), return_exceptions=True
    )

    assert sum(outcome == SaleStep.OFFER for outcome in outcomes) == 1
    assert len([outcome for outcome in outcomes if isinstance(outcome, WorkflowUpdateFailedError)]) == 1
    assert (await audit_actions(session_factory, case.id)).count("abstract_approved") == 1


async def test_the_workflow_survives_a_worker_restart(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, dev_worker: Worker
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)

    await dev_worker.shutdown()
    from worker import build_worker

    async with build_worker(dev_env.client, settings, session_factory):
        step = await _review(dev_env.client, case.id, AbstractReview(decision=Decision.APPROVE, actor=officer()))
    assert step == SaleStep.OFFER
