"""A supervisor hands a case's current task to one officer: a form with the office's people of the role the case
waits on, errors beside the field, the timeline and a mail; the hand-over lapses when the case moves on."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, update

from api.services import inbox
from core.db import SessionFactory
from core.enums import Role, SlaState
from core.models import AuditEntry, Case, OutboxMail, StaffAccount, utcnow
from core.seeding import demo_email
from tests.api.conftest import form_csrf, ui_login
from tests.api.inbox_fixtures import (  # noqa: F401 (fixtures)
    NEIGHBOUR,
    add_case,
    neighbour_office_fixture,
    second_officer_fixture,
    staff_named,
)
from tests.helpers import read_case_row


async def _sign_in(api: httpx.AsyncClient, demo_accounts: Any, role: str, office: str = "6202") -> None:
    account = demo_accounts[(office, role)]
    await ui_login(api, account.email, account.password)


async def test_a_supervisor_hands_a_task_to_the_second_officer(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory, second_officer: StaffAccount
) -> None:
    treasurer = await staff_named(session_factory, demo_email(Role.TREASURER, "6202"))
    case = await add_case(session_factory, deadline=utcnow() + timedelta(days=3))
    await _sign_in(api, demo_accounts, Role.SUPERVISOR)
    form = await api.get(f"/staff/cases/{case.id}/assign")
    token = form_csrf(form.text)

    nobody = await api.post(f"/staff/cases/{case.id}/assign", data={"csrf": token, "assignee_id": ""})
    wrong_role = await api.post(f"/staff/cases/{case.id}/assign", data={"csrf": token, "assignee_id": treasurer.id})
    assert (await read_case_row(session_factory, case.id)).assignee_id is None  # nothing changed
    done = await api.post(f"/staff/cases/{case.id}/assign", data={"csrf": token, "assignee_id": second_officer.id})
    shown = await api.get(done.headers["location"])

    assert form.status_code == 200 and "Rina Officer Kedua" in form.text and "Demo officer 6202" in form.text
    assert treasurer.name not in form.text  # only the role the case waits on
    assert nobody.status_code == 422 and "Pilih staf yang menerima tugas ini." in nobody.text
    assert wrong_role.status_code == 422 and 'aria-invalid="true"' in wrong_role.text
    assert 'id="assignee_id-error"' in wrong_role.text and 'href="#assignee_id"' in wrong_role.text
    assert re.search(rf'<option value="{treasurer.id}"', wrong_role.text) is None
    assert "Pilih salah satu Petugas PST aktif" in wrong_role.text
    assert done.status_code == 303 and "Tugas diserahkan kepada Rina Officer Kedua" in shown.text
    row = await read_case_row(session_factory, case.id)
    assert (row.assignee_id, row.assigned_step) == (second_officer.id, "offer")
    async with session_factory() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.case_id == case.id))
        mail = await session.scalar(select(OutboxMail).where(OutboxMail.case_id == case.id))
    assert entry is not None and entry.action == "assigned" and entry.event_key.startswith("assign:")
    assert "Rina Officer Kedua" in entry.note and entry.actor.startswith("staff-")
    assert mail is not None and mail.to_addr == second_officer.email and case.id in mail.subject
    assert f"/staff/cases/{case.id}" in mail.body_text

    again = await api.post(f"/staff/cases/{case.id}/assign", data={"csrf": token, "assignee_id": second_officer.id})
    assert again.status_code == 422 and "sudah diserahkan kepada Rina Officer Kedua" in again.text
    assert f'<option value="{second_officer.id}" selected>' in again.text  # the choice kept


async def test_the_hand_over_puts_the_task_first_for_that_officer_and_lapses_when_the_case_moves_on(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory, second_officer: StaffAccount
) -> None:
    earlier = await add_case(session_factory, deadline=utcnow() + timedelta(days=1))
    handed = await add_case(session_factory, deadline=utcnow() + timedelta(days=4))

    answer = await api.put(
        f"/api/v1/cases/{handed.id}/assignee", json={"assignee_id": second_officer.id}, auth=login("6202", "supervisor")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["assignee"] == "Rina Officer Kedua" and answer.json()["step"] == "offer"

    async with session_factory() as session:
        first = await inbox.inbox(session=session, staff=second_officer)
        demo_officer = await session.scalar(
            select(StaffAccount).where(StaffAccount.email == demo_email(Role.OFFICER, "6202"))
        )
        assert demo_officer is not None
        others = await inbox.inbox(session=session, staff=demo_officer)
    assert [(row.group.value, row.case.id) for row in first.rows] == [("mine", handed.id), ("role", earlier.id)]
    assert [row.case.id for row in others.rows] == [earlier.id]  # held by someone else

    async with session_factory() as session, session.begin():  # the workflow moves the case on
        await session.execute(update(Case).where(Case.id == handed.id).values(step="delivery"))
    async with session_factory() as session:
        later = await inbox.inbox(session=session, staff=second_officer)
    assert [(row.group.value, row.case.id) for row in later.rows] == [("role", earlier.id), ("role", handed.id)]
    assert all(row.assignee_name == "" for row in later.rows)


async def test_only_supervisors_hand_over_and_only_open_staff_tasks(
    api: httpx.AsyncClient, login: Any, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    case = await add_case(session_factory)
    waits_on_applicant = await add_case(session_factory, step="payment", role=None, sla_state=SlaState.PAUSED)
    officer = await staff_named(session_factory, demo_email(Role.OFFICER, "6202"))

    by_officer = await api.put(
        f"/api/v1/cases/{case.id}/assignee", json={"assignee_id": officer.id}, auth=login("6202", "officer")
    )
    by_administrator = await api.put(
        f"/api/v1/cases/{case.id}/assignee", json={"assignee_id": officer.id}, auth=login("6202", "administrator")
    )
    from_another_office = await api.put(
        f"/api/v1/cases/{case.id}/assignee", json={"assignee_id": officer.id}, auth=login("6302", "supervisor")
    )
    no_task = await api.put(
        f"/api/v1/cases/{waits_on_applicant.id}/assignee",
        json={"assignee_id": officer.id},
        auth=login("6202", "supervisor"),
    )
    await _sign_in(api, demo_accounts, Role.OFFICER)
    page = await api.get(f"/staff/cases/{case.id}/assign")
    without_token = await api.post(f"/staff/cases/{case.id}/assign", data={"assignee_id": officer.id})

    assert by_officer.status_code == 403 and "supervisor" in by_officer.json()["detail"]
    assert by_administrator.status_code == 403
    assert from_another_office.status_code == 403
    assert no_task.status_code == 409 and "tidak menunggu tindakan staf" in no_task.json()["detail"]
    assert page.status_code == 403
    assert without_token.status_code == 303 and without_token.headers["location"].startswith("/login")
    assert (await read_case_row(session_factory, case.id)).assignee_id is None


async def test_a_provincial_supervisor_hands_over_within_the_province_only_to_that_offices_people(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory, neighbour_office: StaffAccount
) -> None:
    neighbour_case = await add_case(session_factory, office_code=NEIGHBOUR)
    home_officer = await staff_named(session_factory, demo_email(Role.OFFICER, "6202"))
    provincial = login("6202", "provincial_supervisor")

    to_home_officer = await api.put(
        f"/api/v1/cases/{neighbour_case.id}/assignee", json={"assignee_id": home_officer.id}, auth=provincial
    )
    done = await api.put(
        f"/api/v1/cases/{neighbour_case.id}/assignee", json={"assignee_id": neighbour_office.id}, auth=provincial
    )
    elsewhere = await add_case(session_factory, office_code="6302")
    other_province = await api.put(
        f"/api/v1/cases/{elsewhere.id}/assignee", json={"assignee_id": home_officer.id}, auth=provincial
    )

    assert to_home_officer.status_code == 422  # a case of 6299 goes to 6299's people
    assert done.status_code == 200 and done.json()["assignee"] == "Bayu Petugas Uji"
    assert other_province.status_code == 403
