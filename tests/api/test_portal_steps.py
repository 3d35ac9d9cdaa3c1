"""Each step of a sale in the portal shows the applicant only what applies to them: the SIMPONI billing code with
its amount and expiry for a payer at home, the office's bank account and the proof upload for one abroad, the
office's postal address for the SPPD, what happens next and by when; the rating starts empty and is not sent with
an element unanswered."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from api.services.cases import allocate_case_id
from core.db import SessionFactory
from core.enums import CaseStatus, Channel, PaymentMethod, PaymentStatus, SaleStep, Service, SlaState
from core.models import Applicant, Case, Office, Payment, utcnow
from tests.api.conftest import PDF, form_csrf, ui_login
from tests.helpers import make_applicant

DEADLINE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # 16.00 WIB in Sampit


async def _sale_at(
    session_factory: SessionFactory, email: str, step: str, *, abroad: bool = False, fee: int = 1_250_000
) -> str:
    """A sale of ``email``'s account at ``step`` as the read model holds it (the portal reads the database)."""
    async with session_factory() as session, session.begin():
        applicant = await session.scalar(select(Applicant).where(Applicant.email == email))
        assert applicant is not None
        office = await session.get(Office, "6202")
        assert office is not None
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=Service.SALE, now=utcnow()),
            service=Service.SALE,
            office_code="6202",
            channel=Channel.ONLINE,
            applicant_name=applicant.name,
            applicant_email=applicant.email,
            applicant_id=applicant.id,
            segment="individual",
            details={"items": [{"kind": "microdata", "name": "Susenas Maret 2025"}], "abroad": abroad, "fee": fee},
            step=step,
            status=CaseStatus.OPEN,
            sla_state=SlaState.RUNNING,
            sla_deadline=DEADLINE,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        session.add(case)
        if step == SaleStep.PAYMENT and not abroad:
            session.add(
                Payment(
                    case_id=case.id,
                    method=PaymentMethod.SIMPONI,
                    amount=fee,
                    status=PaymentStatus.PENDING,
                    billing_code="820261234567890",
                    expires_at=DEADLINE + timedelta(days=2),
                )
            )
    return case.id


async def test_a_payer_at_home_sees_the_billing_code_amount_and_expiry_and_no_transfer_upload(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory, email="dalam.negeri@example.com"))
    case_id = await _sale_at(session_factory, "dalam.negeri@example.com", SaleStep.PAYMENT)

    page = (await api.get(f"/portal/cases/{case_id}")).text
    proof = await api.post(
        f"/portal/cases/{case_id}/actions/transfer_proof",
        data={"csrf": form_csrf(page)},
        files={"file": ("bukti.pdf", PDF)},
    )

    assert "820261234567890" in page and "Rp1.250.000" in page
    assert "6 Desember 2026 pukul 16.00 WIB" in page  # the billing code's expiry, in words, in the office's zone
    assert "Selesai paling lambat 4 Desember 2026 pukul 16.00 WIB" in page
    assert "bukti transfer" not in page and "Nomor rekening" not in page
    assert proof.status_code == 409


async def test_a_payer_abroad_sees_the_offices_bank_account_and_the_proof_upload_and_no_billing_code(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory, email="abroad@example.com", abroad=True))
    case_id = await _sale_at(session_factory, "abroad@example.com", SaleStep.PAYMENT, abroad=True)

    page = (await api.get(f"/portal/cases/{case_id}")).text

    assert "Unggah bukti transfer (PDF)" in page and "Rp1.250.000" in page
    assert "0072-01-000620-30-2" in page and "BRINIDJA" in page and "Bendahara Penerimaan" in page
    assert "Kode billing" not in page


async def test_the_sppd_step_gives_the_offices_postal_address(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory, email="sppd@example.com"))
    case_id = await _sale_at(session_factory, "sppd@example.com", SaleStep.SPPD)

    page = (await api.get(f"/portal/cases/{case_id}")).text

    assert "Jl. A.Yani No.5, Sampit" in page and "Unggah SPPD bertanda tangan e-meterai (PDF)" in page


async def test_the_rating_starts_empty_and_names_each_unanswered_element_keeping_the_answers(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory, email="menilai@example.com"))
    case_id = await _sale_at(session_factory, "menilai@example.com", SaleStep.SUPPORT)
    page = (await api.get(f"/portal/cases/{case_id}")).text
    key = re.search(r'action="/portal/cases/[^"]+/rating".*?name="idempotency_key" value="([^"]+)"', page, re.S)
    assert key is not None
    answered = {f"scores.{index}": "3" for index in (0, 1, 2, 4, 5, 6, 7)}  # 4 and 9 left unanswered

    refused = await api.post(
        f"/portal/cases/{case_id}/actions/rating",
        data={"csrf": form_csrf(page), "idempotency_key": key.group(1), **answered, "feedback": "Cepat."},
    )

    rating_form = page[page.index('/actions/rating"') :]
    rating_form = rating_form[: rating_form.index("</form>")]
    assert 'name="scores.8"' in rating_form and " checked" not in rating_form  # nothing chosen for them
    assert refused.status_code == 422
    assert 'id="rating-scores-3-error"' in refused.text and 'id="rating-scores-8-error"' in refused.text
    assert 'id="rating-scores-0-error"' not in refused.text
    assert refused.text.count("Pilih salah satu jawaban.") == 4  # beside the two, and in the summary
    assert 'name="scores.0" value="3" checked' in refused.text and "Cepat." in refused.text


async def test_the_portal_home_lists_requests_as_cards_and_no_api_hint(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory, email="beranda@example.com"))
    await _sale_at(session_factory, "beranda@example.com", SaleStep.OFFER)

    page = (await api.get("/portal")).text

    assert "/api/v1" not in page and "POST" not in page
    assert 'class="cards-on-phone"' in page and "BPS Kabupaten Kotawaringin Timur" in page


async def test_the_fs3_and_complaint_forms_say_what_is_wrong_beside_each_field(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory, email="dinas@example.com", segment="government"))
    page = await api.get("/portal/new-recommendation")
    csrf = form_csrf(page.text)

    fs3 = await api.post(
        "/portal/new-recommendation",
        data={"csrf": csrf, "office_code": "6202", "title": "Sur", "contact_email": "rina", "year": "2027"},
    )
    complaint = await api.post("/portal/complaint", data={"csrf": csrf, "office_code": "6202", "text": "Lama"})

    assert fs3.status_code == 422
    assert 'id="contact_email-error"' in fs3.text and "Isi alamat email yang benar" in fs3.text
    assert 'id="title-error"' in fs3.text and 'href="#title"' in fs3.text and 'value="Sur"' in fs3.text
    assert "fs3." not in fs3.text and "contact_person" not in fs3.text  # no code names shown
    assert complaint.status_code == 422 and 'id="text-error"' in complaint.text and ">Lama</textarea>" in complaint.text
