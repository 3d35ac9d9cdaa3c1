"""The one revision with new items: the step's activity stores them on the case (the next offer, its invoice and its
SPPD list them), a revision to publications alone takes the publications' path, and the history replays."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from contracts.documents import PriceLine
from contracts.sale import Offer, SampleReview
from contracts.sale_items import RevisedItem
from core.case_details import sale_details
from core.db import SessionFactory
from core.enums import SaleStep
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import applicant, approved_sale, officer, read_case_row, store_document
from tests.workflows.test_replay import HISTORIES
from workflows.sale import SaleWorkflow

RECORDED = "sale_revised_items.json"  # recorded with PST_RECORD_HISTORIES=1 (added, never re-recorded)
SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]
SAKERNAS = RevisedItem(
    kind="microdata", name="Sakernas Agustus 2024 (level kabupaten)", dataset_id=2, quantity=1_800_000
)
MAP = RevisedItem(kind="map", name="Kecamatan Baamang 2024", level="kecamatan", map_id=7, quantity=1)
PUBLICATION = RevisedItem(kind="publication", name="Statistik Daerah 2024", publication_id=3, quantity=44)


async def _at_sample_review(session_factory: SessionFactory, client: Any, settings: Settings) -> tuple[str, Any]:
    case = await approved_sale(session_factory, client, settings)
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    sample = await store_document(session_factory, case.id, "sample")
    await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))
    return case.id, handle


@pytest.mark.usefixtures("dev_worker")
async def test_a_revision_with_items_replaces_the_items_and_the_history_replays(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    case_id, handle = await _at_sample_review(session_factory, dev_env.client, settings)
    revised = await handle.execute_update(
        SaleWorkflow.review_sample, SampleReview(applicant(), accept=False, items=[SAKERNAS, MAP])
    )
    items = sale_details(await read_case_row(session_factory, case_id)).items
    sample = await store_document(session_factory, case_id, "sample")
    again = await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS, sample))

    assert revised.step == SaleStep.OFFER and again.step == SaleStep.SAMPLE_REVIEW
    assert [(item.kind, item.name, item.level, item.quantity) for item in items] == [
        ("microdata", "Sakernas Agustus 2024 (level kabupaten)", None, 1_800_000),
        ("map", "Kecamatan Baamang 2024", "kecamatan", 1),
    ]
    history = await handle.fetch_history()
    await Replayer(workflows=[SaleWorkflow]).replay_workflow(history)
    if os.environ.get("PST_RECORD_HISTORIES") == "1" and not (HISTORIES / RECORDED).exists():
        (HISTORIES / RECORDED).write_text(history.to_json())


@pytest.mark.usefixtures("dev_worker")
async def test_a_revision_to_publications_alone_needs_no_new_sample(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    _case_id, handle = await _at_sample_review(session_factory, dev_env.client, settings)
    await handle.execute_update(
        SaleWorkflow.review_sample, SampleReview(applicant(), accept=False, items=[PUBLICATION])
    )
    line = [PriceLine(item="Statistik Daerah 2024", tariff_code="publication", quantity=44)]
    offered = await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), line))

    assert offered.step == SaleStep.PAYMENT  # a publication has no sample to check, nor an SPPD to sign


async def test_the_recorded_revision_with_items_replays() -> None:
    history = WorkflowHistory.from_json(RECORDED, json.loads((HISTORIES / RECORDED).read_text()))
    await Replayer(workflows=[SaleWorkflow]).replay_workflow(history)
