"""The recommendation (FS3) through the API: online with a revision round, offline by an operator, refusals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import delete
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.models import StaffAccount
from tests.api.conftest import PDF
from tests.conftest import SmtpSink
from tests.helpers import TokenAuth, make_applicant

AGENCY = "Dinas Kesehatan Kabupaten Kotawaringin Timur"
PERSON = {"name": "Rina", "position": "Kepala Seksi", "phone": "0531-21000", "email": "rina@dinkes.example.com"}
FS3 = {
    "title": "Survei Kesehatan Ibu dan Anak 2027",
    "year": 2027,
    "organiser_unit": "Bidang Kesehatan Masyarakat",
    "organiser_address": "Jl. Jend. Sudirman 1, Sampit",
    "organiser_phone": "0531-21000",
    "organiser_email": "kesmas@dinkes.example.com",
    "regency": "Kotawaringin Timur",
    "province": "Kalimantan Tengah",
    "contact_person": PERSON,
    "survey_manager": PERSON,
    "occurrence": "repeated",
    "frequency": "tahunan",
    "collection_type": "cross_sectional",
    "method": "survey",
    "sector": "Kesehatan",
    "objectives": "Mengukur cakupan imunisasi dasar lengkap dan pemeriksaan kehamilan.",
    "schedule_start": "2027-03-01",
    "schedule_end": "2027-05-31",
    "variables": [
        {
            "name": "Imunisasi",
            "concept": "Imunisasi dasar lengkap",
            "definition": "Anak 12-23 bulan dengan imunisasi dasar lengkap",
            "reference_period": "Saat pencacahan",
        },
    ],
}


async def _until(api: httpx.AsyncClient, case_id: str, auth: Any, step: str) -> dict[str, Any]:
    for _ in range(150):
        body = (await api.get(f"/api/v1/recommendations/{case_id}", auth=auth)).json()
        if body["step"] == step:
            return dict(body)
        await asyncio.sleep(0.1)
    raise AssertionError(f"{case_id} never reached {step}: {body}")


async def _post(api: httpx.AsyncClient, path: str, auth: Any, body: dict[str, Any]) -> dict[str, Any]:
    response = await api.post(path, json=body, auth=auth)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
async def other_examiner(session_factory: SessionFactory) -> AsyncIterator[None]:
    """A second examiner of 6202 who is never assigned; removed after the test whatever its outcome."""
    async with session_factory() as session, session.begin():
        session.add(
            StaffAccount(
                email="pemeriksa.lain@bps.go.id",
                name="Pemeriksa Lain",
                office_code="6202",
                role="examiner",
                password_hash="x",
            )
        )
    yield
    async with session_factory() as session, session.begin():
        await session.execute(delete(StaffAccount).where(StaffAccount.email == "pemeriksa.lain@bps.go.id"))


async def test_an_agency_gets_a_recommendation_after_one_revision(
    api: httpx.AsyncClient,
    login: Any,
    session_factory: SessionFactory,
    smtp: SmtpSink,
    dev_env: WorkflowEnvironment,
    other_examiner: None,
) -> None:
    agency = TokenAuth(
        *await make_applicant(
            session_factory, email="kesmas@dinkes.example.com", segment="government", institution=AGENCY
        )
    )
    submitted = await api.post(
        "/api/v1/recommendations", json={"office_code": "6202", "unit": "Bidang Kesmas", "fs3": FS3}, auth=agency
    )
    assert submitted.status_code == 201, submitted.text
    case_id = submitted.json()["id"]
    base = f"/api/v1/recommendations/{case_id}"
    await _until(api, case_id, agency, "completeness")

    operator, supervisor, examiner = (login("6202", role) for role in ("operator", "supervisor", "examiner"))
    assert (await _post(api, f"{base}/completeness", operator, {"complete": True}))["step"] == "assignment"
    wrong_examiner = await api.post(
        f"{base}/assign", json={"examiner_email": "officer.6202@demo.pst-flow.id"}, auth=supervisor
    )
    assigned = await _post(api, f"{base}/assign", supervisor, {"examiner_email": "examiner.6202@demo.pst-flow.id"})
    not_examiner = await api.post(f"{base}/examination", json={"recommend": True}, auth=supervisor)
    returned = await _post(
        api, f"{base}/examination", examiner, {"recommend": False, "notes": "Tambahkan definisi kehamilan berisiko."}
    )
    revised = {**FS3, "objectives": FS3["objectives"] + " Termasuk kehamilan berisiko."}
    resubmitted = await _post(api, f"{base}/resubmit", agency, {"fs3": revised, "note": "Definisi ditambahkan"})
    recommended = await _post(api, f"{base}/examination", examiner, {"recommend": True})

    assert wrong_examiner.status_code == 422 and "bukan pemeriksa aktif" in wrong_examiner.json()["detail"]
    assert (
        not_examiner.status_code == 409
        and "hanya untuk Pemeriksa; peran Anda Supervisor" in not_examiner.json()["detail"]
    )
    assert (assigned["step"], returned["step"], resubmitted["step"]) == ("examination", "revision", "examination")
    assert recommended["step"] == "recommended" and recommended["detail"].startswith("REK-6202-")
    status = (await api.get(base, auth=agency)).json()
    assert status["letter_number"] == recommended["detail"]
    actions = [entry["action"] for entry in status["history"]]
    for action in ("recorded_complete", "examiner_assigned", "returned_round_1", "revision_submitted", "recommended"):
        assert action in actions
    assert "Tambahkan definisi kehamilan berisiko." in [entry["note"] for entry in status["history"]]
    letter = await api.get(f"{base}/letter", auth=agency)
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    for _ in range(100):
        agency_mail = [str(m["Subject"]) for m in smtp.to("kesmas@dinkes.example.com")]
        if any("Surat rekomendasi terbit" in subject for subject in agency_mail):
            break
        await asyncio.sleep(0.1)
    assert any("FS3 dikembalikan untuk perbaikan" in subject for subject in agency_mail)
    assert any("Surat rekomendasi terbit" in subject for subject in agency_mail)
    assert any(str(m["Subject"]).startswith("Tugas:") for m in smtp.to("examiner.6202@demo.pst-flow.id"))
    assert smtp.to("pemeriksa.lain@bps.go.id") == []  # only the assigned examiner is told


async def test_an_operator_records_a_manual_fs3_at_the_desk(
    api: httpx.AsyncClient, login: Any, dev_env: WorkflowEnvironment
) -> None:
    operator = login("6202", "operator")
    offline = {
        "office_code": "6202",
        "channel": "walk_in",
        "agency": {"name": AGENCY, "unit": "Bidang P2P", "contact_name": "Andi", "email": "p2p@dinkes.example.com"},
    }
    by_officer = await api.post("/api/v1/recommendations", json=offline, auth=login("6202", "officer"))
    recorded = await api.post("/api/v1/recommendations", json=offline, auth=operator)
    assert by_officer.status_code == 403 and recorded.status_code == 201
    case_id = recorded.json()["id"]
    base = f"/api/v1/recommendations/{case_id}"
    await _until(api, case_id, operator, "completeness")

    too_early = await api.post(f"{base}/completeness", json={"complete": True}, auth=operator)
    for kind in ("fs3_manual", "request_letter"):
        uploaded = await api.post(
            f"{base}/documents", params={"kind": kind}, files={"file": (f"{kind}.pdf", PDF)}, auth=operator
        )
        assert uploaded.status_code == 201, uploaded.text
    complete = await _post(api, f"{base}/completeness", operator, {"complete": True})

    assert too_early.status_code == 409 and "FS3 manual dan surat permohonan" in too_early.json()["detail"]
    assert complete["step"] == "assignment"


async def test_only_government_agencies_of_offices_with_the_service_may_ask(
    api: httpx.AsyncClient, session_factory: SessionFactory, applicant_auth: TokenAuth
) -> None:
    agency = TokenAuth(
        *await make_applicant(session_factory, email="dinas@example.com", segment="government", institution=AGENCY)
    )
    individual = await api.post(
        "/api/v1/recommendations", json={"office_code": "6202", "unit": "Bidang", "fs3": FS3}, auth=applicant_auth
    )
    no_service = await api.post(
        "/api/v1/recommendations", json={"office_code": "6302", "unit": "Bidang", "fs3": FS3}, auth=agency
    )
    without_frequency = {"office_code": "6202", "unit": "Bidang", "fs3": {**FS3, "frequency": ""}}
    bad_form = await api.post("/api/v1/recommendations", json=without_frequency, auth=agency)

    assert individual.status_code == 403 and "hanya untuk instansi pemerintah" in individual.json()["detail"]
    assert no_service.status_code == 422 and "tidak membuka layanan rekomendasi" in no_service.json()["detail"]
    assert bad_form.status_code == 422 and "frekuensi" in bad_form.text
