"""The mail outbox: what the system queued and sent, and what the local SMTP server of make dev kept."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from email.message import Message

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden, NotFound
from core.enums import Role
from core.models import OutboxMail, StaffAccount
from core.settings import Settings

OUTBOX_PAGE_SIZE = 100


@dataclass(frozen=True)
class KeptMail:
    """A mail as the local SMTP server received it."""

    key: str
    to: str
    subject: str
    date: str
    text: str


async def list_outbox(*, session: AsyncSession, settings: Settings, staff: StaffAccount) -> list[OutboxMail]:
    """The newest outbox rows, newest first: for administrators, and only where the outbox page is enabled."""
    if not settings.show_outbox:
        raise NotFound("Halaman outbox tidak diaktifkan di lingkungan ini.")
    if staff.role != Role.ADMINISTRATOR:
        raise Forbidden("Surat keluar hanya dapat dilihat administrator kantor.")
    rows = await session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(OUTBOX_PAGE_SIZE))
    return list(rows.all())


def _plain_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return ""


def list_kept_mail(*, settings: Settings) -> list[KeptMail]:
    """Every mail kept by the local SMTP server, newest first; empty when there is none."""
    if not settings.show_outbox or not (settings.mail_sink_dir / "cur").is_dir():
        return []
    box = mailbox.Maildir(settings.mail_sink_dir, create=False)
    kept = [
        KeptMail(
            key=key,
            to=str(message.get("To", "")),
            subject=str(message.get("Subject", "")),
            date=str(message.get("Date", "")),
            text=_plain_text(message),
        )
        for key, message in box.items()
    ]
    return sorted(kept, key=lambda mail: mail.key, reverse=True)[:OUTBOX_PAGE_SIZE]
