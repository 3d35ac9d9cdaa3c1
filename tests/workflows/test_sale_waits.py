"""Every wait of a sale on its applicant ends (issue 14): a reminder before the office's limit, then the case closes
with a mail; an unpaid sale gets at most three billing codes. On the time-skipping server."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from contracts.case import CompletenessCheck, DocumentAttached
from contracts.documents import PriceLine
from contracts.payments import PaymentNotice
from contracts.sale import AbstractReview, Offer, PaymentRecord, SampleReview, TransferReview
from core.db import SessionFactory
from core.enums import Channel, Role, SaleStep
from core.models import AuditEntry, OutboxMail, Payment
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import (
    APPLICANT_EMAIL,
    applicant,
    approved_sale,
    officer,
    read_case_row,
    start_sale,
    store_document,
    wait_for_step,
)
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.sale import SaleWorkflow

SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]
TREASURER = officer(role=Role.TREASURER)


def _handle(client: Client, case_id: str) -> WorkflowHandle[SaleWorkflow, Any]:
    return client.get_workflow_handle_for(SaleWorkflow.run, case_id)


async def _until(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20.0) -> None:
    """Poll ``check`` (in real time: the worker writes the step) until it holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never: {what}")
        await asyncio.sleep(0.1)


async def _actions(session_factory: SessionFactory, case_id: str) -> list[tuple[str, str]]:
    """(action, note) of the case's audit trail, oldest first."""
    async with session_factory() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.note)
            .where(AuditEntry.case_id == case_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return [(action, note) for action, note in rows.all()]


async def _mails(session_factory: SessionFactory, case_id: str) -> list[str]:
    """The outbox keys' notice names of the applicant's mails of the case, in order."""
    async with session_factory() as session:
        rows = await session.execute(
            select(OutboxMail.key, OutboxMail.to_addr).where(OutboxMail.case_id == case_id).order_by(OutboxMail.id)
        )
        return [key.split(":")[1] for key, to in rows.all() if APPLICANT_EMAIL in to]


async def _billing_codes(session_factory: SessionFactory, case_id: str) -> list[str]:
    async with session_factory() as session:
        rows = await session.scalars(
            select(Payment.billing_code).where(Payment.case_id == case_id, Payment.billing_code.is_not(None))
        )
        return [code for code in rows.all() if code]


async def _has(session_factory: SessionFactory, case_id: str, action: str, times: int = 1) -> None:
    async def found() -> bool:
        return [a for a, _ in await _actions(session_factory, case_id)].count(action) >= times

    await _until(found, f"{case_id}: {action} ×{times}")


async def _closed(
    env: WorkflowEnvironment, session_factory: SessionFactory, case_id: str, clock: str = "stopped"
) -> None:
    """The read model shows the case closed with its clock stopped (or never started); the workflow ends once the
    window in which a supervisor may reopen it is over."""

    async def cancelled() -> bool:
        return (await read_case_row(session_factory, case_id)).status == "cancelled"

    await _until(cancelled, f"{case_id} closed")
    row = await read_case_row(session_factory, case_id)
    assert (row.step, row.status, row.sla_state) == ("cancelled", "cancelled", clock)
    assert row.outcome_reason.startswith("Ditutup")
    handle = _handle(env.client, case_id)
    assert (await handle.query(SaleWorkflow.status)).step == SaleStep.CANCELLED
    await env.sleep(timedelta(days=31))
    result = await handle.result()
    assert result.done and result.step == SaleStep.CANCELLED


async def _paused(session_factory: SessionFactory, case_id: str, state: str = "paused") -> None:
    """The service standard's clock does not count while the applicant is waited on (a returned request's clock has
    not started yet)."""
    assert (await read_case_row(session_factory, case_id)).sla_state == state


async def _sample_review(
    env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, **kw: Any
) -> str:
    case = await approved_sale(session_factory, env.client, settings, **kw)
    sample = await store_document(session_factory, case.id, "sample")
    await _handle(env.client, case.id).execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
    return case.id


async def _payment(env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, **kw: Any) -> str:
    case_id = await _sample_review(env, settings, session_factory, **kw)
    await _handle(env.client, case_id).execute_update(SaleWorkflow.review_sample, SampleReview(applicant(), True))
    return case_id


def _record(name: str) -> bool:
    return os.environ.get("PST_RECORD_HISTORIES") == "1" and bool(name)


async def _save(env: WorkflowEnvironment, case_id: str, name: str) -> None:
    if _record(name):
        (HISTORIES / name).write_text((await _handle(env.client, case_id).fetch_history()).to_json())


async def test_a_returned_request_never_completed_is_reminded_then_closed(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case = await start_sale(session_factory, time_env.client, time_settings)
        await wait_for_step(time_env.client, case.id, SaleStep.COMPLETENESS)
        handle = _handle(time_env.client, case.id)
        returned = await handle.execute_update(
            SaleWorkflow.check_completeness, CompletenessCheck(officer(), False, "Abstraksi belum diunggah")
        )
        assert returned.step == SaleStep.RETURNED

        await time_env.sleep(timedelta(days=11, hours=12))  # the reminder: 3 days before the 14th
        await _has(session_factory, case.id, "wait_reminder")
        await _paused(session_factory, case.id, "not_started")
        assert (await read_case_row(session_factory, case.id)).status == "open"
        await time_env.sleep(timedelta(days=3))
        await _closed(time_env, session_factory, case.id, "not_started")
        await _save(time_env, case.id, "sale_returned_closed_timeout.json")

    actions = await _actions(session_factory, case.id)
    assert [a for a, _ in actions if a in ("wait_reminder", "closed_timeout")] == ["wait_reminder", "closed_timeout"]
    closing = "Ditutup: tidak ada jawaban dari pemohon dalam 14 hari (melengkapi permintaan)"
    assert dict(actions)["closed_timeout"] == closing
    assert (await _mails(session_factory, case.id))[-2:] == ["sale_reminder", "sale_closed_timeout"]


async def test_a_sample_never_reviewed_closes_after_seven_days(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _sample_review(time_env, time_settings, session_factory)
        await time_env.sleep(timedelta(days=5))
        await _has(session_factory, case_id, "wait_reminder")
        await _paused(session_factory, case_id)
        await time_env.sleep(timedelta(days=2, hours=1))
        await _closed(time_env, session_factory, case_id)
        await _save(time_env, case_id, "sale_sample_closed_timeout.json")

    assert (await _mails(session_factory, case_id))[-2:] == ["sale_reminder", "sale_closed_timeout"]
    async with session_factory() as session:
        closing = await session.scalar(
            select(OutboxMail).where(OutboxMail.case_id == case_id, OutboxMail.key.like("%:sale_closed_timeout:%"))
        )
    assert closing is not None and "tidak ada tanggapan dari pemohon" in closing.subject
    assert "selama 7 hari" in closing.body_text and "Menunggu pemohon memeriksa contoh data" in closing.body_text


async def test_a_sale_never_paid_gets_three_billing_codes_then_closes_as_unpaid(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _payment(time_env, time_settings, session_factory)
        await _has(session_factory, case_id, "billing_issued")
        await time_env.sleep(timedelta(days=14, hours=1))  # two codes expired, the third is out
        await _has(session_factory, case_id, "billing_issued", 3)
        await time_env.sleep(timedelta(days=4))  # 3 days before the last code expires (its 7 days from day 14)
        await _has(session_factory, case_id, "wait_reminder")
        await _paused(session_factory, case_id)
        await time_env.sleep(timedelta(days=3))
        await _closed(time_env, session_factory, case_id)
        await _save(time_env, case_id, "sale_unpaid_closed.json")

    assert len(await _billing_codes(session_factory, case_id)) == 3
    async with session_factory() as session:
        statuses = (await session.scalars(select(Payment.status).where(Payment.case_id == case_id))).all()
    assert list(statuses) == ["void"] * 3  # the last code too: the case closed unpaid
    actions = [a for a, _ in await _actions(session_factory, case_id)]
    assert actions.count("billing_issued") == 3 and actions.count("billing_expired") == 2
    assert "closed_timeout" in actions[actions.index("wait_reminder") :]
    assert dict(await _actions(session_factory, case_id))["closed_timeout"].startswith("Ditutup: tidak dibayar")
    mails = await _mails(session_factory, case_id)
    assert mails.count("sale_billing") == 3 and mails[-2:] == ["sale_reminder", "sale_closed_timeout"]
    async with session_factory() as session:
        subject = await session.scalar(
            select(OutboxMail.subject).where(OutboxMail.key.like(f"{case_id}:sale_closed_timeout:%"))
        )
    assert subject == f"Permintaan {case_id} ditutup: tidak dibayar"


async def test_an_sppd_never_sent_by_post_closes_after_thirty_days(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _payment(time_env, time_settings, session_factory)
        paid = await _handle(time_env.client, case_id).execute_update(
            SaleWorkflow.record_payment, PaymentRecord(TREASURER, "cash")
        )
        assert paid.step == SaleStep.SPPD
        await time_env.sleep(timedelta(days=27, hours=1))
        await _has(session_factory, case_id, "wait_reminder")
        await _paused(session_factory, case_id)
        await time_env.sleep(timedelta(days=3))
        await _closed(time_env, session_factory, case_id)
        await _save(time_env, case_id, "sale_sppd_closed_timeout.json")

    assert (await _mails(session_factory, case_id))[-2:] == ["sale_reminder", "sale_closed_timeout"]
    assert dict(await _actions(session_factory, case_id))["closed_timeout"].endswith("30 hari (SPPD bertanda tangan)")


async def test_every_wait_of_the_sale_ends(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    """One online sale walks every wait on its applicant: returned, sample review, payment (three codes) and the
    SPPD each remind the applicant, who answers just in time, until the SPPD never comes and the case closes."""
    async with build_worker(time_env.client, time_settings, session_factory):
        case = await start_sale(session_factory, time_env.client, time_settings)
        await wait_for_step(time_env.client, case.id, SaleStep.COMPLETENESS)
        handle = _handle(time_env.client, case.id)
        await handle.execute_update(SaleWorkflow.check_completeness, CompletenessCheck(officer(), False, "Abstraksi"))
        await time_env.sleep(timedelta(days=12))
        await _has(session_factory, case.id, "wait_reminder")
        abstract = await store_document(session_factory, case.id, "abstract")
        await handle.execute_update(SaleWorkflow.attach_document, DocumentAttached(applicant(), abstract, "abstract"))
        await handle.execute_update(SaleWorkflow.check_completeness, CompletenessCheck(officer(), True))
        await handle.execute_update(SaleWorkflow.review_abstract, AbstractReview("approve", officer()))
        sample = await store_document(session_factory, case.id, "sample")
        await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
        await time_env.sleep(timedelta(days=5))
        await _has(session_factory, case.id, "wait_reminder", 2)
        await handle.execute_update(SaleWorkflow.review_sample, SampleReview(applicant(), True))
        await time_env.sleep(timedelta(days=18, hours=1))
        await _has(session_factory, case.id, "wait_reminder", 3)
        codes = await _billing_codes(session_factory, case.id)
        assert len(codes) == 3
        now = await time_env.get_current_time()
        await handle.signal(SaleWorkflow.payment_notice, PaymentNotice(codes[-1], "AB12CD34EF56GH78", now))
        await wait_for_step(time_env.client, case.id, SaleStep.SPPD)
        await time_env.sleep(timedelta(days=31))
        await _closed(time_env, session_factory, case.id)
        await _save(time_env, case.id, "sale_every_wait.json")

    actions = [a for a, _ in await _actions(session_factory, case.id)]
    assert actions.count("wait_reminder") == 4 and actions.count("closed_timeout") == 1
    assert "paid" in actions and "sla_paused" in actions


async def test_an_abroad_transfer_wait_restarts_after_a_rejected_proof_and_then_ends(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _payment(time_env, time_settings, session_factory, abroad=True, segment="foreign")
        handle = _handle(time_env.client, case_id)
        await time_env.sleep(timedelta(days=10))
        proof = await store_document(session_factory, case_id, "transfer_proof")
        await handle.execute_update(
            SaleWorkflow.attach_document, DocumentAttached(applicant(), proof, "transfer_proof")
        )
        await time_env.sleep(timedelta(days=10))  # the treasurer's turn: no reminder, no closure
        assert (await handle.query(SaleWorkflow.status)).step == SaleStep.PAYMENT
        await handle.execute_update(SaleWorkflow.review_transfer, TransferReview(TREASURER, False, "Nominal kurang"))
        await time_env.sleep(timedelta(days=12))  # 14 days from the refusal: reminded on the 11th
        await _has(session_factory, case_id, "wait_reminder")
        await time_env.sleep(timedelta(days=3))
        await _closed(time_env, session_factory, case_id)
        await _save(time_env, case_id, "sale_transfer_closed_timeout.json")

    assert dict(await _actions(session_factory, case_id))["closed_timeout"].endswith("14 hari (pembayaran)")


async def test_a_walk_in_guest_who_never_signs_the_sppd_is_closed_too(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case = await start_sale(session_factory, time_env.client, time_settings, channel=Channel.WALK_IN)
        await wait_for_step(time_env.client, case.id, SaleStep.ABSTRACT_REVIEW)
        approved = await _handle(time_env.client, case.id).execute_update(
            SaleWorkflow.review_abstract, AbstractReview("approve", officer())
        )
        assert approved.step == SaleStep.SPPD
        await time_env.sleep(timedelta(days=27, hours=1))
        await _has(session_factory, case.id, "wait_reminder")
        await _paused(session_factory, case.id)
        await time_env.sleep(timedelta(days=3))
        await _closed(time_env, session_factory, case.id)

    assert (await _mails(session_factory, case.id))[-2:] == ["sale_reminder", "sale_closed_timeout"]
