"""Mails that real workflows send read as a finished product: a sale's billing mail names the amount, the code and
its expiry in words; staff task mails name their deadline (or why the clock does not count) and link to the case;
an applicant abroad reads hers in English; a complaint's acknowledgement names the day it will be answered by."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select, update
from temporalio.testing import WorkflowEnvironment

from api.services.cases import allocate_case_id, get_office
from contracts.complaint import ComplaintInput
from contracts.documents import PriceLine
from contracts.sale import Offer, SampleReview
from core.db import SessionFactory
from core.enums import CaseStatus, SaleStep, Service
from core.models import Applicant, Case, utcnow
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import (
    APPLICANT_EMAIL,
    applicant,
    approved_sale,
    make_applicant,
    officer,
    store_document,
    wait_for_mail,
    wait_for_step,
)
from worker import build_worker
from workflows.complaint import ComplaintWorkflow
from workflows.sale import SaleWorkflow

SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
IN_WORDS_ID = re.compile(r"\d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WIB")
IN_WORDS_EN = re.compile(r"\d{1,2} \w+ \d{4} at \d{2}:\d{2} WIB")


def _text(message: EmailMessage) -> str:
    return str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]


async def _sale_to_payment(
    env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, *, abroad: bool = False
) -> str:
    """A sale of Rp30.000 by the registered applicant, brought to its payment step."""
    case = await approved_sale(session_factory, env.client, settings, abroad=abroad)
    async with session_factory() as session, session.begin():
        account = await session.scalar(select(Applicant.id).where(Applicant.email == APPLICANT_EMAIL))
        await session.execute(update(Case).where(Case.id == case.id).values(applicant_id=account))
    handle = env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    sample = await store_document(session_factory, case.id, "sample")
    await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
    await handle.execute_update(SaleWorkflow.review_sample, SampleReview(applicant(), accept=True))
    await wait_for_step(env.client, case.id, SaleStep.PAYMENT)
    return case.id


async def test_a_sales_billing_and_task_mails_read_right(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    await make_applicant(session_factory)
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _sale_to_payment(time_env, time_settings, session_factory)
        # two per step to payment (none to staff at the sample, nor to the treasurer at a payment SIMPONI settles),
        # and the billing code
        await wait_for_mail(smtp, 9)

    [billing] = [m for m in smtp.to(APPLICANT_EMAIL) if "Kode billing" in str(m["Subject"])]
    text = _text(billing)
    assert "Jumlah yang harus dibayar: Rp30.000." in text
    assert re.search(r"Kode billing pembayaran permintaan \S+: \d{15}", text)
    assert re.search(r"Kode berlaku sampai " + IN_WORDS_ID.pattern, text)
    assert f"http://pst.test/portal/cases/{case_id}" in text

    tasks = [m for m in smtp.messages if str(m["Subject"]).startswith("Tugas:")]
    assert len(tasks) >= 3
    for task in tasks:
        body = _text(task)
        assert f"http://pst.test/staff/cases/{case_id}" in body
        assert "Yth. Demo " in body  # the staff member by name, not by address or role code
        assert "Tenggat standar pelayanan: -" not in body
        assert "Waktu standar pelayanan" in body or re.search("Tenggat standar pelayanan: " + IN_WORDS_ID.pattern, body)
    offer = [m for m in tasks if "Penyiapan contoh data" in str(m["Subject"])][0]
    assert re.search("Tenggat standar pelayanan: " + IN_WORDS_ID.pattern, _text(offer))
    for message in smtp.messages:
        assert not ISO_TIME.search(_text(message)), _text(message)
        assert "-." not in _text(message)


async def test_an_applicant_abroad_reads_her_mails_in_english(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    await make_applicant(session_factory, abroad=True)
    async with session_factory() as session, session.begin():
        await session.execute(update(Applicant).where(Applicant.email == APPLICANT_EMAIL).values(language="en"))
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id = await _sale_to_payment(time_env, time_settings, session_factory, abroad=True)
        await wait_for_mail(smtp, 9)  # two per step to payment, none to staff at the sample

    mine = smtp.to(APPLICANT_EMAIL)
    assert mine and all("Dear Siti Aminah," in _text(m) for m in mine)
    offer = [m for m in mine if str(m["Subject"]).startswith(f"Request {case_id}: ")]
    assert offer and any(IN_WORDS_EN.search(_text(m)) for m in offer)
    payment = [m for m in mine if "bank transfer" in _text(m)]
    assert payment and "Amount to pay: Rp30,000." in _text(payment[0])
    assert "Transfer to this account: Bank Rakyat Indonesia (BRI), " in _text(payment[0])
    assert "BRINIDJA." in _text(payment[0])
    staff = [m for m in smtp.messages if APPLICANT_EMAIL not in str(m["To"])]
    assert staff and all(str(m["Subject"]).startswith("Tugas:") for m in staff)  # staff read Indonesian


async def test_a_complaint_acknowledgement_names_the_day_it_will_be_answered_by(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    async with session_factory() as session, session.begin():
        office = await get_office(session=session, office_code="3304")
        now = utcnow()
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=Service.COMPLAINT, now=now),
            service=Service.COMPLAINT,
            office_code="3304",
            channel="email",
            applicant_name="Wati",
            applicant_email="wati@example.com",
            details={"text": "Data tidak bisa diunduh"},
            step="submitted",
            status=CaseStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
    async with build_worker(time_env.client, time_settings, session_factory):
        await time_env.client.start_workflow(
            ComplaintWorkflow.run,
            ComplaintInput(case.id, "3304", "email"),
            id=case.id,
            task_queue=time_settings.task_queue,
        )
        await wait_for_mail(smtp, 2)
        await time_env.sleep(timedelta(seconds=1))

    [acknowledgement] = smtp.to("wati@example.com")
    text = _text(acknowledgement)
    assert re.search("akan ditanggapi paling lambat " + IN_WORDS_ID.pattern + r"\.", text), text
    assert f"http://pst.test/portal/cases/{case.id}" in text
    [task] = [m for m in smtp.messages if str(m["Subject"]).startswith("Tugas:")]
    assert re.search("Tenggat standar pelayanan: " + IN_WORDS_ID.pattern, _text(task))
