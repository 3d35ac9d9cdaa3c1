"""The outbox: a step writes its mails in its own transaction, once; the relay sends each once, through outages."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update
from temporalio.exceptions import ApplicationError

from activities.records import RecordActivities
from activities.relay import JOURNAL, OutboxRelay, retry_delay
from contracts.case import StepRecord
from contracts.mail import Notice
from core.db import SessionFactory
from core.models import OutboxMail
from core.settings import Settings
from tests.conftest import SmtpSink, free_port, make_settings
from tests.helpers import APPLICANT_EMAIL, audit_actions, officer, store_sale
from worker import record_activities

AT = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


def _settings(database_url: str, smtp_port: int, tmp_path: Path) -> Settings:
    return make_settings(database_url, smtp_port, "unused", tmp_path)


def _records(settings: Settings, session_factory: SessionFactory) -> RecordActivities:
    return record_activities(settings, session_factory)


def _step(case_id: str, key: str, *mails: Notice) -> StepRecord:
    return StepRecord(
        case_id=case_id,
        event_key=key,
        action=key,
        step="completeness",
        status="open",
        assignee_role="officer",
        actor=officer(),
        at=AT,
        changes_step=False,
        mails=list(mails),
    )


async def _outbox(session_factory: SessionFactory) -> list[OutboxMail]:
    async with session_factory() as session:
        return list((await session.scalars(select(OutboxMail).order_by(OutboxMail.id))).all())


async def _make_due(session_factory: SessionFactory) -> None:
    """What the passing of the retry delay does: every waiting mail is due now."""
    async with session_factory() as session, session.begin():
        await session.execute(update(OutboxMail).values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))


async def test_a_step_writes_its_mails_with_its_audit_entry_once(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    records = _records(_settings(database_url, smtp.port, tmp_path), session_factory)
    step = _step(
        case.id,
        "request_complete:1",
        Notice("sale_step", "x", context={"step": "completeness"}),
        Notice("staff_task", "x", to_role="officer", context={"step": "completeness"}),
    )

    await records.record_step(step)
    await records.record_step(step)  # a retry after the transaction committed writes nothing more

    mails = await _outbox(session_factory)
    assert [mail.key for mail in mails] == [f"{case.id}:sale_step:x", f"{case.id}:staff_task:x"]
    assert mails[0].to_addr == APPLICANT_EMAIL and mails[1].to_addr == "officer.6202@demo.pst-flow.id"
    assert await audit_actions(session_factory, case.id) == ["request_complete:1"]
    assert smtp.messages == []  # the step never waits on SMTP: the relay sends


async def test_an_smtp_outage_delays_the_mail_then_it_is_sent_once(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    settings = _settings(database_url, smtp.port, tmp_path)
    await _records(settings, session_factory).record_step(
        _step(case.id, "submitted:0", Notice("sale_step", "submitted", context={"step": "completeness"}))
    )
    down = OutboxRelay(_settings(database_url, free_port(), tmp_path), session_factory)
    up = OutboxRelay(settings, session_factory)

    assert await down.deliver_due()
    [waiting] = await _outbox(session_factory)
    assert waiting.status == "pending" and waiting.attempts == 1 and waiting.last_error
    assert waiting.next_attempt_at is not None and waiting.next_attempt_at > datetime.now(UTC)
    assert not await up.deliver_due()  # not due before its retry delay has passed
    await _make_due(session_factory)
    assert await up.deliver_due()
    assert not await up.deliver_due()  # sent: nothing more to send

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == APPLICANT_EMAIL
    assert message["X-PST-Key"] == f"{case.id}:sale_step:submitted"
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
    [sent] = await _outbox(session_factory)
    assert sent.status == "sent" and sent.sent_at is not None and sent.last_error == "" and sent.attempts == 2


def test_the_retry_delay_doubles_up_to_five_minutes() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(30) == timedelta(minutes=5)


async def test_two_relays_never_send_the_same_mail(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    settings = _settings(database_url, smtp.port, tmp_path)
    notices = [Notice("sale_step", f"p{index}", context={"step": "completeness"}) for index in range(12)]
    await _records(settings, session_factory).record_step(_step(case.id, "many:0", *notices))

    relays = [OutboxRelay(settings, session_factory) for _ in range(3)]
    await asyncio.gather(*(relay.deliver_due() for relay in relays))
    while any([await relay.deliver_due() for relay in relays]):
        pass

    keys = sorted(str(message["X-PST-Key"]) for message in smtp.messages)
    assert keys == sorted(f"{case.id}:sale_step:p{index}" for index in range(12))


class _PeerSink:
    """An SMTP server that notes which client connection delivered each mail."""

    def __init__(self) -> None:
        self.peers: list[object] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.peers.append(session.peer)
        return "250 OK"


async def test_the_relay_keeps_its_smtp_connection_and_opens_a_new_one_after_a_restart(
    database_url: str, tmp_path: Path, session_factory: SessionFactory
) -> None:
    port, sink = free_port(), _PeerSink()
    settings = _settings(database_url, port, tmp_path)
    case = await store_sale(session_factory)
    relay = OutboxRelay(settings, session_factory)
    records = _records(settings, session_factory)
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    for index in range(4):
        await records.record_step(_step(case.id, f"one:{index}", Notice("sale_step", f"a{index}", context={})))
        assert await relay.deliver_due()
    server.stop()
    restarted = Controller(sink, hostname="127.0.0.1", port=port)
    restarted.start()
    try:
        await records.record_step(_step(case.id, "after:0", Notice("sale_step", "after", context={})))
        await relay.deliver_due()  # the kept connection died with the old server: the mail waits for its retry
        await _make_due(session_factory)
        await relay.deliver_due()
    finally:
        restarted.stop()

    assert len(sink.peers) == 5 and len(set(sink.peers[:4])) == 1  # four mails over one connection
    assert sink.peers[4] != sink.peers[0]
    assert {mail.status for mail in await _outbox(session_factory)} == {"sent"}


async def test_html_escapes_what_people_typed(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    records = _records(_settings(database_url, smtp.port, tmp_path), session_factory)

    await records.record_step(
        _step(case.id, "x:0", Notice("sale_cancelled", "abstract", context={"reason": "<b>x</b>"}))
    )

    [mail] = await _outbox(session_factory)
    assert "&lt;b&gt;x&lt;/b&gt;" in mail.body_html and "<b>x</b>" not in mail.body_html
    assert "Alasan: <b>x</b>" in mail.body_text


async def test_a_role_with_no_account_reaches_the_supervisor_and_never_fails_the_step(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    records = _records(_settings(database_url, smtp.port, tmp_path), session_factory)

    await records.record_step(_step(case.id, "x:0", Notice("staff_task", "x", to_role="nobody")))

    [mail] = await _outbox(session_factory)
    assert mail.to_addr == "supervisor.6202@demo.pst-flow.id"
    assert await audit_actions(session_factory, case.id) == ["x:0", "mail_stand_in"]  # the timeline says so
    with pytest.raises(ApplicationError, match="tidak ditemukan"):
        await records.record_step(_step("sale-6202-2026-999999", "x:0"))


async def test_mail_count_is_one_per_key(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    records = _records(_settings(database_url, smtp.port, tmp_path), session_factory)
    notice = Notice("sale_step", "same", context={"step": "completeness"})
    await records.record_step(_step(case.id, "a:0", notice))
    await records.record_step(_step(case.id, "b:0", notice))  # another step owing the same notice and phase
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMail)) == 1


async def _one_mail_accepted_then_killed(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> Settings:
    """A step's mail that the SMTP server accepted and the relay journalled, killed before the database heard."""
    case = await store_sale(session_factory)
    settings = _settings(database_url, smtp.port, tmp_path)
    await _records(settings, session_factory).record_step(
        _step(case.id, "submitted:0", Notice("sale_step", "submitted", context={"step": "completeness"}))
    )
    OutboxRelay(settings, session_factory)._note_sent(f"{case.id}:sale_step:submitted")
    return settings


