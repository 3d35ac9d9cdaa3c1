"""Complaints: recorded by staff from any channel of the seeds (at the desk or through the API), or filed by an
applicant in the portal. Every rule of a complaint is checked here, once, for every path."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.errors import Forbidden, Invalid, NotFound, validation_errors
from api.schemas import SubmittedRead
from api.services.cases import (
    allocate_case_id,
    checked_idempotency_key,
    get_office,
    resent,
    start_case_workflow,
    started_once,
    submitted_with,
)
from api.services.complaint_input import ComplaintCreate as ComplaintCreate  # read here by the routes and portal
from api.services.complaint_input import ComplaintRules
from contracts.complaint import ComplaintInput
from core.case_details import ComplaintDetails
from core.enums import CaseStatus, ComplaintChannel, ComplaintStep, Role, Service
from core.models import Applicant, Case, Office, StaffAccount, utcnow
from core.settings import Settings
from core.text import CleanLines
from workflows.complaint import ComplaintWorkflow

log = logging.getLogger(__name__)

ANONYMOUS = "Anonim"


class ResolutionIn(BaseModel):
    """The response sent to the complainant."""

    response: CleanLines = Field(min_length=10, max_length=5000)


class ComplaintInvalid(Invalid):
    """The complaint breaks its rules: each field's message, all at once; nothing was recorded."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Pengaduan belum dapat dicatat. " + " ".join(errors.values()))  # each says what to do
        self.errors = errors


@dataclass(frozen=True)
class CheckedComplaint:
    """A complaint that keeps every rule, with its office and the case it is about."""

    office: Office
    complaint: ComplaintCreate
    linked: Case | None


def office_today(office: Office) -> date:
    """The office's own date now."""
    return utcnow().astimezone(ZoneInfo(office.timezone)).date()


async def check_complaint(
    *, session: AsyncSession, data: Mapping[str, Any], staff: StaffAccount | None, applicant: Applicant | None
) -> CheckedComplaint:
    """Every rule of a complaint with every problem at once (ComplaintInvalid by field); records nothing."""
    office = await get_office(session=session, office_code=str(data.get("office_code", "")))
    if applicant is None and (staff is None or staff.office_code != office.code):
        raise Forbidden("Masuk sebagai pemohon untuk mengadu, atau sebagai staf kantor ini untuk mencatat pengaduan.")
    errors: dict[str, str] = {}
    complaint: ComplaintCreate | None = None
    try:
        complaint = ComplaintCreate.model_validate(
            data, context=ComplaintRules(today=office_today(office), desk=applicant is None)
        )
    except ValidationError as invalid:
        errors = {item["field"]: item["message"] for item in validation_errors(invalid.errors())}
    linked_id = str(data.get("case_id") or "").strip()
    linked = await session.get(Case, linked_id) if linked_id else None
    if linked_id and (
        linked is None or linked.office_code != office.code or (applicant and linked.applicant_id != applicant.id)
    ):
        errors.setdefault(
            "case_id",
            f"Permintaan {linked_id} tidak ditemukan di kantor ini; periksa nomornya "
            f"(contoh: sale-{office.code}-{office_today(office).year}-000001) atau kosongkan isian ini.",
        )
    if errors or complaint is None:
        raise ComplaintInvalid(errors)
    return CheckedComplaint(office=office, complaint=complaint, linked=linked)


async def file_complaint(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    request: ComplaintCreate,
    staff: StaffAccount | None,
    applicant: Applicant | None,
    idempotency_key: str | None = None,
) -> SubmittedRead:
    """Check the complaint, store it and start its workflow (acknowledgement, 5-working-day clock, escalation)."""
    checked = await check_complaint(
        session=session, data=request.model_dump(mode="json"), staff=staff, applicant=applicant
    )
    return await record_complaint(
        session=session,
        temporal=temporal,
        settings=settings,
        checked=checked,
        staff=staff,
        applicant=applicant,
        idempotency_key=idempotency_key,
    )


async def record_complaint(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    checked: CheckedComplaint,
    staff: StaffAccount | None,
    applicant: Applicant | None,
    idempotency_key: str | None,
) -> SubmittedRead:
    """Store a complaint that ``check_complaint`` passed and start its workflow, once per idempotency key."""
    office, complaint = checked.office, checked.complaint
    key = checked_idempotency_key(idempotency_key)
    now = utcnow()
    case_id = await allocate_case_id(session=session, office=office, service=Service.COMPLAINT, now=now)
    if key and (
        earlier := await resent(session=session, office_code=office.code, service=Service.COMPLAINT, key=key, now=now)
    ):
        return await _started(session=session, temporal=temporal, settings=settings, case=earlier)
    if applicant is not None:
        name, email, channel = applicant.name, applicant.email, ComplaintChannel.PORTAL
    elif complaint.anonymous:
        name, email, channel = ANONYMOUS, "", complaint.channel
    else:
        name, email, channel = complaint.name, complaint.email, complaint.channel
    case = Case(
        id=case_id,
        service=Service.COMPLAINT,
        office_code=office.code,
        channel=channel,
        applicant_id=applicant.id if applicant else None,
        applicant_name=name,
        applicant_email=email,
        details=ComplaintDetails(
            text=complaint.text,
            channel=channel,
            linked_case_id=complaint.case_id or None,
            recorded_by=staff.email if staff and not applicant else "",
            received_on=complaint.received_on,
            anonymous=complaint.anonymous and applicant is None,
            phone="" if applicant else complaint.phone,
            lapor_number=complaint.lapor_number,
            idempotency_key=key or "",
        ).model_dump(mode="json"),
        step=ComplaintStep.SUBMITTED,
        status=CaseStatus.OPEN,
        assignee_role=Role.OFFICER,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    await session.commit()
    return await _started(session=session, temporal=temporal, settings=settings, case=case)


async def recorded_with(*, session: AsyncSession, office_code: str, key: str) -> str | None:
    """The id of the office's complaint recorded lately under the idempotency key ``key``, if any."""
    valid = checked_idempotency_key(key)
    if not valid:
        return None
    return await submitted_with(
        session=session, office_code=office_code, service=Service.COMPLAINT, key=valid, now=utcnow()
    )


async def start_complaint_workflow(*, session: AsyncSession, temporal: Client, settings: Settings, case: Case) -> bool:
    """Start the workflow of a stored complaint and mark it started (False: Temporal unreachable, it starts later);
    the acknowledgement goes only to an address."""
    return await start_case_workflow(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        run=ComplaintWorkflow.run,
        argument=ComplaintInput(
            case_id=case.id, office_code=case.office_code, channel=case.channel, has_email=bool(case.applicant_email)
        ),
        summary=f"Pengaduan {case.id} · kantor {case.office_code} · {case.channel}",
    )


async def _started(*, session: AsyncSession, temporal: Client, settings: Settings, case: Case) -> SubmittedRead:
    """Start the stored complaint's workflow unless it runs already; if Temporal is down it starts later."""
    start = start_complaint_workflow
    return await started_once(
        session=session, temporal=temporal, settings=settings, case=case, start=start, noun="Pengaduan"
    )


async def complaint_case(*, session: AsyncSession, case_id: str) -> Case:
    """The stored complaint ``case_id``, or NotFound."""
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.COMPLAINT:
        raise NotFound(f"Pengaduan {case_id} tidak ditemukan.")
    return case
