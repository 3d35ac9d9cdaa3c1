"""The whole sale: online under time-skipping (revision, billing-code expiry, 30-day end), walk-in, Rp0, abroad."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from api.errors import update_failure_message
from contracts.case import CompletenessCheck, DocumentAttached
from contracts.documents import PriceLine
from contracts.payments import PaymentNotice
from contracts.sale import (
    AbstractReview,
    Delivery,
    FollowUpRecord,
    NewLinkRequest,
    Offer,
    PaymentRecord,
    RatingIn,
    ReceiptIssue,
    SampleReview,
    SignedSppdReview,
    SppdReceived,
    TransferReview,
)
from core.db import SessionFactory
from core.enums import Channel, Decision, Role, SaleStep
from core.institutions import resolve_institution
from core.models import DownloadLink, Payment, Receipt
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import (
    applicant,
    approved_sale,
    audit_actions,
    officer,
    read_case_row,
    start_sale,
    store_document,
    wait_for_mail,
    wait_for_step,
)
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.sale import SaleWorkflow

SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]
TREASURER = officer(role=Role.TREASURER)


def _handle(client: Client, case_id: str) -> WorkflowHandle[SaleWorkflow, Any]:
    return client.get_workflow_handle_for(SaleWorkflow.run, case_id)


async def _payments(session_factory: SessionFactory, case_id: str) -> list[tuple[str, str]]:
    async with session_factory() as session:
        rows = await session.scalars(select(Payment).where(Payment.case_id == case_id).order_by(Payment.id))
        return [(row.status, row.billing_code or row.method) for row in rows]


async def _deliver(handle: WorkflowHandle[SaleWorkflow, Any], session_factory: SessionFactory, case_id: str) -> str:
    receipt = await handle.execute_update(SaleWorkflow.issue_receipt, ReceiptIssue(actor=TREASURER))
    package = await store_document(session_factory, case_id, "data_package")
    delivered = await handle.execute_update(SaleWorkflow.deliver, Delivery(actor=officer(), document_id=package))
    assert delivered.step == SaleStep.SUPPORT and await _links(session_factory, case_id) == 1
    return receipt.detail


async def _links(session_factory: SessionFactory, case_id: str) -> int:
    """How many download links the case has (their tokens live in the database and the mail, not the workflow)."""
    async with session_factory() as session:
        return len((await session.scalars(select(DownloadLink).where(DownloadLink.case_id == case_id))).all())


async def test_the_whole_online_sale_with_revision_code_expiry_and_the_30_day_end(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case = await approved_sale(session_factory, time_env.client, time_settings)
        handle = _handle(time_env.client, case.id)
        sample = await store_document(session_factory, case.id, "sample")

        first = await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
        revised = await handle.execute_update(
            SaleWorkflow.review_sample, SampleReview(applicant(), accept=False, revision="Tambah variabel umur")
        )
        second = await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
        with pytest.raises(WorkflowUpdateFailedError) as twice:
            await handle.execute_update(SaleWorkflow.review_sample, SampleReview(applicant(), False, "Lagi"))
        accepted = await handle.execute_update(SaleWorkflow.review_sample, SampleReview(applicant(), accept=True))
        assert (first.step, revised.step, second.step, accepted.step) == (
            "sample_review",
            "offer",
            "sample_review",
            "payment",
        )
        assert "hanya satu kali dan sudah digunakan" in str(twice.value.cause)
        assert (await read_case_row(session_factory, case.id)).details["fee"] == 30_000

        await wait_for_step(time_env.client, case.id, SaleStep.PAYMENT)
        for _ in range(50):
            if await _payments(session_factory, case.id):
                break
            await time_env.sleep(timedelta(seconds=1))
        [(status, old_code)] = await _payments(session_factory, case.id)
        await time_env.sleep(timedelta(days=8))  # the first code expires unpaid: a new one replaces it
        payments = await _payments(session_factory, case.id)
        assert payments[0] == ("void", old_code) and payments[1][0] == "pending" and len(payments) == 2
        new_code = payments[1][1]

        await handle.signal(
            SaleWorkflow.payment_notice, PaymentNotice(old_code, "AB12CD34EF56GH78", await time_env.get_current_time())
        )
        await handle.signal(
            SaleWorkflow.payment_notice, PaymentNotice(new_code, "AB12CD34EF56GH78", await time_env.get_current_time())
        )
        await wait_for_step(time_env.client, case.id, SaleStep.SPPD)
        assert (await _payments(session_factory, case.id))[1] == ("paid", new_code)

        signed = await store_document(session_factory, case.id, "sppd_signed")
        await handle.execute_update(SaleWorkflow.attach_document, DocumentAttached(applicant(), signed, "sppd_signed"))
        await handle.execute_update(
            SaleWorkflow.review_signed_sppd, SignedSppdReview(officer(), False, "Meterai tidak terbaca")
        )
        again = await store_document(session_factory, case.id, "sppd_signed")
        await handle.execute_update(SaleWorkflow.attach_document, DocumentAttached(applicant(), again, "sppd_signed"))
        received = await handle.execute_update(SaleWorkflow.review_signed_sppd, SignedSppdReview(officer(), True))
        assert received.step == SaleStep.RECEIPT

        receipt_number = await _deliver(handle, session_factory, case.id)
        with pytest.raises(WorkflowUpdateFailedError) as wrong_receipt:
            await handle.execute_update(
                SaleWorkflow.request_new_link, NewLinkRequest(applicant(), "KW-0000-0000-00000")
            )
        assert "Nomor kuitansi tidak cocok" in str(wrong_receipt.value.cause)
        relinked = await handle.execute_update(
            SaleWorkflow.request_new_link, NewLinkRequest(applicant(), receipt_number)
        )
        rated = await handle.execute_update(
            SaleWorkflow.rate, RatingIn(applicant(), [4, 4, 2, 4, 4, 4, 4, 4, 4], "Terlalu lama", follow_up=False)
        )
        assert relinked.step == SaleStep.SUPPORT and await _links(session_factory, case.id) == 2
        assert rated.step == SaleStep.SUPPORT

        await time_env.sleep(timedelta(days=31))  # the window ends, but the follow-up is still open
        assert (await handle.query(SaleWorkflow.status)).step == SaleStep.SUPPORT
        await handle.execute_update(SaleWorkflow.record_follow_up, FollowUpRecord(officer(), "Pemohon sudah dihubungi"))
        result = await handle.result()
        if os.environ.get("PST_RECORD_HISTORIES") == "1":
            (HISTORIES / "sale_completed.json").write_text((await handle.fetch_history()).to_json())

    assert result.done and result.step == SaleStep.COMPLETED
    row = await read_case_row(session_factory, case.id)
    assert (row.status, row.sla_state) == ("completed", "stopped")
    actions = await audit_actions(session_factory, case.id)
    for action in (
        "revision_requested",
        "billing_expired",
        "paid",
        "sppd_rejected",
        "sppd_accepted",
        "receipt_issued",
        "delivered",
        "link",
        "rated",
        "follow_up_recorded",
        "support_window_closed",
        "sla_paused",
        "sla_resumed",
    ):
        assert action in actions, action
    async with session_factory() as session:
        receipt = await session.scalar(select(Receipt).where(Receipt.case_id == case.id))
    assert receipt is not None and receipt.number == receipt_number and receipt.amount == 30_000
    await wait_for_mail(smtp, 10)
    subjects = smtp.subjects()
    assert sum("Kode billing SIMPONI" in subject for subject in subjects) == 2
    assert sum("siap diunduh" in subject for subject in subjects) == 2
    assert any(subject.startswith("Tindak lanjut penilaian") for subject in subjects)


@pytest.mark.usefixtures("dev_worker")
async def test_walk_in_signs_the_sppd_at_the_desk_and_pays_cash(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    case = await start_sale(session_factory, dev_env.client, settings, channel=Channel.WALK_IN)
    await wait_for_step(dev_env.client, case.id, SaleStep.ABSTRACT_REVIEW)
    handle = _handle(dev_env.client, case.id)

    steps = [
        (await handle.execute_update(SaleWorkflow.review_abstract, AbstractReview(Decision.APPROVE, officer()))).step,
        (await handle.execute_update(SaleWorkflow.record_sppd, SppdReceived(officer(), "on_site"))).step,
        (await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS))).step,
        (await handle.execute_update(SaleWorkflow.record_payment, PaymentRecord(TREASURER, "cash"))).step,
    ]
    await _deliver(handle, session_factory, case.id)

    assert steps == ["sppd", "offer", "payment", "receipt"]
    assert ("paid", "cash") in await _payments(session_factory, case.id)


@pytest.mark.usefixtures("dev_worker")
async def test_a_government_agency_gets_rp0_once_per_dataset(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    agency = {"segment": "government", "institution": "Dinas Kesehatan Kotawaringin Timur"}
    first = await approved_sale(session_factory, dev_env.client, settings, **agency)
    second = await approved_sale(session_factory, dev_env.client, settings, **agency)
    individual = await approved_sale(session_factory, dev_env.client, settings)
    sample = await store_document(session_factory, first.id, "sample")
    async with session_factory() as session, session.begin():
        dinkes = await resolve_institution(session, name=agency["institution"], segment="government")
        assert dinkes is not None
    letters = [await store_document(session_factory, case.id, "request_letter") for case in (first, second)]
    zero = Offer(officer(), SUSENAS, sample, zero_rupiah=True, institution_id=dinkes.id, request_letter_id=letters[0])

    free = await _handle(dev_env.client, first.id).execute_update(SaleWorkflow.make_offer, zero)
    paid_by_sample = await _handle(dev_env.client, first.id).execute_update(
        SaleWorkflow.review_sample, SampleReview(applicant(), accept=True)
    )
    with pytest.raises(WorkflowUpdateFailedError) as again:
        zero.request_letter_id = letters[1]
        await _handle(dev_env.client, second.id).execute_update(SaleWorkflow.make_offer, zero)
    with pytest.raises(WorkflowUpdateFailedError) as not_eligible:
        await _handle(dev_env.client, individual.id).execute_update(SaleWorkflow.make_offer, zero)

    assert free.step == "sample_review" and paid_by_sample.step == "sppd"  # no payment step
    assert (await read_case_row(session_factory, first.id)).details["fee"] == 0
    assert "sudah pernah menerima Rp0 untuk Susenas Maret 2025 (permintaan " + first.id in update_failure_message(
        again.value
    )
    assert "perorangan dan mahasiswa membayar" in str(not_eligible.value.cause)
    assert (await read_case_row(session_factory, second.id)).step == "offer"


@pytest.mark.usefixtures("dev_worker")
async def test_abroad_pays_by_transfer_proof_reviewed_by_the_treasurer(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    case = await approved_sale(session_factory, dev_env.client, settings, abroad=True, segment="foreign")
    handle = _handle(dev_env.client, case.id)
    sample = await store_document(session_factory, case.id, "sample")
    await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
    await handle.execute_update(SaleWorkflow.review_sample, SampleReview(applicant(), accept=True))

    with pytest.raises(WorkflowUpdateFailedError) as cash:
        await handle.execute_update(SaleWorkflow.record_payment, PaymentRecord(TREASURER, "cash"))
    proof = await store_document(session_factory, case.id, "transfer_proof")
    await handle.execute_update(SaleWorkflow.attach_document, DocumentAttached(applicant(), proof, "transfer_proof"))
    rejected = await handle.execute_update(
        SaleWorkflow.review_transfer, TransferReview(TREASURER, False, "Nominal kurang")
    )
    proof = await store_document(session_factory, case.id, "transfer_proof")
    await handle.execute_update(SaleWorkflow.attach_document, DocumentAttached(applicant(), proof, "transfer_proof"))
    accepted = await handle.execute_update(SaleWorkflow.review_transfer, TransferReview(TREASURER, True))

    assert "transfer" in str(cash.value.cause)
    assert (rejected.step, accepted.step) == ("payment", "sppd")
    assert await _payments(session_factory, case.id) == [("rejected", "transfer"), ("paid", "transfer")]


@pytest.mark.usefixtures("dev_worker")
async def test_a_publication_takes_the_short_path(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    publication = [{"kind": "publication", "name": "Kabupaten Kotawaringin Timur Dalam Angka 2026"}]
    case = await start_sale(session_factory, dev_env.client, settings, items=publication)
    await wait_for_step(dev_env.client, case.id, SaleStep.COMPLETENESS)
    handle = _handle(dev_env.client, case.id)

    complete = await handle.execute_update(SaleWorkflow.check_completeness, CompletenessCheck(officer(), True))
    lines = [PriceLine(item=publication[0]["name"], tariff_code="publication", quantity=120)]
    offered = await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), lines))
    paid = await handle.execute_update(
        SaleWorkflow.record_payment, PaymentRecord(TREASURER, "simponi", "AB12CD34EF56GH78")
    )

    assert (complete.step, offered.step, paid.step) == ("offer", "payment", "receipt")  # no abstract, sample or SPPD
    assert (await read_case_row(session_factory, case.id)).details["fee"] == 80_000
    await _deliver(handle, session_factory, case.id)
