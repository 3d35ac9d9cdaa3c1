"""A case's notices into the outbox (core/outbox.py renders and writes them): to the applicant, or to the
office's staff of a role, falling back to the supervisor.

Everything a mail says is made readable here, once: times in words in the office's zone, money in Rupiah, the
service standard's clock as a sentence, people by name, a link to the case (the portal for the applicant, the
staff page for staff), each in the recipient's language (the applicant's own, Indonesian for staff).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.mail import Notice
from core.case_details import sale_details
from core.enums import ROLE_LABELS, SERVICE_LABELS, STEP_LABELS, ActorKind, Role, Service
from core.formatting import rupiah, time_in_words
from core.i18n import INDONESIAN, N_, gettext, using_language
from core.models import AuditEntry, Case, Office, StaffAccount, utcnow
from core.outbox import Outbox, applicant_language, clock_sentence
from core.people import staff_by_ref
from core.security import download_token

log = logging.getLogger(__name__)

# Moments a workflow or a step hands a notice as ISO text; a mail writes them in words in the office's zone.
MOMENTS = ("expires_at", "support_ends_at")

# The timeline's marks of a notice that did not reach whom it names (audit actions, labelled in core.enums).
MAIL_STAND_IN = "mail_stand_in"
MAIL_NOT_WRITTEN = "mail_not_written"
OFFICE_EMAIL = "office_email"  # the last stand-in: the office's public address
STAND_INS: dict[str, str] = {
    Role.SUPERVISOR: N_("dikirim ke supervisor karena tidak ada akun %(role)s aktif"),
    Role.ADMINISTRATOR: N_("dikirim ke administrator kantor karena tidak ada akun %(role)s maupun supervisor aktif"),
    OFFICE_EMAIL: N_(
        "dikirim ke alamat email kantor karena tidak ada akun %(role)s, supervisor, maupun administrator aktif"
    ),
}
# A notice to the supervisor itself names no supervisor twice.
SUPERVISOR_STAND_INS: dict[str, str] = {
    Role.ADMINISTRATOR: N_("dikirim ke administrator kantor karena tidak ada akun %(role)s aktif"),
    OFFICE_EMAIL: N_("dikirim ke alamat email kantor karena tidak ada akun %(role)s maupun administrator aktif"),
}
NO_RECIPIENT = N_(
    "tidak terkirim: tidak ada akun %(role)s, supervisor, maupun administrator aktif, dan email kantor kosong"
)
NOT_RENDERED = N_("surat %(notice)s tidak dapat dibuat (%(error)s); langkah ini dan surat lainnya tetap berjalan")


def mail_key(case_id: str, notice: str, phase: str) -> str:
    """The idempotency key of a notice: one mail per case, notice and phase."""
    return f"{case_id}:{notice}:{phase}"


@dataclass
class Recipient:
    """Who a mail goes to: an address and the name it greets."""

    address: str
    name: str


async def staff_recipients(session: AsyncSession, office_code: str, role: str) -> list[Recipient]:
    """The office's active staff holding ``role``."""
    rows = await session.execute(
        select(StaffAccount.email, StaffAccount.name)
        .where(StaffAccount.office_code == office_code, StaffAccount.role == role, StaffAccount.active.is_(True))
        .order_by(StaffAccount.id)
    )
    return [Recipient(address=email, name=name) for email, name in rows.all() if email]


async def _mark(session: AsyncSession, case: Case, notice: Notice, action: str, note: str, at: datetime | None) -> None:
    """A line in the case's timeline about a notice that did not reach whom it names (once per notice)."""
    event_key = f"mail:{notice.notice}:{notice.phase}"[:100]
    found = await session.scalar(
        select(AuditEntry.id).where(AuditEntry.case_id == case.id, AuditEntry.event_key == event_key)
    )
    if found is None:
        session.add(
            AuditEntry(
                case_id=case.id,
                event_key=event_key,
                at=at or utcnow(),
                actor="sistem",
                role=ActorKind.SYSTEM,
                office_code=case.office_code,
                action=action,
                step=str(notice.context.get("step") or case.step),
                note=note,
            )
        )


