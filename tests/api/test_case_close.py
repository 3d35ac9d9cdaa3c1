"""The staff's close of a case (issue 14 item 1) through the one action layer: the staff case page offers it, a
missing reason is refused beside its field, a check page confirms it, the applicant gets the mail, the case leaves
the inbox and the month's report counts it as cancelled; the JSON API closes a case of any service the same way."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.enums import CaseStatus, SaleStep, Service
from core.models import Case, utcnow
from tests.api.conftest import confirmation, form_csrf, submit_online, ui_login
from tests.api.test_visits import _advance as advance
from tests.api.test_visits import _queue_ids as queue_ids
from tests.api.test_visits import _sign_in as sign_in
from tests.api.test_visits import _sla as sla_is
from tests.api.test_visits import _take_number as take_number
from tests.conftest import SmtpSink
from tests.helpers import APPLICANT_EMAIL, TokenAuth, audit_actions, read_case_row, store_case

REASON = "Pemohon meminta transaksi dibatalkan melalui surel tanggal 20 November"


async def _inbox_ids(api: httpx.AsyncClient, auth: httpx.Auth) -> list[str]:
    answer = await api.get("/api/v1/inbox", params={"limit": 100}, auth=auth)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


async def _cancelled(api: httpx.AsyncClient, auth: httpx.Auth) -> int:
    report = (await api.get(f"/api/v1/reports/{utcnow():%Y-%m}", auth=auth)).json()
    return int(next(row for row in report["services"] if row["service"] == "sale")["cancelled"])


async def _mail_to_applicant(smtp: SmtpSink, subject: str) -> str:
    for _ in range(150):
        for message in smtp.to(APPLICANT_EMAIL):
            if str(message["Subject"]) == subject:
                return str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail {subject!r}: {[str(m['Subject']) for m in smtp.to(APPLICANT_EMAIL)]}")


async def test_the_officer_closes_a_sale_from_its_page_with_a_reason_confirmed_first(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: Any,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    supervisor = login("6202", "supervisor")
    assert case_id in await _inbox_ids(api, login("6202", "officer"))
    cancelled_before = await _cancelled(api, supervisor)

    officer = demo_accounts[("6202", "officer")]
    await ui_login(api, officer.email, officer.password)
    page = await api.get(f"/staff/cases/{case_id}")
    action = f"/staff/cases/{case_id}/actions/close"
    assert f'action="{action}"' in page.text and "Tutup permintaan" in page.text

    missing = await api.post(action, data={"csrf": form_csrf(page.text), "reason": "  "})
    assert missing.status_code in (400, 422), missing.text
    error = re.search(r'id="close-reason-error"><span[^>]*>[^<]*</span>([^<]*)</span>', missing.text, re.DOTALL)
    assert error is not None and "Tuliskan alasan penutupan" in error.group(1)  # beside the field
    assert 'aria-describedby="close-reason-error"' in missing.text
    assert "case_closed" not in await audit_actions(session_factory, case_id)

    check = await api.post(action, data={"csrf": form_csrf(page.text), "reason": REASON})
    assert check.status_code == 200 and "Ya, tutup permintaan" in check.text  # the check page
    assert REASON in check.text and "tidak dapat dibatalkan" in check.text
    assert "case_closed" not in await audit_actions(session_factory, case_id)  # nothing sent before it is confirmed
    closed = await api.post(action, data=confirmation(check.text))
    assert closed.status_code == 303, closed.text

    row = await read_case_row(session_factory, case_id)
    assert (row.status, row.step, row.assignee_role, row.outcome_reason) == ("cancelled", "cancelled", None, REASON)
    body = await _mail_to_applicant(smtp, f"Permintaan {case_id} ditutup")
    assert REASON in body and "Alasan:" in body
    assert case_id not in await _inbox_ids(api, login("6202", "officer"))
    assert await _cancelled(api, supervisor) == cancelled_before + 1
    after = await api.get(f"/staff/cases/{case_id}")
    assert "Ditutup oleh petugas" in after.text and f'action="{action}"' not in after.text  # in words; no second close


async def test_the_json_api_closes_with_a_reason_and_refuses_without_one_or_for_another_role(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    url = f"/api/v1/cases/{case_id}/close"

    missing = await api.post(url, json={}, auth=login("6202", "supervisor"))
    treasurer = await api.post(url, json={"reason": REASON}, auth=login("6202", "treasurer"))
    applicant = await api.post(url, json={"reason": REASON}, auth=applicant_auth)
    other_office = await api.post(url, json={"reason": REASON}, auth=login("3304", "supervisor"))
    closed = await api.post(url, json={"reason": REASON}, auth=login("6202", "supervisor"))
    again = await api.post(url, json={"reason": REASON}, auth=login("6202", "supervisor"))
    reopen = await api.post(f"/api/v1/cases/{case_id}/reopen", json={"reason": "x"}, auth=login("6202", "supervisor"))

    assert missing.status_code == 422 and "Tuliskan alasan penutupan" in missing.text
    assert treasurer.status_code == 409, treasurer.text
    assert applicant.status_code in (401, 403), applicant.text
    assert other_office.status_code in (403, 404), other_office.text
    assert closed.status_code == 200, closed.text
    assert closed.json()["step"] == "cancelled"
    assert again.status_code == 409 and reopen.status_code == 409  # a staff close is final
    assert (await audit_actions(session_factory, case_id)).count("case_closed") == 1
    await _mail_to_applicant(smtp, f"Permintaan {case_id} ditutup")


async def test_a_supervisor_is_offered_the_reopen_of_a_case_a_timer_closed_only_within_its_window(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    now = utcnow()
    within = await _closed_by_timer(session_factory, now + timedelta(days=20))
    over = await _closed_by_timer(session_factory, now - timedelta(minutes=1))

    officer = demo_accounts[("6202", "officer")]
    await ui_login(api, officer.email, officer.password)
    assert "/actions/reopen" not in (await api.get(f"/staff/cases/{within}")).text  # a supervisor's decision
    supervisor = demo_accounts[("6202", "supervisor")]
    await ui_login(api, supervisor.email, supervisor.password)
    page = await api.get(f"/staff/cases/{within}")
    assert f'action="/staff/cases/{within}/actions/reopen"' in page.text and "Buka kembali permintaan" in page.text
    assert "/actions/reopen" not in (await api.get(f"/staff/cases/{over}")).text  # the window is over

    missing = await api.post(f"/staff/cases/{within}/actions/reopen", data={"csrf": form_csrf(page.text)})
    assert 'id="reopen-reason-error"' in missing.text and "Tuliskan alasan membuka kembali" in missing.text
    check = await api.post(
        f"/staff/cases/{within}/actions/reopen", data={"csrf": form_csrf(page.text), "reason": "Pemohon menelepon"}
    )
    assert "Ya, buka kembali" in check.text and "Menunggu pemohon melengkapi permintaan" in check.text


async def _closed_by_timer(session_factory: SessionFactory, until: datetime) -> str:
    """A sale a timer closed in its returned step, as the read model shows it (reopenable until ``until``)."""
    case_id = await store_case(session_factory, Service.SALE, SaleStep.CANCELLED, None)
    async with session_factory() as session, session.begin():
        case = await session.get(Case, case_id)
        assert case is not None
        case.status = CaseStatus.CANCELLED
        case.details = {"reopen": {"step": SaleStep.RETURNED, "until": until.isoformat()}}
    return case_id


async def test_a_guest_closed_at_the_desk_leaves_the_queue_and_the_next_wait_starts(
    api: httpx.AsyncClient, demo_accounts: Any, login: Any, session_factory: SessionFactory
) -> None:
    await take_number(api, "Ani")
    await take_number(api, "Budi")
    await sign_in(api, demo_accounts, "6302")
    first_id, second_id = await queue_ids(api)
    assert (await advance(api, first_id, "waiting")).status_code == 303  # called to the desk
    assert (await read_case_row(session_factory, second_id)).sla_state == "not_started"  # someone is ahead

    closed = await api.post(
        f"/api/v1/cases/{first_id}/close", json={"reason": "Tamu pergi sebelum dilayani"}, auth=login("6302", "officer")
    )

    assert closed.status_code == 200, closed.text
    assert closed.json()["step"] == "closed"
    assert await queue_ids(api) == [second_id]
    assert await sla_is(session_factory, second_id, "running")  # the desk is free: the next wait counts
