"""Cases in general: business ids, the read model with its timeline, and sending a person's step to Temporal
(idempotent by key, with no database connection held while Temporal works)."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from api.sale_schemas import ActionRead
from api.schemas import CaseRead, SubmittedRead, TimelineEntry
from api.services.office_scope import may_open, works_across_province
from contracts.case import StepResult
from core import search_attributes as sa
from core.counters import next_number
from core.enums import STEP_LABELS, CaseStatus, ComplaintStep, SaleStep, Service
from core.formatting import date_in_words, local_time
from core.i18n import N_
from core.i18n import gettext as _
from core.ids import case_id
from core.models import AuditEntry, Case, Office, StaffAccount
from core.people import names
from core.settings import Settings

Message = TypeVar("Message")
# Temporal refuses an Update while the workflow task of a stopped worker is being retried: the action waits.
WORKFLOW_TASK_FAILING = "Workflow Task in failed state"
WORKER_RESTART_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0)
log = logging.getLogger(__name__)

# A lazily connected client raises RuntimeError("Failed client connect ...") when the server is unreachable.
TEMPORAL_UNREACHABLE = (RPCError, RuntimeError)
NOT_CONNECTED = "Failed client connect"
RESEND_WINDOW = timedelta(days=1)  # a submission sent again with its key within it stores nothing more
IDEMPOTENCY_KEY_MAX = 100
_IDEMPOTENCY_KEY = re.compile(rf"[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}")


async def get_office(*, session: AsyncSession, office_code: str) -> Office:
    """The office with ``office_code``, or NotFound naming the known codes."""
    office = await session.get(Office, office_code)
    if office is None:
        known = ", ".join((await session.scalars(select(Office.code).order_by(Office.code))).all())
        raise NotFound(
            _("Kantor %(office_code)s tidak dikenal. Kode kantor yang tersedia: %(known)s.")
            % {"office_code": office_code, "known": known}
        )
    return office


async def allocate_case_id(*, session: AsyncSession, office: Office, service: str, now: datetime) -> str:
    """The next business id of ``service`` at ``office`` in the office-local year of ``now``."""
    year = now.astimezone(ZoneInfo(office.timezone)).year
    return case_id(
        service, office.code, year, await next_number(session, office_code=office.code, series=service, year=year)
    )


def ensure_same_office(staff: StaffAccount, case: Case) -> None:
    """Staff see and act only on their own office's cases; a provincial supervisor on those of their province."""
    if not may_open(staff, case.office_code):
        if works_across_province(staff):
            raise Forbidden(
                _(
                    "Permintaan ini milik kantor di provinsi lain; Anda hanya dapat membuka permintaan kantor di "
                    "provinsi Anda."
                )
            )
        raise Forbidden(_("Permintaan ini milik kantor lain; Anda hanya dapat membuka permintaan kantor Anda."))


def temporal_url(settings: Settings, workflow_id: str) -> str:
    """The page of a workflow in the Temporal Web UI."""
    return f"{settings.temporal_ui_url}/namespaces/{settings.temporal_namespace}/workflows/{workflow_id}"


async def read_case(*, session: AsyncSession, settings: Settings, staff: StaffAccount, case_id: str) -> CaseRead:
    """The read model and timeline of a case of the staff member's office."""
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFound(_("Permintaan %(case_id)s tidak ditemukan.") % {"case_id": case_id})
    ensure_same_office(staff, case)
    office = await get_office(session=session, office_code=case.office_code)
    entries = (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.at, AuditEntry.id)
        )
    ).all()
    people = await names(session, {entry.actor for entry in entries})
    return CaseRead(
        id=case.id,
        service=case.service,
        office_code=case.office_code,
        channel=case.channel,
        step=case.step,
        step_label=STEP_LABELS.get(case.step, case.step),
        status=case.status,
        assignee_role=case.assignee_role,
        sla_deadline=case.sla_deadline,
        created_at=case.created_at,
        workflow_started=case.workflow_started,
        outcome_reason=case.outcome_reason,
        timeline=[
            TimelineEntry(
                at=entry.at,
                at_local=local_time(entry.at, office.timezone),
                actor=people.get(entry.actor, entry.actor),
                role=entry.role,
                action=entry.action,
                step=entry.step,
                note=entry.note,
            )
            for entry in entries
        ],
        temporal_url=temporal_url(settings, case.id),
    )


async def submitted_with(
    *, session: AsyncSession, office_code: str, service: str, key: str, now: datetime, applicant_id: int | None = None
) -> str | None:
    """The id of the office's ``service`` case stored lately (within RESEND_WINDOW) under the idempotency key
    ``key``, by the same applicant when one is given."""
    query = select(Case.id).where(
        Case.office_code == office_code,
        Case.service == service,
        Case.created_at >= now - RESEND_WINDOW,
        Case.details["idempotency_key"].as_string() == key,
    )
    if applicant_id is not None:
        query = query.where(Case.applicant_id == applicant_id)
    found = await session.scalar(query)
    return str(found) if found is not None else None


