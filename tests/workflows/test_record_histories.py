"""Records the histories replayed by test_replay (run with PST_RECORD_HISTORIES=1 to refresh them)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from contracts.sale import AbstractReview
from contracts.sla import DigestInput
from core.db import SessionFactory
from core.enums import Decision
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import approved_sale, officer, sale_at_abstract_review, wait_for_mail
from tests.workflows.test_digest import NYEPI_0730_WIB, TUESDAY_0730_WIB, _case_with_clock
from tests.workflows.test_replay import HISTORIES
from worker import build_worker
from workflows.digest import DigestWorkflow
from workflows.sale import SaleWorkflow

pytestmark = pytest.mark.skipif(os.environ.get("PST_RECORD_HISTORIES") != "1", reason="records only when asked")


async def _save(handle: WorkflowHandle, name: str) -> None:  # type: ignore[type-arg]
    (HISTORIES / name).write_text((await handle.fetch_history()).to_json())


@pytest.mark.usefixtures("dev_worker")
@pytest.mark.parametrize(
    ("name", "review"),
    [
        ("sale_approved.json", AbstractReview(decision=Decision.APPROVE, actor=officer())),
        ("sale_cancelled.json", AbstractReview(decision=Decision.REJECT, reason="Tidak sesuai", actor=officer())),
    ],
)
async def test_record_sale(
    name: str,
    review: AbstractReview,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)
    handle = dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    await handle.execute_update(SaleWorkflow.review_abstract, review)
    await wait_for_mail(smtp, 5)
    await _save(handle, name)


async def test_record_escalated_sale(
    time_env: WorkflowEnvironment, time_settings: Settings, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    async with build_worker(time_env.client, time_settings, session_factory):
        case = await approved_sale(session_factory, time_env.client, time_settings)
        handle = time_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
        await time_env.sleep(timedelta(days=45))
        await wait_for_mail(smtp, 9)
        await _save(handle, "sale_escalated.json")


@pytest.mark.usefixtures("dev_worker")
async def test_record_digests(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    await _case_with_clock(session_factory, datetime(2026, 3, 12, tzinfo=UTC), datetime(2026, 3, 16, 9, tzinfo=UTC))
    for name, as_of in (("digest_sent.json", TUESDAY_0730_WIB), ("digest_holiday.json", NYEPI_0730_WIB)):
        handle = await dev_env.client.start_workflow(
            DigestWorkflow.run, DigestInput("6202", as_of), id=f"record-{name}", task_queue=settings.task_queue
        )
        await handle.result()
        await _save(handle, name)
