"""The sale on the time-skipping server: a request left for a month still waits for the officer."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from contracts.sale import AbstractReview
from core.db import SessionFactory
from core.enums import Decision, SaleStep
from core.settings import Settings
from tests.helpers import officer, read_case_row, sale_at_abstract_review
from worker import build_worker
from workflows.sale import SaleWorkflow


async def test_a_month_of_waiting_loses_nothing(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory
) -> None:
    settings = time_settings
    async with build_worker(time_env.client, settings, session_factory):
        case = await sale_at_abstract_review(session_factory, time_env.client, settings)
        before = await time_env.get_current_time()

        await time_env.sleep(timedelta(days=30))

        assert await time_env.get_current_time() - before >= timedelta(days=30)
        handle = time_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
        result = await handle.execute_update(
            SaleWorkflow.review_abstract, AbstractReview(decision=Decision.APPROVE, actor=officer())
        )
        assert result.step == SaleStep.OFFER
        assert (await read_case_row(session_factory, case.id)).step == "offer"