async def resent(
    *, session: AsyncSession, office_code: str, service: str, key: str, now: datetime, applicant_id: int | None = None
) -> Case | None:
    """The case a submission sent again under ``key`` stored first (it answers that case and stores nothing more),
    or None. Called after the new case's number is taken, so that a second request with the key waits for the first
    to commit; when found, the number goes back (ids stay gapless)."""
    found = await submitted_with(
        session=session, office_code=office_code, service=service, key=key, now=now, applicant_id=applicant_id
    )
    if found is None:
        return None
    await session.rollback()
    return await session.get(Case, found)


def checked_idempotency_key(key: str | None) -> str | None:
    """``key`` if it can name an action (1 to 100 visible ASCII characters), None when absent, else Invalid."""
    if not key:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        raise Invalid(
            _(
                "Idempotency-Key tidak valid: gunakan 1 sampai %(IDEMPOTENCY_KEY_MAX)s karakter ASCII yang terlihat "
                "(tanpa spasi), misalnya sebuah UUID."
            )
            % {"IDEMPOTENCY_KEY_MAX": IDEMPOTENCY_KEY_MAX}
        )
    return key


async def release_connection(*, session: AsyncSession) -> None:
    """End the session's transaction so its pooled connection is free while we wait on Temporal; loaded objects
    stay usable (the factory does not expire them) and a later query takes a connection again."""
    if session.in_transaction():
        await session.commit()


class CaseClosed(Conflict):
    """An action on a case that is over (completed, cancelled, referred to a consultation): what happened and when,
    and what the person can do instead."""


class WorkflowsUnreachable(ServiceError):
    """An action that could not reach Temporal at all (nothing was sent, nothing changed): try again shortly."""

    status = 503


class NotStartedYet(ServiceError):
    """An action on a stored case whose workflow the recovery loop has not started yet: try again shortly."""

    status = 503


_CLOSED: dict[str, tuple[str, str]] = {
    SaleStep.CANCELLED: (
        N_("dibatalkan"),
        N_("Aksi tidak dapat dijalankan lagi; jika Anda masih memerlukannya, ajukan permintaan baru."),
    ),
    SaleStep.REFERRED_TO_CONSULTATION: (
        N_("dialihkan ke konsultasi"),
        N_(
            "Aksi tidak dapat dijalankan lagi; silakan ikuti konsultasi di PST, lalu ajukan permintaan baru bila "
            "masih memerlukan data."
        ),
    ),
    ComplaintStep.RESOLVED: (
        N_("dijawab dan selesai"),
        N_(
            "Aksi tidak dapat dijalankan lagi; jika jawabannya belum menyelesaikan masalah, ajukan pengaduan baru "
            "dengan "
            "menyebut nomor {case_id}."
        ),
    ),
}
_COMPLETED = (
    N_("selesai"),
    N_(
        "Aksi tidak dapat dijalankan lagi; untuk kebutuhan baru ajukan permintaan baru, dan jika ada yang belum beres "
        "sampaikan pengaduan dengan menyebut nomor {case_id}."
    ),
)


async def closed_sentence(*, session: AsyncSession, case: Case) -> str:
    """``Permintaan X sudah selesai pada 4 Desember 2026. ...``: how and when the case ended, and what to do."""
    done, advice = _CLOSED.get(case.step, _COMPLETED)
    since = await session.scalar(
        select(func.min(AuditEntry.at)).where(AuditEntry.case_id == case.id, AuditEntry.step == case.step)
    )
    office = await session.get(Office, case.office_code)
    when = date_in_words(since or case.updated_at, office.timezone if office else "Asia/Jakarta")
    noun = _("Pengaduan") if case.service == Service.COMPLAINT else _("Permintaan")
    said = _("%(noun)s %(case)s sudah %(done)s pada %(when)s.") % {
        "noun": noun,
        "case": case.id,
        "done": _(done),
        "when": when,
    }
    return f"{said} {_(advice).format(case_id=case.id)}"


async def ensure_open(*, session: AsyncSession, case: Case) -> None:
    """Refuse (409, in words) an action on a case the read model shows is over, before anything reaches Temporal."""
    if case.status != CaseStatus.OPEN:
        raise CaseClosed(await closed_sentence(session=session, case=case))


async def _workflow_missing(session: AsyncSession, case: Case) -> ServiceError:
    """Why the workflow of ``case`` was not found: the case is over (its sentence) or not started yet."""
    await session.refresh(case)
    await release_connection(session=session)
    if case.status == CaseStatus.OPEN and not case.workflow_started:
        return NotStartedYet(
            _(
                "Permintaan %(id)s tersimpan dan prosesnya akan dimulai otomatis dalam beberapa saat. Kirim lagi "
                "aksi ini sebentar lagi; tidak ada yang dijalankan dua kali."
            )
            % {"id": case.id}
        )
    if case.status == CaseStatus.OPEN:
        return CaseClosed(
            _("Permintaan %(id)s sudah ditutup; muat ulang halamannya untuk melihat keadaannya.") % {"id": case.id}
        )
    return CaseClosed(await closed_sentence(session=session, case=case))


