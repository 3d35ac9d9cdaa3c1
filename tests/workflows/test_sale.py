"""The sale's opening steps on the Temporal dev server, with the database and a real SMTP server."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from core import search_attributes as sa
from core.db import SessionFactory
from core.enums import Channel, Decision, Role, SaleStep
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import (
    APPLICANT_EMAIL,
    audit_actions,
    officer,
    read_case_row,
    start_sale,
    wait_for_mail,
    wait_for_step,
)
from workflows.sale import SaleWorkflow
from workflows.shared import AbstractReview

pytestmark = pytest.mark.usefixtures("dev_worker")


async def _review(client: Client, case_id: str, review: AbstractReview) -> str:
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case_id)
    return (await handle.execute_update(SaleWorkflow.review_abstract, review)).step


async def _submitted(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, **kw: str
) -> str:
    case = await start_sale(session_factory, dev_env.client, settings, **kw)
    await wait_for_step(dev_env.client, case.id, SaleStep.ABSTRACT_REVIEW)
    return case.id


async def test_submission_waits_for_the_officer_and_mails_applicant_and_officer(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case_id = await _submitted(dev_env, settings, session_factory)

    row = await read_case_row(session_factory, case_id)
    assert (row.step, row.status, row.assignee_role) == ("abstract_review", "open", "officer")
    await wait_for_mail(smtp, 2)
    assert smtp.to(APPLICANT_EMAIL)[0]["Subject"] == f"Permintaan {case_id} telah diterima"
    officer_mail = smtp.to("officer.6202@demo.pst-flow.id")[0]
    assert "menunggu pemeriksaan abstraksi" in str(officer_mail["Subject"])
    assert f"http://pst.test/staff/cases/{case_id}" in officer_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    description = await dev_env.client.get_workflow_handle(case_id).describe()
    attributes = description.typed_search_attributes
    assert attributes.get(sa.OFFICE_CODE) == "6202"
    assert attributes.get(sa.SERVICE) == "sale"
    assert attributes.get(sa.STEP) == "abstract_review"
    summary = await description.static_summary()
    assert summary and case_id in summary
    assert "Siti" not in summary and APPLICANT_EMAIL not in summary


async def test_approval_moves_to_the_offer_and_tells_the_applicant(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case_id = await _submitted(dev_env, settings, session_factory)

    step = await _review(dev_env.client, case_id, AbstractReview(decision=Decision.APPROVE, actor=officer()))

    assert step == SaleStep.OFFER
    row = await read_case_row(session_factory, case_id)
    assert (row.step, row.status) == ("offer", "open")
    assert await audit_actions(session_factory, case_id) == ["submitted", "abstract_approved", "sla_started"]
    await wait_for_mail(smtp, 3)
    assert f"Abstraksi permintaan {case_id} disetujui" in smtp.subjects()
    described = await dev_env.client.get_workflow_handle(case_id).describe()
    assert described.typed_search_attributes.get(sa.STEP) == "offer"
    deadline = described.typed_search_attributes.get(sa.SLA_DEADLINE)
    assert deadline is not None and row.sla_deadline == deadline and row.sla_state == "running"
    local = deadline.astimezone(ZoneInfo("Asia/Pontianak"))
    assert (local.hour, local.minute, local.weekday() < 5) == (16, 0, True)
    assert timedelta(days=12) <= deadline - row.created_at <= timedelta(days=30)


async def test_online_rejection_cancels_the_transaction_and_mails_the_reason(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case_id = await _submitted(dev_env, settings, session_factory)
    reason = "Abstraksi membahas pertanian, data yang diminta Susenas."

    step = await _review(
        dev_env.client, case_id, AbstractReview(decision=Decision.REJECT, reason=reason, actor=officer())
    )

    assert step == SaleStep.CANCELLED
    result = await dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case_id).result()
    assert result.done
    row = await read_case_row(session_factory, case_id)
    assert (row.status, row.outcome_reason) == ("cancelled", reason)
    await wait_for_mail(smtp, 3)
    cancelled = [m for m in smtp.to(APPLICANT_EMAIL) if "dibatalkan" in str(m["Subject"])][0]
    text = cancelled.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert reason in text and "transaksi baru" in text


async def test_walk_in_rejection_refers_to_statistical_consultation(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case_id = await _submitted(dev_env, settings, session_factory, channel=Channel.WALK_IN)

    step = await _review(
        dev_env.client, case_id, AbstractReview(decision=Decision.REJECT, reason="Belum jelas", actor=officer())
    )

    assert step == SaleStep.REFERRED_TO_CONSULTATION
    await wait_for_mail(smtp, 3)
    assert f"Permintaan {case_id} dialihkan ke konsultasi statistik" in smtp.subjects()


@pytest.mark.parametrize(
    ("review", "message"),
    [
        (AbstractReview(decision=Decision.REJECT, reason="  ", actor=officer()), "Tuliskan alasan"),
        (AbstractReview(decision=Decision.APPROVE, actor=officer(role=Role.TREASURER)), "Hanya petugas PST"),
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
    case_id = await _submitted(dev_env, settings, session_factory)

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await _review(dev_env.client, case_id, review)

    assert message in str(refused.value.cause)
    assert await audit_actions(session_factory, case_id) == ["submitted"]
    assert (await read_case_row(session_factory, case_id)).step == "abstract_review"


async def test_a_double_click_approves_once(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    case_id = await _submitted(dev_env, settings, session_factory)
    approve = AbstractReview(decision=Decision.APPROVE, actor=officer())

    outcomes = await asyncio.gather(
        _review(dev_env.client, case_id, approve), _review(dev_env.client, case_id, approve), return_exceptions=True
    )

    assert sum(outcome == SaleStep.OFFER for outcome in outcomes) == 1
    refused = [outcome for outcome in outcomes if isinstance(outcome, WorkflowUpdateFailedError)]
    assert len(refused) == 1
    assert await audit_actions(session_factory, case_id) == ["submitted", "abstract_approved", "sla_started"]


async def test_the_workflow_survives_a_worker_restart(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, dev_worker: Worker
) -> None:
    case_id = await _submitted(dev_env, settings, session_factory)

    await dev_worker.shutdown()
    from worker import build_worker

    async with build_worker(dev_env.client, settings, session_factory):
        step = await _review(dev_env.client, case_id, AbstractReview(decision=Decision.APPROVE, actor=officer()))
    assert step == SaleStep.OFFER
