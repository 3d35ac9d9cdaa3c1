"""Replay: the workflow code must replay the histories recorded from earlier versions of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from contracts.sale import AbstractReview
from core.db import SessionFactory
from core.enums import Decision
from core.settings import Settings
from tests.helpers import officer, sale_at_abstract_review
from workflows.complaint import ComplaintWorkflow
from workflows.digest import DigestWorkflow
from workflows.recommendation import RecommendationWorkflow
from workflows.sale import SaleWorkflow
from workflows.visit import VisitWorkflow

HISTORIES = Path(__file__).resolve().parent.parent / "histories"
RECORDED = {
    "sale_approved.json": SaleWorkflow,
    "sale_cancelled.json": SaleWorkflow,
    "sale_escalated.json": SaleWorkflow,
    "digest_sent.json": DigestWorkflow,
    "digest_holiday.json": DigestWorkflow,
    "sale_completed.json": SaleWorkflow,
    "recommendation.json": RecommendationWorkflow,
    "complaint.json": ComplaintWorkflow,
    "visit.json": VisitWorkflow,
    "sale_returned_closed_timeout.json": SaleWorkflow,
    "sale_sample_closed_timeout.json": SaleWorkflow,
    "sale_unpaid_closed.json": SaleWorkflow,
    "sale_sppd_closed_timeout.json": SaleWorkflow,
    "sale_transfer_closed_timeout.json": SaleWorkflow,
    "sale_every_wait.json": SaleWorkflow,
    "visit_not_served_at_close_of_business.json": VisitWorkflow,
    "visit_served_past_close_of_business.json": VisitWorkflow,
    "visit_step_named.json": VisitWorkflow,
    "visit_minutes_stay_local.json": VisitWorkflow,
    "visit_serving_ended_with_the_day.json": VisitWorkflow,
    "sale_closed_by_staff.json": SaleWorkflow,
    "recommendation_closed_by_staff.json": RecommendationWorkflow,
    "complaint_closed_by_staff.json": ComplaintWorkflow,
    "visit_closed_by_staff.json": VisitWorkflow,
    "sale_reopened_after_timeout.json": SaleWorkflow,
    "sale_reopen_window_over.json": SaleWorkflow,
    "sale_walk_in_no_treasurer_supervisor_told.json": SaleWorkflow,
    "sale_online_payment_no_treasurer_task.json": SaleWorkflow,
    "sale_billing_under_lock.json": SaleWorkflow,
    "sale_corrected_walk_in.json": SaleWorkflow,
    "recommendation_returned_closed_timeout.json": RecommendationWorkflow,
    "recommendation_revision_closed_reopened.json": RecommendationWorkflow,
    "sale_follow_up_overdue.json": SaleWorkflow,
}


@pytest.mark.parametrize("name", sorted(RECORDED))
async def test_recorded_histories_replay(name: str) -> None:
    history = WorkflowHistory.from_json(name, json.loads((HISTORIES / name).read_text()))
    await Replayer(workflows=[RECORDED[name]]).replay_workflow(history)


@pytest.mark.usefixtures("dev_worker")
async def test_a_fresh_history_replays(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)
    handle = dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    await handle.execute_update(
        SaleWorkflow.review_abstract, AbstractReview(decision=Decision.REJECT, reason="Tidak sesuai", actor=officer())
    )
    await handle.result()

    await Replayer(workflows=[SaleWorkflow]).replay_workflow(await handle.fetch_history())
