"""The guest book and queue of the PST desk: registration and its ticket, the officer's queue with each guest's
wait, the lobby's board of calls, and the cases opened for a guest being served."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, validate_email
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from api.errors import Conflict, Forbidden, Invalid, NotFound
from api.schemas import ApplicantIn, SaleCreate, SaleItemIn
from api.services.cases import allocate_case_id, get_office, release_connection, start_case_workflow
from api.services.time_left import Badge, time_left
from contracts.visit import VisitInput
from core.calendar import OfficeCalendar
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
from core.enums import CaseStatus, Channel, Role, Segment, Service, VisitStep
from core.i18n import N_
from core.i18n import gettext as _
from core.models import AuditEntry, Case, Office, StaffAccount, utcnow
from core.office_calendars import load_office_calendar
from core.reference import VISIT_SERVICES
from core.settings import Settings
from core.text import CleanLine, CleanLines
from workflows.visit import VisitWorkflow

QUEUE_LETTERS = {"consultation": "K", "purchase": "P", "publication": "U", "recommendation": "R", "library": "L"}
ACTIVE = (VisitStep.WAITING, VisitStep.CALLED, VisitStep.SERVING)
COUNTERS = tuple(f"Loket {number}" for number in range(1, 6))  # where an officer calls guests to
NO_COUNTER = N_("Meja layanan PST")  # a call that named no counter
NEXT_BUTTON = {VisitStep.WAITING: N_("Panggil"), VisitStep.CALLED: N_("Mulai layani"), VisitStep.SERVING: N_("Selesai")}
FRESH_CALL = timedelta(minutes=2)  # the lobby announces a call this recent (not one it finds on a reload later)
LOBBY_NEXT = 6  # waiting numbers the lobby lists
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{6,22}")


class GuestIn(BaseModel):
    """The electronic guest book (blanks around an answer do not count)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: CleanLine = Field(min_length=2, max_length=200)
    institution: CleanLine = Field(default="", max_length=200)
    contact: CleanLine = Field(min_length=1, max_length=200, description="Email or phone number")
    purpose: CleanLines = Field(min_length=3, max_length=1000)
    service: str = Field(description=" | ".join(VISIT_SERVICES))

    @field_validator("contact")
    @classmethod
    def _email_or_phone(cls, contact: str) -> str:
        contact = contact.strip()
        if "@" in contact:
            try:
                return validate_email(contact)[1].lower()
            except ValueError:
                raise ValueError(_("Tulis email yang benar, misalnya nama@contoh.id, atau nomor telepon.")) from None
        if not _PHONE.fullmatch(contact) or sum(char.isdigit() for char in contact) < 8:
            raise ValueError(_("Tulis nomor telepon (minimal 8 angka, misalnya 0812 3456 7890) atau email."))
        return contact

    @field_validator("service")
    @classmethod
    def _known_service(cls, service: str) -> str:
        if service not in VISIT_SERVICES:
            raise ValueError(_("Pilih layanan yang Anda perlukan dari daftar."))
        return service


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
    now = utcnow()
    local_day = now.astimezone(ZoneInfo(office.timezone)).date()
    series = f"queue:{guest.service}:{local_day.isoformat()}"
    number = await next_number(session, office_code=office.code, series=series, year=local_day.year)
    queue_number = f"{QUEUE_LETTERS[guest.service]}-{number:03d}"
    ahead = len(await _active(session, office.code))
    email = guest.contact if "@" in guest.contact else ""
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
            contact=guest.contact,
        ).model_dump(mode="json"),
        step=VisitStep.WAITING,
        status=CaseStatus.OPEN,
        assignee_role=Role.OFFICER,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    await session.commit()
    await start_visit_workflow(session=session, temporal=temporal, settings=settings, case=case)  # or, if down, later
    return Ticket(case_id=case.id, queue_number=queue_number, ahead=ahead)


