"""The officer's steps on a guest name the step they expect: a second click on the same button is refused."""

from __future__ import annotations

import asyncio
import os

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.services.visits import GuestIn, register_guest
from contracts.visit import VisitAction
from core.db import SessionFactory
from core.enums import VisitStep
from core.settings import Settings
from tests.helpers import officer, read_case_row
from tests.workflows.test_replay import HISTORIES
from workflows.visit import VisitWorkflow

GUEST = GuestIn(name="Sari", contact="0812000111", purpose="Membeli publikasi", service="publication")


async def test_two_clicks_on_call_call_the_guest_once_and_the_second_says_why(
    dev_env: WorkflowEnvironment, settings: Settings, dev_worker: Worker, session_factory: SessionFactory
) -> None:
    async with session_factory() as session:
        ticket = await register_guest(
            session=session, temporal=dev_env.client, settings=settings, office_code="1906", guest=GUEST
        )
    handle = dev_env.client.get_workflow_handle_for(VisitWorkflow.run, ticket.case_id)
    call = VisitAction(officer("1906"), expected_step=VisitStep.WAITING)

    answers = await asyncio.gather(
        handle.execute_update(VisitWorkflow.advance, call),
        handle.execute_update(VisitWorkflow.advance, call),
        return_exceptions=True,
    )

    moved = [answer for answer in answers if not isinstance(answer, BaseException)]
    refused = [answer for answer in answers if isinstance(answer, WorkflowUpdateFailedError)]
    assert [result.step for result in moved] == [VisitStep.CALLED] and len(refused) == 1
    assert "Tamu ini sudah dipanggil; muat ulang halaman." in str(refused[0].cause)
    assert (await read_case_row(session_factory, ticket.case_id)).step == VisitStep.CALLED

    with pytest.raises(WorkflowUpdateFailedError) as late:  # the page still showed "Panggil"
        await handle.execute_update(VisitWorkflow.advance, call)
    assert "Tamu ini sudah dipanggil; muat ulang halaman." in str(late.value.cause)
    serve = VisitAction(officer("1906"), expected_step=VisitStep.CALLED)
    assert (await handle.execute_update(VisitWorkflow.advance, serve)).step == VisitStep.SERVING
    finish = VisitAction(officer("1906"), expected_step=VisitStep.SERVING)
    assert (await handle.execute_update(VisitWorkflow.advance, finish)).step == VisitStep.DONE


async def test_a_client_naming_no_step_may_only_call_so_a_repeated_call_is_refused(
    dev_env: WorkflowEnvironment, settings: Settings, dev_worker: Worker, session_factory: SessionFactory
) -> None:
    async with session_factory() as session:
        ticket = await register_guest(
            session=session, temporal=dev_env.client, settings=settings, office_code="1906", guest=GUEST
        )
    handle = dev_env.client.get_workflow_handle_for(VisitWorkflow.run, ticket.case_id)
    old_client = VisitAction(officer("1906"))  # sent as before expected_step existed

    assert (await handle.execute_update(VisitWorkflow.advance, old_client)).step == VisitStep.CALLED
    with pytest.raises(WorkflowUpdateFailedError) as again:
        await handle.execute_update(VisitWorkflow.advance, old_client)

    assert "Tamu ini sudah dipanggil; muat ulang halaman." in str(again.value.cause)
    assert (await read_case_row(session_factory, ticket.case_id)).step == VisitStep.CALLED
    for shown in (VisitStep.CALLED, VisitStep.SERVING):
        await handle.execute_update(VisitWorkflow.advance, VisitAction(officer("1906"), expected_step=shown))
    assert (await handle.result()).step == VisitStep.DONE
    if os.environ.get("PST_RECORD_HISTORIES") == "1" and not (HISTORIES / "visit_step_named.json").exists():
        (HISTORIES / "visit_step_named.json").write_text((await handle.fetch_history()).to_json())
