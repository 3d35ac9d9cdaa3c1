"""The recommendation service (FS3): submit, upload, the operator's, supervisor's, examiner's and agency's steps."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowUpdateFailedError

from api.errors import Forbidden, Invalid, NotFound
from api.recommendation_schemas import RecommendationCreate, RecommendationRead, ResubmitIn
from api.sale_schemas import ActionRead
from api.schemas import SubmittedRead
from api.services.actions import actor_of
from api.services.cases import (
    act,
    allocate_case_id,
    checked_idempotency_key,
    get_office,
    resent,
    start_case_workflow,
    started_once,
)
from api.services.institutions import institution_id_for
from contracts.case import Actor
from contracts.recommendation import RecommendationInput, RecommendationResubmit
from core.case_details import RecommendationDetails, recommendation_details, save_details
from core.enums import STEP_LABELS, CaseStatus, RecommendationStep, Role, Segment, Service
from core.formatting import local_time
from core.i18n import gettext as _
from core.models import Applicant, AuditEntry, Case, Document, ServiceStandard, StaffAccount, utcnow
from core.people import staff_by_ref, staff_ref
from core.settings import Settings
from workflows.recommendation import RecommendationWorkflow

log = logging.getLogger(__name__)


async def start_recommendation_workflow(
    *, session: AsyncSession, temporal: Client, settings: Settings, case: Case
) -> bool:
    """Start the workflow of a stored recommendation and mark it started (False: Temporal unreachable, later)."""
    argument = RecommendationInput(
        case_id=case.id,
        office_code=case.office_code,
        channel=case.channel,
        electronic_form=recommendation_details(case).fs3 is not None,
    )
    return await start_case_workflow(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        run=RecommendationWorkflow.run,
        argument=argument,
        summary=f"Rekomendasi kegiatan statistik {case.id} · kantor {case.office_code} · {case.channel}",
    )


async def submit_recommendation(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    request: RecommendationCreate,
    staff: StaffAccount | None,
    applicant: Applicant | None,
    idempotency_key: str | None = None,
) -> SubmittedRead:
    """An agency's FS3, online or recorded by an operator; only government agencies may ask. Sent again with its
    idempotency key, it answers the first FS3 and stores nothing more."""
    key = checked_idempotency_key(idempotency_key)
    office = await get_office(session=session, office_code=request.office_code)
    standard = await session.scalar(
        select(ServiceStandard).where(
            ServiceStandard.office_code == office.code, ServiceStandard.service == Service.RECOMMENDATION
        )
    )
    if standard is None:
        raise Invalid(
            _("%(name)s tidak membuka layanan rekomendasi kegiatan statistik; hubungi BPS provinsi.")
            % {"name": office.name}
        )
    if request.channel == "walk_in":  # the schema's Literal of Channel values
        if staff is None or staff.role != Role.OPERATOR or staff.office_code != office.code:
            raise Forbidden(_("Pengajuan offline direkam oleh operator PST kantor tersebut."))
        assert request.agency is not None
        agency, unit = request.agency.name, request.agency.unit
        name, email, recorder = request.agency.contact_name, str(request.agency.email).lower(), staff.email
    else:
        if applicant is None:
            raise Forbidden(_("Masuk dengan akun instansi pemerintah yang emailnya sudah terverifikasi."))
        if applicant.segment != Segment.GOVERNMENT:
            raise Forbidden(
                _(
                    "Rekomendasi kegiatan statistik hanya untuk instansi pemerintah penyelenggara statistik sektoral "
                    "(UU 16/1997, PP 51/1999); akun Anda bukan segmen instansi pemerintah."
                )
            )
        if not applicant.institution.strip() or not request.unit.strip():
            raise Invalid(_("Isi nama instansi (di akun) dan nama unit kerja penyelenggara (unit)."))
        agency, unit, name, email, recorder = applicant.institution, request.unit, applicant.name, applicant.email, ""
    now = utcnow()
    case_id = await allocate_case_id(session=session, office=office, service=Service.RECOMMENDATION, now=now)
    owner = applicant.id if applicant else None
    service = Service.RECOMMENDATION
    if key and (
        earlier := await resent(
            session=session, office_code=office.code, service=service, key=key, now=now, applicant_id=owner
        )
    ):
        return await _started(session=session, temporal=temporal, settings=settings, case=earlier)
    case = Case(
        id=case_id,
        service=Service.RECOMMENDATION,
        office_code=office.code,
        channel=request.channel,
        applicant_id=applicant.id if applicant else None,
        applicant_name=name,
        applicant_email=email,
        applicant_institution=agency,
        institution_id=await institution_id_for(session, applicant=applicant, name=agency, segment=Segment.GOVERNMENT),
        segment=Segment.GOVERNMENT,
        details=RecommendationDetails(
            unit=unit,
            fs3=request.fs3.model_dump(mode="json") if request.fs3 else None,
            recorded_by=recorder,
            title=request.fs3.title if request.fs3 else "",
            idempotency_key=key or "",
        ).model_dump(mode="json"),
        step=RecommendationStep.SUBMITTED,
        status=CaseStatus.OPEN,
        assignee_role=Role.OPERATOR,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    await session.commit()
    return await _started(session=session, temporal=temporal, settings=settings, case=case)


async def _started(*, session: AsyncSession, temporal: Client, settings: Settings, case: Case) -> SubmittedRead:
    start = start_recommendation_workflow
    return await started_once(session=session, temporal=temporal, settings=settings, case=case, start=start, noun="FS3")


async def recommendation_case(*, session: AsyncSession, case_id: str) -> Case:
    """The stored recommendation ``case_id``, or NotFound."""
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.RECOMMENDATION:
        raise NotFound(_("Permintaan rekomendasi %(case_id)s tidak ditemukan.") % {"case_id": case_id})
    return case


def agency_actor(case: Case, staff: StaffAccount | None, applicant: Applicant | None) -> Actor:
    """The agency itself, or an operator of the office acting for it (offline submissions)."""
    if applicant is not None and case.applicant_id == applicant.id:
        return actor_of(applicant, case)
    if staff is not None and staff.office_code == case.office_code:
        return actor_of(staff, case)
    raise Forbidden(_("Permintaan ini bukan milik akun Anda."))


async def resubmit(
    *, session: AsyncSession, temporal: Client, case: Case, actor: Actor, body: ResubmitIn, idempotency_key: str | None
) -> ActionRead:
    """The agency's completed or revised FS3; if the workflow refuses, the stored FS3 stays as it was."""
    before = case.details
    if body.fs3 is not None:
        details = recommendation_details(case)
        details.fs3, details.title = body.fs3.model_dump(mode="json"), body.fs3.title
        save_details(case, details)
        await session.commit()
    try:
        message = RecommendationResubmit(actor=actor, note=body.note.strip())
        return await act(
            session=session,
            temporal=temporal,
            case=case,
            update=RecommendationWorkflow.resubmit,
            message=message,
            idempotency_key=idempotency_key,
        )
    except WorkflowUpdateFailedError:
        case.details = before
        await session.commit()
        raise


