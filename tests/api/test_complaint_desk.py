"""The complaint desk through HTTP: every channel records (as the JSON API records it), a wrong answer comes back
beside its field with nothing recorded, a form sent twice records once, an anonymous complaint mails no one, and a
complaint recorded while Temporal is down starts when the same form is sent again."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from api.main import create_app
from core.db import SessionFactory
from core.enums import COMPLAINT_CHANNEL_LABELS, ComplaintChannel, Service
from core.formatting import date_in_words
from core.models import Case, OutboxMail
from core.settings import Settings
from tests.api.conftest import _client, form_csrf, ui_login
from tests.conftest import SmtpSink, free_port, make_settings
from tests.helpers import read_case_row, store_sale

DESK = [channel for channel in ComplaintChannel if channel is not ComplaintChannel.PORTAL]
TEXT = "Kotak saran: petugas PST tidak ada di meja pada jam istirahat siang."


def today_at(office_zone: str = "Asia/Pontianak") -> str:
    """Today at the office (6202 is in Asia/Pontianak), as a date field holds it."""
    return datetime.now(ZoneInfo(office_zone)).date().isoformat()


def answers(**changes: str) -> dict[str, str]:
    """A complaint from the suggestion box with the complainant's phone number, as the officer types it."""
    return {
        "channel": "suggestion_box",
        "received_on": today_at(),
        "text": TEXT,
        "name": "Budi Santoso",
        "phone": "0812 3456 7890",
        **changes,
    }


async def open_desk(api: httpx.AsyncClient, demo_accounts: Any, office: str = "6202") -> dict[str, str]:
    """Sign in as the office's officer and open the form: its CSRF token and idempotency key."""
    officer = demo_accounts[(office, "officer")]
    await ui_login(api, officer.email, officer.password)
    page = await api.get("/staff/complaints/new")
    assert page.status_code == 200, page.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key is not None
    return {"csrf": form_csrf(page.text), "idempotency_key": key.group(1)}


async def record(api: httpx.AsyncClient, hidden: dict[str, str], form: dict[str, str]) -> str:
    """Check the answers, then record them; the id of the complaint the officer lands on."""
    checked = await api.post("/staff/complaints/check", data={**hidden, **form})
    assert checked.status_code == 200, checked.text
    assert "Periksa kembali pengaduan" in checked.text
    recorded = await api.post("/staff/complaints", data={**hidden, **form})
    assert recorded.status_code == 303, recorded.text
    location = recorded.headers["location"]
    assert location.startswith("/staff/cases/complaint-6202-") and location.endswith("?done=1")
    return location.split("/staff/cases/")[1].split("?")[0]


async def complaint_count(session_factory: SessionFactory) -> int:
    async with session_factory() as session:
        return int(await session.scalar(select(func.count()).where(Case.service == Service.COMPLAINT)) or 0)


async def until_answerable(session_factory: SessionFactory, case_id: str) -> Case:
    """The complaint once its workflow has acknowledged it (step: response)."""
    for _ in range(100):
        row = await read_case_row(session_factory, case_id)
        if row.step == "response":
            return row
        await asyncio.sleep(0.1)
    raise AssertionError(f"{case_id} was never acknowledged")


async def test_the_form_asks_for_every_channel_of_the_seeds_in_indonesian(
    api: httpx.AsyncClient, demo_accounts: Any
) -> None:
    anonymous_visit = await api.get("/staff/complaints/new")
    assert anonymous_visit.status_code == 303 and anonymous_visit.headers["location"].startswith("/login")
    await open_desk(api, demo_accounts)
    page = (await api.get("/staff/complaints/new")).text
    for channel in DESK:
        assert f'value="{channel}"' in page and COMPLAINT_CHANNEL_LABELS[channel] in page
    assert 'value="portal"' not in page
    assert f'name="received_on" type="date" value="{today_at()}"' in page
    assert "Anonim" in page and "Nomor pelacakan laporan LAPOR!" in page


