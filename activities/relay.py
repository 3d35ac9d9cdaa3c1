"""The outbox relay: one per worker process, it sends the pending mails of the outbox through SMTP.

A row is claimed with a conditional update before it is sent, so several workers never send the same
row at once. The relay keeps its SMTP connections from one mail to the next. Right after the SMTP server
accepts a mail its key is appended to a journal file beside the stored files (a local append and fsync,
no lock to wait for); a short write beside the senders then marks sent every mail accepted meanwhile. A
relay starting up first marks sent every key of the journal, so a worker killed between the acceptance
and that write never sends the mail again. A failed send waits with a growing delay and never holds back
another mail. A mail the SMTP server refuses for good (5xx to every recipient, or to the data), or that cannot
be built, is marked failed with why and never tried again; it never holds back another mail.

What no relay can know is whether a mail the server was still accepting when the worker was killed got
through: the fewer mails are on the wire at once (PARALLEL_SENDS), the rarer such a mail is sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import smtplib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, getaddresses, parseaddr
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Executable, and_, or_, select, update

from core.db import SessionFactory
from core.enums import MailStatus
from core.models import OutboxMail, utcnow
from core.settings import Settings

log = logging.getLogger(__name__)

# CRLF line ends; headers are not folded before the RFC 5322 limit (folded subjects read back with a stray space).
MAIL_POLICY = compat32.clone(linesep="\r\n", max_line_length=998)
SMTP_TIMEOUT_SECONDS = 20
# Longer than a claimed mail can wait and be sent (IN_FLIGHT / PARALLEL_SENDS rounds of a stalled SMTP answer); it
# is how long the mails a killed relay had claimed wait before another relay sends them.
CLAIM_LEASE = timedelta(seconds=60)
JOURNAL = "outbox-sent.journal"  # under settings.storage_dir
JOURNAL_ROTATE_BYTES = 1_000_000  # then its keys (all marked sent by then) are let go
FIRST_RETRY = timedelta(seconds=1)
LONGEST_RETRY = timedelta(minutes=5)
POLL_SECONDS = 1.0
IDLE_CONNECTION_SECONDS = 20.0  # an SMTP connection unused this long is closed rather than used again
BATCH = 20
PARALLEL_SENDS = 4  # SMTP connections (and threads) sending at once
IN_FLIGHT = 8  # mails a relay holds claimed: a stopped relay's claims keep their mails back until the lease ends


def retry_delay(attempts: int) -> timedelta:
    """How long a mail waits after its ``attempts``-th failed send: doubling from 1 s, at most 5 minutes."""
    doubled: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(doubled, LONGEST_RETRY)


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        OutboxMail.status == MailStatus.PENDING,
        or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now),
        or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until <= now),
    )


def refused_for_good(error: BaseException) -> bool:
    """Whether the SMTP server refused the mail itself for good (a 5xx answer to every recipient or to the data),
    so that retrying would only be refused again. A refused sign-in or sender is the relay's settings, not the
    mail's: those are retried (the mail goes once the settings are fixed), as is every 4xx and connection error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


