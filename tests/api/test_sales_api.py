"""The sale through the JSON API, as the applicant, the officer, the treasurer and SIMPONI use it."""

from __future__ import annotations

import asyncio
import copy
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.enums import SaleStep
from core.models import Case, Document, DownloadLink, DownloadLog, Payment
from tests.api.conftest import PDF, SALE_REQUEST, WALK_IN_REQUEST, submit_online
from tests.conftest import SmtpSink
from tests.helpers import TokenAuth, audit_actions, make_applicant, read_case_row, wait_for_step

SECRET_HEADER = {"X-Simponi-Secret": "dev-only-simponi"}


def _request(base: dict[str, Any] = SALE_REQUEST, **changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(base)
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        target[leaf] = value
    return body


async def _step(api: httpx.AsyncClient, path: str, auth: Any, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await api.post(path, json=body or {}, auth=auth)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _upload(api: httpx.AsyncClient, case_id: str, kind: str, auth: Any, data: bytes = PDF) -> httpx.Response:
    return await api.post(
        f"/api/v1/sales/{case_id}/documents", params={"kind": kind}, files={"file": (f"{kind}.pdf", data)}, auth=auth
    )


async def test_an_online_sale_from_request_to_download_through_the_api(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    officer, treasurer = login("6202", "officer"), login("6202", "treasurer")
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    assert re.fullmatch(r"sale-6202-\d{4}-\d{6}", case_id)
    base = f"/api/v1/sales/{case_id}"

    await _step(api, f"{base}/completeness", officer, {"complete": True})
    await _step(api, f"{base}/abstract-review", officer, {"decision": "approve"})
    sample = (await _upload(api, case_id, "sample", officer, b"id,umur\n1,30\n")).json()["id"]
    offer = {
        "lines": [
            {"item": "Susenas Maret 2025", "tariff_code": "microdata", "quantity": 1_500_000},
            {"item": "Peta Sampit", "tariff_code": "map_regency_desa", "quantity": 1},
        ],
        "sample_document_id": sample,
    }
    assert (await _step(api, f"{base}/offer", officer, offer))["step"] == "sample_review"
    assert (await read_case_row(session_factory, case_id)).details["fee"] == 100_000
    assert (await _step(api, f"{base}/sample-review", applicant_auth, {"accept": True}))["step"] == "payment"

    for _ in range(100):
        async with session_factory() as session:
            code = await session.scalar(select(Payment.billing_code).where(Payment.case_id == case_id))
        if code:
            break
        await asyncio.sleep(0.1)
    assert code is not None and len(code) == 15
    notice = {"billing_code": code, "ntpn": "ab12cd34ef56gh78", "paid_at": "2026-11-27T03:00:00Z"}
    wrong_secret = await api.post("/api/v1/payments/simponi/notify", json=notice, headers={"X-Simponi-Secret": "x"})
    bad_ntpn = await api.post("/api/v1/payments/simponi/notify", json={**notice, "ntpn": "123"}, headers=SECRET_HEADER)
    bad_code = await api.post(
        "/api/v1/payments/simponi/notify", json={**notice, "billing_code": "12345"}, headers=SECRET_HEADER
    )
    assert bad_code.status_code == 422 and "Kode billing SIMPONI harus 15 angka" in bad_code.text
    unknown = await api.post(
        "/api/v1/payments/simponi/notify", json={**notice, "billing_code": "8" * 15}, headers=SECRET_HEADER
    )
    paid = await api.post("/api/v1/payments/simponi/notify", json=notice, headers=SECRET_HEADER)
    assert wrong_secret.status_code == 403 and "Rahasia webhook SIMPONI salah" in wrong_secret.json()["detail"]
    assert bad_ntpn.status_code == 422 and "NTPN harus 16 karakter" in bad_ntpn.text
    assert unknown.status_code == 404
    assert paid.status_code == 202 and paid.json()["case_id"] == case_id
    await wait_for_step(dev_env.client, case_id, SaleStep.SPPD)

    not_pdf = await _upload(api, case_id, "sppd_signed", applicant_auth, b"GIF89a")
    assert not_pdf.status_code == 422 and "PDF" in not_pdf.json()["detail"]
    assert (await _upload(api, case_id, "sppd_signed", applicant_auth)).status_code == 201
    await _step(api, f"{base}/sppd-review", officer, {"accept": True})
    receipt = await _step(api, f"{base}/receipt", treasurer)
    assert receipt["step"] == "delivery" and receipt["detail"].startswith("KW-6202-")
    package = (await _upload(api, case_id, "data_package", officer, b"PK\x03\x04data")).json()["id"]
    delivered = await _step(api, f"{base}/delivery", officer, {"document_id": package})
    assert delivered["step"] == "support"

    download = await api.get(f"/api/v1/downloads/{delivered['detail']}", auth=applicant_auth)
    assert download.status_code == 200 and download.content == b"PK\x03\x04data"
    async with session_factory() as session:
        logged = await session.scalar(
            select(func.count()).select_from(DownloadLog).where(DownloadLog.case_id == case_id)
        )
    assert logged == 1
    wrong_receipt = await api.post(f"{base}/new-link", json={"receipt_number": "KW-1-1-1"}, auth=applicant_auth)
    relink = await _step(api, f"{base}/new-link", applicant_auth, {"receipt_number": receipt["detail"]})
    assert wrong_receipt.status_code == 409 and "Nomor kuitansi tidak cocok" in wrong_receipt.json()["detail"]
    assert relink["detail"] != delivered["detail"]
    rated = await _step(api, f"{base}/rating", applicant_auth, {"scores": [4] * 9, "feedback": "Cepat"})
    assert rated["step"] == "support"
    async with session_factory() as session:
        invoice_id = await session.scalar(
            select(Document.id).where(Document.case_id == case_id, Document.kind == "invoice")
        )
        await session.execute(update(DownloadLink).where(DownloadLink.case_id == case_id).values(downloads=99))
        await session.commit()
    invoice = await api.get(f"{base}/documents/{invoice_id}", auth=applicant_auth)
    stranger = await api.get(f"{base}/documents/{invoice_id}", auth=login("3304", "officer"))
    used_up = await api.get(f"/api/v1/downloads/{delivered['detail']}", auth=applicant_auth)
    assert invoice.status_code == 200 and invoice.content.startswith(b"%PDF")
    assert stranger.status_code == 403
    assert used_up.status_code == 410 and "Minta tautan baru" in used_up.json()["detail"]
    async with session_factory() as session:
        await session.execute(update(Case).where(Case.id == case_id).values(step="completed", status="completed"))
        await session.commit()
    too_late = await api.post(f"{base}/new-link", json={"receipt_number": receipt["detail"]}, auth=applicant_auth)
    assert too_late.status_code == 410 and "30 hari" in too_late.json()["detail"]
    actions = await audit_actions(session_factory, case_id)
    assert actions.index("request_complete") < actions.index("paid") < actions.index("delivered")


async def test_online_requests_need_a_verified_applicant(
    api: httpx.AsyncClient, session_factory: SessionFactory, login: Any
) -> None:
    unverified = TokenAuth(*await make_applicant(session_factory, email="belum@example.com", verified=False))
    anonymous = await api.post("/api/v1/sales", json=SALE_REQUEST)
    not_verified = await api.post("/api/v1/sales", json=SALE_REQUEST, auth=unverified)
    as_staff = await api.post("/api/v1/sales", json=SALE_REQUEST, auth=login("6202", "officer"))
    assert anonymous.status_code == 403 and "akun pemohon" in anonymous.json()["detail"]
    assert not_verified.status_code == 403 and "Verifikasi email" in not_verified.json()["detail"]
    assert as_staff.status_code == 403


async def test_refusals_say_why_and_change_nothing(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    base = f"/api/v1/sales/{case_id}"
    before = await audit_actions(session_factory, case_id)

    out_of_turn = await api.post(f"{base}/abstract-review", json={"decision": "approve"}, auth=login("6202", "officer"))
    wrong_role = await api.post(f"{base}/completeness", json={"complete": True}, auth=login("6202", "treasurer"))
    other_office = await api.post(f"{base}/completeness", json={"complete": True}, auth=login("3304", "officer"))
    applicant_as_officer = await api.post(f"{base}/completeness", json={"complete": True}, auth=applicant_auth)
    not_theirs = await api.post(
        f"{base}/sample-review",
        json={"accept": True},
        auth=TokenAuth(*await make_applicant(session_factory, email="lain@example.com")),
    )
    empty_file = await _upload(api, case_id, "abstract", applicant_auth, b"")
    wrong_kind = await _upload(api, case_id, "receipt", applicant_auth)

    assert out_of_turn.status_code == 409 and "tidak berlaku pada tahap sekarang" in out_of_turn.json()["detail"]
    assert (
        wrong_role.status_code == 409 and "hanya untuk Petugas PST; peran Anda Bendahara" in wrong_role.json()["detail"]
    )
    assert other_office.status_code == 403
    assert applicant_as_officer.status_code == 401
    assert not_theirs.status_code == 403 and "bukan milik akun Anda" in not_theirs.json()["detail"]
    assert empty_file.status_code == 422 and wrong_kind.status_code == 422
    assert await audit_actions(session_factory, case_id) == before
    assert (await read_case_row(session_factory, case_id)).step == "completeness"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"items": []}, "at least 1"),
        ({"items": [{"kind": "map", "name": "Sampit"}]}, "level"),
        ({"abstract": "pendek"}, "terlalu pendek: minimal 20 karakter"),
        ({"office_code": "62"}, "formatnya tidak sesuai"),
    ],
)
async def test_bad_input_is_refused_with_what_is_wrong_and_stores_nothing(
    api: httpx.AsyncClient,
    session_factory: SessionFactory,
    applicant_auth: TokenAuth,
    changes: dict[str, Any],
    expected: str,
) -> None:
    response = await api.post("/api/v1/sales", json=_request(**changes), auth=applicant_auth)

    assert response.status_code == 422
    assert expected in response.text
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Case)) == 0


