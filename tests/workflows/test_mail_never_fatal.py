"""Mail never stops a sale: with no treasurer account in the office the treasurer's tasks reach the supervisor (the
timeline says so), a notice whose template fails is skipped, and either way the later mails go and the sale ends.
Notices reach whom they concern: a domestic online payment (SIMPONI settles it) owes the treasurer no task, a
transfer and a cash payment do."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from activities.mailer import Mailer
from contracts.sale import (
    AbstractReview,
    Delivery,
    Offer,
    PaymentRecord,
    ReceiptIssue,
    SampleReview,
    SppdReceived,
)
from core.db import SessionFactory
from core.enums import Channel, Decision, Role, SaleStep
from core.models import AuditEntry, OutboxMail, StaffAccount
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import (
    applicant,
    approved_sale,
    officer,
    read_case_row,
    start_sale,
    store_document,
    wait_for_outbox_sent,
    wait_for_step,
)
from tests.workflows.test_replay import HISTORIES
from tests.workflows.test_sale_path import SUSENAS
from worker import build_worker
from workflows.sale import SaleWorkflow

TREASURER = officer(role=Role.TREASURER)
SUPERVISOR_EMAIL = "supervisor.6202@demo.pst-flow.id"
TREASURER_EMAIL = "treasurer.6202@demo.pst-flow.id"


def _handle(client: Client, case_id: str) -> WorkflowHandle[SaleWorkflow, Any]:
    return client.get_workflow_handle_for(SaleWorkflow.run, case_id)


async def _save(client: Client, case_id: str, name: str) -> None:
    """With PST_RECORD_HISTORIES=1, keep the run's history for tests/workflows/test_replay.py (never re-recorded)."""
    if os.environ.get("PST_RECORD_HISTORIES") == "1" and not (HISTORIES / name).exists():
        (HISTORIES / name).write_text((await _handle(client, case_id).fetch_history()).to_json())


@pytest.fixture
async def no_treasurer(session_factory: SessionFactory) -> AsyncIterator[None]:
    """Office 6202 without an active treasurer account for the test (as it was afterwards)."""

    async def treasurers(active: bool) -> None:
        async with session_factory() as session, session.begin():
            await session.execute(
                update(StaffAccount)
                .where(StaffAccount.office_code == "6202", StaffAccount.role == Role.TREASURER)
                .values(active=active)
            )

    await treasurers(False)
    yield
    await treasurers(True)


async def _mails(session_factory: SessionFactory, case_id: str) -> list[tuple[str, str]]:
    """(key, to) of the case's outbox rows, in order."""
    async with session_factory() as session:
        rows = await session.execute(
            select(OutboxMail.key, OutboxMail.to_addr).where(OutboxMail.case_id == case_id).order_by(OutboxMail.id)
        )
        return [(key.removeprefix(f"{case_id}:"), to) for key, to in rows.all()]


async def _marks(session_factory: SessionFactory, case_id: str) -> list[tuple[str, str, str]]:
    async with session_factory() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.step, AuditEntry.note)
            .where(AuditEntry.case_id == case_id, AuditEntry.action.like("mail_%"))
            .order_by(AuditEntry.id)
        )
        return [(action, step, note) for action, step, note in rows.all()]


async def _walk_in_to_the_end(env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory) -> str:
    """A walk-in sale paid in cash, from the desk to the end of its 30-day support window; its case id."""
    case = await start_sale(session_factory, env.client, settings, channel=Channel.WALK_IN)
    await wait_for_step(env.client, case.id, SaleStep.ABSTRACT_REVIEW)
    handle = _handle(env.client, case.id)
    await handle.execute_update(SaleWorkflow.review_abstract, AbstractReview(Decision.APPROVE, officer()))
    await handle.execute_update(SaleWorkflow.record_sppd, SppdReceived(officer(), "on_site"))
    await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS))
    await handle.execute_update(SaleWorkflow.record_payment, PaymentRecord(TREASURER, "cash"))
    await handle.execute_update(SaleWorkflow.issue_receipt, ReceiptIssue(actor=TREASURER))
    package = await store_document(session_factory, case.id, "data_package")
    await handle.execute_update(SaleWorkflow.deliver, Delivery(actor=officer(), document_id=package))
    await env.sleep(timedelta(days=31))
    status = await handle.result()  # the workflow finishes
    assert status.done and status.step == SaleStep.COMPLETED
    await wait_for_outbox_sent(session_factory)
    return case.id


