"""Complaints: recorded from a channel or filed in the portal, acknowledged, answered, the answer sent."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from tests.api.conftest import SALE_REQUEST, confirmation, form_csrf, ui_login
from tests.conftest import SmtpSink
from tests.helpers import APPLICANT_EMAIL, APPLICANT_PASSWORD, TokenAuth, audit_actions, read_case_row


async def _until_step(session_factory: SessionFactory, case_id: str, step: str) -> None:
    """Wait until the complaint is at ``step`` with its response clock running."""
    for _ in range(100):
        row = await read_case_row(session_factory, case_id)
        if row.step == step and row.sla_state == "running":
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{case_id} never reached {step}")


async def test_a_complaint_by_sms_is_recorded_answered_and_kept(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    body = {
        "office_code": "1906",
        "channel": "sms_whatsapp",
        "text": "Antrean terlalu lama, lebih dari 30 menit.",
        "name": "Pelapor SMS",
        "phone": "081278563877",
    }
    anonymous = await api.post("/api/v1/complaints", json=body)
    other_office = await api.post("/api/v1/complaints", json=body, auth=login("6202", "officer"))
    recorded = await api.post("/api/v1/complaints", json=body, auth=login("1906", "officer"))
    assert anonymous.status_code == 403 and other_office.status_code == 403 and recorded.status_code == 201
    case_id = recorded.json()["id"]
    assert case_id.startswith("complaint-1906-")
    await _until_step(session_factory, case_id, "response")
    row = await read_case_row(session_factory, case_id)
    assert row.sla_deadline is not None and row.sla_state == "running"

    response = "Petugas tambahan kini berjaga pada jam sibuk; terima kasih atas masukannya."
    short = await api.post(
        f"/api/v1/complaints/{case_id}/resolution", json={"response": "ok"}, auth=login("1906", "officer")
    )
    treasurer = await api.post(
        f"/api/v1/complaints/{case_id}/resolution", json={"response": response}, auth=login("1906", "treasurer")
    )
    resolved = await api.post(
        f"/api/v1/complaints/{case_id}/resolution", json={"response": response}, auth=login("1906", "officer")
    )
    again = await api.post(
        f"/api/v1/complaints/{case_id}/resolution", json={"response": response}, auth=login("1906", "supervisor")
    )

    assert short.status_code == 422 and treasurer.status_code == 409
    assert resolved.status_code == 200 and resolved.json()["step"] == "resolved"
    assert again.status_code == 409
    assert (await read_case_row(session_factory, case_id)).status == "completed"
    assert "complaint_resolved" in await audit_actions(session_factory, case_id)
    assert not [m for m in smtp.messages if "Pengaduan" in str(m["Subject"]) and "Tanggapan" in str(m["Subject"])]


async def test_an_applicant_complains_in_the_portal_and_gets_the_answer_by_mail(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    applicant_auth: TokenAuth,
    demo_accounts: Any,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    sale_id = (await api.post("/api/v1/sales", json=SALE_REQUEST, auth=applicant_auth)).json()["id"]
    await ui_login(api, APPLICANT_EMAIL, APPLICANT_PASSWORD)
    page = await api.get("/portal/complaint")
    assert sale_id in page.text
    filed = await api.post(
        "/portal/complaint",
        data={
            "csrf": form_csrf(page.text),
            "office_code": "6202",
            "case_id": sale_id,
            "text": "Belum ada kabar tentang permintaan saya.",
        },
    )
    assert filed.status_code == 303
    complaint_id = filed.headers["location"].split("/portal/cases/")[1].split("?")[0]
    await _until_step(session_factory, complaint_id, "response")
    assert (await read_case_row(session_factory, complaint_id)).details["linked_case_id"] == sale_id

    officer = demo_accounts[("6202", "officer")]
    await ui_login(api, officer.email, officer.password)
    case_page = await api.get(f"/staff/cases/{complaint_id}")
    reply = "Permintaan Anda sedang diperiksa; kabar kami kirim besok."
    check = await api.post(
        f"/staff/cases/{complaint_id}/actions/resolve", data={"csrf": form_csrf(case_page.text), "response": reply}
    )
    assert check.status_code == 200 and "Ya, kirim tanggapan" in check.text  # confirmed before it goes out
    answered = await api.post(f"/staff/cases/{complaint_id}/actions/resolve", data=confirmation(check.text))
    assert answered.status_code == 303

    for _ in range(100):
        subjects = [str(m["Subject"]) for m in smtp.to(APPLICANT_EMAIL)]
        if f"Tanggapan atas pengaduan {complaint_id}" in subjects:
            break
        await asyncio.sleep(0.1)
    assert f"Pengaduan {complaint_id} telah kami terima" in subjects
    assert f"Tanggapan atas pengaduan {complaint_id}" in subjects
