"""Records the histories replayed by test_sale_replay (run with PST_RECORD_HISTORIES=1 to refresh)."""

from __future__ import annotations

import os

import pytest
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.enums import Decision, SaleStep
from core.settings import Settings
from tests.helpers import officer, start_sale, wait_for_mail, wait_for_step
from tests.workflows.test_sale_replay import HISTORIES
from workflows.sale import SaleWorkflow
from workflows.shared import AbstractReview

pytestmark = pytest.mark.skipif(
    os.environ.get("PST_RECORD_HISTORIES") != "1", reason="records histories only when asked"
)


@pytest.mark.usefixtures("dev_worker")
@pytest.mark.parametrize(
    ("name", "review"),
    [
        ("sale_approved.json", AbstractReview(decision=Decision.APPROVE, actor=officer())),
        ("sale_cancelled.json", AbstractReview(decision=Decision.REJECT, reason="Tidak sesuai", actor=officer())),
    ],
)
async def test_record(
    name: str,
    review: AbstractReview,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    session_factory: SessionFactory,
    smtp: object,
) -> None:
    case = await start_sale(session_factory, dev_env.client, settings)
    await wait_for_step(dev_env.client, case.id, SaleStep.ABSTRACT_REVIEW)
    handle = dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    await handle.execute_update(SaleWorkflow.review_abstract, review)
    await wait_for_mail(smtp, 3)
    history = await handle.fetch_history()
    (HISTORIES / name).write_text(history.to_json())