def _moment(value: str, timezone: str) -> str:
    """An ISO moment in words in the office's zone (a value that is no moment is left as it is)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return time_in_words(moment, timezone)


class Mailer(Outbox):
    """The outbox writer of the worker: also writes a case's notices to its applicant or staff."""

    async def add_case_notice(
        self, session: AsyncSession, case: Case, office: Office, notice: Notice, at: datetime | None = None
    ) -> None:
        """Write the notice of ``case`` for the applicant or a role of the office; it never fails the step.

        A role without an active account in the office goes to the office's supervisor; with no supervisor either,
        to its administrator; with neither, to the office's public email (the address its service standard
        publishes, read by someone at the office). The mail says so, and the case's timeline marks it. A notice
        that cannot be written (no recipient at all, a template that fails to render) is logged and marked in the
        timeline, and the step and its other mails go on. Only a database error leaves (the step is retried).
        """
        stand_in, stand_in_for = "", ""
        if notice.to_role is None:
            recipients = [Recipient(address=case.applicant_email, name=case.applicant_name)]
            language = await applicant_language(session, case)
            link = f"{self._settings.public_base_url}/portal/cases/{case.id}"
        else:
            recipients = await staff_recipients(session, case.office_code, notice.to_role)
            if notice.to_staff:
                chosen = await staff_by_ref(session, notice.to_staff)
                recipients = [r for r in recipients if chosen and r.address == chosen.email] or recipients
            if not recipients:
                stand_in, recipients = await self._stand_ins(session, office, notice.to_role)
                stand_in_for = notice.to_role
                log.warning(
                    "no active %s in office %s: mail %s to %s",
                    notice.to_role,
                    case.office_code,
                    notice.notice,
                    stand_in or "nobody",
                    extra={"case_id": case.id},
                )
            language = INDONESIAN
            link = f"{self._settings.public_base_url}/staff/cases/{case.id}"
        recipients = [recipient for recipient in recipients if recipient.address]
        moment = at or case.updated_at
        if not recipients:
            if notice.to_role is None:  # an applicant who left no email (a walk-in guest): told at the desk
                log.info("mail %s not written: the applicant left no email", notice.notice, extra={"case_id": case.id})
            else:
                log.error("mail %s has no recipient", notice.notice, extra={"case_id": case.id})
                with using_language(INDONESIAN):
                    note = gettext(NO_RECIPIENT) % {"role": ROLE_LABELS.get(notice.to_role, notice.to_role)}
                await _mark(session, case, notice, MAIL_NOT_WRITTEN, note, moment)
            return
        try:
            with using_language(language):
                context = await self._case_context(session, case, office, notice, link)
                context |= {
                    "recipient_name": ", ".join(recipient.name or recipient.address for recipient in recipients),
                    "stand_in_for": ROLE_LABELS.get(stand_in_for, stand_in_for) if stand_in_for else "",
                }
                await self.add(
                    session,
                    key=mail_key(case.id, notice.notice, notice.phase),
                    to=[recipient.address for recipient in recipients],
                    notice=notice.notice,
                    context=context,
                    case_id=case.id,
                )
        except SQLAlchemyError:
            raise  # the database: the step's transaction is retried whole
        except Exception as error:  # a template or a value that cannot be written: this mail is skipped, not the step
            log.exception("mail %s could not be written", notice.notice, extra={"case_id": case.id})
            with using_language(INDONESIAN):
                note = gettext(NOT_RENDERED) % {"notice": notice.notice, "error": type(error).__name__}
            await _mark(session, case, notice, MAIL_NOT_WRITTEN, note, moment)
            return
        if stand_in:
            with using_language(INDONESIAN):
                sentence = SUPERVISOR_STAND_INS.get(stand_in, "") if stand_in_for == Role.SUPERVISOR else ""
                sentence = sentence or STAND_INS[stand_in]
                note = gettext(sentence) % {"role": ROLE_LABELS.get(stand_in_for, stand_in_for)}
            await _mark(session, case, notice, MAIL_STAND_IN, note, moment)

    async def _stand_ins(self, session: AsyncSession, office: Office, role: str) -> tuple[str, list[Recipient]]:
        """Who reads a role's mail when the office has no active account of it: the supervisor, else the
        administrator, else the office's public email; which of them ("" when nobody) and their addresses."""
        for stand_in in (Role.SUPERVISOR, Role.ADMINISTRATOR):
            if stand_in == role:
                continue
            recipients = await staff_recipients(session, office.code, stand_in)
            if recipients:
                return stand_in, recipients
        if office.email:
            return OFFICE_EMAIL, [Recipient(address=office.email, name=office.name)]
        return "", []

    async def _case_context(
        self, session: AsyncSession, case: Case, office: Office, notice: Notice, link: str
    ) -> dict[str, Any]:
        """What the templates of a case's notices read, in the language of the moment."""
        step = notice.context.get("step", case.step)
        context: dict[str, Any] = {
            "case_id": case.id,
            "applicant_name": case.applicant_name,
            "applicant_email": case.applicant_email,
            "office_name": office.name,
            "office_phone": office.phone,
            "office_email": office.email,
            "office_address": office.address,
            "bank": ", ".join(
                part
                for part in (
                    office.bank_name,
                    office.bank_account_number,
                    office.bank_account_holder,
                    office.bank_swift,
                )
                if part
            ),
            "step_label": STEP_LABELS.get(step, step),
            "service_label": SERVICE_LABELS.get(case.service, case.service),
            "deadline": time_in_words(case.sla_deadline, office.timezone) if case.sla_deadline else "",
            "clock": await clock_sentence(session, case, office),
            "link": link,
            "download_base": self._settings.public_base_url,
            "amount": "",
            "abroad": bool((case.details or {}).get("abroad")),
            "examiner_name": "",
            "letter_number": "",
            "feedback": "",  # a rating may come without words (a step drops what is empty)
            "note": "",
            **notice.context,
            "step": step,
            "phase": notice.phase,
        }
        for name in MOMENTS:
            if context.get(name):
                context[name] = _moment(str(context[name]), office.timezone)
        if case.service == Service.SALE and (fee := sale_details(case).fee) is not None:
            context["amount"] = rupiah(fee)
        note = str(context["note"])
        if note and " " not in note:  # a person's reference (the examiner assigned): named, never an id or email
            person = await staff_by_ref(session, note)
            if person is not None:
                context["examiner_name"], context["note"] = person.name, ""
        if "link_sequence" in notice.context:
            secret = self._settings.secret_key.get_secret_value()
            context["token"] = download_token(
                secret, case.id, int(notice.context["link_document"]), int(notice.context["link_sequence"])
            )
        return context