async def start_visit_workflow(*, session: AsyncSession, temporal: Client, settings: Settings, case: Case) -> bool:
    """Start the workflow of a stored visit and mark it started (False: Temporal unreachable, it starts later); its
    wait counts at once when no guest of the office is ahead of it now."""
    ahead = [guest for guest in await _active(session, case.office_code) if guest.created_at < case.created_at]
    queue_number = visit_details(case).queue_number
    loaded = await load_office_calendar(session, case.office_code, case.created_at)
    closes_at = closes_at_for(loaded[1], case.created_at) if loaded is not None else None
    day_ends_at = day_ends_at_for(loaded[1], case.created_at) if loaded is not None else None
    return await start_case_workflow(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        run=VisitWorkflow.run,
        argument=VisitInput(
            case_id=case.id,
            office_code=case.office_code,
            queue_number=queue_number,
            desk_free=not ahead,
            closes_at=closes_at,
            day_ends_at=day_ends_at,
        ),
        summary=f"Kunjungan {queue_number} · kantor {case.office_code}",
    )


def closes_at_for(calendar: OfficeCalendar, registered: datetime) -> datetime:
    """When a guest registered at ``registered`` is closed as not served if nobody served them: the office's close
    of business that day (office time), or the end of that day for a guest who came after it."""
    local = _local(calendar, registered)
    closing = calendar.closing(local.date())
    if closing <= local:
        closing = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=calendar.zone)
    return closing.astimezone(UTC)


def day_ends_at_for(calendar: OfficeCalendar, registered: datetime) -> datetime:
    """The end of the guest's day, office time (midnight): a service the officer never finished ends then."""
    local = _local(calendar, registered)
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=calendar.zone).astimezone(UTC)


def _local(calendar: OfficeCalendar, moment: datetime) -> datetime:
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(calendar.zone)


@dataclass(frozen=True)
class TicketView:
    """The ticket a guest takes away (and may print): the office, the number, the service, when it was taken."""

    office: Office
    case_id: str
    queue_number: str
    service: str  # in words
    taken_at: datetime
    ahead: int  # guests waiting before this one now (0 once called)
    not_served: bool = False  # the office closed for the day before the guest was served: the number is void


async def ticket(*, session: AsyncSession, office_code: str, case_id: str) -> TicketView:
    """The ticket of the visit ``case_id`` of the office; NotFound for any other case."""
    office = await get_office(session=session, office_code=office_code)
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.VISIT or case.office_code != office.code:
        raise NotFound(
            _("Tiket %(case_id)s tidak ditemukan di kantor ini. Ambil nomor antrean di buku tamu.")
            % {"case_id": case_id}
        )
    guest = visit_details(case)
    ahead = 0
    if case.step == VisitStep.WAITING:
        waiting = [c for c in await _active(session, office.code) if c.step == VisitStep.WAITING]
        ahead = sum(1 for other in waiting if other.created_at < case.created_at)
    return TicketView(
        office=office,
        case_id=case.id,
        queue_number=guest.queue_number,
        service=_(VISIT_SERVICES.get(guest.service_wanted, guest.service_wanted)),
        taken_at=case.created_at,
        ahead=ahead,
        not_served=case.step == VisitStep.NOT_SERVED,
    )


async def queue(*, session: AsyncSession, office_code: str) -> list[Case]:
    """The office's guests still waiting, called or being served, first come first."""
    await get_office(session=session, office_code=office_code)
    return await _active(session, office_code)


