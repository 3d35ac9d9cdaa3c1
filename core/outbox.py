"""Writing mail into the outbox: render a template and add the row, inside the caller's transaction.

Every mail of PST Flow is written here, keyed so that it exists once: a step's notices and the SLA clock's
escalations (through activities/mailer.py), the digest, and mail to an applicant outside a case (written by
the API in the same transaction as what it tells of). The relay of the worker (activities/relay.py) sends it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import i18n
from core.enums import MailStatus
from core.models import Applicant, OutboxMail
from core.settings import Settings
from core.verification import VERIFY_NOTICE, VERIFY_VALID_FOR, verification_link

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "mail_templates"


@lru_cache(maxsize=1)
def _templates() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Mail text is marked like the pages' and written in the recipient's language (core.i18n.using_language).
    environment.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return environment


class Outbox:
    """Renders mail templates (``core/mail_templates/<notice>.txt``) and writes the rendered mail into the outbox
    of the given session."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._templates = _templates()

    def render(self, notice: str, context: dict[str, Any]) -> tuple[str, str, str]:
        """Subject, text and HTML of the template ``notice`` (it may set ``subject`` and ``link_label``)."""
        module = self._templates.get_template(f"{notice}.txt").make_module(context)
        subject = str(getattr(module, "subject", "")).strip()
        body_text = str(module).strip() + "\n"
        paragraphs = [p.strip() for p in body_text.split("\n\n") if p.strip()]
        body_html = self._templates.get_template("layout.html").render(
            subject=subject,
            paragraphs=paragraphs,
            link=context.get("link", ""),
            link_label=str(getattr(module, "link_label", "")).strip(),
            lang=i18n.current_language(),
        )
        return subject, body_text, body_html

    async def add(
        self,
        session: AsyncSession,
        *,
        key: str,
        to: list[str],
        notice: str,
        context: dict[str, Any],
        case_id: str | None,
    ) -> OutboxMail:
        """The outbox row ``key``: the one written before, or a new one rendered now (pending)."""
        existing = await session.scalar(select(OutboxMail).where(OutboxMail.key == key))
        if existing is not None:
            return existing
        subject, body_text, body_html = self.render(notice, context)
        mail = OutboxMail(
            key=key,
            case_id=case_id,
            to_addr=", ".join(to),
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            status=MailStatus.PENDING,
        )
        session.add(mail)
        await session.flush()
        log.info("queued mail %s", key, extra={"case_id": case_id or ""})
        return mail

    async def add_applicant_mail(
        self, session: AsyncSession, *, key: str, notice: str, applicant: Applicant | None, at: datetime
    ) -> OutboxMail:
        """The mail ``notice`` to ``applicant`` outside a case, once per ``key``; a verification mail carries a
        link valid from ``at``. Raises ValueError when there is no account or it has no address."""
        address = applicant.email.strip() if applicant is not None else ""
        if applicant is None or not address:
            raise ValueError(f"Surat {key} tidak punya alamat tujuan")
        context: dict[str, Any] = {
            "link": "",
            "public_base_url": self._settings.public_base_url,
            "applicant_name": applicant.name,
        }
        if notice == VERIFY_NOTICE:
            link = verification_link(settings=self._settings, applicant_id=applicant.id, issued_at=at)
            context |= {"link": link, "valid_hours": str(int(VERIFY_VALID_FOR.total_seconds() // 3600))}
        with i18n.using_language(applicant.language):  # the applicant's own language, as every mail to them
            return await self.add(session, key=key, to=[address], notice=notice, context=context, case_id=None)
