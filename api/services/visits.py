"""The guest book and queue of the PST desk: registration, the queue, the officer's steps."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.errors import Forbidden, Invalid, NotFound
from api.services.cases import allocate_case_id, get_office, release_connection, start_case_workflow
from contracts.visit import VisitInput
from core.case_details import (
    RecommendationDetails,
    SaleDetails,
    VisitDetails,
    recommendation_details,
    sale_details,
    save_details,
    visit_details,
)
from core.counters import next_number
from core.enums import CaseStatus, Channel, Role, Service, VisitStep
from core.models import Case, StaffAccount, utcnow
from core.reference import VISIT_SERVICES
from core.settings import Settings
from workflows.visit import VisitWorkflow

QUEUE_LETTERS = {"consultation": "K", "purchase": "P", "publication": "U", "recommendation": "R", "library": "L"}
ACTIVE = (VisitStep.WAITING, VisitStep.CALLED, VisitStep.SERVING)


class GuestIn(BaseModel):
    """The electronic guest book."""

    name: str = Field(min_length=2, max_length=200)
    institution: str = Field(default="", max_length=200)
    contact: str = Field(min_length=5, max_length=200, description="Email or phone number")
    purpose: str = Field(min_length=3, max_length=1000)
    service: str = Field(description=" | ".join(VISIT_SERVICES))


@dataclass(frozen=True)
class Ticket:
    """What the guest takes away: the queue number."""

    case_id: str
    queue_number: str
    ahead: int


async def _active(session: AsyncSession, office_code: str) -> list[Case]:
    rows = await session.scalars(
        select(Case)
        .where(Case.office_code == office_code, Case.service == Service.VISIT, Case.step.in_(ACTIVE))
        .order_by(Case.created_at)
    )
    return list(rows.all())


async def register_guest(
    *, session: AsyncSession, temporal: Client, settings: Settings, office_code: str, guest: GuestIn
) -> Ticket:
    """Write the guest book, hand out the next queue number of the office, day and service, start the visit."""
    office = await get_office(session=session, office_code=office_code)
    if guest.service not in VISIT_SERVICES:
        raise Invalid(f"Layanan harus salah satu dari: {', '.join(VISIT_SERVICES)}.")
    now = utcnow()
    local_day = now.astimezone(ZoneInfo(office.timezone)).date()
    series = f"queue:{guest.service}:{local_day.isoformat()}"
    number = await next_number(session, office_code=office.code, series=series, year=local_day.year)
    queue_number = f"{QUEUE_LETTERS[guest.service]}-{number:03d}"
    ahead = len(await _active(session, office.code))
    email = guest.contact.strip().lower() if "@" in guest.contact else ""
    case = Case(
        id=await allocate_case_id(session=session, office=office, service=Service.VISIT, now=now),
        service=Service.VISIT,
        office_code=office.code,
        channel=Channel.WALK_IN,
        applicant_name=guest.name.strip(),
        applicant_email=email,
        applicant_institution=guest.institution.strip(),
        details=VisitDetails(
            queue_number=queue_number,
            purpose=guest.purpose,
            service_wanted=guest.service,
            contact=guest.contact.strip(),
        ).model_dump(mode="json"),
        step=VisitStep.WAITING,
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
        run=VisitWorkflow.run,
        argument=VisitInput(case_id=case.id, office_code=office.code, queue_number=queue_number, desk_free=ahead == 0),
        summary=f"Kunjungan {queue_number} · kantor {office.code}",
    )
    return Ticket(case_id=case.id, queue_number=queue_number, ahead=ahead)


async def queue(*, session: AsyncSession, office_code: str) -> list[Case]:
    """The office's guests still waiting, called or being served, first come first."""
    await get_office(session=session, office_code=office_code)
    return await _active(session, office_code)


async def visit_case(*, session: AsyncSession, case_id: str) -> Case:
    """The stored visit ``case_id``, or NotFound."""
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.VISIT:
        raise NotFound(f"Kunjungan {case_id} tidak ditemukan.")
    return case


