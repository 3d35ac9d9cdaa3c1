"""The walk-in day on the time-skipping server: at close of business a guest not yet served closes as not served and
leaves the queue, a guest being served is not cut off; the queue's minute clock never goes to the province."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from api.services import visits
from api.services.visits import GuestIn, closes_at_for, lobby_board, queue, register_guest
from contracts.visit import VisitAction
from core.db import SessionFactory
from core.enums import CaseStatus, VisitStep
from core.office_calendars import load_office_calendar
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import audit_actions, officer, read_case_row, wait_for_mail
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.visit import VisitWorkflow

ANI = GuestIn(name="Ani", contact="ani@example.com", purpose="Membeli data mikro", service="purchase")
BAYU = GuestIn(name="Bayu", contact="0812000222", purpose="Konsultasi data", service="consultation")
CITRA = GuestIn(name="Citra", contact="citra@example.com", purpose="Meminjam publikasi", service="library")


async def _save_once(handle: WorkflowHandle, name: str) -> None:  # type: ignore[type-arg]
    """A new history for the replay test, recorded only when asked and never over a recorded one."""
    path = HISTORIES / name
    if os.environ.get("PST_RECORD_HISTORIES") == "1" and not path.exists():
        path.write_text((await handle.fetch_history()).to_json())


async def _closes_at(session_factory: SessionFactory, case_id: str) -> datetime:
    case = await read_case_row(session_factory, case_id)
    async with session_factory() as session:
        loaded = await load_office_calendar(session, case.office_code, case.created_at)
    assert loaded is not None
    return closes_at_for(loaded[1], case.created_at)


@pytest.fixture
def day_ends_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The day ends 8 hours after close of business, whenever the test runs (after 16.00 the close of business of
    a late guest is the day's end itself)."""
    monkeypatch.setattr(visits, "day_ends_at_for", lambda zone, at: closes_at_for(zone, at) + timedelta(hours=8))


@pytest.mark.usefixtures("day_ends_later")
async def test_a_guest_never_served_closes_at_close_of_business_and_leaves_the_queue(
    time_env: WorkflowEnvironment, time_settings: Settings, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    client = time_env.client
    async with build_worker(client, time_settings, session_factory), session_factory() as session:
        served, called, waiting = [
            await register_guest(session=session, temporal=client, settings=time_settings, office_code="6302", guest=g)
            for g in (ANI, BAYU, CITRA)
        ]
        handles = {t.case_id: client.get_workflow_handle_for(VisitWorkflow.run, t.case_id) for t in (served, called)}
        desk = officer("6302")
        await handles[served.case_id].execute_update(VisitWorkflow.advance, VisitAction(desk, VisitStep.WAITING))
        await handles[served.case_id].execute_update(VisitWorkflow.advance, VisitAction(desk, VisitStep.CALLED))
        await handles[called.case_id].execute_update(VisitWorkflow.advance, VisitAction(desk, VisitStep.WAITING))

        closes_at = await _closes_at(session_factory, waiting.case_id)
        await time_env.sleep(closes_at - await time_env.get_current_time() + timedelta(minutes=1))
        for ticket in (called, waiting):
            result = await client.get_workflow_handle_for(VisitWorkflow.run, ticket.case_id).result()
            assert result.step == VisitStep.NOT_SERVED

        async with session_factory() as reading:
            assert [case.id for case in await queue(session=reading, office_code="6302")] == [served.case_id]
            board = await lobby_board(session=reading, office_code="6302")
        assert str(called.queue_number) not in repr(board) and str(waiting.queue_number) not in repr(board)
        for ticket in (called, waiting):
            row = await read_case_row(session_factory, ticket.case_id)
            assert (row.step, row.status, row.assignee_role) == (VisitStep.NOT_SERVED, CaseStatus.CANCELLED, None)
            actions = await audit_actions(session_factory, ticket.case_id)
            assert "not_served" in actions and actions[-1] in ("not_served", "sla_stopped"), actions
        assert (await read_case_row(session_factory, served.case_id)).step == VisitStep.SERVING  # not cut off

        finished = await handles[served.case_id].execute_update(
            VisitWorkflow.advance, VisitAction(desk, VisitStep.SERVING)
        )
        assert finished.step == VisitStep.DONE
        assert (await handles[served.case_id].result()).step == VisitStep.DONE
        await _save_once(handles[called.case_id], "visit_not_served_at_close_of_business.json")
        await _save_once(handles[served.case_id], "visit_served_past_close_of_business.json")


async def test_a_queue_clock_past_its_limit_tells_the_officer_and_supervisor_never_the_province(
    time_env: WorkflowEnvironment,
    time_settings: Settings,
    smtp: SmtpSink,
    session_factory: SessionFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a visit with no close of business (as one started before it existed): its clock keeps counting for days
    monkeypatch.setattr(visits, "closes_at_for", lambda calendar, registered: None)
    client = time_env.client
    async with build_worker(client, time_settings, session_factory), session_factory() as session:
        ticket = await register_guest(
            session=session, temporal=client, settings=time_settings, office_code="1906", guest=ANI
        )
        handle = client.get_workflow_handle_for(VisitWorkflow.run, ticket.case_id)
        await time_env.sleep(timedelta(minutes=6))
        await wait_for_mail(smtp, 2)
        await time_env.sleep(timedelta(days=14))  # far past the deadline plus the province's working days
        assert (await read_case_row(session_factory, ticket.case_id)).sla_state == "breached"
        await handle.execute_update(VisitWorkflow.advance, VisitAction(officer("1906"), VisitStep.WAITING))
        await _save_once(handle, "visit_minutes_stay_local.json")

    recipients = [message["To"] for message in smtp.messages]
    assert smtp.to("officer.1906@")[0]["Subject"].startswith("Peringatan tenggat")
    assert smtp.to("supervisor.1906@")[0]["Subject"].startswith("Tenggat terlewati")
    assert not smtp.to("provincial-supervisor"), recipients
    assert len(smtp.messages) == 2, recipients
    assert "sla_escalated" not in await audit_actions(session_factory, ticket.case_id)


@pytest.mark.usefixtures("day_ends_later")
async def test_a_service_never_marked_finished_ends_with_the_day(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory
) -> None:
    client = time_env.client
    async with build_worker(client, time_settings, session_factory), session_factory() as session:
        ticket = await register_guest(
            session=session, temporal=client, settings=time_settings, office_code="6302", guest=ANI
        )
        handle = client.get_workflow_handle_for(VisitWorkflow.run, ticket.case_id)
        for shown in (VisitStep.WAITING, VisitStep.CALLED):
            await handle.execute_update(VisitWorkflow.advance, VisitAction(officer("6302"), shown))
        closes_at = await _closes_at(session_factory, ticket.case_id)
        await time_env.sleep(closes_at - await time_env.get_current_time() + timedelta(minutes=1))
        assert (await read_case_row(session_factory, ticket.case_id)).step == VisitStep.SERVING  # not cut off

        await time_env.sleep(timedelta(hours=9))  # past the end of the office's day
        assert (await handle.result()).step == VisitStep.DONE
        await _save_once(handle, "visit_serving_ended_with_the_day.json")

    row = await read_case_row(session_factory, ticket.case_id)
    assert (row.step, row.status, row.assignee_role) == (VisitStep.DONE, CaseStatus.COMPLETED, None)
    assert (await audit_actions(session_factory, ticket.case_id))[-1] == "service_finished_at_day_end"
