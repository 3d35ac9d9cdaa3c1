"""A case's notices into the outbox (core/outbox.py renders and writes them): to the applicant, or to the
office's staff of a role, falling back to the supervisor."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.mail import Notice
from core.enums import SERVICE_LABELS, STEP_LABELS, Role
from core.formatting import local_time
from core.models import Case, Office, StaffAccount
from core.outbox import Outbox
from core.people import staff_by_ref
from core.security import download_token

log = logging.getLogger(__name__)


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


class Mailer(Outbox):
    """The outbox writer of the worker: also writes a case's notices to its applicant or staff."""

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
            if notice.to_role is None:  # an applicant who left no email (a walk-in guest): told at the desk
                log.info("mail %s not written: the applicant left no email", notice.notice, extra={"case_id": case.id})
            else:
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
