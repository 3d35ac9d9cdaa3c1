"""Mail activities outside a case's steps: the daily digest, and mail outside a case for the DirectMailWorkflow
runs started before the API wrote such mail itself.

Both write into the outbox (core/outbox.py) once per key; the relay of the worker sends them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from jinja2 import TemplateNotFound
from sqlalchemy import or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.failures import database_errors_by_kind
from activities.mailer import Mailer
from contracts.mail import DirectMail, QueuedMail
from contracts.sla import DigestRequest
from core.db import SessionFactory
from core.enums import COUNTING_SLA_STATES, SERVICE_LABELS, STEP_LABELS, CaseStatus, Role
from core.formatting import date_in_words, time_in_words
from core.i18n import INDONESIAN, using_language
from core.models import Applicant, Case, Office, StaffAccount
from core.settings import Settings

log = logging.getLogger(__name__)


async def _digest_readers(session: AsyncSession, office: Office) -> list[tuple[str, str, str]]:
    """Who reads the office's digest, as (reference, address, name): its active supervisors; with none, its
    administrators; with neither, the office's public email (as a case's notice to a missing role)."""
    for role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        rows = await session.execute(
            select(StaffAccount.id, StaffAccount.email, StaffAccount.name)
            .where(StaffAccount.office_code == office.code, StaffAccount.role == role, StaffAccount.active.is_(True))
            .order_by(StaffAccount.id)
        )
        readers = [(f"staff-{staff_id}", email, name) for staff_id, email, name in rows.all() if email]
        if readers:
            return readers
    return [("office", office.email, office.name)] if office.email else []


class NotifyActivities:
    """Writes the digest and mail outside a case into the outbox."""

    def __init__(
        self,
        settings: Settings,
        session_factory: SessionFactory,
        mailer: Mailer,
        on_mail: Callable[[], None] = lambda: None,
    ) -> None:
        self._settings = settings
        self._sessions = session_factory
        self._mailer = mailer
        self._on_mail = on_mail

    @activity.defn
    @database_errors_by_kind
    async def queue_digest(self, request: DigestRequest) -> list[QueuedMail]:
        """One digest mail per supervisor of the office listing its breached and near-breach cases, once a day (with
        no supervisor, to the administrators, else the office's email); one that cannot be written is skipped."""
        with using_language(INDONESIAN):  # staff read Indonesian
            async with self._sessions() as session, session.begin():
                office = await session.get(Office, request.office_code)
                if office is None:
                    raise ApplicationError(f"Kantor {request.office_code} tidak dikenal", non_retryable=True)
                local_date = request.as_of.astimezone(ZoneInfo(office.timezone)).date()
                local_day = local_date.isoformat()
                cases = (
                    await session.scalars(
                        select(Case)
                        .where(
                            Case.office_code == office.code,
                            Case.status == CaseStatus.OPEN,
                            Case.sla_state.in_(COUNTING_SLA_STATES),
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
                        "deadline": time_in_words(case.sla_deadline, office.timezone) if case.sla_deadline else "",
                        "link": f"{self._settings.public_base_url}/staff/cases/{case.id}",
                    }
                    for case in cases
                ]
                context = {
                    "office_name": office.name,
                    "day": date_in_words(local_date),
                    "breached": [row for row in rows if row["late"]],
                    "near": [row for row in rows if not row["late"]],
                    "link": f"{self._settings.public_base_url}/staff",
                }
                queued: list[QueuedMail] = []
                for reader, email, name in await _digest_readers(session, office):
                    key = f"digest-{office.code}:{local_day}:{reader}"  # no address in a workflow
                    try:
                        mail = await self._mailer.add(
                            session,
                            key=key,
                            to=[email],
                            notice="digest",
                            context=context | {"recipient_name": name},
                            case_id=None,
                        )
                    except SQLAlchemyError:
                        raise  # the database: the activity is retried
                    except Exception:  # a digest that cannot be written is logged and skipped, never retried forever
                        log.exception("digest %s could not be written", key)
                        continue
                    queued.append(QueuedMail(mail_id=mail.id, key=key))
        if queued:
            self._on_mail()
        return queued

    @activity.defn
    @database_errors_by_kind
    async def queue_direct_mail(self, request: DirectMail) -> QueuedMail:
        """Write a mail outside a case to an applicant into the outbox, once per key (address and link made here).

        Run by DirectMailWorkflow runs started before the API wrote these mails itself, with the account."""
        async with self._sessions() as session, session.begin():
            applicant = await session.get(Applicant, request.applicant_id)
            try:
                mail = await self._mailer.add_applicant_mail(
                    session, key=request.key, notice=request.notice, applicant=applicant, at=request.at
                )
            except ValueError as error:
                raise ApplicationError(str(error), non_retryable=True) from error
            except TemplateNotFound as error:
                raise ApplicationError(f"Templat surat {request.notice} tidak ada", non_retryable=True) from error
            except SQLAlchemyError:
                raise  # the database: retried
            except Exception as error:  # a template that fails: no retry would write it; the run fails, recorded
                raise ApplicationError(
                    f"Surat {request.notice} tidak dapat dibuat: {type(error).__name__}", non_retryable=True
                ) from error
        self._on_mail()
        return QueuedMail(mail_id=mail.id, key=request.key)
