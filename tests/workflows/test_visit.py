"""The walk-in queue on the time-skipping server: 5 minutes in Belitung Timur, 10 in Kotabaru."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from api.services.visits import GuestIn, register_guest
from contracts.visit import VisitAction
from core.db import SessionFactory
from core.enums import VisitStep
from core.models import AuditEntry
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import officer, wait_for_mail
from worker import build_worker
from workflows.visit import VisitWorkflow

GUEST = GuestIn(name="Budi", contact="budi@example.com", purpose="Konsultasi data kemiskinan", service="consultation")


async def _moments(session_factory: SessionFactory, case_id: str) -> dict[str, object]:
    async with session_factory() as session:
        rows = (
            await session.execute(select(AuditEntry.action, AuditEntry.at).where(AuditEntry.case_id == case_id))
        ).all()
    return dict(rows)


@pytest.mark.parametrize(("office", "minutes"), [("1906", 5), ("6302", 10)])
async def test_a_waiting_guest_past_the_standard_is_reported_once(
    office: str,
    minutes: int,
    time_env: WorkflowEnvironment,
    time_settings: Settings,
    smtp: SmtpSink,
    session_factory: SessionFactory,
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory), session_factory() as session:
        ticket = await register_guest(
            session=session, temporal=time_env.client, settings=time_settings, office_code=office, guest=GUEST
        )
        assert re.fullmatch(r"K-\d{3}", ticket.queue_number) and ticket.ahead == 0  # counters go on across tests
        await time_env.sleep(timedelta(minutes=minutes * 0.8) + timedelta(seconds=20))
        await wait_for_mail(smtp, 1)  # at 80% the officer on duty: the guest is near the limit
        assert smtp.to(f"officer.{office}@")[0]["Subject"].startswith("Peringatan tenggat")
        assert len(smtp.messages) == 1
        await time_env.sleep(timedelta(minutes=minutes * 0.2))
        await wait_for_mail(smtp, 2)  # then the supervisor: the limit is passed
        await time_env.sleep(timedelta(minutes=30))

    moments = await _moments(session_factory, ticket.case_id)
    started = moments["sla_started"]
    assert abs(moments["sla_breached"] - (started + timedelta(minutes=minutes))) < timedelta(seconds=1)  # type: ignore[operator]
    assert smtp.to(f"supervisor.{office}@")[0]["Subject"].startswith("Tenggat terlewati")
    assert len(smtp.messages) == 2  # once each


async def test_a_guest_called_in_time_is_served_and_finished_without_warnings(
    time_env: WorkflowEnvironment, time_settings: Settings, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory), session_factory() as session:
        ticket = await register_guest(
            session=session, temporal=time_env.client, settings=time_settings, office_code="6302", guest=GUEST
        )
        handle = time_env.client.get_workflow_handle_for(VisitWorkflow.run, ticket.case_id)
        await time_env.sleep(timedelta(minutes=2))
        steps = [
            (await handle.execute_update(VisitWorkflow.advance, VisitAction(officer("6302"), shown))).step
            for shown in (VisitStep.WAITING, VisitStep.CALLED, VisitStep.SERVING)
        ]
        assert steps == [VisitStep.CALLED, VisitStep.SERVING, VisitStep.DONE]
        assert (await handle.result()).step == VisitStep.DONE

    moments = await _moments(session_factory, ticket.case_id)
    assert {"guest_registered", "sla_started", "guest_called", "sla_stopped", "service_finished"} <= set(moments)
    assert smtp.messages == []  # called within the standard: nobody is warned
