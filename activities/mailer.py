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
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.mail import Notice
from core.case_details import sale_details
from core.enums import ROLE_LABELS, SERVICE_LABELS, STEP_LABELS, Role, Service
from core.formatting import rupiah, time_in_words
from core.i18n import INDONESIAN, using_language
from core.models import Case, Office, StaffAccount
from core.outbox import Outbox, applicant_language, clock_sentence
from core.people import staff_by_ref
from core.security import download_token

log = logging.getLogger(__name__)

# Moments a workflow or a step hands a notice as ISO text; a mail writes them in words in the office's zone.
MOMENTS = ("expires_at", "support_ends_at")


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


def _moment(value: str, timezone: str) -> str:
    """An ISO moment in words in the office's zone (a value that is no moment is left as it is)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return time_in_words(moment, timezone)


class Mailer(Outbox):
    """The outbox writer of the worker: also writes a case's notices to its applicant or staff."""

    async def add_case_notice(self, session: AsyncSession, case: Case, office: Office, notice: Notice) -> None:
        """Write the notice of ``case`` for the applicant or a role of the office; never fails the step.

        A role without an active account in the office goes to the office's supervisor, and the mail
        says so; with no supervisor either, the mail is left out and logged.
        """
        stand_in = ""
        if notice.to_role is None:
            recipients = [Recipient(address=case.applicant_email, name=case.applicant_name)]
            language = await applicant_language(session, case)
            link = f"{self._settings.public_base_url}/portal/cases/{case.id}"
        else:
            recipients = await staff_recipients(session, case.office_code, notice.to_role)
            if notice.to_staff:
                chosen = await staff_by_ref(session, notice.to_staff)
                recipients = [r for r in recipients if chosen and r.address == chosen.email] or recipients
            if not recipients and notice.to_role != Role.SUPERVISOR:
                log.warning(
                    "no %s in office %s: mail to the supervisor",
                    notice.to_role,
                    case.office_code,
                    extra={"case_id": case.id},
                )
                recipients = await staff_recipients(session, case.office_code, Role.SUPERVISOR)
                stand_in = notice.to_role
            language = INDONESIAN
            link = f"{self._settings.public_base_url}/staff/cases/{case.id}"
        recipients = [recipient for recipient in recipients if recipient.address]
        if not recipients:
            if notice.to_role is None:  # an applicant who left no email (a walk-in guest): told at the desk
                log.info("mail %s not written: the applicant left no email", notice.notice, extra={"case_id": case.id})
            else:
                log.error("mail %s has no recipient", notice.notice, extra={"case_id": case.id})
            return
        with using_language(language):
            context = await self._case_context(session, case, office, notice, link)
            context |= {
                "recipient_name": ", ".join(recipient.name or recipient.address for recipient in recipients),
                "stand_in_for": ROLE_LABELS.get(stand_in, stand_in) if stand_in else "",
            }
            await self.add(
                session,
                key=mail_key(case.id, notice.notice, notice.phase),
                to=[recipient.address for recipient in recipients],
                notice=notice.notice,
                context=context,
                case_id=case.id,
            )

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
