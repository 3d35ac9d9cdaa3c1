"""The staff UI: sign-in with throttling, the inbox with SLA badges, acting on a case from its page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.models import Case, utcnow
from core.seeding import DemoAccount
from tests.api.conftest import confirmation, form_csrf, submit_online, ui_login
from tests.helpers import TokenAuth, read_case_row, store_sale


def _account(demo_accounts: dict[tuple[str, str], DemoAccount], office: str, role: str) -> tuple[str, str]:
    account = demo_accounts[(office, role)]
    return account.email, account.password


async def test_sign_in_is_throttled_after_five_failures(api: httpx.AsyncClient, demo_accounts: Any) -> None:
    email, password = _account(demo_accounts, "3304", "examiner")
    wrong = [await ui_login(api, email, "salah") for _ in range(5)]
    locked = await ui_login(api, email, password)

    assert all(response.status_code == 401 and "Email atau kata sandi salah" in response.text for response in wrong)
    assert locked.status_code == 429 and "Terlalu banyak percobaan" in locked.text


async def test_pages_need_a_session_and_forms_need_their_token(api: httpx.AsyncClient, demo_accounts: Any) -> None:
    anonymous = await api.get("/staff")
    signed_in = await ui_login(api, *_account(demo_accounts, "6202", "officer"))
    without_token = await api.post("/logout", data={})

    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/staff"
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staff"
    assert "pst_session" in signed_in.headers["set-cookie"] and "HttpOnly" in signed_in.headers["set-cookie"]
    assert "samesite=lax" in signed_in.headers["set-cookie"].lower()
    assert without_token.status_code == 303 and without_token.headers["location"].startswith("/login")
    inbox = await api.get("/staff")
    assert inbox.status_code == 200 and "Kotak tugas" in inbox.text
    logged_out = await api.post("/logout", data={"csrf": form_csrf(inbox.text)})
    assert logged_out.status_code == 303 and (await api.get("/staff")).status_code == 303


async def test_the_officer_acts_on_a_case_from_the_inbox(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    await ui_login(api, *_account(demo_accounts, "6202", "treasurer"))
    assert case_id not in (await api.get("/staff")).text  # waits on the officer, not the treasurer

    await ui_login(api, *_account(demo_accounts, "6202", "officer"))
    inbox = await api.get("/staff")
    assert case_id in inbox.text and "belum berjalan" in inbox.text
    page = await api.get(f"/staff/cases/{case_id}")
    assert "Pemeriksaan kelengkapan" in page.text and 'name="missing"' in page.text
    token = form_csrf(page.text)

    refused = await api.post(f"/staff/cases/{case_id}/actions/completeness", data={"csrf": token, "complete": "false"})
    done = await api.post(f"/staff/cases/{case_id}/actions/completeness", data={"csrf": token, "complete": "true"})
    not_open = await api.post(f"/staff/cases/{case_id}/actions/receipt", data={"csrf": token})

    assert refused.status_code == 422 and "Tuliskan apa yang kurang" in refused.text
    assert 'aria-describedby="completeness-missing-error"' in refused.text  # the message beside its field
    assert done.status_code == 303 and done.headers["location"] == f"/staff/cases/{case_id}?done=1"
    assert not_open.status_code == 409 and "tidak tersedia untuk peran Anda" in not_open.text
    assert (await read_case_row(session_factory, case_id)).step == "abstract_review"
    badge = (await api.get("/staff")).text
    assert "hari kerja lagi" in badge and "badge-on_track" in badge

    case_page = (await api.get(f"/staff/cases/{case_id}")).text
    assert "Dinyatakan jelas dan lengkap" in case_page  # timeline in Indonesian
    document = re.search(rf'href="(/staff/cases/{case_id}/documents/\d+)"', case_page)
    assert document is not None and (await api.get(document.group(1))).content.startswith(b"%PDF")
    approved = await api.post(f"/staff/cases/{case_id}/actions/abstract", data={"csrf": token, "decision": "approve"})
    offer_form = (await api.get(f"/staff/cases/{case_id}")).text
    offered = await api.post(
        f"/staff/cases/{case_id}/actions/offer",
        data={
            "csrf": token,
            "lines.0.item": "Susenas Maret 2025",
            "lines.0.tariff_code": "microdata",
            "lines.0.quantity": "1500000",
        },
        files={"sample_document_id": ("contoh.csv", b"id,umur\n1,30\n")},
    )
    assert approved.status_code == 303 and 'value="microdata" selected' in offer_form  # drafted from the request
    assert offered.status_code == 200 and "Ya, kirim penawaran" in offered.text  # checked before it goes out
    assert "Rp30.000" in offered.text  # the total, priced as the invoice will be
    assert (await read_case_row(session_factory, case_id)).step == "offer"  # nothing sent yet
    sent = await api.post(f"/staff/cases/{case_id}/actions/offer", data=confirmation(offered.text))
    assert sent.status_code == 303, sent.text
    row = await read_case_row(session_factory, case_id)
    assert (row.step, row.details["fee"]) == ("sample_review", 30_000)

    await ui_login(api, *_account(demo_accounts, "1906", "officer"))
    other_office = await api.get(f"/staff/cases/{case_id}")
    assert other_office.status_code == 403


async def test_the_supervisor_dashboard_counts_and_charts_the_office(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    late = await store_sale(session_factory)
    near = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        past, soon = utcnow() - timedelta(days=2), utcnow() + timedelta(days=1)
        await session.execute(
            update(Case)
            .where(Case.id == late.id)
            .values(step="offer", sla_state="breached", sla_deadline=past, sla_warning_at=past - timedelta(days=2))
        )
        await session.execute(
            update(Case)
            .where(Case.id == near.id)
            .values(step="offer", sla_state="running", sla_deadline=soon, sla_warning_at=utcnow() - timedelta(hours=1))
        )

    await ui_login(api, *_account(demo_accounts, "6202", "officer"))
    refused = await api.get("/staff/dashboard")
    await ui_login(api, *_account(demo_accounts, "6202", "supervisor"))
    board = await api.get("/staff/dashboard")
    inbox = await api.get("/staff", params={"state": "breached"})

    assert refused.status_code == 403
    assert board.status_code == 200 and "<svg" in board.text
    assert re.search(r"<strong>2</strong><span>permintaan terbuka", board.text)
    assert re.search(r"<strong>1</strong><span>mendekati tenggat", board.text)
    assert re.search(r"<strong>1</strong><span>melewati tenggat", board.text)
    assert late.id in inbox.text and near.id not in inbox.text and "badge-breached" in inbox.text