async def test_every_channel_records_at_the_desk_as_the_api_records_it(
    api: httpx.AsyncClient, login: Any, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    hidden = await open_desk(api, demo_accounts)
    for channel in DESK:
        extra = {"lapor_number": "LAP-2026-0042"} if channel is ComplaintChannel.LAPOR else {}
        form = answers(channel=channel, **extra)
        desk_id = await record(api, {**hidden, "idempotency_key": f"desk-{channel}"}, form)
        by_api = await api.post(
            "/api/v1/complaints", json={**form, "office_code": "6202"}, auth=login("6202", "officer")
        )
        assert by_api.status_code == 201, by_api.text

        desk_row = await until_answerable(session_factory, desk_id)
        api_row = await until_answerable(session_factory, by_api.json()["id"])
        for row in (desk_row, api_row):
            assert row.channel == channel and row.details["channel"] == channel
            assert row.applicant_name == "Budi Santoso" and row.details["phone"] == "0812 3456 7890"
            assert row.details["received_on"] == today_at() and row.details["text"] == TEXT
            assert row.details["lapor_number"] == extra.get("lapor_number", "")
            assert row.sla_state == "running"

    landed = await api.get(f"/staff/cases/{desk_id}?done=1")
    assert landed.status_code == 200 and "Tersimpan" in landed.text and desk_id in landed.text
    assert await complaint_count(session_factory) == 2 * len(DESK)


async def test_the_check_page_shows_the_answers_in_words_with_a_way_back_to_each(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    sale = await store_sale(session_factory)
    hidden = await open_desk(api, demo_accounts)
    form = answers(channel="lapor", lapor_number="LAP-77", case_id=sale.id, email="Budi@Example.com")
    checked = await api.post("/staff/complaints/check", data={**hidden, **form})
    page = checked.text
    assert checked.status_code == 200
    assert "SP4N-LAPOR!" in page and "LAP-77" in page and sale.id in page and "budi@example.com" in page
    answers_shown = page.split("<dl")[1].split("</dl>")[0]
    assert date_in_words(datetime.fromisoformat(today_at()).date()) in answers_shown  # e.g. 27 November 2026
    assert today_at() not in answers_shown and ">lapor<" not in answers_shown  # no code names
    assert answers_shown.count('formaction="/staff/complaints/new#complaint-') == 8  # one per answer
    assert await complaint_count(session_factory) == 0

    back = await api.post("/staff/complaints/new", data={**hidden, **form})
    assert back.status_code == 200 and TEXT in back.text and 'value="LAP-77"' in back.text
    assert f'value="{hidden["idempotency_key"]}"' in back.text
    assert 'value="lapor" checked' in back.text


WRONG = {
    "a day in the future": (
        {"received_on": "FUTURE"},
        "received_on",
        "tidak boleh setelah hari ini",
    ),
    "an empty text": ({"text": "   "}, "text", "Tuliskan isi pengaduan"),
    "an unknown case": ({"case_id": "sale-6202-2026-999999"}, "case_id", "tidak ditemukan di kantor ini"),
    "another office's case": ({"case_id": "OTHER"}, "case_id", "tidak ditemukan di kantor ini"),
    "no contact and not anonymous": ({"phone": "", "email": ""}, "phone", "atau pilih Anonim"),
    "no name and not anonymous": ({"name": ""}, "name", "Tulis nama pelapor"),
    "a LAPOR! report without its number": ({"channel": "lapor"}, "lapor_number", "nomor pelacakan"),
    "no channel": ({"channel": ""}, "channel", "Pilih kanal"),
}


@pytest.mark.parametrize("wrong", WRONG.values(), ids=list(WRONG))
async def test_a_wrong_answer_comes_back_beside_its_field_and_records_nothing(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory, wrong: tuple[dict[str, str], str, str]
) -> None:
    changes, field, message = wrong
    if changes.get("received_on") == "FUTURE":
        changes = {"received_on": (datetime.fromisoformat(today_at()) + timedelta(days=1)).date().isoformat()}
    if changes.get("case_id") == "OTHER":
        changes = {"case_id": (await store_sale(session_factory, office_code="1906")).id}
    hidden = await open_desk(api, demo_accounts)
    form = answers(**changes)

    for path in ("/staff/complaints/check", "/staff/complaints"):
        answered = await api.post(path, data={**hidden, **form})
        page = answered.text
        assert answered.status_code == 422, page
        summary = page.split('class="error-summary"')[1].split("</div>")[0]
        assert f'href="#complaint-{field}"' in summary and message in summary
        beside = re.search(rf'<span class="field-error" id="complaint-{field}-error">(.*?)</span>\s*<', page, re.S)
        assert beside is not None and message in beside.group(1)
        assert re.search(rf'aria-describedby="[^"]*complaint-{field}-error"', page)
        assert 'aria-invalid="true"' in page
        assert TEXT in page or form["text"].strip() == ""  # the officer's input is kept
        assert f'value="{hidden["idempotency_key"]}"' in page
    assert await complaint_count(session_factory) == 0


async def test_every_problem_is_listed_at_once(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    hidden = await open_desk(api, demo_accounts)
    form = answers(text="", received_on="2999-01-01", case_id="nope", phone="", name="")
    answered = await api.post("/staff/complaints/check", data={**hidden, **form})
    summary = answered.text.split('class="error-summary"')[1].split("</div>")[0]
    links = re.findall(r'href="#complaint-([a-z_]+)"', summary)
    assert links == ["received_on", "text", "case_id", "name", "phone"]  # in the order of the form
    assert await complaint_count(session_factory) == 0


async def test_a_form_sent_twice_records_one_complaint(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    hidden = await open_desk(api, demo_accounts)
    first = await record(api, hidden, answers())
    together = await asyncio.gather(*(api.post("/staff/complaints", data={**hidden, **answers()}) for _ in range(3)))
    assert {response.headers["location"] for response in together} == {f"/staff/cases/{first}?done=1"}
    assert await complaint_count(session_factory) == 1

    changed = await api.post("/staff/complaints/check", data={**hidden, **answers(text=TEXT + " Diubah.")})
    assert changed.status_code == 409  # back in the browser after recording, an answer changed
    assert f'sudah dicatat sebagai\n  <a href="/staff/cases/{first}">' in changed.text
    assert "Periksa kembali" not in changed.text and await complaint_count(session_factory) == 1

    other = await record(api, {**hidden, "idempotency_key": "another-form"}, answers())
    assert other != first and await complaint_count(session_factory) == 2

    racing = {**hidden, **answers(), "idempotency_key": "double-click"}  # all sent before any is recorded
    raced = await asyncio.gather(*(api.post("/staff/complaints", data=racing) for _ in range(3)))
    assert len({response.headers["location"] for response in raced}) == 1
    assert await complaint_count(session_factory) == 3


async def test_an_anonymous_complaint_sends_no_mail(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    hidden = await open_desk(api, demo_accounts)
    typed = answers(anonymous="true", name="Tidak Dicatat", email="tidak.dicatat@example.com", phone="0812000111")
    checked = await api.post("/staff/complaints/check", data={**hidden, **typed})
    assert "Anonim" in checked.text and "tidak.dicatat@example.com" not in checked.text.split("<dl")[1]
    anonymous_id = await record(api, hidden, typed)
    named_id = await record(
        api, {**hidden, "idempotency_key": "named"}, answers(email="budi.santoso@example.com", phone="")
    )

    anonymous = await until_answerable(session_factory, anonymous_id)
    await until_answerable(session_factory, named_id)
    assert anonymous.applicant_name == "Anonim" and anonymous.applicant_email == ""
    assert anonymous.details["anonymous"] is True and anonymous.details["phone"] == ""
    for _ in range(100):  # the named complainant's acknowledgement shows the relay has had its turn
        if smtp.to("budi.santoso@example.com"):
            break
        await asyncio.sleep(0.1)
    assert f"Pengaduan {named_id} telah kami terima" in [str(m["Subject"]) for m in smtp.to("budi.santoso@example.com")]
    assert not smtp.to("tidak.dicatat@example.com")
    assert not [subject for subject in smtp.subjects() if anonymous_id in subject and "terima" in subject]
    async with session_factory() as session:
        mailed = (await session.scalars(select(OutboxMail.subject).where(OutboxMail.case_id == anonymous_id))).all()
    assert not [subject for subject in mailed if "telah kami terima" in subject]


async def test_a_complaint_recorded_while_temporal_is_down_is_confirmed_and_starts_when_the_form_is_sent_again(
    api: httpx.AsyncClient,
    demo_accounts: Any,
    database_url: str,
    smtp: SmtpSink,
    task_queue: str,
    tmp_path: Path,
    session_factory: SessionFactory,
) -> None:
    offline = make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=f"127.0.0.1:{free_port()}")
    async for down in _client(create_app(offline)):
        hidden = await open_desk(down, demo_accounts)
        stored = await down.post("/staff/complaints", data={**hidden, **answers()})
        twice = await down.post("/staff/complaints", data={**hidden, **answers()})  # sent again in the outage
        confirmed = await down.get(stored.headers["location"])
    assert stored.status_code == twice.status_code == 303
    assert stored.headers["location"] == twice.headers["location"]
    case_id = re.search(r"/staff/cases/(complaint-6202-\d{4}-\d+)\?", stored.headers["location"])
    assert case_id is not None
    assert "Diterima; diproses segera." in confirmed.text  # the normal confirmation says it starts shortly
    assert (await read_case_row(session_factory, case_id.group(1))).workflow_started is False
    assert await complaint_count(session_factory) == 1

    again = await open_desk(api, demo_accounts)
    resent = await api.post(
        "/staff/complaints", data={**answers(), "csrf": again["csrf"], "idempotency_key": hidden["idempotency_key"]}
    )
    assert resent.status_code == 303 and resent.headers["location"].startswith(f"/staff/cases/{case_id.group(1)}?")
    assert (await until_answerable(session_factory, case_id.group(1))).workflow_started is True
    assert await complaint_count(session_factory) == 1


async def test_the_api_takes_the_same_rules_and_an_idempotency_key(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory, settings: Settings
) -> None:
    officer = login("6202", "officer")
    body = {**answers(), "office_code": "6202"}
    unknown = await api.post("/api/v1/complaints", json={**body, "channel": "kotak"}, auth=officer)
    portal = await api.post("/api/v1/complaints", json={**body, "channel": "portal"}, auth=officer)
    future = await api.post("/api/v1/complaints", json={**body, "received_on": "2999-01-01"}, auth=officer)
    nobody = await api.post("/api/v1/complaints", json={**body, "name": "", "phone": ""}, auth=officer)
    assert unknown.status_code == portal.status_code == future.status_code == nobody.status_code == 422
    assert "tidak boleh setelah hari ini" in future.json()["detail"] and "Anonim" in nobody.json()["detail"]
    assert await complaint_count(session_factory) == 0

    headers = {"Idempotency-Key": "api-once"}
    first = await api.post("/api/v1/complaints", json=body, auth=officer, headers=headers)
    second = await api.post("/api/v1/complaints", json=body, auth=officer, headers=headers)
    anonymous = await api.post("/api/v1/complaints", json={**body, "anonymous": True, "name": ""}, auth=officer)
    assert first.status_code == second.status_code == anonymous.status_code == 201
    assert first.json()["id"] == second.json()["id"] != anonymous.json()["id"]
    row = await read_case_row(session_factory, anonymous.json()["id"])
    assert row.applicant_name == "Anonim" and row.details["received_on"] == today_at()
    assert await complaint_count(session_factory) == 2