async def test_a_mail_the_smtp_server_accepted_before_the_worker_died_is_not_sent_again(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    settings = await _one_mail_accepted_then_killed(database_url, smtp, tmp_path, session_factory)

    restarted = OutboxRelay(settings, session_factory)
    assert await restarted.reconcile() == 1
    await _make_due(session_factory)
    assert not await restarted.deliver_due()

    [mail] = await _outbox(session_factory)
    assert mail.status == "sent" and smtp.messages == []
    assert await restarted.reconcile() == 0  # the journal starts afresh


async def test_a_relay_killed_while_it_reconciled_leaves_no_accepted_mail_to_be_sent_again(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    settings = await _one_mail_accepted_then_killed(database_url, smtp, tmp_path, session_factory)
    journal = settings.storage_dir / JOURNAL
    journal.replace(journal.with_suffix(".4242.reconciling"))  # set aside, then killed before the database heard

    restarted = OutboxRelay(settings, session_factory)
    assert await restarted.reconcile() == 1
    await _make_due(session_factory)
    assert not await restarted.deliver_due()
    assert smtp.messages == [] and list(settings.storage_dir.glob("*.reconciling")) == []


async def test_a_relay_never_claims_again_a_mail_it_is_still_sending_after_its_lease_ended(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    settings = _settings(database_url, smtp.port, tmp_path)
    await _records(settings, session_factory).record_step(
        _step(case.id, "submitted:0", Notice("sale_step", "slow", context={"step": "completeness"}))
    )
    relay, other = OutboxRelay(settings, session_factory), OutboxRelay(settings, session_factory)
    [claimed] = await relay._claim(8)
    async with session_factory() as session, session.begin():  # the SMTP server is slow: the lease ends meanwhile
        await session.execute(update(OutboxMail).values(claimed_until=datetime.now(UTC) - timedelta(seconds=1)))

    assert await relay._claim(8) == []  # still its own
    assert [mail.id for mail in await other._claim(8)] == [claimed.id]  # another relay may take it over
