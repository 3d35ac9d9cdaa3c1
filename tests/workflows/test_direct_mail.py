"""Mail outside a case through DirectMailWorkflow (runs started before the API wrote such mail itself): the
outbox row is written once per key, sent once, and the workflow replays."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.client import Client, WorkflowHistory
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from activities.mailer import Mailer
from activities.notify import NotifyActivities
from core.db import SessionFactory
from core.models import Applicant, OutboxMail
from core.settings import Settings
from core.verification import verification_link
from tests.conftest import SmtpSink
from tests.helpers import make_applicant, wait_for_mail, wait_for_outbox_sent
from tests.workflows.test_replay import HISTORIES
from workflows.mail import DirectMail, DirectMailWorkflow, direct_mail_workflow_id

RECORDED = "direct_mail_sent.json"


ASKED_AT = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


async def _applicant(session_factory: SessionFactory) -> Applicant:
    await make_applicant(session_factory, email="budi.santoso@example.com", verified=False)
    async with session_factory() as session:
        found = await session.scalar(select(Applicant).where(Applicant.email == "budi.santoso@example.com"))
        assert found is not None
        return found


def _mail(key: str, applicant: Applicant, notice: str = "applicant_verify") -> DirectMail:
    return DirectMail(key=key, notice=notice, applicant_id=applicant.id, at=ASKED_AT)


async def _start(client: Client, settings: Settings, mail: DirectMail) -> None:
    """What the API did before it wrote such mail itself: start the workflow under ``mail-<key>``, once."""
    try:
        await client.start_workflow(
            DirectMailWorkflow.run, mail, id=direct_mail_workflow_id(mail.key), task_queue=settings.task_queue
        )
    except WorkflowAlreadyStartedError:
        pass


async def _rows(session_factory: SessionFactory, key: str) -> list[OutboxMail]:
    async with session_factory() as session:
        return list((await session.scalars(select(OutboxMail).where(OutboxMail.key == key))).all())


@pytest.mark.usefixtures("dev_worker")
async def test_a_direct_mail_is_queued_and_sent_once_per_key(
    dev_env: WorkflowEnvironment, settings: Settings, smtp: SmtpSink, session_factory: SessionFactory, task_queue: str
) -> None:
    key = f"test-direct-{task_queue}"
    applicant = await _applicant(session_factory)
    await _start(dev_env.client, settings, _mail(key, applicant))
    await _start(dev_env.client, settings, _mail(key, applicant))  # a no-op
    handle = dev_env.client.get_workflow_handle_for(DirectMailWorkflow.run, direct_mail_workflow_id(key))
    queued = await handle.result()

    await wait_for_mail(smtp, 1)
    [message] = smtp.messages
    assert str(message["To"]) == "budi.santoso@example.com"
    assert str(message["X-PST-Key"]) == key
    await wait_for_outbox_sent(session_factory)
    [row] = await _rows(session_factory, key)
    assert (row.id, row.case_id, row.status, row.attempts) == (queued.mail_id, None, "sent", 1)
    link = verification_link(settings=settings, applicant_id=applicant.id, issued_at=ASKED_AT)
    assert link in row.body_text and "Siti Aminah" in row.body_text
    assert "http://pst.test/akun/verifikasi-ulang" in row.body_text  # the portal page, not the JSON API

    await Replayer(workflows=[DirectMailWorkflow]).replay_workflow(await handle.fetch_history())
    if os.environ.get("PST_RECORD_HISTORIES") == "1":
        (HISTORIES / RECORDED).write_text((await handle.fetch_history()).to_json())


async def test_the_recorded_history_replays() -> None:
    history = WorkflowHistory.from_json(RECORDED, json.loads((HISTORIES / RECORDED).read_text()))
    await Replayer(workflows=[DirectMailWorkflow]).replay_workflow(history)


async def test_queue_direct_mail_is_idempotent_and_refuses_what_cannot_work(
    settings: Settings, session_factory: SessionFactory, tmp_path: Path
) -> None:
    notify = NotifyActivities(settings, session_factory, Mailer(settings))
    applicant = await _applicant(session_factory)
    first = await notify.queue_direct_mail(_mail("test-direct-idempotent", applicant))
    second = await notify.queue_direct_mail(_mail("test-direct-idempotent", applicant))
    assert first == second
    [row] = await _rows(session_factory, "test-direct-idempotent")
    assert row.subject == "Verifikasi email akun PST Flow Anda" and row.status == "pending"
    assert row.to_addr == "budi.santoso@example.com"
    link = verification_link(settings=settings, applicant_id=applicant.id, issued_at=ASKED_AT)
    assert f'<a href="{link}">Verifikasi email saya</a>' in row.body_html

    for broken in (
        _mail("test-direct-no-template", applicant, notice="no_such_notice"),
        DirectMail(key="test-direct-no-address", notice="applicant_verify", applicant_id=999_999, at=ASKED_AT),
    ):
        with pytest.raises(ApplicationError) as caught:
            await notify.queue_direct_mail(broken)
        assert caught.value.non_retryable
        assert await _rows(session_factory, broken.key) == []
