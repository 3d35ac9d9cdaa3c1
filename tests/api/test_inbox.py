"""The inbox: my tasks first, then my role's, then (supervisors) the rest; counts per filter; keyset pages that
neither skip nor repeat; a provincial supervisor's province; the JSON twin."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from api.errors import Forbidden, Invalid
from api.services import inbox
from api.services.cases import ensure_same_office
from api.services.time_left import DEADLINE_FILTERS
from core.db import SessionFactory
from core.enums import Role, Service, SlaState, TimeUnit
from core.models import StaffAccount, utcnow
from core.seeding import demo_email
from tests.api.conftest import ui_login
from tests.api.inbox_fixtures import (  # noqa: F401 (fixtures)
    NEIGHBOUR,
    add_case,
    neighbour_office_fixture,
    second_officer_fixture,
    staff_named,
)


async def _inbox(session_factory: SessionFactory, staff: StaffAccount, **kwargs: Any) -> inbox.InboxPage:
    async with session_factory() as session:
        return await inbox.inbox(session=session, staff=staff, **kwargs)


def _ids(page: inbox.InboxPage) -> list[tuple[str, str]]:
    return [(row.group.value, row.case.id) for row in page.rows]


async def test_my_tasks_come_first_then_my_roles_then_the_rest_for_a_supervisor(
    session_factory: SessionFactory, second_officer: StaffAccount
) -> None:
    me = await staff_named(session_factory, demo_email(Role.OFFICER, "6202"))
    supervisor = await staff_named(session_factory, demo_email(Role.SUPERVISOR, "6202"))
    now = utcnow()
    mine = await add_case(session_factory, deadline=now + timedelta(days=5), assignee_id=me.id, assigned_step="offer")
    open_task = await add_case(session_factory, deadline=now + timedelta(days=1))
    theirs = await add_case(
        session_factory, deadline=now + timedelta(days=2), assignee_id=second_officer.id, assigned_step="offer"
    )
    lapsed = await add_case(
        session_factory, deadline=now + timedelta(days=3), assignee_id=second_officer.id, assigned_step="completeness"
    )
    treasurers = await add_case(session_factory, step="receipt", role=Role.TREASURER, deadline=now + timedelta(hours=5))
    applicants = await add_case(session_factory, step="payment", role=None, sla_state=SlaState.PAUSED)

    officer_view = await _inbox(session_factory, me)
    second_view = await _inbox(session_factory, second_officer)
    supervisor_view = await _inbox(session_factory, supervisor)

    assert _ids(officer_view) == [("mine", mine.id), ("role", open_task.id), ("role", lapsed.id)]
    assert _ids(second_view) == [("mine", theirs.id), ("role", open_task.id), ("role", lapsed.id)]
    assert _ids(supervisor_view) == [
        ("other", treasurers.id),
        ("other", open_task.id),
        ("other", theirs.id),
        ("other", lapsed.id),
        ("other", mine.id),
        ("other", applicants.id),
    ]
    handed = {row.case.id: row.assignee_name for row in supervisor_view.rows}
    assert handed[mine.id] == me.name and handed[theirs.id] == "Rina Officer Kedua"
    assert handed[lapsed.id] == "" and handed[open_task.id] == ""  # a lapsed hand-over names nobody
    assert [title for title, _ in officer_view.sections] == ["Tugas saya", "Menunggu peran Anda"]
    assert (officer_view.counts.total, officer_view.counts.mine) == (3, 1)


async def test_counts_per_filter_keep_the_other_filters(session_factory: SessionFactory) -> None:
    supervisor = await staff_named(session_factory, demo_email(Role.SUPERVISOR, "6202"))
    now = utcnow()
    for _ in range(3):
        await add_case(session_factory, deadline=now - timedelta(days=1))  # late sales
    await add_case(session_factory, deadline=now + timedelta(days=4))
    await add_case(
        session_factory, service=Service.RECOMMENDATION, step="examination", role=Role.EXAMINER,
        deadline=now - timedelta(hours=2), unit=TimeUnit.DAYS,
    )  # fmt: skip
    await add_case(session_factory, service=Service.VISIT, step="waiting", deadline=now + timedelta(minutes=3))

    everything = await _inbox(session_factory, supervisor)
    late = await _inbox(session_factory, supervisor, filters=inbox.Filters(state="breached"))
    late_sales = await _inbox(session_factory, supervisor, filters=inbox.Filters(state="breached", service="sale"))

    def counts(choices: list[inbox.Choice]) -> dict[str, int]:
        return {choice.value: choice.count for choice in choices}

    assert everything.counts.total == 6
    assert counts(everything.counts.services) == {"sale": 4, "recommendation": 1, "visit": 1, "complaint": 0}
    assert counts(everything.counts.states) == {"breached": 4, "warning": 1, "on_track": 1, "paused": 0}
    assert counts(late.counts.services) == {"sale": 3, "recommendation": 1, "visit": 0, "complaint": 0}
    assert counts(late_sales.counts.states)["on_track"] == 1  # the state's counts keep the service filter
    assert late_sales.counts.total == 3 and len(late_sales.rows) == 3
    assert {row.badge.state for row in late.rows} == {"breached"}
    assert {choice.label for choice in everything.counts.steps} >= {"Penyiapan contoh data, invoice dan SPPD"}


async def test_the_sql_deadline_states_agree_with_the_badges(session_factory: SessionFactory) -> None:
    supervisor = await staff_named(session_factory, demo_email(Role.SUPERVISOR, "6202"))
    now = utcnow()
    for deadline in (now - timedelta(days=1), now + timedelta(minutes=30), now + timedelta(days=3)):
        await add_case(session_factory, deadline=deadline)
    await add_case(session_factory, role=None, sla_state=SlaState.PAUSED)

    page = await _inbox(session_factory, supervisor)
    for state in DEADLINE_FILTERS:
        filtered = await _inbox(session_factory, supervisor, filters=inbox.Filters(state=state))
        expected = {row.case.id for row in page.rows if row.badge.state == state}
        assert {row.case.id for row in filtered.rows} == expected, state
        assert expected, state


async def test_paging_through_45_cases_returns_each_once_in_order_even_with_an_insert_between_pages(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    now = utcnow().replace(microsecond=0)
    created = now - timedelta(hours=1)
    made = []
    for number in range(45):  # ties on the deadline and on the creation time; five without a deadline
        deadline = None if number >= 40 else now + timedelta(days=number // 4)
        made.append(
            await add_case(session_factory, deadline=deadline, created_at=created + timedelta(minutes=number // 3))
        )
    expected = [
        case.id
        for case in sorted(made, key=lambda c: (c.sla_deadline is None, c.sla_deadline or now, c.created_at, c.id))
    ]
    auth = login("6202", "officer")

    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        answer = await api.get("/api/v1/inbox", params={"limit": 20, "cursor": cursor}, auth=auth)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if pages == 1:  # someone's new case with the earliest deadline arrives after the first page
            await add_case(session_factory, deadline=now - timedelta(days=1))
        if not body["next_cursor"]:
            break
        cursor = body["next_cursor"]

    assert pages == 3
    assert seen == expected
    last = body["items"][-1]
    assert last["step_label"] == "Penyiapan contoh data, invoice dan SPPD" and last["badge_text"] == "belum berjalan"


async def test_the_json_inbox_names_the_section_badge_and_assignee_and_refuses_a_bad_filter(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    me = await staff_named(session_factory, demo_email(Role.OFFICER, "6202"))
    now = utcnow()
    mine = await add_case(session_factory, deadline=now + timedelta(days=2), assignee_id=me.id, assigned_step="offer")
    auth = login("6202", "officer")

    answer = await api.get("/api/v1/inbox", auth=auth)
    bad_filter = await api.get("/api/v1/inbox", params={"service": "walk_in"}, auth=auth)
    bad_cursor = await api.get("/api/v1/inbox", params={"cursor": "bukan-penanda"}, auth=auth)
    anonymous = await api.get("/api/v1/inbox")

    item = answer.json()["items"][0]
    assert item["id"] == mine.id and item["section"] == "mine" and item["section_label"] == "Tugas saya"
    assert item["assignee"] == me.name and item["assignee_id"] == me.id
    assert item["badge_state"] == "on_track" and re.fullmatch(r"\d+ (hari kerja|jam) lagi", item["badge_text"])
    assert item["deadline_text"].endswith("WIB") and item["service_label"].startswith("Penjualan")
    assert answer.json()["counts"]["mine"] == 1
    assert bad_filter.status_code == 422 and "sale" in bad_filter.json()["detail"]
    assert bad_cursor.status_code == 422 and "halaman pertama" in bad_cursor.json()["detail"]
    assert anonymous.status_code == 401


async def test_a_provincial_supervisor_sees_the_province_with_an_office_filter(
    session_factory: SessionFactory, neighbour_office: StaffAccount
) -> None:
    provincial = await staff_named(session_factory, demo_email(Role.PROVINCIAL_SUPERVISOR, "6202"))
    supervisor = await staff_named(session_factory, demo_email(Role.SUPERVISOR, "6202"))
    now = utcnow()
    home = await add_case(session_factory, deadline=now + timedelta(days=1))
    neighbour = await add_case(session_factory, office_code=NEIGHBOUR, deadline=now + timedelta(days=2))
    elsewhere = await add_case(session_factory, office_code="6302", deadline=now + timedelta(hours=3))

    province = await _inbox(session_factory, provincial)
    one_office = await _inbox(session_factory, provincial, filters=inbox.Filters(office=NEIGHBOUR))
    own_office = await _inbox(session_factory, supervisor)

    assert [row.case.id for row in province.rows] == [home.id, neighbour.id]
    assert [row.case.id for row in one_office.rows] == [neighbour.id]
    assert {choice.value: choice.count for choice in province.counts.offices} == {"6202": 1, NEIGHBOUR: 1}
    assert [row.case.id for row in own_office.rows] == [home.id] and own_office.counts.offices == []
    with pytest.raises(Invalid):
        await _inbox(session_factory, provincial, filters=inbox.Filters(office="6302"))
    assert elsewhere.id not in {row.case.id for row in province.rows}


async def test_only_a_provincial_supervisor_crosses_offices_and_only_within_the_province(
    session_factory: SessionFactory, neighbour_office: StaffAccount
) -> None:
    provincial = await staff_named(session_factory, demo_email(Role.PROVINCIAL_SUPERVISOR, "6202"))
    supervisor = await staff_named(session_factory, demo_email(Role.SUPERVISOR, "6202"))
    neighbour = await add_case(session_factory, office_code=NEIGHBOUR)
    other_province = await add_case(session_factory, office_code="6302")
    home = await add_case(session_factory)

    ensure_same_office(provincial, neighbour)  # the province's office: allowed
    ensure_same_office(provincial, home)
    ensure_same_office(neighbour_office, neighbour)
    with pytest.raises(Forbidden, match="provinsi lain"):
        ensure_same_office(provincial, other_province)
    with pytest.raises(Forbidden, match="kantor lain"):
        ensure_same_office(supervisor, neighbour)
    with pytest.raises(Forbidden):
        ensure_same_office(neighbour_office, home)  # an officer of 6299 stays in 6299


async def test_the_inbox_page_shows_sections_labels_and_counts(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    me = await staff_named(session_factory, demo_email(Role.OFFICER, "6202"))
    now = utcnow()
    mine = await add_case(session_factory, deadline=now + timedelta(days=6), assignee_id=me.id, assigned_step="offer")
    waiting = await add_case(
        session_factory, service=Service.VISIT, step="waiting", deadline=now + timedelta(minutes=4, seconds=30),
        unit=TimeUnit.MINUTES, institution="",
    )  # fmt: skip
    account = demo_accounts[("6202", "officer")]
    await ui_login(api, account.email, account.password)

    page = (await api.get("/staff")).text
    filtered = (await api.get("/staff", params={"service": "visit"})).text
    bad = await api.get("/staff", params={"cursor": "x"})

    assert page.index("Tugas saya") < page.index(mine.id) < page.index("Menunggu peran Anda") < page.index(waiting.id)
    assert 'class="cards-on-phone inbox-table"' in page and 'data-label="Tenggat"' in page
    assert "Kunjungan PST (buku tamu dan antrean) (1)" in page and "Terlambat (0)" in page
    assert "5 menit lagi" in page and "hari kerja lagi" in page and "Siti Aminah" in page
    assert ">waiting<" not in page and ">offer<" not in page  # steps by their labels
    assert waiting.id in filtered and mine.id not in filtered and "hapus saringan" in filtered
    assert bad.status_code == 422 and "halaman pertama" in bad.text and mine.id in bad.text


async def test_the_page_links_to_the_next_page_by_cursor(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    now = utcnow()
    made = [await add_case(session_factory, deadline=now + timedelta(hours=number + 1)) for number in range(22)]
    account = demo_accounts[("6202", "officer")]
    await ui_login(api, account.email, account.password)

    first = (await api.get("/staff")).text
    link = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = (await api.get(link)).text

    assert made[19].id in first and made[20].id not in first and "berikutnya" in first
    assert made[20].id in second and made[21].id in second and made[0].id not in second
    assert "berikutnya" not in second and "Halaman pertama" in second
