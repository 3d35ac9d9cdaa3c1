"""The PST Flow worker: builds the activities with their dependencies and runs the Temporal worker."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from activities.calendar import CalendarActivities
from activities.documents import DocumentWriter
from activities.mailer import Mailer
from activities.notify import NotifyActivities
from activities.payments import PaymentWriter
from activities.records import RecordActivities
from activities.relay import OutboxRelay
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
# A stopping worker lets the step transactions it runs finish (a cut one could keep SQLite locked).
GRACEFUL_SHUTDOWN = timedelta(seconds=15)


def build_activities(settings: Settings, session_factory: SessionFactory, relay: OutboxRelay) -> list[Any]:
    """Every activity method, bound to its dependencies; mail they write wakes ``relay``."""
    mailer = Mailer(settings)
    records = record_activities(settings, session_factory, on_mail=relay.wake)
    notify = NotifyActivities(settings, session_factory, mailer, on_mail=relay.wake)
    calendar = CalendarActivities(session_factory)
    return [
        records.record_step,
        records.applicant_waits,
        notify.queue_digest,
        notify.queue_direct_mail,
        calendar.is_working_day,
    ]


def record_activities(
    settings: Settings, session_factory: SessionFactory, *, on_mail: Callable[[], None] = lambda: None
) -> RecordActivities:
    """The step activity with the writers it composes in one transaction."""
    return RecordActivities(
        session_factory,
        Mailer(settings),
        CalendarActivities(session_factory),
        DocumentWriter(settings),
        PaymentWriter(settings),
        on_mail=on_mail,
    )


class PstWorker:
    """The Temporal worker of PST Flow and, beside it, this process's outbox relay; use with ``async with``."""

    def __init__(self, worker: Worker, relay: OutboxRelay) -> None:
        self.worker = worker
        self.relay = relay
        self._relay_task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> PstWorker:
        await self.worker.__aenter__()
        self._relay_task = asyncio.create_task(self.relay.run())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.shutdown()
        await self.worker.__aexit__(*exc)

    async def shutdown(self) -> None:
        """Stop the relay (after the batch it is sending) and the worker."""
        if self._relay_task is not None:
            self.relay.stop()
            await self._relay_task
            self._relay_task = None
        if self.worker.is_running:
            await self.worker.shutdown()


def build_worker(
    client: Client,
    settings: Settings,
    session_factory: SessionFactory,
    *,
    task_queue: str | None = None,
    max_cached_workflows: int = MAX_CACHED_WORKFLOWS,
    workflows: Sequence[type] = WORKFLOWS,
) -> PstWorker:
    """A worker for all PST Flow workflows and activities on the settings' task queue, with its outbox relay."""
    relay = OutboxRelay(settings, session_factory)
    worker = Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=list(workflows),
        activities=build_activities(settings, session_factory, relay),
        max_cached_workflows=max_cached_workflows,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )
    return PstWorker(worker, relay)


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
