"""Mail is never fatal: a role missing from an office reaches a stand-in (and the timeline says so), a notice that
cannot be written is marked and skipped, and a mail the SMTP server refuses for good is recorded, never retried."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from activities.mailer import Mailer
from activities.notify import NotifyActivities
from activities.relay import OutboxRelay
from contracts.case import StepRecord
from contracts.mail import Notice
from contracts.sla import DigestRequest
from core.db import SessionFactory
from core.enums import MailStatus, Role
from core.models import AuditEntry, Case, Office, OutboxMail, StaffAccount
from core.settings import Settings
from tests.conftest import SmtpSink, free_port, make_settings
from tests.helpers import APPLICANT_EMAIL, audit_actions, officer, store_sale
from worker import record_activities

AT = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
TASK = Notice("staff_task", "payment-5", to_role=Role.TREASURER, context={"step": "payment"})
STEP_MAIL = Notice("sale_step", "payment-5", context={"step": "payment"})


def _step(case_id: str, *mails: Notice) -> StepRecord:
    return StepRecord(
        case_id=case_id,
        event_key="offer_made:1",
        action="offer_made",
        step="payment",
        status="open",
        assignee_role=Role.TREASURER,
        actor=officer(),
        at=AT,
        changes_step=True,
        mails=list(mails),
    )


@asynccontextmanager
async def _without(
    session_factory: SessionFactory, *roles: str, office_email: str | None = None
) -> AsyncIterator[None]:
    """Office 6202 with no active account of ``roles`` (and another public email), as it was afterwards."""
    async with session_factory() as session, session.begin():
        await session.execute(
            update(StaffAccount)
            .where(StaffAccount.office_code == "6202", StaffAccount.role.in_(roles))
            .values(active=False)
        )
        if office_email is not None:
            await session.execute(update(Office).where(Office.code == "6202").values(email=office_email))
    try:
        yield
    finally:
        async with session_factory() as session, session.begin():
            await session.execute(
                update(StaffAccount)
                .where(StaffAccount.office_code == "6202", StaffAccount.role.in_(roles))
                .values(active=True)
            )


async def _mails(session_factory: SessionFactory) -> list[OutboxMail]:
    async with session_factory() as session:
        return list((await session.scalars(select(OutboxMail).order_by(OutboxMail.id))).all())


async def _marks(session_factory: SessionFactory, case_id: str) -> list[tuple[str, str, datetime]]:
    async with session_factory() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.note, AuditEntry.at)
            .where(AuditEntry.case_id == case_id, AuditEntry.action.like("mail_%"))
            .order_by(AuditEntry.id)
        )
        return [(action, note, at.replace(tzinfo=UTC) if at.tzinfo is None else at) for action, note, at in rows.all()]


def _settings(database_url: str, smtp_port: int, tmp_path: Path) -> Settings:
    return make_settings(database_url, smtp_port, "unused", tmp_path)


@pytest.mark.parametrize(
    ("missing", "office_email", "to", "note"),
    [
        (
            (Role.TREASURER,),
            None,
            "supervisor.6202@demo.pst-flow.id",
            "dikirim ke supervisor karena tidak ada akun Bendahara aktif",
        ),
        (
            (Role.TREASURER, Role.SUPERVISOR),
            None,
            "administrator.6202@demo.pst-flow.id",
            "dikirim ke administrator kantor karena tidak ada akun Bendahara maupun supervisor aktif",
        ),
        (
            (Role.TREASURER, Role.SUPERVISOR, Role.ADMINISTRATOR),
            None,
            "ipds6202@bps.go.id",
            "dikirim ke alamat email kantor karena tidak ada akun Bendahara, supervisor, maupun administrator aktif",
        ),
    ],
)
async def test_a_role_with_no_account_reaches_the_next_stand_in_and_the_timeline_says_so(
    database_url: str,
    smtp: SmtpSink,
    tmp_path: Path,
    session_factory: SessionFactory,
    missing: tuple[str, ...],
    office_email: str | None,
    to: str,
    note: str,
) -> None:
    case = await store_sale(session_factory)
    records = record_activities(_settings(database_url, smtp.port, tmp_path), session_factory)

    async with _without(session_factory, *missing, office_email=office_email):
        await records.record_step(_step(case.id, TASK, STEP_MAIL))

    task, to_applicant = await _mails(session_factory)
    assert task.to_addr == to and "belum memiliki Bendahara yang aktif" in task.body_text
    assert to_applicant.to_addr == APPLICANT_EMAIL
    assert await _marks(session_factory, case.id) == [("mail_stand_in", note, AT)]


async def test_a_supervisors_notice_with_no_supervisor_reaches_the_administrator(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    records = record_activities(_settings(database_url, smtp.port, tmp_path), session_factory)
    breached = Notice("sla_breached", "offer:breached", to_role=Role.SUPERVISOR, context={"step": "offer"})

    async with _without(session_factory, Role.SUPERVISOR):
        await records.record_step(_step(case.id, breached))

    [mail] = await _mails(session_factory)
    assert mail.to_addr == "administrator.6202@demo.pst-flow.id"
    note = "dikirim ke administrator kantor karena tidak ada akun Supervisor aktif"
    assert await _marks(session_factory, case.id) == [("mail_stand_in", note, AT)]


async def test_with_nobody_at_all_the_notice_is_marked_unsent_and_the_step_goes_on(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    records = record_activities(_settings(database_url, smtp.port, tmp_path), session_factory)
    everyone = (Role.TREASURER, Role.SUPERVISOR, Role.ADMINISTRATOR)

    async with _without(session_factory, *everyone, office_email=""):
        await records.record_step(_step(case.id, TASK, STEP_MAIL))

    [to_applicant] = await _mails(session_factory)
    assert to_applicant.to_addr == APPLICANT_EMAIL
    assert await audit_actions(session_factory, case.id) == ["offer_made", "mail_not_written"]
    [(_action, note, _at)] = await _marks(session_factory, case.id)
    assert note.startswith("tidak terkirim: tidak ada akun Bendahara, supervisor, maupun administrator aktif")


async def test_a_template_that_fails_for_one_notice_skips_that_mail_only(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory, monkeypatch: Any
) -> None:
    case = await store_sale(session_factory)
    records = record_activities(_settings(database_url, smtp.port, tmp_path), session_factory)
    render = Mailer.render

    def broken_for_tasks(self: Mailer, notice: str, context: dict[str, Any]) -> tuple[str, str, str]:
        if notice == "staff_task":
            raise KeyError("a variable the template names")
        return render(self, notice, context)

    monkeypatch.setattr(Mailer, "render", broken_for_tasks)
    missing_template = Notice("no_such_notice", "payment-5", context={"step": "payment"})

    outcome = await records.record_step(_step(case.id, missing_template, TASK, STEP_MAIL))

    assert outcome is not None
    [to_applicant] = await _mails(session_factory)
    assert to_applicant.key == f"{case.id}:sale_step:payment-5"
    marks = await _marks(session_factory, case.id)
    assert [action for action, _note, _at in marks] == ["mail_not_written", "mail_not_written"]
    assert marks[0][1].startswith("surat no_such_notice tidak dapat dibuat (TemplateNotFound)")
    assert marks[1][1].startswith("surat staff_task tidak dapat dibuat (KeyError)")
    await records.record_step(_step(case.id, missing_template, TASK, STEP_MAIL))  # a retry marks nothing twice
    assert len(await _marks(session_factory, case.id)) == 2


@pytest.mark.parametrize(
    ("missing", "to"),
    [
        ((Role.SUPERVISOR,), "administrator.6202@demo.pst-flow.id"),
        ((Role.SUPERVISOR, Role.ADMINISTRATOR), "ipds6202@bps.go.id"),
    ],
)
async def test_the_digest_of_an_office_without_a_supervisor_reaches_its_stand_in(
    database_url: str,
    smtp: SmtpSink,
    tmp_path: Path,
    session_factory: SessionFactory,
    missing: tuple[str, ...],
    to: str,
) -> None:
    settings = _settings(database_url, smtp.port, tmp_path)
    case = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        late = {"sla_state": "running", "sla_warning_at": AT, "sla_deadline": datetime(2026, 3, 16, 9, tzinfo=UTC)}
        await session.execute(update(Case).where(Case.id == case.id).values(step="offer", **late))
    notify = NotifyActivities(settings, session_factory, Mailer(settings))

    async with _without(session_factory, *missing):
        [queued] = await notify.queue_digest(DigestRequest(office_code="6202", as_of=datetime(2026, 3, 17, tzinfo=UTC)))

    [mail] = await _mails(session_factory)
    assert mail.to_addr == to and case.id in mail.body_text and "@" not in queued.key


# ---------------------------------------------------------------- the relay


class RefusingSink(SmtpSink):
    """An SMTP server that refuses one address for good (550), and accepts the others."""

    refused: str = "nobody@example.com"

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address == self.refused:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@contextmanager
def _refusing_server() -> Iterator[RefusingSink]:
    sink = RefusingSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


async def _queue(session_factory: SessionFactory, key: str, to: str, subject: str = "Halo") -> None:
    async with session_factory() as session, session.begin():
        session.add(
            OutboxMail(
                key=key,
                case_id=None,
                to_addr=to,
                subject=subject,
                body_text="x\n",
                body_html="<p>x</p>",
                status="pending",
            )
        )


async def test_a_mail_refused_for_good_is_recorded_failed_and_the_next_one_goes(
    database_url: str, tmp_path: Path, session_factory: SessionFactory
) -> None:
    with _refusing_server() as sink:
        relay = OutboxRelay(_settings(database_url, sink.port, tmp_path), session_factory)
        await _queue(session_factory, "refused", sink.refused)
        await _queue(session_factory, "next", APPLICANT_EMAIL)

        assert await relay.deliver_due()
        assert not await relay.deliver_due()  # the refused one is not due again: it is never retried

        refused, sent = await _mails(session_factory)
        assert (refused.status, refused.attempts) == (MailStatus.FAILED, 1) and "No such user" in refused.last_error
        assert sent.status == MailStatus.SENT
        assert [str(message["X-PST-Key"]) for message in sink.messages] == ["next"]


async def test_a_mail_that_cannot_be_built_is_recorded_failed_and_the_next_one_goes(
    database_url: str, smtp: SmtpSink, tmp_path: Path, session_factory: SessionFactory, monkeypatch: Any
) -> None:
    relay = OutboxRelay(_settings(database_url, smtp.port, tmp_path), session_factory)
    build = OutboxRelay.message

    def broken(self: OutboxRelay, mail: OutboxMail) -> Any:
        if mail.key == "broken":
            raise ValueError("a header that cannot be built")
        return build(self, mail)

    monkeypatch.setattr(OutboxRelay, "message", broken)
    await _queue(session_factory, "broken", APPLICANT_EMAIL)
    await _queue(session_factory, "next", APPLICANT_EMAIL)

    assert await relay.deliver_due()
    assert not await relay.deliver_due()

    broken_row, sent = await _mails(session_factory)
    assert broken_row.status == MailStatus.FAILED and "cannot be built" in broken_row.last_error
    assert sent.status == MailStatus.SENT and len(smtp.messages) == 1
