"""/healthz tells which part is down; a request made while Temporal is down is kept and started later."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import update
from temporalio.client import WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.testing import WorkflowEnvironment

from activities.relay import OutboxRelay
from api.errors import install_error_handlers
from api.main import create_app
from api.services.recovery import start_unstarted
from core.db import SessionFactory
from core.enums import SaleStep
from core.models import Case, utcnow
from core.settings import Settings
from tests.api.conftest import SALE_REQUEST, _client
from tests.conftest import SmtpSink, free_port, make_settings
from tests.helpers import TokenAuth, make_applicant, read_case_row, wait_for_step


async def test_healthz_is_ok_when_every_part_is_up(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "temporal": "ok", "smtp": "ok"}


async def test_healthz_is_503_and_names_smtp_when_it_is_down(
    database_url: str, task_queue: str, tmp_path: Path, dev_env: WorkflowEnvironment
) -> None:
    target = dev_env.client.service_client.config.target_host
    settings = make_settings(database_url, free_port(), task_queue, tmp_path, temporal_address=target)
    async for client in _client(create_app(settings)):
        response = await client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["smtp"].startswith("down") and body["database"] == "ok" and body["temporal"] == "ok"


async def test_a_request_made_while_temporal_is_down_is_kept_and_started_later(
    database_url: str,
    smtp: SmtpSink,
    task_queue: str,
    tmp_path: Path,
    settings: Settings,
    dev_env: WorkflowEnvironment,
    dev_worker: object,
    session_factory: SessionFactory,
) -> None:
    offline = make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=f"127.0.0.1:{free_port()}")
    auth = TokenAuth(*await make_applicant(session_factory))
    async for client in _client(create_app(offline)):
        health = await client.get("/healthz")
        submitted = await client.post("/api/v1/sales", json=SALE_REQUEST, auth=auth)
    assert health.status_code == 503 and health.json()["temporal"].startswith("down")
    assert submitted.status_code == 202
    body = submitted.json()
    assert body["workflow_started"] is False and body["message"].startswith("Diterima; diproses segera.")
    case_id = body["id"]
    assert (await read_case_row(session_factory, case_id)).workflow_started is False

    async with session_factory() as session, session.begin():
        await session.execute(update(Case).where(Case.id == case_id).values(created_at=utcnow() - timedelta(minutes=1)))
    async with session_factory() as session:
        started = await start_unstarted(session=session, temporal=dev_env.client, settings=settings)

    assert started == 1
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)
    assert (await read_case_row(session_factory, case_id)).workflow_started is True


async def test_an_account_registered_while_temporal_is_down_gets_its_verification_mail(
    database_url: str, smtp: SmtpSink, task_queue: str, tmp_path: Path, session_factory: SessionFactory
) -> None:
    offline = make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=f"127.0.0.1:{free_port()}")
    email = "temporal-mati@example.com"
    account = {"name": "Rina", "email": email, "password": "rahasia-2026-rina", "segment": "education"}
    async for client in _client(create_app(offline)):
        registered = await client.post("/api/v1/applicants", json={**account, "institution": "Universitas Demo"})
    assert registered.status_code == 201, registered.text
    assert "Kami mengirim tautan verifikasi" in registered.json()["message"]

    relay = OutboxRelay(offline, session_factory)  # the mail was written with the account: any relay sends it
    await relay.deliver_due()
    [mail] = smtp.to(email)
    assert "verify-email?token=" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]


async def test_an_action_temporal_did_not_answer_in_time_is_a_503_saying_to_send_it_again() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/step")
    async def step() -> None:
        raise WorkflowUpdateRPCTimeoutOrCancelledError()

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answer = await client.post("/step")

    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert "Idempotency-Key yang sama" in answer.json()["detail"]
