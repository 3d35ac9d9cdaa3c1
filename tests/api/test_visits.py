"""The guest book at the desk, the lobby display and the officer's queue: the next wait starts at a finish."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from core.db import SessionFactory
from tests.api.conftest import form_csrf, ui_login
from tests.helpers import read_case_row


async def _take_number(api: httpx.AsyncClient, name: str) -> str:
    page = await api.get("/desk/6302")
    taken = await api.post(
        "/desk/6302",
        data={
            "csrf": form_csrf(page.text),
            "name": name,
            "contact": "0811000000",
            "purpose": "Membeli data mikro",
            "service": "purchase",
        },
    )
    assert taken.status_code == 303, taken.text
    ticket = (await api.get(taken.headers["location"])).text
    found = re.search(r"Nomor antrean Anda: <strong>([A-Z]-\d{3})", ticket)
    assert found is not None
    return found.group(1)


async def _queue_ids(api: httpx.AsyncClient) -> list[str]:
    return re.findall(r'action="/staff/queue/([\w-]+)/advance"', (await api.get("/staff/queue")).text)


async def _sla(session_factory: SessionFactory, case_id: str, state: str) -> bool:
    for _ in range(100):
        if (await read_case_row(session_factory, case_id)).sla_state == state:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_guests_queue_and_the_next_wait_starts_when_the_guest_ahead_finishes(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    empty = await api.post("/desk/6302", data={"csrf": form_csrf((await api.get("/desk/6302")).text), "name": "X"})
    first, second = await _take_number(api, "Ani"), await _take_number(api, "Budi")
    lobby = await api.get("/lobby/6302")

    assert empty.status_code == 422
    assert (first, second) == ("P-001", "P-002")
    assert "P-001" in lobby.text and "P-002" in lobby.text and 'hx-trigger="every 10s"' in lobby.text

    officer = demo_accounts[("6302", "officer")]
    await ui_login(api, officer.email, officer.password)
    first_id, second_id = await _queue_ids(api)
    assert await _sla(session_factory, first_id, "running")  # the desk was free
    assert (await read_case_row(session_factory, second_id)).sla_state == "not_started"  # someone is ahead
    token = form_csrf((await api.get("/staff/queue")).text)
    for _ in range(3):  # call, start, finish
        moved = await api.post(f"/staff/queue/{first_id}/advance", data={"csrf": token})
        assert moved.status_code == 303

    assert (await read_case_row(session_factory, first_id)).step == "done"
    assert await _sla(session_factory, second_id, "running")  # counts from the previous guest's finish
    assert await _queue_ids(api) == [second_id]
    other = demo_accounts[("1906", "officer")]
    await ui_login(api, other.email, other.password)
    refused = await api.post(
        f"/staff/queue/{second_id}/advance", data={"csrf": form_csrf((await api.get("/staff")).text)}
    )
    assert refused.status_code == 403


async def test_a_guest_being_served_opens_a_walk_in_sale_linked_both_ways(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    page = await api.get("/desk/3304")
    await api.post(
        "/desk/3304",
        data={
            "csrf": form_csrf(page.text),
            "name": "Citra",
            "contact": "citra@example.com",
            "purpose": "Skripsi tentang tenaga kerja",
            "service": "purchase",
        },
    )
    officer = demo_accounts[("3304", "officer")]
    await ui_login(api, officer.email, officer.password)
    [visit_id] = await _queue_ids(api)
    token = form_csrf((await api.get("/staff/queue")).text)
    for _ in range(2):  # call, start serving
        await api.post(f"/staff/queue/{visit_id}/advance", data={"csrf": token})

    opened = await api.post(f"/staff/queue/{visit_id}/sale", data={"csrf": token, "item": "Sakernas Agustus 2025"})

    assert opened.status_code == 303 and opened.headers["location"].startswith("/staff/cases/sale-3304-")
    sale_id = opened.headers["location"].rsplit("/", 1)[1]
    sale = await read_case_row(session_factory, sale_id)
    visit = await read_case_row(session_factory, visit_id)
    assert sale.channel == "walk_in" and sale.details["visit_id"] == visit_id
    assert visit.details["case_ids"] == [sale_id]
    assert sale_id in (await api.get("/staff/queue")).text


async def test_the_operator_records_the_guests_fs3_linked_to_the_visit(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    page = await api.get("/desk/6202")
    await api.post(
        "/desk/6202",
        data={
            "csrf": form_csrf(page.text),
            "name": "Rina",
            "institution": "Dinas Kesehatan",
            "contact": "rina@example.com",
            "purpose": "Rekomendasi survei",
            "service": "recommendation",
        },
    )
    operator, officer_login = demo_accounts[("6202", "operator")], demo_accounts[("6202", "officer")]
    await ui_login(api, officer_login.email, officer_login.password)
    visit_id = (await _queue_ids(api))[0]
    officer_token = form_csrf((await api.get("/staff")).text)
    for _ in range(2):
        await api.post(f"/staff/queue/{visit_id}/advance", data={"csrf": officer_token})
    by_officer = await api.post(f"/staff/queue/{visit_id}/recommendation", data={"csrf": officer_token})
    await ui_login(api, operator.email, operator.password)
    token = form_csrf((await api.get("/staff")).text)
    opened = await api.post(f"/staff/queue/{visit_id}/recommendation", data={"csrf": token})

    assert by_officer.status_code == 403
    assert opened.status_code == 303 and "/staff/cases/recommendation-6202-" in opened.headers["location"]
    recommendation_id = opened.headers["location"].rsplit("/", 1)[1]
    assert (await read_case_row(session_factory, recommendation_id)).details["visit_id"] == visit_id
    assert (await read_case_row(session_factory, visit_id)).details["case_ids"] == [recommendation_id]
