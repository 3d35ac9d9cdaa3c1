"""Office calendars through the API: read, an administrator's overrides and settings, and their effect."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, update
from temporalio.testing import WorkflowEnvironment

from core.calendar import office_calendar
from core.db import SessionFactory
from core.models import CalendarOverride, Office
from tests.api.conftest import form_csrf, submit_online, ui_login
from tests.helpers import TokenAuth, read_case_row

CALENDAR = "/api/v1/offices/6202/calendar"


@pytest.fixture(autouse=True)
async def restore_calendar(session_factory: SessionFactory) -> AsyncIterator[None]:
    yield
    async with session_factory() as session, session.begin():
        await session.execute(delete(CalendarOverride))
        await session.execute(update(Office).values(cuti_bersama_is_day_off=True, close_of_business="16:00"))


async def test_the_calendar_lists_non_working_weekdays_with_indonesian_names(api: httpx.AsyncClient) -> None:
    body = (await api.get(CALENDAR, params={"year": 2026})).json()
    days = {entry["day"]: entry for entry in body["days_off"]}
    assert "Cuti Bersama" in days["2026-03-18"]["name"] and days["2026-03-18"]["source"] == "national"
    assert "Nyepi" in days["2026-03-19"]["name"]
    assert "2026-03-21" not in days  # Idul Fitri on a Saturday is no weekday
    assert body["timezone"] == "Asia/Pontianak" and body["close_of_business"] == "16:00"


async def test_an_administrator_edits_the_calendar_and_others_may_not(api: httpx.AsyncClient, login: Any) -> None:
    admin = login("6202", "administrator")
    closure = {"day": "2026-07-07", "closed": True, "name": "Hari Jadi Kotawaringin Timur"}

    refused = [
        await api.post(f"{CALENDAR}/overrides", json=closure, auth=login("6202", "officer")),
        await api.post(f"{CALENDAR}/overrides", json=closure, auth=login("3304", "administrator")),
    ]
    added = await api.post(f"{CALENDAR}/overrides", json=closure, auth=admin)
    again = await api.post(f"{CALENDAR}/overrides", json=closure, auth=admin)
    weekend = await api.post(f"{CALENDAR}/overrides", json={"day": "2026-07-11", "closed": True}, auth=admin)
    national = await api.post(f"{CALENDAR}/overrides", json={"day": "2026-08-17", "closed": True}, auth=admin)
    not_off = await api.post(f"{CALENDAR}/overrides", json={"day": "2026-07-08", "closed": False}, auth=admin)
    worked = await api.post(f"{CALENDAR}/overrides", json={"day": "2026-03-18", "closed": False}, auth=admin)

    assert [response.status_code for response in refused] == [403, 403]
    assert added.status_code == 201 and added.json()["created_by"] == "administrator.6202@demo.pst-flow.id"
    assert again.status_code == 409 and "sudah diubah" in again.json()["detail"]
    assert weekend.status_code == 422 and "akhir pekan" in weekend.json()["detail"]
    assert national.status_code == 422 and "sudah hari libur nasional" in national.json()["detail"]
    assert not_off.status_code == 422 and "bukan hari libur" in not_off.json()["detail"]
    assert worked.status_code == 201
    days = {entry["day"]: entry for entry in (await api.get(CALENDAR, params={"year": 2026})).json()["days_off"]}
    assert days["2026-07-07"] == {"day": "2026-07-07", "name": "Hari Jadi Kotawaringin Timur", "source": "office"}
    assert "2026-03-18" not in days

    removed = await api.delete(f"{CALENDAR}/overrides/2026-07-07", auth=admin)
    missing = await api.delete(f"{CALENDAR}/overrides/2026-07-07", auth=admin)
    assert removed.status_code == 204 and missing.status_code == 404
    assert "2026-07-07" not in {e["day"] for e in (await api.get(CALENDAR, params={"year": 2026})).json()["days_off"]}


async def test_settings_change_what_counts(api: httpx.AsyncClient, login: Any) -> None:
    admin = login("6202", "administrator")
    bad = await api.patch("/api/v1/offices/6202/settings", json={"close_of_business": "25:00"}, auth=admin)
    changed = await api.patch("/api/v1/offices/6202/settings", json={"cuti_bersama_is_day_off": False}, auth=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "close_of_business"
    assert changed.status_code == 200 and changed.json()["cuti_bersama_is_day_off"] is False
    days = {e["day"] for e in (await api.get(CALENDAR, params={"year": 2026})).json()["days_off"]}
    assert "2026-03-18" not in days and "2026-03-19" in days


async def test_a_cuti_bersama_added_by_the_administrator_moves_a_running_deadline(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    session_factory: SessionFactory,
    applicant_auth: TokenAuth,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    await api.post(f"/api/v1/sales/{case_id}/completeness", json={"complete": True}, auth=login("6202", "officer"))
    before = await read_case_row(session_factory, case_id)
    assert before.sla_deadline is not None
    calendar = office_calendar(
        timezone="Asia/Pontianak", close_of_business="16:00", cuti_bersama_is_day_off=True, around=before.updated_at
    )
    next_working_day = calendar.add_working_days(before.updated_at, 1).date()

    added = await api.post(
        f"{CALENDAR}/overrides",
        json={"day": next_working_day.isoformat(), "closed": True, "name": "Cuti bersama tambahan"},
        auth=login("6202", "administrator"),
    )
    assert added.status_code == 201

    for _ in range(100):
        after = await read_case_row(session_factory, case_id)
        if after.sla_deadline != before.sla_deadline:
            break
        await asyncio.sleep(0.1)
    assert after.sla_deadline == calendar.add_working_days(before.sla_deadline, 1)
    assert after.sla_deadline - before.sla_deadline >= timedelta(days=1)
    case = (await api.get(f"/api/v1/cases/{case_id}", auth=login("6202", "officer"))).json()
    assert "sla_recomputed" in [entry["action"] for entry in case["timeline"]]


async def test_the_calendar_page_adds_a_day_and_removes_it_after_a_confirmation(
    api: httpx.AsyncClient, login: Any, demo_accounts: Any
) -> None:
    admin = demo_accounts[("6202", "administrator")]
    officer_page = await api.get("/staff/admin/calendar?year=2026", auth=login("6202", "officer"))
    old_address = await api.get("/staff/offices/6202/calendar?year=2026")
    await ui_login(api, admin.email, admin.password)
    page = await api.get("/staff/admin/calendar?year=2026")
    token = form_csrf(page.text)
    adding = "/staff/admin/calendar/overrides"

    forged = await api.post(adding, data={"day": "2026-07-07", "closed": "true"})
    name = "Hari Jadi Sampit ke-70"
    saved = await api.post(adding, data={"day": "2026-07-07", "closed": "true", "name": name, "csrf": token})
    weekend = await api.post(adding, data={"day": "2026-07-11", "closed": "true", "name": "Sabtu", "csrf": token})
    no_day = await api.post(adding, data={"day": "", "closed": "false", "csrf": token})
    listed = await api.get(saved.headers["location"])
    confirm = await api.get("/staff/admin/calendar/overrides/2026-07-07/remove")
    still_there = await api.get("/staff/admin/calendar?year=2026")
    removed = await api.post("/staff/admin/calendar/overrides/2026-07-07/remove", data={"csrf": token})

    assert officer_page.status_code == 403
    assert old_address.status_code == 303 and old_address.headers["location"] == "/staff/admin/calendar?year=2026"
    assert page.status_code == 200 and "Hari Suci Nyepi" in page.text and "19 Maret 2026" in page.text
    assert "2026-03-19" not in page.text.split("<main", 1)[1].replace('value="', "")  # dates in words, not ISO
    assert forged.status_code == 303 and forged.headers["location"].startswith("/login")
    assert saved.status_code == 303 and saved.headers["location"] == "/staff/admin/calendar?year=2026&done=day-added"
    assert weekend.status_code == 422 and re.search(r'id="admin-day-error">.*akhir pekan', weekend.text)
    assert 'value="2026-07-11"' in weekend.text and 'value="Sabtu"' in weekend.text  # the input kept
    assert no_day.status_code == 422 and re.search(r'id="admin-day-error">.*Isi tanggal', no_day.text)
    assert name in listed.text and "7 Juli 2026" in listed.text and "Perubahan kalender tersimpan" in listed.text
    assert confirm.status_code == 200 and "Hapus perubahan kalender?" in confirm.text and "7 Juli 2026" in confirm.text
    assert 'action="/staff/admin/calendar/overrides/2026-07-07/remove"' in confirm.text
    assert name in still_there.text  # asking is not removing
    assert removed.status_code == 303 and removed.headers["location"].endswith("done=day-removed")
    assert name not in (await api.get("/staff/admin/calendar?year=2026")).text