class OutboxRelay:
    """Claims due outbox rows and sends them; ``wake`` makes it look at once (a step just wrote mail)."""

    def __init__(self, settings: Settings, session_factory: SessionFactory) -> None:
        self._settings = settings
        self._sessions = session_factory
        self._wake = asyncio.Event()
        self._stopping = False
        self._journal = settings.storage_dir / JOURNAL
        self._connections = SmtpConnections(settings)
        self._senders = ThreadPoolExecutor(PARALLEL_SENDS, thread_name_prefix="smtp")  # not the loop's shared pool
        self._in_flight: set[int] = set()  # ids this relay claimed and has not finished with
        self._accepted: list[int] = []  # ids the SMTP server accepted, not yet marked sent
        self._marker: asyncio.Task[None] | None = None  # marking them, beside the senders

    def wake(self) -> None:
        """Called in the worker's process after a transaction wrote mail."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the mails being sent, then leave ``run`` (never cut a transaction or a send in half)."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Send due mail until stopped, PARALLEL_SENDS at a time. It holds up to IN_FLIGHT mails claimed and claims
        more in one write as soon as half of them are sent: under load one write claims several mails, and a slow
        mail never holds back the others. A database error is logged and the loop goes on."""
        sending: set[asyncio.Task[None]] = set()
        await self.reconcile()
        while not self._stopping:
            self._wake.clear()
            if not sending and self._journal.exists() and self._journal.stat().st_size > JOURNAL_ROTATE_BYTES:
                await self.reconcile()  # between sends: no sender is appending to the journal it sets aside
            free = IN_FLIGHT - len(sending)
            try:
                mails = await self._claim(free) if free >= IN_FLIGHT // 2 or not sending else []
            except Exception:  # the database may be down: try again at the next poll
                log.exception("outbox relay could not read the outbox")
                mails = []
            for mail in mails:
                task = asyncio.create_task(self._deliver_logged(mail))
                sending.add(task)
                task.add_done_callback(sending.discard)
                task.add_done_callback(lambda _task: self._wake.set())  # a sender is free again
            if not mails and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
        await asyncio.gather(*sending, return_exceptions=True)
        await self._all_marked()
        self._connections.close_all()
        self._senders.shutdown(wait=False)

    async def reconcile(self) -> int:
        """Mark sent every mail the journal says the SMTP server accepted (a relay died before marking it), then
        start a new journal; how many rows that changed. The journal is first set aside; what a relay killed in
        the middle of this had set aside is read too, so no accepted key is ever forgotten."""
        if self._journal.exists():
            self._journal.replace(self._journal.with_suffix(f".{os.getpid()}.reconciling"))
        taken = sorted(self._journal.parent.glob(f"{self._journal.stem}.*.reconciling"))
        keys = {line.strip() for path in taken for line in _lines(path) if line.strip()}
        changed = 0
        if keys:
            async with self._sessions() as session, session.begin():
                result = await session.execute(
                    update(OutboxMail)
                    .where(OutboxMail.key.in_(keys), OutboxMail.status != MailStatus.SENT)
                    .values(status=MailStatus.SENT, sent_at=utcnow(), last_error="", claimed_until=None)
                )
                changed = int(result.rowcount or 0)  # type: ignore[attr-defined]
        for path in taken:
            path.unlink(missing_ok=True)  # another relay reconciling at the same time may have taken it too
        if changed:
            log.warning("%d mails accepted by the SMTP server before a stop were marked sent from the journal", changed)
        return changed

    def _note_sent(self, key: str) -> None:
        """Append ``key`` to the journal, durably, before the database hears of it."""
        self._journal.parent.mkdir(parents=True, exist_ok=True)
        with self._journal.open("a", encoding="utf-8") as journal:
            journal.write(key + "\n")
            journal.flush()
            os.fsync(journal.fileno())

    async def deliver_due(self) -> bool:
        """Claim one batch of due mail and send it; True if there was any."""
        mails = await self._claim(BATCH)
        await asyncio.gather(*(self._deliver(mail) for mail in mails))
        await self._all_marked()
        return bool(mails)

    async def _claim(self, limit: int) -> list[OutboxMail]:
        """Claim up to ``limit`` due rows in one statement (rows another relay claimed first are not returned)."""
        now = utcnow()
        due = (
            select(OutboxMail.id)
            .where(_due(now), OutboxMail.id.not_in(self._in_flight))  # its own, even past their lease: never twice
            .order_by(OutboxMail.id)
            .limit(limit)
            .scalar_subquery()
        )
        claimed = await self._write(
            update(OutboxMail)
            .where(OutboxMail.id.in_(due), _due(now))
            .values(claimed_until=now + CLAIM_LEASE)
            .returning(
                OutboxMail.id,
                OutboxMail.key,
                OutboxMail.to_addr,
                OutboxMail.subject,
                OutboxMail.body_text,
                OutboxMail.body_html,
            )
        )
        self._in_flight.update(row[0] for row in claimed)
        return [
            OutboxMail(id=row[0], key=row[1], to_addr=row[2], subject=row[3], body_text=row[4], body_html=row[5])
            for row in claimed
        ]

    async def _deliver_logged(self, mail: OutboxMail) -> None:
        """Send one mail; an unexpected error is logged, and the row is tried again when its claim expires."""
        try:
            await self._deliver(mail)
        except Exception:
            self._in_flight.discard(mail.id)
            log.exception("mail %s: unexpected error; it is tried again when its claim expires", mail.key)

    async def _deliver(self, mail: OutboxMail) -> None:
        mail_id, key = mail.id, mail.key
        try:
            message = self.message(mail)
        except Exception as error:  # a row no retry can send (a header that cannot be built): recorded, let go
            await self._given_up(mail_id, f"{type(error).__name__}: {error}")
            self._in_flight.discard(mail_id)
            log.error("mail %s cannot be built and is not tried again: %s", key, error)
            return
        try:
            await asyncio.get_running_loop().run_in_executor(self._senders, self._send_and_note, message, key)
        except (smtplib.SMTPException, OSError) as error:
            if refused_for_good(error):
                await self._given_up(mail_id, str(error))
                self._in_flight.discard(mail_id)
                log.error("mail %s refused for good by the SMTP server, not tried again: %s", key, error)
                return
            await self._failed(mail_id, str(error))
            self._in_flight.discard(mail_id)
            log.warning("mail %s not sent yet: %s", key, error)
            return
        self._accepted.append(mail_id)
        if self._marker is None or self._marker.done():
            self._marker = asyncio.create_task(self._mark_accepted_sent())
        log.info("sent mail %s", key)

    async def _mark_accepted_sent(self) -> None:
        """Mark sent, in one short write each round, every mail the SMTP server accepted meanwhile, until none is
        left. It runs beside the senders: a sender is free for the next mail once its mail is accepted and
        journaled, and under load one write marks many mails. A mail it cannot mark yet is marked by a later
        round, or from the journal when a relay starts."""
        while self._accepted:
            ids, self._accepted = self._accepted, []
            try:
                await self._write(
                    update(OutboxMail)
                    .where(OutboxMail.id.in_(ids))
                    .values(
                        status=MailStatus.SENT,
                        attempts=OutboxMail.attempts + 1,
                        sent_at=utcnow(),
                        last_error="",
                        claimed_until=None,
                    )
                )
                self._in_flight.difference_update(ids)
            except Exception:
                self._accepted = ids + self._accepted
                log.exception("could not mark %d sent mails yet", len(ids))
                if self._stopping:
                    return  # journaled: the next relay marks them when it starts
                await asyncio.sleep(POLL_SECONDS)

    async def _all_marked(self) -> None:
        if self._marker is not None:
            await self._marker

    async def _write(self, statement: Executable) -> list[Any]:
        """Run one statement in a transaction of its own on the connection (no ORM bookkeeping); returned rows."""
        async with self._sessions() as session, session.begin():
            result = await (await session.connection()).execute(statement)
            return list(result.all()) if result.returns_rows else []

    async def _failed(self, mail_id: int, error: str) -> None:
        async with self._sessions() as session, session.begin():
            mail = await session.get(OutboxMail, mail_id)
            if mail is not None:
                mail.attempts += 1
                mail.last_error = error[:500]
                mail.next_attempt_at = utcnow() + retry_delay(mail.attempts)
                mail.claimed_until = None

    async def _given_up(self, mail_id: int, error: str) -> None:
        """Record a mail no retry can send (failed, with why); the relay goes on with the others."""
        async with self._sessions() as session, session.begin():
            mail = await session.get(OutboxMail, mail_id)
            if mail is not None:
                mail.attempts += 1
                mail.last_error = error[:500]
                mail.status = MailStatus.FAILED
                mail.claimed_until = None

    def message(self, mail: OutboxMail) -> Message:
        """The MIME message of an outbox row (text and HTML; its key as Message-ID, the same on a resend), built
        with the plain compat32 classes: the modern email API parses every header it is given again, which had
        made building a mail cost more than sending it."""
        message = MIMEMultipart("alternative")
        message["From"] = formataddr(parseaddr(self._settings.mail_from), charset="utf-8")
        message["To"] = mail.to_addr
        message["Subject"] = mail.subject if mail.subject.isascii() else Header(mail.subject, "utf-8", 998).encode()
        message["Date"] = formatdate(localtime=False)
        digest = hashlib.sha256(mail.key.encode()).hexdigest()[:32]
        message["Message-ID"] = f"<{digest}@pst-flow>"
        message["X-PST-Key"] = mail.key
        message.attach(MIMEText(mail.body_text, "plain", "utf-8"))
        message.attach(MIMEText(mail.body_html, "html", "utf-8"))
        return message

    def _send_and_note(self, message: Message, key: str) -> None:
        """Hand ``message`` to the SMTP server and journal its key the moment the server accepts it.

        It runs in a thread of its own, so the server's answer is read at once even when the worker's event loop
        is busy: the time in which a killed worker leaves an accepted mail unrecorded stays a few milliseconds.
        """
        settings = self._settings
        with self._connections.connection() as server:
            server.sendmail(
                parseaddr(settings.mail_from)[1],
                [address for _name, address in getaddresses([str(message["To"])])],
                message.as_bytes(policy=MAIL_POLICY),
            )
            self._note_sent(key)


