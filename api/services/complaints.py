"""Complaints: recorded by staff from any channel of the seeds, or filed by an applicant in the portal."""

from __future__ import annotations

from pydantic import BaseModel, EmailStr, Field
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.errors import Forbidden, NotFound
from api.schemas import SubmittedRead
from api.services.cases import allocate_case_id, get_office, start_case_workflow
from contracts.complaint import ComplaintInput
from core.case_details import ComplaintDetails
from core.enums import CaseStatus, ComplaintStep, Role, Service
from core.models import Applicant, Case, StaffAccount, utcnow
from core.reference import COMPLAINT_CHANNELS
from core.settings import Settings
from workflows.complaint import ComplaintWorkflow

CHANNEL_LABELS = {
    "suggestion_box": "Kotak saran",
    "website": "Formulir situs web",
    "email": "Email",
    "sms_whatsapp": "SMS/WhatsApp",
    "social_media": "Media sosial",
    "lapor": "SP4N-LAPOR!",
    "portal": "Portal PST",
}


class ComplaintCreate(BaseModel):
    """A complaint: what happened, who (optional for anonymous channels), and the case it is about."""

    office_code: str = Field(pattern=r"^\d{4}$")
    channel: str = Field(description=" | ".join(COMPLAINT_CHANNELS))
    text: str = Field(min_length=10, max_length=5000)
    name: str = Field(default="", max_length=200)
    email: EmailStr | None = None
    case_id: str = Field(default="", max_length=64, description="The case it is about, if any")


class ResolutionIn(BaseModel):
    """The response sent to the complainant."""

    response: str = Field(min_length=10, max_length=5000)


async def file_complaint(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    request: ComplaintCreate,
    staff: StaffAccount | None,
    applicant: Applicant | None,
) -> SubmittedRead:
    """Store the complaint and start its workflow (acknowledgement, 5-working-day clock, escalation)."""
    office = await get_office(session=session, office_code=request.office_code)
    if request.channel not in COMPLAINT_CHANNELS:
        raise Forbidden(f"Kanal pengaduan harus salah satu dari: {', '.join(COMPLAINT_CHANNELS)}.")
    if applicant is not None:
        name, email, channel = applicant.name, applicant.email, "portal"
    elif staff is not None and staff.office_code == office.code:
        name, email, channel = request.name.strip() or "Pelapor", str(request.email or "").lower(), request.channel
    else:
        raise Forbidden("Masuk sebagai pemohon untuk mengadu, atau sebagai staf kantor ini untuk mencatat pengaduan.")
    if request.case_id:
        linked = await session.get(Case, request.case_id)
        if linked is None or linked.office_code != office.code or (applicant and linked.applicant_id != applicant.id):
            raise NotFound(f"Permintaan {request.case_id} tidak ditemukan untuk dikaitkan dengan pengaduan ini.")
    now = utcnow()
    case = Case(
        id=await allocate_case_id(session=session, office=office, service=Service.COMPLAINT, now=now),
        service=Service.COMPLAINT,
        office_code=office.code,
        channel=channel,
        applicant_id=applicant.id if applicant else None,
        applicant_name=name,
        applicant_email=email,
        details=ComplaintDetails(
            text=request.text, linked_case_id=request.case_id, recorded_by=staff.email if staff else ""
        ).model_dump(mode="json"),
        step=ComplaintStep.SUBMITTED,
        status=CaseStatus.OPEN,
        assignee_role=Role.OFFICER,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    await session.commit()
    await start_case_workflow(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        run=ComplaintWorkflow.run,
        argument=ComplaintInput(case_id=case.id, office_code=office.code, channel=channel, has_email=bool(email)),
        summary=f"Pengaduan {case.id} · kantor {office.code} · {channel}",
    )
    return SubmittedRead(id=case.id, step=case.step, workflow_started=True, message=f"Pengaduan {case.id} diterima.")


async def complaint_case(*, session: AsyncSession, case_id: str) -> Case:
    """The stored complaint ``case_id``, or NotFound."""
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.COMPLAINT:
        raise NotFound(f"Pengaduan {case_id} tidak ditemukan.")
    return case