async def examiner_of(*, session: AsyncSession, case: Case, email: str) -> str:
    """The reference (``staff-<id>``) of the active examiner of the case's office with ``email``, or a 422 naming
    who can be chosen."""
    rows = await session.execute(
        select(StaffAccount.email, StaffAccount.id).where(
            StaffAccount.office_code == case.office_code,
            StaffAccount.role == Role.EXAMINER,
            StaffAccount.active.is_(True),
        )
    )
    examiners = dict(rows.all())
    if email.lower() not in examiners:
        raise Invalid(
            _("%(email)s bukan pemeriksa aktif kantor %(office_code)s. Pilih: %(examiners)s.")
            % {"email": email, "office_code": case.office_code, "examiners": ", ".join(examiners)}
        )
    return staff_ref(examiners[email.lower()])


async def read_recommendation(
    *, session: AsyncSession, case: Case, staff: StaffAccount | None, applicant: Applicant | None
) -> RecommendationRead:
    """Status and history (every round) for the agency or the office's staff."""
    agency_actor(case, staff, applicant)
    office = await get_office(session=session, office_code=case.office_code)
    entries = (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.at, AuditEntry.id)
        )
    ).all()
    letter = await session.scalar(
        select(Document.id).where(Document.case_id == case.id, Document.kind == "recommendation_letter")
    )
    return RecommendationRead(
        id=case.id,
        step=case.step,
        step_label=STEP_LABELS.get(case.step, case.step),
        letter_number=recommendation_details(case).letter_number,
        letter_document_id=letter,
        history=[
            {
                "at": local_time(entry.at, office.timezone),
                "action": entry.action,
                "step": entry.step,
                "note": entry.note,
            }
            for entry in entries
            if not entry.action.startswith("sla_")
        ],
    )


async def ensure_assigned_examiner(*, session: AsyncSession, case: Case, actor: Actor) -> None:
    """The examiner acting is the one assigned. A run assigned before people travelled as references holds the
    examiner as an email, so its workflow can check only the role: the person is checked here, against the
    assignment in the timeline."""
    assigned = await session.scalar(
        select(AuditEntry.note)
        .where(AuditEntry.case_id == case.id, AuditEntry.action == "examiner_assigned")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )
    if assigned is None or "@" not in assigned:
        return  # the workflow compares the references itself
    staff = await staff_by_ref(session, actor.name)
    if staff is None or staff.email.lower() != assigned.strip().lower():
        raise Forbidden(_("Anda bukan pemeriksa yang ditunjuk untuk FS3 ini."))