async def act(
    *,
    session: AsyncSession,
    temporal: Client,
    case: Case,
    update: UpdateMethodMultiParam[[Any, Message], StepResult],
    message: Message,
    idempotency_key: str | None,
    on_closed: bool = False,
) -> ActionRead:
    """Send one person's step to the case's workflow, holding no database connection while it runs; the same
    idempotency key answers the first result again; the validator's refusal becomes a 409 with its reason.
    ``on_closed``: the step is taken on a closed case (a supervisor's reopen), whose workflow still waits."""
    key = checked_idempotency_key(idempotency_key) or f"once-{uuid.uuid4()}"  # a resend below must not act twice
    update_id = f"{case.id}:{getattr(update, '__name__', 'update')}:{key}"
    if not on_closed:
        await ensure_open(session=session, case=case)
    await release_connection(session=session)
    handle = temporal.get_workflow_handle(case.id)
    for pause in (*WORKER_RESTART_PAUSES, None):
        try:
            result = await handle.execute_update(update, message, id=update_id)
            break
        except RPCError as error:  # sent again under the same Update id: it acts once at most
            if error.status == RPCStatusCode.NOT_FOUND:  # ended (or not started yet): said in words, not as an RPC
                raise await _workflow_missing(session, case) from error
            if pause is None or WORKFLOW_TASK_FAILING not in error.message:
                raise
            log.info("workflow task of %s is being retried (a worker stopped); the action waits", case.id)
            await asyncio.sleep(pause)
        except RuntimeError as error:  # the lazy client could not connect: nothing was sent
            if not str(error).startswith(NOT_CONNECTED):
                raise
            raise WorkflowsUnreachable(
                _(
                    "Aksi untuk %(id)s belum dapat diproses karena layanan alur kerja sedang tidak tersedia; tidak "
                    "ada yang berubah. Kirim lagi sebentar lagi."
                )
                % {"id": case.id}
            ) from error
    return ActionRead(
        id=result.case_id, step=result.step, step_label=STEP_LABELS.get(result.step, result.step), detail=result.detail
    )


async def start_case_workflow(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    case: Case,
    run: Any,
    argument: Any,
    summary: str,
    details: str = "",
) -> bool:
    """Start the workflow of a stored case under its business id, once (a second start is a no-op), with the
    non-personal search attributes and a static summary, and mark it started on the read model. False when
    Temporal cannot be reached: the case stays stored, and the recovery loop starts it later."""
    await release_connection(session=session)
    try:
        await temporal.start_workflow(
            run,
            argument,
            id=case.id,
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.OFFICE_CODE, case.office_code),
                    SearchAttributePair(sa.SERVICE, case.service),
                    SearchAttributePair(sa.STEP, case.step),
                ]
            ),
            static_summary=summary,
            static_details=details or None,
        )
    except WorkflowAlreadyStartedError:
        log.info("workflow already started", extra={"case_id": case.id})
    except TEMPORAL_UNREACHABLE as error:
        log.warning("case stored, workflow not started yet (%s); it starts later", error, extra={"case_id": case.id})
        return False
    case.workflow_started = True
    await session.commit()
    return True


class Starter(Protocol):
    """A wing's start of a stored case's workflow: True once started (or already running), False if unreachable."""

    def __call__(
        self, *, session: AsyncSession, temporal: Client, settings: Settings, case: Case
    ) -> Awaitable[bool]: ...


async def started_once(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    case: Case,
    start: Starter,
    noun: str = N_("Permintaan"),
) -> SubmittedRead:
    """Start a stored case's workflow with its wing's ``start`` unless it runs already, and answer the submission."""
    started = case.workflow_started or await start(session=session, temporal=temporal, settings=settings, case=case)
    return submitted_read(case, started=started, noun=noun)


def submitted_read(case: Case, *, started: bool, noun: str = N_("Permintaan")) -> SubmittedRead:
    """The answer to a submission: ``noun`` (Permintaan, FS3, Pengaduan) received and started, or stored and
    processed shortly (the API answers 202 then; nothing needs sending again)."""
    if started:
        return SubmittedRead(
            id=case.id,
            step=case.step,
            workflow_started=True,
            message=_("%(noun)s %(id)s diterima.") % {"noun": _(noun), "id": case.id},
        )
    return SubmittedRead(
        id=case.id,
        step=case.step,
        workflow_started=False,
        message=_(
            "Diterima; diproses segera. %(noun)s %(id)s tersimpan dan prosesnya dimulai otomatis begitu layanan alur "
            "kerja tersedia lagi; Anda tidak perlu mengirim ulang."
        )
        % {"noun": _(noun), "id": case.id},
    )
