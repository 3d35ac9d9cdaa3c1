"""Mail outside a case: the outbox row is written once per key, sent once, and the workflow replays."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowHistory
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from activities.mailer import Mailer
from activities.notify import NotifyActivities
from api.services.mail import send_direct_mail
from core.db import SessionFactory
from core.models import OutboxMail
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import wait_for_mail, wait_for_outbox_sent
from tests.workflows.test_replay import HISTORIES
from workflows.mail import DirectMail, DirectMailWorkflow, direct_mail_workflow_id

RECORDED = "direct_mail_sent.json"


def _mail(key: str) -> DirectMail:
    return DirectMail(
        key=key,
        to="budi.santoso@example.com",
        notice="applicant_verify",
        context={
            "applicant_name": "Budi Santoso",
            "link": "http://pst.test/verify-email?token=abc.def",
            "valid_hours": "48",
        },
    )


async def _rows(session_factory: SessionFactory, key: str) -> list[OutboxMail]:
    async with session_factory() as session:
        return list((await session.scalars(select(OutboxMail).where(OutboxMail.key == key))).all())


@pytest.mark.usefixtures("dev_worker")
async def test_a_direct_mail_is_queued_and_sent_once_per_key(
    dev_env: WorkflowEnvironment, settings: Settings, smtp: SmtpSink, session_factory: SessionFactory, task_queue: str
) -> None:
    key = f"test-direct-{task_queue}"
    await send_direct_mail(temporal=dev_env.client, settings=settings, mail=_mail(key))
    await send_direct_mail(temporal=dev_env.client, settings=settings, mail=_mail(key))  # the same key: a no-op
    handle = dev_env.client.get_workflow_handle_for(DirectMailWorkflow.run, direct_mail_workflow_id(key))
    queued = await handle.result()

    await wait_for_mail(smtp, 1)
    [message] = smtp.messages
    assert str(message["To"]) == "budi.santoso@example.com"
    assert str(message["X-PST-Key"]) == key
    await wait_for_outbox_sent(session_factory)
    [row] = await _rows(session_factory, key)
    assert (row.id, row.case_id, row.status, row.attempts) == (queued.mail_id, None, "sent", 1)
    assert "http://pst.test/verify-email?token=abc.def" in row.body_text
    assert "http://pst.test/api/v1/applicants/verify/resend" in row.body_text

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
    first = await notify.queue_direct_mail(_mail("test-direct-idempotent"))
    second = await notify.queue_direct_mail(_mail("test-direct-idempotent"))
    assert first == second
    [row] = await _rows(session_factory, "test-direct-idempotent")
    assert row.subject == "Verifikasi email akun PST Flow Anda" and row.status == "pending"
    assert '<a href="http://pst.test/verify-email?token=abc.def">Verifikasi email saya</a>' in row.body_html

    for broken in (
        DirectMail(key="test-direct-no-template", to="a@example.com", notice="no_such_notice"),
        DirectMail(key="test-direct-no-address", to=" ", notice="applicant_verify", context=_mail("x").context),
    ):
        with pytest.raises(ApplicationError) as caught:
            await notify.queue_direct_mail(broken)
        assert caught.value.non_retryable
        assert await _rows(session_factory, broken.key) == []