async def test_walk_in_is_recorded_by_the_officer_with_full_sets_and_valid_npwp(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, login: Any, applicant_auth: TokenAuth
) -> None:
    officer = login("6202", "officer")
    by_applicant = await api.post("/api/v1/sales", json=WALK_IN_REQUEST, auth=applicant_auth)
    chosen_variables = _request(
        WALK_IN_REQUEST, items=[{"kind": "microdata", "name": "Sakernas", "variables": ["umur"]}]
    )
    with_variables = await api.post("/api/v1/sales", json=chosen_variables, auth=officer)
    private_without_npwp = await api.post(
        "/api/v1/sales", json=_request(WALK_IN_REQUEST, applicant__segment="private"), auth=officer
    )
    bad_npwp = await api.post("/api/v1/sales", json=_request(WALK_IN_REQUEST, applicant__npwp="12.345"), auth=officer)
    recorded = await api.post(
        "/api/v1/sales",
        json=_request(WALK_IN_REQUEST, applicant__segment="private", applicant__npwp="01.312.166.0-091.000"),
        auth=officer,
    )

    assert by_applicant.status_code == 403
    assert with_variables.status_code == 422 and "fullset" in with_variables.json()["detail"]
    assert private_without_npwp.status_code == 422 and "NPWP wajib" in private_without_npwp.text
    assert bad_npwp.status_code == 422 and "NPWP tidak valid" in bad_npwp.text
    assert recorded.status_code == 201
    await wait_for_step(dev_env.client, recorded.json()["id"], SaleStep.ABSTRACT_REVIEW)