async def start_next_wait(*, session: AsyncSession, temporal: Client, case: Case) -> None:
    """A guest is finished: the wait of the office's next waiting guest starts counting."""
    await session.refresh(case)
    waiting = [c for c in await _active(session, case.office_code) if c.step == VisitStep.WAITING]
    await release_connection(session=session)
    if waiting:
        await temporal.get_workflow_handle_for(VisitWorkflow.run, waiting[0].id).signal(VisitWorkflow.previous_finished)


def _link(visit: Case, case: Case, details: SaleDetails | RecommendationDetails) -> None:
    """The case opened from the visit names the visit, and the visit the case."""
    details.visit_id = visit.id
    save_details(case, details)
    guest = visit_details(visit)
    guest.case_ids.append(case.id)
    save_details(visit, guest)


async def open_sale(
    *, session: AsyncSession, temporal: Client, settings: Settings, staff: StaffAccount, case_id: str, item: str
) -> str:
    """A walk-in sale for the guest being served (full set of ``item``), linked both ways; its id."""
    from api.schemas import SaleCreate
    from api.services.sales import submit_sale

    visit = await session.get(Case, case_id)
    if visit is None or visit.service != Service.VISIT:
        raise NotFound(f"Kunjungan {case_id} tidak ditemukan.")
    if staff.office_code != visit.office_code or staff.role != Role.OFFICER:
        raise Forbidden("Permintaan dari kunjungan dibuka oleh petugas PST kantor ini.")
    if not visit.applicant_email:
        raise Invalid("Tamu tidak memberi alamat email; catat permintaannya lewat API dengan email tamu.")
    request = SaleCreate.model_validate(
        {
            "office_code": visit.office_code,
            "channel": Channel.WALK_IN,
            "applicant": {
                "name": visit.applicant_name,
                "email": visit.applicant_email,
                "institution": visit.applicant_institution,
                "segment": "individual",
            },
            "items": [{"kind": "microdata", "name": item}],
            "abstract": f"Disampaikan langsung di meja PST: {visit_details(visit).purpose}".ljust(20, "."),
        }
    )
    submitted = await submit_sale(
        session=session, temporal=temporal, settings=settings, request=request, staff=staff, applicant=None
    )
    sale = await session.get(Case, submitted.id)
    assert sale is not None
    _link(visit, sale, sale_details(sale))
    await session.commit()
    return submitted.id


async def open_recommendation(
    *, session: AsyncSession, temporal: Client, settings: Settings, staff: StaffAccount, case_id: str
) -> str:
    """An offline FS3 recorded by the operator for the guest's agency, linked both ways; its id."""
    from api.recommendation_schemas import RecommendationCreate
    from api.services.recommendations import submit_recommendation

    visit = await session.get(Case, case_id)
    if visit is None or visit.service != Service.VISIT:
        raise NotFound(f"Kunjungan {case_id} tidak ditemukan.")
    if staff.office_code != visit.office_code or staff.role != Role.OPERATOR:
        raise Forbidden("FS3 dari kunjungan direkam oleh operator PST kantor ini.")
    if not visit.applicant_email or not visit.applicant_institution:
        raise Invalid("Tamu perlu mengisi instansi dan email di buku tamu untuk perekaman FS3.")
    request = RecommendationCreate.model_validate(
        {
            "office_code": visit.office_code,
            "channel": Channel.WALK_IN,
            "agency": {
                "name": visit.applicant_institution,
                "unit": visit.applicant_institution,
                "contact_name": visit.applicant_name,
                "email": visit.applicant_email,
            },
        }
    )
    submitted = await submit_recommendation(
        session=session, temporal=temporal, settings=settings, request=request, staff=staff, applicant=None
    )
    recommendation = await session.get(Case, submitted.id)
    assert recommendation is not None
    _link(visit, recommendation, recommendation_details(recommendation))
    await session.commit()
    return submitted.id
