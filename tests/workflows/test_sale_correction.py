"""Seed 004, walk-in and online step 12 under time-skipping: within the 30 days after the delivery the officer
delivers a corrected package (a new link that serves it, the old link no longer serves the old package, both
packages kept in the case's documents and timeline, the applicant told by mail; a guest without an account gets a
new download code on a reprinted receipt); after the 30 days a correction is refused with a sentence; the
follow-up of a rating reaches the applicant by mail with what the officer wrote."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from api.errors import Gone, update_failure_message
from api.services.downloads import take_download
from contracts.documents import PriceLine
from contracts.sale import (
    AbstractReview,
    CorrectedDelivery,
    Delivery,
    FollowUpRecord,
    Offer,
    PaymentRecord,
    RatingIn,
    ReceiptIssue,
    SppdReceived,
)
from core.db import SessionFactory
from core.enums import Channel, Decision, Role, SaleStep
from core.models import AuditEntry, Document, DownloadCode, DownloadLink
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import APPLICANT_EMAIL, applicant, audit_actions, officer, start_sale, store_document, wait_for_step
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.sale import SaleWorkflow

SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]
REASON = "Kode kecamatan pada 12 baris diperbaiki"
FOLLOW_UP = "Antrean di meja PST kini memakai nomor panggil; petugas sudah menelepon pemohon."


def _handle(client: Client, case_id: str) -> WorkflowHandle[SaleWorkflow, Any]:
    return client.get_workflow_handle_for(SaleWorkflow.run, case_id)


async def _walk_in_delivered(
    session_factory: SessionFactory, client: Client, settings: Settings
) -> tuple[str, WorkflowHandle[SaleWorkflow, Any], int]:
    """A walk-in guest's sale (no account, an email left at the desk) delivered; its id, handle and package."""
    case = await start_sale(session_factory, client, settings, channel=Channel.WALK_IN)
    await wait_for_step(client, case.id, SaleStep.ABSTRACT_REVIEW)
    handle = _handle(client, case.id)
    treasurer = officer(role=Role.TREASURER)
    await handle.execute_update(SaleWorkflow.review_abstract, AbstractReview(Decision.APPROVE, officer()))
    await handle.execute_update(SaleWorkflow.record_sppd, SppdReceived(officer(), "on_site"))
    await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS))
    await handle.execute_update(SaleWorkflow.record_payment, PaymentRecord(treasurer, "cash"))
    await handle.execute_update(SaleWorkflow.issue_receipt, ReceiptIssue(actor=treasurer))
    package = await store_document(session_factory, case.id, "data_package")
    await handle.execute_update(SaleWorkflow.deliver, Delivery(actor=officer(), document_id=package))
    return case.id, handle, package


async def _links(session_factory: SessionFactory, case_id: str) -> list[DownloadLink]:
    async with session_factory() as session:
        rows = await session.scalars(
            select(DownloadLink).where(DownloadLink.case_id == case_id).order_by(DownloadLink.created_at)
        )
        return list(rows.all())


async def _serves(session_factory: SessionFactory, settings: Settings, link: DownloadLink) -> str:
    """The file name a download of ``link`` serves, or the sentence it is refused with."""
    async with session_factory() as session:
        try:
            return (await take_download(session=session, settings=settings, link=link, ip="127.0.0.1")).filename
        except Gone as refused:
            return refused.message


