"""Mail: every notice is written to the outbox first, then sent through aiosmtplib with retries."""

from __future__ import annotations

import hashlib
import logging
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, getaddresses, parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiosmtplib
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from core.db import SessionFactory
from core.enums import SERVICE_LABELS, STEP_LABELS, MailStatus, Role
from core.formatting import local_time
from core.models import Case, Office, OutboxMail, StaffAccount, utcnow
from core.settings import Settings
from workflows.mail_messages import DirectMail
from workflows.shared import DigestRequest, MailRequest, QueuedMail

log = logging.getLogger(__name__)

_TEMPLATES = Path(__file__).resolve().parent / "templates"
# Headers are not folded before the RFC 5322 limit: folded subjects read back with a stray leading space.
_MAIL_POLICY = SMTP.clone(max_line_length=998)


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def _staff_emails(session: AsyncSession, office_code: str, role: str) -> list[str]:
    """The addresses of the office's active staff holding ``role``."""
    rows = await session.scalars(
        select(StaffAccount.email).where(
            StaffAccount.office_code == office_code, StaffAccount.role == role, StaffAccount.active.is_(True)
        )
    )
    return list(rows.all())


def mail_key(case_id: str, notice: str, phase: str) -> str:
    """The idempotency key of a notice: one mail per case, notice and phase."""
    return f"{case_id}:{notice}:{phase}"