def queue_version(guests: list[Case]) -> str:
    """A short fingerprint of the queue (who is in it, at which step): an open queue page asks whether it changed."""
    return hashlib.sha256("|".join(f"{guest.id}:{guest.step}" for guest in guests).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Call:
    """A guest called to the desk: when, and to which counter."""

    at: datetime
    counter: str  # e.g. "Loket 1"; NO_COUNTER when the call named none


async def _calls(session: AsyncSession, office_code: str, guests: list[Case]) -> dict[str, Call]:
    """The call of each of ``guests`` that was called (its audit entry: the note names the counter)."""
    numbers = {guest.id: visit_details(guest).queue_number for guest in guests if guest.step != VisitStep.WAITING}
    if not numbers:
        return {}
    rows = await session.execute(
        select(AuditEntry.case_id, AuditEntry.at, AuditEntry.note).where(
            AuditEntry.office_code == office_code,
            AuditEntry.action == "guest_called",
            AuditEntry.case_id.in_(numbers),
        )
    )
    return {
        case_id: Call(at, counter_words(note) if note and note != numbers[case_id] else _(NO_COUNTER))
        for case_id, at, note in rows.all()
    }


def _minutes(delta: timedelta) -> int:
    return max(0, math.floor(delta.total_seconds() / 60))


def waited(case: Case, call: Call | None, now: datetime) -> str:
    """How long the guest has waited since taking a number (until called), in minutes."""
    if call is not None:
        minutes = _minutes(call.at - case.created_at)
        return (
            _("dipanggil setelah %(minutes)s menit") % {"minutes": minutes}
            if minutes
            else _("dipanggil kurang dari 1 menit setelah datang")
        )
    minutes = _minutes(now - case.created_at)
    return _("menunggu %(minutes)s menit") % {"minutes": minutes} if minutes else _("menunggu kurang dari 1 menit")


@dataclass(frozen=True)
class QueueRow:
    """One guest in the officer's queue: the case, the guest book, the wait, the call, the next step's button."""

    case: Case
    guest: VisitDetails
    waited: str
    badge: Badge | None  # the wait limit in minutes, only while waiting: a call stops the guest's clock
    call: Call | None
    button: str

    @property
    def waiting(self) -> bool:
        return self.case.step == VisitStep.WAITING

    @property
    def serving(self) -> bool:
        return self.case.step == VisitStep.SERVING


async def queue_rows(*, session: AsyncSession, office_code: str) -> list[QueueRow]:
    """The office's queue for the officer, first come first, with each guest's wait in minutes."""
    guests = await queue(session=session, office_code=office_code)
    calls = await _calls(session, office_code, guests)
    now = utcnow()
    loaded = await load_office_calendar(session, office_code, now)
    assert loaded is not None  # queue() found the office
    calendar = loaded[1]
    return [
        QueueRow(
            case=guest,
            guest=visit_details(guest),
            waited=waited(guest, calls.get(guest.id), now),
            badge=time_left(guest, calendar, now) if guest.step == VisitStep.WAITING else None,
            call=calls.get(guest.id),
            button=_(NEXT_BUTTON[VisitStep(guest.step)]),
        )
        for guest in guests
    ]


def counter_words(counter: str) -> str:
    """A counter as people read it in the language of the moment: ``Loket 1`` is ``Counter 1`` in English."""
    number = counter.removeprefix("Loket ")
    return _("Loket %(number)s") % {"number": number} if number != counter and number.isdigit() else counter


def announcement(queue_number: str, counter: str) -> str:
    """What the lobby says for a call: ``Nomor antrean P 0 0 7, silakan ke Loket 1`` (digits one by one)."""
    spelled = " ".join(char for char in queue_number if char.isalnum())
    return _("Nomor antrean %(spelled)s, silakan ke %(counter)s") % {"spelled": spelled, "counter": counter}


@dataclass(frozen=True)
class CalledGuest:
    """A guest called and not yet finished, as the lobby shows them."""

    case_id: str
    queue_number: str
    counter: str
    announcement: str
    fresh: bool  # called moments ago: the lobby announces it


@dataclass(frozen=True)
class Board:
    """The lobby's board: the calls, latest first (the first is "now serving"), and the next numbers waiting."""

    office: Office
    called: list[CalledGuest]
    waiting: list[str]


async def lobby_board(*, session: AsyncSession, office_code: str) -> Board:
    """What the lobby's screen shows now."""
    office = await get_office(session=session, office_code=office_code)
    guests = await _active(session, office.code)
    calls = await _calls(session, office.code, guests)
    now = utcnow()
    called = sorted(
        (guest for guest in guests if guest.id in calls), key=lambda guest: calls[guest.id].at, reverse=True
    )
    return Board(
        office=office,
        called=[
            CalledGuest(
                case_id=guest.id,
                queue_number=(number := visit_details(guest).queue_number),
                counter=calls[guest.id].counter,
                announcement=announcement(number, calls[guest.id].counter),
                fresh=now - calls[guest.id].at <= FRESH_CALL,
            )
            for guest in called
        ],
        waiting=[visit_details(guest).queue_number for guest in guests if guest.step == VisitStep.WAITING][:LOBBY_NEXT],
    )


async def visit_case(*, session: AsyncSession, case_id: str) -> Case:
    """The stored visit ``case_id``, or NotFound."""
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.VISIT:
        raise NotFound(_("Kunjungan %(case_id)s tidak ditemukan.") % {"case_id": case_id})
    return case


async def start_next_wait(*, session: AsyncSession, temporal: Client, case: Case) -> None:
    """A guest is finished: the wait of the office's next waiting guest starts counting."""
    await session.refresh(case)
    waiting = [c for c in await _active(session, case.office_code) if c.step == VisitStep.WAITING]
    await release_connection(session=session)
    if waiting:
        try:
            handle = temporal.get_workflow_handle_for(VisitWorkflow.run, waiting[0].id)
            await handle.signal(VisitWorkflow.previous_finished)
        except RPCError as error:  # not started yet: its start finds the desk free by itself
            if error.status != RPCStatusCode.NOT_FOUND:
                raise


def _being_served(visit: Case) -> None:
    """A case is opened for a guest while the officer serves them, not before the call nor after the finish."""
    if visit.step != VisitStep.SERVING:
        raise Conflict(
            _("Tamu %(queue_number)s tidak sedang dilayani; mulai layani tamu dulu dari antrean.")
            % {"queue_number": visit_details(visit).queue_number}
        )


def _link(visit: Case, case: Case, details: SaleDetails | RecommendationDetails) -> None:
    """The case opened from the visit names the visit, and the visit the case."""
    details.visit_id = visit.id
    save_details(case, details)
    guest = visit_details(visit)
    guest.case_ids.append(case.id)
    save_details(visit, guest)


class DeskSaleIn(BaseModel):
    """The walk-in sale the officer opens for the guest being served: the microdata asked (full set)."""

    item: CleanLine = Field(min_length=2, max_length=200, description="Dataset, e.g. Sakernas Agustus 2025")


class DeskApplicant(ApplicantIn):
    """The guest as the walk-in sale's applicant: the guest book's email, or none when the guest left only a
    phone number. Then no mail of the sale goes to the applicant (the mailer writes none without an address)
    and the officer hands over the receipt and the data at the desk. Passed to ``SaleCreate`` as this instance
    (pydantic keeps a model instance as it is), so the JSON API's own walk-in form still requires an email."""

    email: EmailStr | Literal[""] = ""


async def open_sale(
    *, session: AsyncSession, temporal: Client, settings: Settings, staff: StaffAccount, case_id: str, asked: DeskSaleIn
) -> str:
    """A walk-in sale for the guest being served (full set of ``asked.item``), linked both ways; its id."""
    from api.services.sales import submit_sale

    visit = await visit_case(session=session, case_id=case_id)
    if staff.office_code != visit.office_code or staff.role != Role.OFFICER:
        raise Forbidden(_("Permintaan dari kunjungan dibuka oleh petugas PST kantor ini."))
    _being_served(visit)
    opened = await session.scalar(
        select(Case.id).where(Case.id.in_(visit_details(visit).case_ids), Case.service == Service.SALE)
    )
    if opened is not None:
        raise Conflict(
            _("Penjualan untuk tamu ini sudah dibuka: %(opened)s. Tambahkan item di sana.") % {"opened": opened}
        )
    guest = DeskApplicant(
        name=visit.applicant_name,
        email=visit.applicant_email,
        institution=visit.applicant_institution,
        segment=Segment.INDIVIDUAL,
    )
    request = SaleCreate(
        office_code=visit.office_code,
        channel=Channel.WALK_IN,
        applicant=guest,
        items=[SaleItemIn(kind="microdata", name=asked.item.strip())],
        abstract=f"Disampaikan langsung di meja PST: {visit_details(visit).purpose}".ljust(20, "."),  # stored
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

    visit = await visit_case(session=session, case_id=case_id)
    if staff.office_code != visit.office_code or staff.role != Role.OPERATOR:
        raise Forbidden(_("FS3 dari kunjungan direkam oleh operator PST kantor ini."))
    _being_served(visit)
    if not visit.applicant_email or not visit.applicant_institution:
        raise Invalid(_("Tamu perlu mengisi instansi dan email di buku tamu untuk perekaman FS3."))
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