class SmtpConnections:
    """The relay's open SMTP connections, used again from one mail to the next (a connection, its greeting and
    its sign-in cost more than the mail); a connection that failed, or sat idle too long, is closed."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._idle: list[tuple[smtplib.SMTP, float]] = []

    def _open(self) -> smtplib.SMTP:
        settings = self._settings
        smtp_class = smtplib.SMTP_SSL if settings.smtp_tls else smtplib.SMTP
        server = smtp_class(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if settings.smtp_starttls and not settings.smtp_tls:
                server.starttls()
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        except BaseException:
            _close(server)
            raise
        return server

    def _take(self) -> smtplib.SMTP:
        with self._lock:
            while self._idle:
                server, since = self._idle.pop()
                if time.monotonic() - since < IDLE_CONNECTION_SECONDS:
                    return server
                _close(server)
        return self._open()

    @contextlib.contextmanager
    def connection(self) -> Iterator[smtplib.SMTP]:
        """A connection for one mail: kept for the next one if the mail went through, closed otherwise."""
        server = self._take()
        try:
            yield server
        except BaseException:
            _close(server)
            raise
        with self._lock:
            self._idle.append((server, time.monotonic()))

    def close_all(self) -> None:
        """Say goodbye on every idle connection (the relay stops)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for server, _since in idle:
            _close(server)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except FileNotFoundError:  # another relay reconciled it meanwhile
        return []


def _close(server: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):  # accepted is accepted: a failed QUIT is no error
        server.quit()
    server.close()
