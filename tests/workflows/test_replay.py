"""Replay: the workflow code must replay the histories recorded from earlier versions of it."""

from __future__ import annotations

import base64
import json
import re
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


PERSONAL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|verify-email\?token=|downloads/[A-Za-z0-9_-]{20,}")


def _payload_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        return [
            text
            for key, value in node.items()
            for text in (
                [base64.b64decode(value).decode("utf-8", "replace")]
                if key == "data" and isinstance(value, str)
                else _payload_texts(value)
            )
        ]
    if isinstance(node, list):
        return [text for item in node for text in _payload_texts(item)]
    return []


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("*.json")), ids=lambda path: path.name)
def test_no_history_carries_an_address_a_link_or_a_token(path: Path) -> None:
    found = {
        match.group(0) for text in _payload_texts(json.loads(path.read_text())) for match in PERSONAL.finditer(text)
    }
    assert found == set()  # workflows carry ids and roles; activities read names, addresses and tokens
