"""The PST Flow worker: builds the activities with their dependencies and runs the Temporal worker."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from activities.calendar import CalendarActivities
from activities.documents import DocumentActivities
from activities.notify import NotifyActivities
from activities.payments import PaymentActivities
from activities.records import RecordActivities
from api.services.schedules import sync_digest_schedules
from core.db import SessionFactory, create_engine, create_session_factory
from core.logs import configure_logging
from core.settings import Settings, get_settings
from workflows.complaint import ComplaintWorkflow
from workflows.digest import DigestWorkflow
from workflows.mail import DirectMailWorkflow
from workflows.recommendation import RecommendationWorkflow
from workflows.sale import SaleWorkflow
from workflows.visit import VisitWorkflow

log = logging.getLogger("pst.worker")

WORKFLOWS: Sequence[type] = (
    SaleWorkflow,
    RecommendationWorkflow,
    ComplaintWorkflow,
    VisitWorkflow,
    DigestWorkflow,
    DirectMailWorkflow,
)
MAX_CACHED_WORKFLOWS = 500


def build_activities(settings: Settings, session_factory: SessionFactory) -> list[Any]:
    """Every activity method, bound to its dependencies."""
    records = RecordActivities(session_factory)
    notify = NotifyActivities(settings, session_factory)
    calendar = CalendarActivities(session_factory)
    documents = DocumentActivities(settings, session_factory)
    payments = PaymentActivities(settings, session_factory)
    return [
        records.record_step,
        records.record_sla,
        records.record_rating,
        records.close_follow_up,
        notify.queue_mail,
        notify.send_mail,
        notify.queue_digest,
        notify.queue_direct_mail,
        calendar.service_budget,
        calendar.clock_times,
        calendar.budget_used,
        calendar.is_working_day,
        documents.issue_invoice,
        documents.issue_sppd_draft,
        documents.issue_receipt,
        documents.issue_recommendation_letter,
        payments.issue_billing,
        payments.settle,
        payments.grant_zero_rupiah,
        payments.create_link,
    ]


def build_worker(
    client: Client,
    settings: Settings,
    session_factory: SessionFactory,
    *,
    task_queue: str | None = None,
    max_cached_workflows: int = MAX_CACHED_WORKFLOWS,
) -> Worker:
    """A worker for all PST Flow workflows and activities on the settings' task queue."""
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=list(WORKFLOWS),
        activities=build_activities(settings, session_factory),
        max_cached_workflows=max_cached_workflows,
    )


async def run_worker(settings: Settings) -> None:
    """Connect, run until SIGINT/SIGTERM, then drain and close."""
    engine = create_engine(settings.database_url)
    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
    session_factory = create_session_factory(engine)
    async with session_factory() as session:
        await sync_digest_schedules(session=session, temporal=client, settings=settings)
    worker = build_worker(client, settings, session_factory)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        log.info("worker ready on task queue %s (%s)", settings.task_queue, settings.temporal_address)
        await stop.wait()
        log.info("worker stopping")
    await engine.dispose()


def main() -> None:
    """Entry point of ``python worker.py``."""
    settings = get_settings()
    configure_logging(settings.log_level)
    asyncio.run(run_worker(settings))


if __name__ == "__main__":
    main()