async def test_unknown_case_and_office(api: httpx.AsyncClient, login: Any, applicant_auth: TokenAuth) -> None:
    missing = await api.get("/api/v1/cases/sale-6202-2026-999999", auth=login("6202", "officer"))
    review = await api.post(
        "/api/v1/sales/sale-6202-2026-999999/abstract-review",
        json={"decision": "approve"},
        auth=login("6202", "officer"),
    )
    office = await api.post("/api/v1/sales", json=_request(office_code="9999"), auth=applicant_auth)
    assert missing.status_code == 404 and review.status_code == 404
    assert office.status_code == 404 and "6202" in office.json()["detail"]


async def test_an_unknown_download_link_says_so(api: httpx.AsyncClient, applicant_auth: TokenAuth) -> None:
    missing = await api.get("/api/v1/downloads/no-such-token", auth=applicant_auth)
    assert missing.status_code == 404 and "Tautan unduhan tidak dikenal" in missing.json()["detail"]


async def test_openapi_describes_the_json_api(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    expected = {
        "/api/v1/sales",
        "/api/v1/cases/{case_id}",
        "/api/v1/sales/{case_id}/abstract-review",
        "/api/v1/sales/{case_id}/offer",
        "/api/v1/payments/simponi/notify",
        "/api/v1/downloads/{token}",
    }
    assert expected <= set(spec["paths"])
    docs = await api.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert (await api.get("/static/swagger/swagger-ui-bundle.js")).status_code == 200


async def test_an_upload_sent_again_with_its_idempotency_key_stores_and_announces_one_document(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, applicant_auth: TokenAuth, session_factory: SessionFactory
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    key = {"Idempotency-Key": "abstrak-kedua-0001"}

    async def upload() -> httpx.Response:
        return await api.post(
            f"/api/v1/sales/{case_id}/documents",
            params={"kind": "abstract"},
            files={"file": ("abstrak-revisi.pdf", PDF)},
            headers=key,
            auth=applicant_auth,
        )

    first, again = await upload(), await upload()  # a retry after a timeout, or a double click
    async with session_factory() as session:
        revised = await session.scalar(
            select(func.count()).select_from(Document).where(Document.filename == "abstrak-revisi.pdf")
        )

    assert first.status_code == again.status_code == 201, again.text
    assert first.json()["id"] == again.json()["id"]
    assert revised == 1
    assert (await audit_actions(session_factory, case_id)).count("abstract") == 2  # submit_online's, then this one