async def test_a_corrected_package_within_the_window_then_refused_after_it_and_the_follow_up_mailed(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    settings = time_settings
    async with build_worker(time_env.client, settings, session_factory):
        case_id, handle, first = await _walk_in_delivered(session_factory, time_env.client, settings)
        async with session_factory() as session:
            code_before = (await session.get(DownloadCode, case_id)).code_hash  # type: ignore[union-attr]

        with pytest.raises(WorkflowUpdateFailedError) as same_file:
            await handle.execute_update(SaleWorkflow.deliver_correction, CorrectedDelivery(officer(), first, REASON))
        corrected = await store_document(session_factory, case_id, "data_package")
        with pytest.raises(WorkflowUpdateFailedError) as no_reason:
            await handle.execute_update(SaleWorkflow.deliver_correction, CorrectedDelivery(officer(), corrected, " "))
        with pytest.raises(WorkflowUpdateFailedError) as not_the_applicant:
            await handle.execute_update(
                SaleWorkflow.deliver_correction, CorrectedDelivery(applicant(), corrected, REASON)
            )
        await time_env.sleep(timedelta(days=3))  # the guest checks the data at home and comes back (seed 004 step 12)
        result = await handle.execute_update(
            SaleWorkflow.deliver_correction, CorrectedDelivery(officer(), corrected, REASON)
        )
        assert result.step == SaleStep.SUPPORT

        old, new = await _links(session_factory, case_id)
        assert (old.document_id, new.document_id) == (first, corrected)
        assert new.expires_at - new.created_at == timedelta(days=settings.download_link_days)  # a fresh link
        assert await _serves(session_factory, settings, new) == "data_package.pdf"
        assert "sudah diganti dengan data perbaikan" in await _serves(session_factory, settings, old)

        async with session_factory() as session:
            documents = (await session.scalars(select(Document).where(Document.case_id == case_id))).all()
            code_after = (await session.get(DownloadCode, case_id)).code_hash  # type: ignore[union-attr]
            entry = await session.scalar(
                select(AuditEntry).where(AuditEntry.case_id == case_id, AuditEntry.action == "corrected")
            )
        packages = [doc.id for doc in documents if doc.kind == "data_package"]
        reprinted = [doc.filename for doc in documents if doc.kind == "receipt" and "kode-baru-1" in doc.filename]
        assert packages == [first, corrected] and len(reprinted) == 1  # both kept; the guest's new code printed
        assert code_after != code_before  # the old receipt's code no longer opens the data
        assert entry is not None and entry.note == REASON
        assert "delivered" in await audit_actions(session_factory, case_id)

        # Online step 12: a rating that needs follow-up; the follow-up keeps the case open past the 30 days.
        await handle.execute_update(
            SaleWorkflow.rate, RatingIn(applicant(), [4, 4, 1, 4, 4, 4, 4, 4, 4], "Antre terlalu lama", True)
        )
        await time_env.sleep(timedelta(days=31))
        late = await store_document(session_factory, case_id, "data_package")
        with pytest.raises(WorkflowUpdateFailedError) as too_late:
            await handle.execute_update(SaleWorkflow.deliver_correction, CorrectedDelivery(officer(), late, REASON))
        await handle.execute_update(SaleWorkflow.record_follow_up, FollowUpRecord(officer(), FOLLOW_UP))
        status = await handle.result()
        if os.environ.get("PST_RECORD_HISTORIES") == "1":
            (HISTORIES / "sale_corrected_walk_in.json").write_text((await handle.fetch_history()).to_json())
        corrected_mail = await _mail_to(smtp, APPLICANT_EMAIL, "Data perbaikan permintaan")
        follow_up_mail = await _mail_to(smtp, APPLICANT_EMAIL, "Tindak lanjut penilaian Anda")

    assert status.step == SaleStep.COMPLETED
    assert "Berkas ini sudah dikirim" in update_failure_message(same_file.value)
    assert "Tuliskan apa yang diperbaiki" in update_failure_message(no_reason.value)
    assert "Aksi ini hanya untuk" in update_failure_message(not_the_applicant.value)
    assert "data perbaikan tidak dapat dikirim lagi" in update_failure_message(too_late.value)
    assert len(await _links(session_factory, case_id)) == 2  # the late package never went out
    corrected_text = _text(corrected_mail)
    assert REASON in corrected_text and f"/unduh/{new.token}" in corrected_text
    assert old.token not in corrected_text
    assert FOLLOW_UP in _text(follow_up_mail)


async def _mail_to(smtp: SmtpSink, address: str, subject: str, timeout: float = 20.0) -> Any:
    """The first mail to ``address`` whose subject starts with ``subject``, once the relay has sent it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = [mail for mail in smtp.to(address) if str(mail["Subject"]).startswith(subject)]
        if found:
            return found[0]
        assert asyncio.get_running_loop().time() < deadline, [str(mail["Subject"]) for mail in smtp.messages]
        await asyncio.sleep(0.2)


def _text(mail: Any) -> str:
    body = mail.get_body(preferencelist=("plain",))
    return str(body.get_content()) if body is not None else ""
