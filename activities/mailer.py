"""Writing mail into the outbox: render a template and add the row, inside the caller's transaction.

Every mail of PST Flow (a step's notices, the SLA clock's escalations, the digest, mail outside a case)
is written here, keyed so that it exists once; the relay (activities/relay.py) sends it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.mail import Notice
from core.enums import SERVICE_LABELS, STEP_LABELS, MailStatus, Role
from core.formatting import local_time
from core.models import Case, Office, OutboxMail, StaffAccount
from core.people import staff_by_ref
from core.security import download_token
from core.settings import Settings

log = logging.getLogger(__name__)

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def mail_key(case_id: str, notice: str, phase: str) -> str:
    """The idempotency key of a notice: one mail per case, notice and phase."""
    return f"{case_id}:{notice}:{phase}"


async def staff_emails(session: AsyncSession, office_code: str, role: str) -> list[str]:
    """The addresses of the office's active staff holding ``role``."""
    rows = await session.scalars(
        select(StaffAccount.email).where(
            StaffAccount.office_code == office_code, StaffAccount.role == role, StaffAccount.active.is_(True)
        )
    )
    return list(rows.all())


class Mailer:
    """Renders mail templates and writes the rendered mail into the outbox of the given session."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._templates = Environment(
            loader=FileSystemLoader(_TEMPLATES),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

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

    async def add_case_notice(self, session: AsyncSession, case: Case, office: Office, notice: Notice) -> None:
        """Write the notice of ``case`` for the applicant or a role of the office; never fails the step.

        A role without an active account in the office goes to the office's supervisor, and the mail
        says so; with no supervisor either, the mail is left out and logged.
        """
        if notice.to_role is None:
            recipients, link = [case.applicant_email], ""
        else:
            recipients = await staff_emails(session, case.office_code, notice.to_role)
            if notice.to_staff:
                chosen = await staff_by_ref(session, notice.to_staff)
                recipients = [email for email in recipients if chosen and email == chosen.email] or recipients
            if not recipients and notice.to_role != Role.SUPERVISOR:
                log.warning(
                    "no %s in office %s: mail to the supervisor",
                    notice.to_role,
                    case.office_code,
                    extra={"case_id": case.id},
                )
                recipients = await staff_emails(session, case.office_code, Role.SUPERVISOR)
            link = f"{self._settings.public_base_url}/staff/cases/{case.id}"
        recipients = [address for address in recipients if address]
        if not recipients:
            log.error("mail %s has no recipient", notice.notice, extra={"case_id": case.id})
            return
        context: dict[str, Any] = {
            "case_id": case.id,
            "applicant_name": case.applicant_name,
            "office_name": office.name,
            "office_phone": office.phone,
            "step_label": STEP_LABELS.get(notice.context.get("step", case.step), case.step),
            "service_label": SERVICE_LABELS.get(case.service, case.service),
            "sla_deadline": local_time(case.sla_deadline, office.timezone) if case.sla_deadline else "-",
            "link": link,
            "step": case.step,
            "download_base": self._settings.public_base_url,
            "note": "",
            **notice.context,
        }
        if "link_sequence" in notice.context:
            secret = self._settings.secret_key.get_secret_value()
            context["token"] = download_token(
                secret, case.id, int(notice.context["link_document"]), int(notice.context["link_sequence"])
            )
        await self.add(
            session,
            key=mail_key(case.id, notice.notice, notice.phase),
            to=recipients,
            notice=notice.notice,
            context=context,
            case_id=case.id,
        )
