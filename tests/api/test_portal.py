"""The applicant portal: my requests, my case's timeline, and my steps (upload, sample review)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy import func, select
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.enums import SaleStep
from core.models import Document
from tests.api.conftest import PDF, SALE_REQUEST, form_csrf, ui_login
from tests.helpers import (
    APPLICANT_EMAIL,
    APPLICANT_PASSWORD,
    TokenAuth,
    make_applicant,
    read_case_row,
    wait_for_mail,
    wait_for_step,
)


def _upload_key(page: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


async def test_an_applicant_follows_and_acts_on_a_request_in_the_portal(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    case_id = (await api.post("/api/v1/sales", json=SALE_REQUEST, auth=applicant_auth)).json()["id"]
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)

    signed_in = await ui_login(api, APPLICANT_EMAIL, APPLICANT_PASSWORD)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/portal"
    listing = await api.get("/portal")
    assert case_id in listing.text and "Pemeriksaan kelengkapan permintaan" in listing.text
    page = await api.get(f"/portal/cases/{case_id}")
    assert "Unggah abstraksi penggunaan data (PDF)" in page.text and "WIB" in page.text
    token = form_csrf(page.text)

    not_pdf = await api.post(
        f"/portal/cases/{case_id}/actions/abstract", data={"csrf": token}, files={"file": ("abstrak.pdf", b"bukan pdf")}
    )
    form = {"csrf": token, "idempotency_key": _upload_key(page.text)}
    upload = f"/portal/cases/{case_id}/actions/abstract"
    uploaded = await api.post(upload, data=form, files={"file": ("a.pdf", PDF)})
    clicked_twice = await api.post(upload, data=form, files={"file": ("a.pdf", PDF)})
    not_now = await api.post(f"/portal/cases/{case_id}/actions/rating", data={"csrf": token})

    assert not_pdf.status_code == 422 and "PDF" in not_pdf.text
    assert uploaded.status_code == 303 and "Dokumen%20terkirim" in uploaded.headers["location"]
    assert clicked_twice.status_code == 303
    async with session_factory() as session:
        abstracts = await session.scalar(
            select(func.count()).select_from(Document).where(Document.case_id == case_id, Document.kind == "abstract")
        )
    assert abstracts == 1
    assert not_now.status_code == 409 and "tidak tersedia pada tahap sekarang" in not_now.text
    assert "Dokumen terkirim." in (await api.get(uploaded.headers["location"])).text
    await api.post(f"/api/v1/sales/{case_id}/completeness", json={"complete": True}, auth=login("6202", "officer"))
    assert (await read_case_row(session_factory, case_id)).sla_state == "running"
    assert "Selesai paling lambat" in (await api.get(f"/portal/cases/{case_id}")).text

    stranger = await make_applicant(session_factory, email="orang.lain@example.com")
    await ui_login(api, *stranger)
    assert (await api.get(f"/portal/cases/{case_id}")).status_code == 404
    assert (await api.get("/staff")).status_code == 303  # an applicant is no staff member


async def test_registration_in_the_browser_says_what_is_wrong_next_to_the_field(
    api: httpx.AsyncClient, smtp: Any, session_factory: SessionFactory
) -> None:
    page = await api.get("/register")
    token = form_csrf(page.text)
    form = {"csrf": token, "name": "Dewi", "email": "dewi@example.com", "password": "pendek", "segment": "private"}

    refused = await api.post("/register", data=form)
    created = await api.post(
        "/register", data={**form, "password": "kata-sandi-panjang", "npwp": "01.312.166.0-091.000"}
    )
    again = await api.post("/register", data={**form, "password": "kata-sandi-panjang", "npwp": "01.312.166.0-091.000"})

    assert refused.status_code == 422 and 'class="field-error"' in refused.text
    assert 'value="dewi@example.com"' in refused.text  # what was typed stays
    assert created.status_code == 200 and "Akun dibuat" in created.text
    assert again.status_code == 409 and "sudah terdaftar" in again.text
    await wait_for_mail(smtp, 1)
    assert "verify-email?token=" in smtp.messages[0].get_body(("plain",)).get_content()


async def test_an_agency_submits_an_fs3_in_the_portal(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, session_factory: SessionFactory, applicant_auth: Any
) -> None:
    agency = await make_applicant(
        session_factory, email="agency@example.com", segment="government", institution="Dinas Kesehatan"
    )
    await ui_login(api, *agency)
    page = await api.get("/portal/new-recommendation")
    form = {
        "csrf": form_csrf(page.text),
        "office_code": "6202",
        "title": "Survei Imunisasi 2027",
        "year": "2027",
        "unit": "Bidang Kesmas",
        "organiser_address": "Jl. Sudirman 1",
        "organiser_phone": "053121000",
        "organiser_email": "kesmas@example.com",
        "regency": "Kotawaringin Timur",
        "province": "Kalimantan Tengah",
        "contact_name": "Rina",
        "contact_phone": "053121000",
        "contact_email": "rina@example.com",
        "manager_name": "Andi",
        "manager_phone": "053121001",
        "manager_email": "andi@example.com",
        "occurrence": "one_off",
        "collection_type": "cross_sectional",
        "method": "survey",
        "sector": "Kesehatan",
        "objectives": "Mengukur cakupan imunisasi dasar.",
        "schedule_start": "2027-03-01",
        "schedule_end": "2027-04-30",
        "variable_name": "Imunisasi",
        "variable_concept": "Imunisasi dasar",
        "variable_definition": "Anak 12-23 bulan dengan imunisasi lengkap",
        "variable_period": "Saat pencacahan",
    }

    wrong_dates = await api.post("/portal/new-recommendation", data={**form, "schedule_end": "2027-01-01"})
    submitted = await api.post("/portal/new-recommendation", data=form)

    assert wrong_dates.status_code == 422 and "Jadwal selesai" in wrong_dates.text
    assert 'value="Survei Imunisasi 2027"' in wrong_dates.text
    assert submitted.status_code == 303 and "/portal/cases/recommendation-6202-" in submitted.headers["location"]
    case_page = await api.get(submitted.headers["location"])
    assert "Rekomendasi kegiatan statistik" in case_page.text
