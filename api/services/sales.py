"""The sale service: submit a request, the officer's abstract check, and starting what was not started."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from api.errors import Forbidden, Invalid, NotFound
from api.schemas import AbstractReviewIn, SaleCreate, StepRead, SubmittedRead
from api.services.cases import allocate_case_id, ensure_same_office, get_office
from core import search_attributes as sa
from core.enums import STEP_LABELS, CaseStatus, Channel, Role, SaleStep, Service
from core.models import Case, StaffAccount, utcnow
from core.settings import Settings
from workflows.sale import SaleWorkflow
from workflows.shared import AbstractReview, Actor, SaleInput

log = logging.getLogger(__name__)

UNSTARTED_GRACE = timedelta(seconds=20)
# A lazily connected client raises RuntimeError("Failed client connect ...") when the server is unreachable.
TEMPORAL_UNREACHABLE = (RPCError, RuntimeError)


async def start_sale_workflow(*, session: AsyncSession, temporal: Client, settings: Settings, case: Case) -> None:
    """Start the workflow of ``case`` under its business id (a second start is a no-op) and mark it started."""
    try:
        await temporal.start_workflow(
            SaleWorkflow.run,
            SaleInput(case_id=case.id, office_code=case.office_code, channel=case.channel),
            id=case.id,
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.OFFICE_CODE, case.office_code),
                    SearchAttributePair(sa.SERVICE, Service.SALE.value),
                    SearchAttributePair(sa.STEP, SaleStep.SUBMITTED.value),
                ]
            ),
            static_summary=f"Penjualan data mikro/peta {case.id} · kantor {case.office_code} · {case.channel}",
            static_details=(
                f"Permintaan penjualan data mikro dan/atau peta digital wilkerstat di kantor BPS "
                f"{case.office_code}, kanal {case.channel}. Data pemohon ada di basis data PST Flow, "
                f"bukan di Temporal."
            ),
        )
    except WorkflowAlreadyStartedError:
        log.info("workflow already started", extra={"case_id": case.id})
    case.workflow_started = True
    await session.commit()


async def submit_sale(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    request: SaleCreate,
    staff: StaffAccount | None,
) -> SubmittedRead:
    """Store the request, then start its workflow; if Temporal is down it starts later, never lost."""
    office = await get_office(session=session, office_code=request.office_code)
    if request.channel == Channel.WALK_IN:
        if staff is None or staff.role != Role.OFFICER or staff.office_code != office.code:
            raise Forbidden("Permintaan datang langsung (walk-in) dicatat oleh petugas PST kantor tersebut.")
        if any(item.variables for item in request.items):
            raise Invalid(
                "Layanan datang langsung hanya untuk data mikro lengkap (fullset); kosongkan pilihan variabel "
                "atau ajukan secara online."
            )
    now = utcnow()
    case = Case(
        id=await allocate_case_id(session=session, office=office, service=Service.SALE, now=now),
        service=Service.SALE,
        office_code=office.code,
        channel=request.channel,
        applicant_name=request.applicant.name,
        applicant_email=str(request.applicant.email).lower(),
        applicant_institution=request.applicant.institution,
        segment=request.applicant.segment,
        details={
            "items": [item.model_dump() for item in request.items],
            "abstract": request.abstract,
            "npwp": request.applicant.npwp,
            "recorded_by": staff.email if staff else "",
        },
        step=SaleStep.SUBMITTED,
        status=CaseStatus.OPEN,
        assignee_role=Role.OFFICER,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    await session.commit()
    try:
        await start_sale_workflow(session=session, temporal=temporal, settings=settings, case=case)
    except TEMPORAL_UNREACHABLE as error:
        log.warning("workflow not started yet (%s); it will start later", error, extra={"case_id": case.id})
        return SubmittedRead(
            id=case.id,
            step=case.step,
            workflow_started=False,
            message=f"Permintaan {case.id} tersimpan. Proses akan dimulai otomatis begitu layanan alur kerja "
            "kembali tersedia.",
        )
    return SubmittedRead(id=case.id, step=case.step, workflow_started=True, message=f"Permintaan {case.id} diterima.")


async def start_unstarted_sales(*, session: AsyncSession, temporal: Client, settings: Settings) -> int:
    """Start the workflow of every stored sale whose start did not reach Temporal; return how many."""
    cutoff = utcnow() - UNSTARTED_GRACE
    cases = (
        await session.scalars(
            select(Case).where(Case.service == Service.SALE, Case.workflow_started.is_(False), Case.created_at < cutoff)
        )
    ).all()
    for case in cases:
        await start_sale_workflow(session=session, temporal=temporal, settings=settings, case=case)
    return len(cases)


def _handle(temporal: Client, case_id: str) -> WorkflowHandle[SaleWorkflow, object]:
    return temporal.get_workflow_handle_for(SaleWorkflow.run, case_id)


async def review_abstract(
    *, session: AsyncSession, temporal: Client, staff: StaffAccount, case_id: str, review: AbstractReviewIn
) -> StepRead:
    """The officer's abstract check, through the workflow's validated Update."""
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.SALE:
        raise NotFound(f"Permintaan penjualan {case_id} tidak ditemukan.")
    ensure_same_office(staff, case)
    result = await _handle(temporal, case_id).execute_update(
        SaleWorkflow.review_abstract,
        AbstractReview(
            decision=review.decision,
            reason=review.reason.strip(),
            actor=Actor(name=staff.email, role=staff.role, office_code=staff.office_code),
        ),
    )
    return StepRead(id=result.case_id, step=result.step, step_label=STEP_LABELS.get(result.step, result.step))