class NotifyActivities:
    """Queues notices in the outbox and delivers them to the SMTP server of the settings."""

    def __init__(self, settings: Settings, session_factory: SessionFactory) -> None:
        self._settings = settings
        self._sessions = session_factory
        self._templates = _environment()

    def _render(self, notice: str, context: dict[str, Any]) -> tuple[str, str, str]:
        text_template = self._templates.get_template(f"{notice}.txt")
        module = text_template.make_module(context)
        subject = str(getattr(module, "subject", "")).strip()
        body_text = str(module).strip() + "\n"
        paragraphs = [p.strip() for p in body_text.split("\n\n") if p.strip()]
        body_html = self._templates.get_template("layout.html").render(
            subject=subject, paragraphs=paragraphs, link=context.get("link", "")
        )
        return subject, body_text, body_html

    @activity.defn
    async def queue_mail(self, request: MailRequest) -> QueuedMail:
        """Write the notice into the outbox (once per key) and return the row to send."""
        key = mail_key(request.case_id, request.notice, request.phase)
        async with self._sessions() as session, session.begin():
            existing = await session.scalar(select(OutboxMail).where(OutboxMail.key == key))
            if existing is not None:
                return QueuedMail(mail_id=existing.id, key=key)
            case = await session.get(Case, request.case_id)
            if case is None:
                raise ApplicationError(f"Kasus {request.case_id} tidak ditemukan", non_retryable=True)
            office = await session.get(Office, case.office_code)
            if request.to_role is not None:
                recipients = await _staff_emails(session, case.office_code, request.to_role)
                if request.to_staff:
                    recipients = [email for email in recipients if email == request.to_staff] or recipients
                link = f"{self._settings.public_base_url}/staff/cases/{case.id}"
            else:
                recipients = [case.applicant_email]
                link = ""  # the applicant portal comes with its own issue
            if not recipients:
                raise ApplicationError(
                    f"Tidak ada akun aktif dengan peran {request.to_role} di kantor {case.office_code}",
                    non_retryable=True,
                )
            context: dict[str, Any] = {
                "case_id": case.id,
                "applicant_name": case.applicant_name,
                "office_name": office.name if office else case.office_code,
                "office_phone": office.phone if office else "",
                "step_label": STEP_LABELS.get(request.context.get("step", case.step), case.step),
                "service_label": SERVICE_LABELS.get(case.service, case.service),
                "sla_deadline": local_time(case.sla_deadline, office.timezone) if case.sla_deadline and office else "-",
                "link": link,
                "step": case.step,
                "download_base": self._settings.public_base_url,
                "note": "",
                **request.context,
            }
            subject, body_text, body_html = self._render(request.notice, context)
            mail = OutboxMail(
                key=key,
                case_id=case.id,
                to_addr=", ".join(recipients),
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                status=MailStatus.PENDING,
            )
            session.add(mail)
            await session.flush()
            log.info("queued mail %s", key, extra={"case_id": case.id})
            return QueuedMail(mail_id=mail.id, key=key)

    @activity.defn
    async def queue_digest(self, request: DigestRequest) -> list[QueuedMail]:
        """One digest mail per supervisor of the office listing its breached and near-breach cases, once a day."""
        async with self._sessions() as session, session.begin():
            office = await session.get(Office, request.office_code)
            if office is None:
                raise ApplicationError(f"Kantor {request.office_code} tidak dikenal", non_retryable=True)
            local_day = request.as_of.astimezone(ZoneInfo(office.timezone)).date().isoformat()
            cases = (
                await session.scalars(
                    select(Case)
                    .where(
                        Case.office_code == office.code,
                        Case.status == "open",
                        Case.sla_state.in_(("running", "warning", "breached")),
                        or_(Case.sla_deadline <= request.as_of, Case.sla_warning_at <= request.as_of),
                    )
                    .order_by(Case.sla_deadline)
                )
            ).all()
            if not cases:
                return []
            rows = [
                {
                    "late": case.sla_deadline is not None and case.sla_deadline <= request.as_of,
                    "case_id": case.id,
                    "service_label": SERVICE_LABELS.get(case.service, case.service),
                    "step_label": STEP_LABELS.get(case.step, case.step),
                    "deadline": local_time(case.sla_deadline, office.timezone) if case.sla_deadline else "-",
                    "link": f"{self._settings.public_base_url}/staff/cases/{case.id}",
                }
                for case in cases
            ]
            context = {
                "office_name": office.name,
                "day": local_day,
                "breached": [row for row in rows if row["late"]],
                "near": [row for row in rows if not row["late"]],
                "link": f"{self._settings.public_base_url}/staff",
            }
            subject, body_text, body_html = self._render("digest", context)
            supervisors = await _staff_emails(session, office.code, Role.SUPERVISOR)
            queued: list[QueuedMail] = []
            for email in supervisors:
                key = f"digest-{office.code}:{local_day}:{email}"
                mail = await session.scalar(select(OutboxMail).where(OutboxMail.key == key))
                if mail is None:
                    mail = OutboxMail(
                        key=key, case_id=None, to_addr=email, subject=subject, body_text=body_text,
                        body_html=body_html, status=MailStatus.PENDING,
                    )  # fmt: skip
                    session.add(mail)
                    await session.flush()
                queued.append(QueuedMail(mail_id=mail.id, key=key))
            return queued

    def _message(self, mail: OutboxMail) -> EmailMessage:
        message = EmailMessage(policy=_MAIL_POLICY)
        message["From"] = self._settings.mail_from
        message["To"] = mail.to_addr
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        digest = hashlib.sha256(mail.key.encode()).hexdigest()[:32]
        message["Message-ID"] = f"<{digest}@pst-flow>"
        message["X-PST-Key"] = mail.key
        message.set_content(mail.body_text)
        message.add_alternative(mail.body_html, subtype="html")
        return message

    @activity.defn
    async def send_mail(self, queued: QueuedMail) -> None:
        """Deliver an outbox row unless it was already sent; a failure is recorded and retried."""
        async with self._sessions() as session:
            mail = await session.get(OutboxMail, queued.mail_id)
            if mail is None:
                raise ApplicationError(f"Surat {queued.key} tidak ada di outbox", non_retryable=True)
            if mail.status == MailStatus.SENT:
                return
            message = self._message(mail)
        settings = self._settings
        try:
            await aiosmtplib.send(
                message.as_bytes(policy=_MAIL_POLICY),
                sender=parseaddr(settings.mail_from)[1],
                recipients=[address for _name, address in getaddresses([str(message["To"])])],
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_user or None,
                password=settings.smtp_password.get_secret_value() or None,
                use_tls=settings.smtp_tls,
                start_tls=settings.smtp_starttls,
                timeout=30,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            async with self._sessions() as session, session.begin():
                failed = await session.get(OutboxMail, queued.mail_id)
                if failed is not None:
                    failed.attempts += 1
                    failed.last_error = str(error)[:500]
            log.warning("mail %s not sent yet: %s", queued.key, error)
            raise
        async with self._sessions() as session, session.begin():
            sent = await session.get(OutboxMail, queued.mail_id)
            if sent is not None:
                sent.status = MailStatus.SENT
                sent.attempts += 1
                sent.sent_at = utcnow()
                sent.last_error = ""
        log.info("sent mail %s", queued.key)

    def _render_direct(self, notice: str, context: dict[str, Any]) -> tuple[str, str, str]:
        """Like _render, with the button text the template may set (``{% set link_label = ... %}``)."""
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

    @activity.defn
    async def queue_direct_mail(self, request: DirectMail) -> QueuedMail:
        """Write a mail outside a case (no case id) into the outbox, once per key, and return the row to send."""
        async with self._sessions() as session, session.begin():
            existing = await session.scalar(select(OutboxMail).where(OutboxMail.key == request.key))
            if existing is not None:
                return QueuedMail(mail_id=existing.id, key=request.key)
            if not request.to.strip():
                raise ApplicationError(f"Surat {request.key} tidak punya alamat tujuan", non_retryable=True)
            context: dict[str, Any] = {"link": "", "public_base_url": self._settings.public_base_url, **request.context}
            try:
                subject, body_text, body_html = self._render_direct(request.notice, context)
            except TemplateNotFound as error:
                raise ApplicationError(f"Templat surat {request.notice} tidak ada", non_retryable=True) from error
            mail = OutboxMail(
                key=request.key,
                case_id=None,
                to_addr=request.to.strip(),
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                status=MailStatus.PENDING,
            )
            session.add(mail)
            await session.flush()
            log.info("queued mail %s", request.key)
            return QueuedMail(mail_id=mail.id, key=request.key)
