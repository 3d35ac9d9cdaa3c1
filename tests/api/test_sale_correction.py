"""The corrected delivery as the officer takes it: on the case page (check the answers, then confirm) and through
the JSON API; the case page keeps both packages (the earlier marked replaced) and the timeline says so; after the
30 days after the delivery the action is refused with a sentence naming the last day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select, update
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from contracts.documents import PriceLine
from contracts.sale import AbstractReview, Delivery, Offer, PaymentRecord, ReceiptIssue, SppdReceived
from core.db import SessionFactory
from core.enums import Channel, Decision, Role, SaleStep
from core.formatting import date_in_words
from core.models import Applicant, AuditEntry, Case, DownloadLink, utcnow
from core.seeding import DemoAccount
from core.settings import Settings
from tests.api.conftest import PDF, confirmation, form_csrf, ui_login
from tests.helpers import make_applicant, officer, start_sale, store_document, wait_for_step
from workflows.sale import SaleWorkflow

SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]
REASON = "Kode kecamatan pada 12 baris diperbaiki"


async def _walk_in_delivered(session_factory: SessionFactory, client: Client, settings: Settings) -> str:
    """A walk-in guest's sale (no account) delivered through its workflow."""
    case = await start_sale(session_factory, client, settings, channel=Channel.WALK_IN)
    await wait_for_step(client, case.id, SaleStep.ABSTRACT_REVIEW)
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    treasurer = officer(role=Role.TREASURER)
    await handle.execute_update(SaleWorkflow.review_abstract, AbstractReview(Decision.APPROVE, officer()))
    await handle.execute_update(SaleWorkflow.record_sppd, SppdReceived(officer(), "on_site"))
    await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS))
    await handle.execute_update(SaleWorkflow.record_payment, PaymentRecord(treasurer, "cash"))
    await handle.execute_update(SaleWorkflow.issue_receipt, ReceiptIssue(actor=treasurer))
    package = await store_document(session_factory, case.id, "data_package")
    await handle.execute_update(SaleWorkflow.deliver, Delivery(actor=officer(), document_id=package))
    return case.id


async def test_the_officer_corrects_the_package_on_the_case_page_and_by_api_until_the_window_ends(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    session_factory: SessionFactory,
    settings: Settings,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    login: Any,
) -> None:
    case_id = await _walk_in_delivered(session_factory, dev_env.client, settings)
    account = demo_accounts[("6202", "officer")]
    await ui_login(api, account.email, account.password)
    page = (await api.get(f"/staff/cases/{case_id}")).text
    assert 'action="/staff/cases/' + case_id + '/actions/correction"' in page

    asked = await api.post(
        f"/staff/cases/{case_id}/actions/correction",
        data={"csrf": form_csrf(page), "idempotency_key": "koreksi-1", "reason": REASON},
        files={"document_id": ("susenas-perbaikan.zip", PDF, "application/zip")},
    )
    assert asked.status_code == 200 and "Ya, kirim data perbaikan" in asked.text, asked.text
    assert "kuitansi dengan kode unduhan baru" in asked.text and REASON in asked.text
    done = await api.post(f"/staff/cases/{case_id}/actions/correction", data=confirmation(asked.text))
    assert done.status_code == 303, done.text

    page = (await api.get(f"/staff/cases/{case_id}")).text
    assert "(diganti dengan data perbaikan)" in page and "susenas-perbaikan.zip" in page
    assert "Data perbaikan dikirim; paket sebelumnya diganti" in page and REASON in page
    assert "-kode-baru-1.pdf" in page  # the guest's reprinted receipt with the new code, to print at the desk

    auth = login("6202", "officer")
    uploaded = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "data_package"},
        files={"file": ("susenas-perbaikan-2.zip", PDF)},
        auth=auth,
    )
    assert uploaded.status_code == 201, uploaded.text
    second = uploaded.json()["id"]
    corrected = await api.post(
        f"/api/v1/sales/{case_id}/correction", json={"document_id": second, "reason": "Label variabel"}, auth=auth
    )
    assert corrected.status_code == 200 and corrected.json()["step"] == "support", corrected.text
    async with session_factory() as session:
        newest = await session.scalar(
            select(DownloadLink).where(DownloadLink.case_id == case_id).order_by(DownloadLink.created_at.desc())
        )
    assert newest is not None and newest.document_id == second and corrected.json()["detail"] == newest.token

    # The applicant's page offers the corrected package's link only (an account owning the case).
    email, password = await make_applicant(session_factory)
    async with session_factory() as session, session.begin():
        owner = await session.scalar(select(Applicant.id).where(Applicant.email == email))
        await session.execute(update(Case).where(Case.id == case_id).values(applicant_id=owner))
    await ui_login(api, email, password)
    portal = (await api.get(f"/portal/cases/{case_id}")).text
    assert portal.count('href="/unduh/') == 1 and f'href="/unduh/{newest.token}"' in portal

    delivered_at = utcnow() - timedelta(days=31)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.case_id == case_id, AuditEntry.action == "delivered")
            .values(at=delivered_at)
        )
    last_day = date_in_words(delivered_at.astimezone(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=30))
    late = await api.post(
        f"/api/v1/sales/{case_id}/correction", json={"document_id": second, "reason": "Sekali lagi"}, auth=auth
    )
    assert late.status_code == 410, late.text
    refusal = late.json()["detail"]
    assert f"berakhir pada {last_day}" in refusal and "data perbaikan tidak dapat" in refusal