@pytest.mark.usefixtures("no_treasurer")
async def test_with_no_treasurer_account_the_supervisor_gets_the_tasks_and_the_sale_still_ends(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _walk_in_to_the_end(time_env, time_settings, session_factory)
        await _save(time_env.client, case_id, "sale_walk_in_no_treasurer_supervisor_told.json")

    mails = await _mails(session_factory, case_id)
    assert ("staff_task:payment-4", SUPERVISOR_EMAIL) in mails and ("staff_task:receipt-5", SUPERVISOR_EMAIL) in mails
    assert all(to != TREASURER_EMAIL for _key, to in mails)
    note = "dikirim ke supervisor karena tidak ada akun Bendahara aktif"
    stand_ins = [mark for mark in await _marks(session_factory, case_id) if mark[0] == "mail_stand_in"]
    assert stand_ins == [("mail_stand_in", "payment", note), ("mail_stand_in", "receipt", note)]
    # the mails after the stand-ins were written and sent: the delivery's, the applicant's download link
    after = [key for key, _to in mails[mails.index(("staff_task:receipt-5", SUPERVISOR_EMAIL)) + 1 :]]
    assert after == ["sale_step:delivery-6", "staff_task:delivery-6", "sale_link:delivered"]
    sent = {str(message["X-PST-Key"]).removeprefix(f"{case_id}:") for message in smtp.messages}
    assert {key for key, _to in mails} <= sent
    [payment_task] = [m for m in smtp.to(SUPERVISOR_EMAIL) if str(m["X-PST-Key"]).endswith("staff_task:payment-4")]
    body = payment_task.get_body(("plain",))
    assert body is not None and "belum memiliki Bendahara yang aktif" in body.get_content()


async def test_a_notice_whose_template_fails_is_skipped_and_the_sale_goes_on_to_its_end(
    time_env: WorkflowEnvironment,
    time_settings: Settings,
    session_factory: SessionFactory,
    smtp: SmtpSink,
    monkeypatch: Any,
) -> None:
    render = Mailer.render

    def broken_at_payment(self: Mailer, notice: str, context: dict[str, Any]) -> tuple[str, str, str]:
        if notice == "sale_step" and context.get("step") == SaleStep.PAYMENT:
            raise ValueError("a template that cannot be rendered")
        return render(self, notice, context)

    monkeypatch.setattr(Mailer, "render", broken_at_payment)
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _walk_in_to_the_end(time_env, time_settings, session_factory)

    keys = [key for key, _to in await _mails(session_factory, case_id)]
    assert "sale_step:payment-4" not in keys and "staff_task:payment-4" in keys
    assert keys[-3:] == ["sale_step:delivery-6", "staff_task:delivery-6", "sale_link:delivered"]  # later ones too
    sent = {str(message["X-PST-Key"]).removeprefix(f"{case_id}:") for message in smtp.messages}
    assert set(keys) <= sent
    [(action, step, note)] = [mark for mark in await _marks(session_factory, case_id) if "sale_step" in mark[2]]
    assert (action, step) == ("mail_not_written", "payment") and note.startswith("surat sale_step tidak dapat dibuat")


async def _treasurer_tasks(session_factory: SessionFactory, case_id: str) -> list[str]:
    return [key for key, to in await _mails(session_factory, case_id) if to == TREASURER_EMAIL]


@pytest.mark.usefixtures("dev_worker")
async def test_a_domestic_online_payment_owes_the_treasurer_no_task_a_transfer_and_cash_do(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    client = dev_env.client
    domestic = await approved_sale(session_factory, client, settings)
    abroad = await approved_sale(session_factory, client, settings, abroad=True, segment="foreign")
    for case in (domestic, abroad):
        sample = await store_document(session_factory, case.id, "sample")
        await _handle(client, case.id).execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
        moved = await _handle(client, case.id).execute_update(
            SaleWorkflow.review_sample, SampleReview(applicant(), accept=True)
        )
        assert moved.step == SaleStep.PAYMENT
    walk_in = await start_sale(session_factory, client, settings, channel=Channel.WALK_IN)
    await wait_for_step(client, walk_in.id, SaleStep.ABSTRACT_REVIEW)
    desk = _handle(client, walk_in.id)
    await desk.execute_update(SaleWorkflow.review_abstract, AbstractReview(Decision.APPROVE, officer()))
    await desk.execute_update(SaleWorkflow.record_sppd, SppdReceived(officer(), "on_site"))
    assert (await desk.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS))).step == SaleStep.PAYMENT

    await _save(client, domestic.id, "sale_online_payment_no_treasurer_task.json")
    await _save(client, domestic.id, "sale_billing_under_lock.json")  # the billing code written under the lock
    assert await _treasurer_tasks(session_factory, domestic.id) == []  # SIMPONI settles it by itself
    assert [key for key in await _treasurer_tasks(session_factory, abroad.id) if key.startswith("staff_task:payment")]
    assert [key for key in await _treasurer_tasks(session_factory, walk_in.id) if key.startswith("staff_task:payment")]
    domestic_keys = [key for key, _to in await _mails(session_factory, domestic.id)]
    assert any(key.startswith("sale_billing:") for key in domestic_keys)  # the applicant still gets the code
    # nor does it sit in the treasurer's inbox: it waits on the applicant's payment
    assert (await read_case_row(session_factory, domestic.id)).assignee_role is None
    assert (await read_case_row(session_factory, abroad.id)).assignee_role == Role.TREASURER
    assert (await read_case_row(session_factory, walk_in.id)).assignee_role == Role.TREASURER
