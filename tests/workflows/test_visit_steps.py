"""The officer's steps on a guest name the step they expect: a second click on the same button is refused."""

from __future__ import annotations

import asyncio

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
    assert "sudah pindah tahap (dipanggil ke meja layanan)" in str(refused[0].cause)
    assert (await read_case_row(session_factory, ticket.case_id)).step == VisitStep.CALLED

    with pytest.raises(WorkflowUpdateFailedError) as late:  # the page still showed "Panggil"
        await handle.execute_update(VisitWorkflow.advance, call)
    assert "muat ulang halaman antrean" in str(late.value.cause)
    serve = VisitAction(officer("1906"), expected_step=VisitStep.CALLED)
    assert (await handle.execute_update(VisitWorkflow.advance, serve)).step == VisitStep.SERVING
    assert (await handle.execute_update(VisitWorkflow.advance, VisitAction(officer("1906")))).step == VisitStep.DONE
