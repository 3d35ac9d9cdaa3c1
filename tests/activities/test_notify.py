"""The outbox: a mail is stored once per key, survives an SMTP outage and is never sent twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from temporalio.exceptions import ApplicationError

from activities.notify import NotifyActivities
from core.db import SessionFactory
from core.models import OutboxMail
from tests.conftest import SmtpSink, free_port, make_settings
from tests.helpers import APPLICANT_EMAIL, store_sale
from workflows.shared import MailRequest


def _notify(database_url: str, smtp_port: int, tmp_path: Path, session_factory: SessionFactory) -> NotifyActivities:
    return NotifyActivities(make_settings(database_url, smtp_port, "unused", tmp_path), session_factory)


async def _count(session_factory: SessionFactory) -> int:
    async with session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMail)) or 0)


async def test_an_smtp_outage_delays_the_mail_then_it_is_sent_once(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    down = _notify(database_url, free_port(), tmp_path, session_factory)
    up = _notify(database_url, smtp.port, tmp_path, session_factory)
    request = MailRequest(case_id=case.id, notice="sale_step", phase="submitted", context={"step": "completeness"})

    queued = await down.queue_mail(request)
    with pytest.raises(OSError):
        await down.send_mail(queued)
    async with session_factory() as session:
        waiting = await session.get(OutboxMail, queued.mail_id)
        assert waiting is not None and waiting.status == "pending" and waiting.attempts == 1 and waiting.last_error

    assert await up.queue_mail(request) == queued  # retried queueing finds the same row
    await up.send_mail(queued)
    await up.send_mail(queued)  # a retry after success sends nothing more

    assert len(smtp.messages) == 1 and await _count(session_factory) == 1
    message = smtp.messages[0]
    assert message["To"] == APPLICANT_EMAIL
    assert message["X-PST-Key"] == f"{case.id}:sale_step:submitted"
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
    async with session_factory() as session:
        sent = await session.get(OutboxMail, queued.mail_id)
        assert sent is not None and sent.status == "sent" and sent.sent_at is not None and sent.last_error == ""


async def test_html_escapes_what_people_typed(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    notify = _notify(database_url, smtp.port, tmp_path, session_factory)
    request = MailRequest(case_id=case.id, notice="sale_cancelled", phase="abstract", context={"reason": "<b>x</b>"})

    queued = await notify.queue_mail(request)

    async with session_factory() as session:
        mail = await session.get(OutboxMail, queued.mail_id)
        assert mail is not None
        assert "&lt;b&gt;x&lt;/b&gt;" in mail.body_html and "<b>x</b>" not in mail.body_html
        assert "Alasan: <b>x</b>" in mail.body_text


async def test_a_role_with_no_active_account_is_a_readable_failure(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    notify = _notify(database_url, smtp.port, tmp_path, session_factory)
    with pytest.raises(ApplicationError, match="Tidak ada akun aktif dengan peran nobody"):
        await notify.queue_mail(MailRequest(case_id=case.id, notice="staff_task", phase="x", to_role="nobody"))
    with pytest.raises(ApplicationError, match="tidak ditemukan"):
        await notify.queue_mail(MailRequest(case_id="sale-6202-2026-999999", notice="sale_step", phase="x"))
