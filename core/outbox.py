"""Writing mail into the outbox: render a template and add the row, inside the caller's transaction; and what
a mail says of a case that more than one writer needs (the clock as a sentence, the applicant's language).

Every mail of PST Flow is written here, keyed so that it exists once: a step's notices and the SLA clock's
escalations (through activities/mailer.py), the digest, and mail to an applicant outside a case (written by
the API in the same transaction as what it tells of). The relay of the worker (activities/relay.py) sends it.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import i18n
from core.enums import COUNTING_SLA_STATES, MailStatus, SlaState, TimeUnit
from core.formatting import time_in_words
from core.i18n import ENGLISH, INDONESIAN, N_, gettext
from core.models import Applicant, Case, Office, OutboxMail, ServiceStandard
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


# ---------------------------------------------------------------- what a mail says of a case, shared by the worker
# and the API (a mail the API writes itself, e.g. a hand-over, reads as the worker's do)


# A span's words for one and for many (English tells them apart, Indonesian does not).
SPANS: dict[str, tuple[str, str]] = {
    TimeUnit.WORKING_DAYS: (N_("1 hari kerja"), N_("%(num)s hari kerja")),
    TimeUnit.DAYS: (N_("1 hari"), N_("%(num)s hari")),
    TimeUnit.MINUTES: (N_("1 menit"), N_("%(num)s menit")),
}


async def applicant_language(session: AsyncSession, case: Case) -> str:
    """The language of the case's applicant: their account's, else English for one abroad, else Indonesian."""
    if case.applicant_id is not None:
        language = await session.scalar(select(Applicant.language).where(Applicant.id == case.applicant_id))
        if language:
            return str(language)
    return ENGLISH if (case.details or {}).get("abroad") else INDONESIAN


def duration(amount: float, unit: str) -> str:
    """A span of a service standard in words: ``7 hari kerja``, ``15 hari``, ``10 menit`` (whole units, up)."""
    count = max(1, math.ceil(round(amount, 3)))
    one, many = SPANS.get(unit, SPANS[TimeUnit.WORKING_DAYS])
    return gettext(one) if count == 1 else gettext(many) % {"num": count}


async def clock_sentence(session: AsyncSession, case: Case, office: Office) -> str:
    """Where the case's service standard clock stands, as one sentence: its deadline while it counts, what is
    left while it waits on the applicant, when it starts before it has."""
    if case.sla_state in COUNTING_SLA_STATES and case.sla_deadline is not None:
        when = time_in_words(case.sla_deadline, office.timezone)
        return gettext("Tenggat standar pelayanan: %(when)s.") % {"when": when}
    if case.sla_state == SlaState.PAUSED and case.sla_remaining is not None:
        left = duration(case.sla_remaining, case.sla_unit)
        return gettext(
            "Waktu standar pelayanan berhenti selama permintaan menunggu pemohon; sisanya %(left)s, dihitung lagi "
            "setelah pemohon menyelesaikan bagiannya."
        ) % {"left": left}
    if case.sla_state == SlaState.NOT_STARTED:
        standard = await session.scalar(
            select(ServiceStandard).where(
                ServiceStandard.office_code == case.office_code, ServiceStandard.service == case.service
            )
        )
        if standard is not None:
            limit = duration(standard.time_limit, standard.time_unit)
            return gettext(
                "Waktu standar pelayanan (%(limit)s) mulai dihitung setelah permintaan dinyatakan lengkap."
            ) % {"limit": limit}
        return gettext("Waktu standar pelayanan mulai dihitung setelah permintaan dinyatakan lengkap.")
    return gettext("Waktu standar pelayanan permintaan ini sudah berhenti.")


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
