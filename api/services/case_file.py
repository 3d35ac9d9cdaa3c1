"""The case file: every fact an officer's decision rests on, read for the case page in words people read.

Who asks (name, segment, institution, contact, NPWP masked), what is asked (items, abstract, FS3 blocks, the
complaint's text), the cases linked to it, the clock (deadline in office time, time left in the standard's unit),
documents, payments and billing codes, receipts, download links with their log, and the timeline with people by
name. Nothing here changes a case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import NotFound
from api.services.cases import ensure_same_office, get_office
from api.services.fs3_blocks import Fs3Block, fs3_blocks
from api.services.time_left import Badge, time_left
from api.services.visits import counter_words
from core.case_details import (
    ComplaintDetails,
    FeeLine,
    RecommendationDetails,
    SaleDetails,
    VisitDetails,
    details_of,
)
from core.enums import (
    CLOCK_STATE_LABELS,
    COMPLAINT_CHANNEL_LABELS,
    DOCUMENT_KIND_LABELS,
    PAYMENT_METHOD_LABELS,
    PAYMENT_STATUS_LABELS,
    ROLE_LABELS,
    SEGMENT_LABELS,
    SERVICE_LABELS,
    STEP_LABELS,
    ActorKind,
    CaseStatus,
    Channel,
    Service,
    SlaState,
    TimeUnit,
    action_label,
)
from core.formatting import dates_in_words, rupiah, time_in_words
from core.i18n import N_
from core.i18n import gettext as _
from core.models import (
    Applicant,
    AuditEntry,
    Case,
    Document,
    DownloadLink,
    DownloadLog,
    Office,
    Payment,
    Receipt,
    StaffAccount,
    utcnow,
)
from core.office_calendars import load_office_calendar
from core.people import names

NOT_FOUND = N_("Permintaan {case_id} tidak ditemukan. Periksa nomornya, atau cari di kotak tugas.")
UNIT_WORDS: dict[str, str] = {
    TimeUnit.WORKING_DAYS: N_("hari kerja"),
    TimeUnit.DAYS: N_("hari kalender"),
    TimeUnit.MINUTES: N_("menit"),
}


@dataclass(frozen=True)
class Person:
    """Who the case is for."""

    name: str
    segment: str
    institution: str
    email: str
    phone: str
    npwp: str  # masked: only the last four digits show
    abroad: bool
    registered: bool


@dataclass(frozen=True)
class Clock:
    """The service standard's clock of the case, as the standard counts it."""

    state: str
    state_label: str
    deadline: str  # in words, office time; "" when there is none
    badge: Badge
    unit: str  # "hari kerja", "hari kalender", "menit"


@dataclass(frozen=True)
class LinkedCase:
    """Another case tied to this one, and how."""

    id: str
    relation: str
    service: str
    step: str


@dataclass(frozen=True)
class DocumentLine:
    id: int
    kind: str
    filename: str
    size: str
    at: str
    by: str


@dataclass(frozen=True)
class PaymentLine:
    method: str
    amount: str
    status: str
    billing_code: str
    expires: str
    ntpn: str
    settled: str
    reason: str


@dataclass(frozen=True)
class ReceiptLine:
    number: str
    amount: str
    issued_by: str
    issued_at: str


@dataclass(frozen=True)
class DownloadLine:
    document: str
    created: str
    expires: str
    used: str  # "2 dari 5 unduhan"
    log: list[tuple[str, str]]  # (when in words, IP address)


@dataclass(frozen=True)
class TimelineLine:
    at: str
    what: str
    who: str
    note: str


@dataclass
class CaseFile:
    """Everything the case page shows about one case."""

    case: Case
    office: Office
    service: str
    step: str
    status: str
    channel: str
    person: Person
    clock: Clock
    details: Any
    items: list[str] = field(default_factory=list)
    fee_lines: list[FeeLine] = field(default_factory=list)
    fee: str = ""
    fs3: list[Fs3Block] = field(default_factory=list)
    linked: list[LinkedCase] = field(default_factory=list)
    documents: list[DocumentLine] = field(default_factory=list)
    payments: list[PaymentLine] = field(default_factory=list)
    receipts: list[ReceiptLine] = field(default_factory=list)
    downloads: list[DownloadLine] = field(default_factory=list)
    timeline: list[TimelineLine] = field(default_factory=list)
    created: str = ""
    outcome_reason: str = ""

    @property
    def abstract_document(self) -> DocumentLine | None:
        return next((doc for doc in self.documents if doc.kind == DOCUMENT_KIND_LABELS["abstract"]), None)


def mask_npwp(npwp: str) -> str:
    """An NPWP with only its last four digits visible: ``•••••••••••1234``."""
    digits = "".join(ch for ch in npwp if ch.isdigit())
    if not digits:
        return ""
    return "•" * max(0, len(digits) - 4) + digits[-4:]


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


async def case_file(*, session: AsyncSession, staff: StaffAccount, case_id: str) -> CaseFile:
    """The file of ``case_id`` for a staff member of its office (NotFound, or Forbidden for another office)."""
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFound(_(NOT_FOUND).format(case_id=case_id))
    ensure_same_office(staff, case)
    office = await get_office(session=session, office_code=case.office_code)
    zone = office.timezone
    details = details_of(case)
    now = utcnow()

    documents = (
        await session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.created_at))
    ).all()
    entries = (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.case_id == case.id).order_by(AuditEntry.at, AuditEntry.id)
        )
    ).all()
    receipts = (await session.scalars(select(Receipt).where(Receipt.case_id == case.id))).all()
    people = await names(
        session,
        {entry.actor for entry in entries}
        | {entry.note for entry in entries if _PERSON_REF.fullmatch(entry.note)}  # e.g. the examiner assigned
        | {doc.created_by for doc in documents}
        | {receipt.issued_by for receipt in receipts},
    )

    found = CaseFile(
        case=case,
        office=office,
        service=SERVICE_LABELS.get(case.service, case.service),
        step=STEP_LABELS.get(case.step, case.step),
        status=_status_words(case),
        channel=_channel_words(case, details),
        person=await _person(session, case, details),
        clock=await _clock(session, case, office, now),
        details=details,
        created=time_in_words(case.created_at, zone),
        outcome_reason=case.outcome_reason,
    )
    if isinstance(details, SaleDetails):
        found.items = [item.label() for item in details.items]
        found.fee_lines = details.fee_lines
        found.fee = rupiah(details.fee) if details.fee is not None else ""
    if isinstance(details, RecommendationDetails) and details.fs3:
        found.fs3 = fs3_blocks(details.fs3)
    found.linked = await _linked(session, case, details)
    replaced = await _replaced_packages(session, case)
    found.documents = [
        DocumentLine(
            doc.id,
            _(REPLACED) % {"kind": DOCUMENT_KIND_LABELS.get(doc.kind, _("Dokumen"))}
            if doc.id in replaced
            else DOCUMENT_KIND_LABELS.get(doc.kind, _("Dokumen")),
            doc.filename,
            _size(doc.size),
            time_in_words(doc.created_at, zone),
            _who(doc.created_by, people),
        )
        for doc in documents
    ]
    found.payments = await _payments(session, case, zone)
    found.receipts = [
        ReceiptLine(r.number, rupiah(r.amount), _who(r.issued_by, people), time_in_words(r.issued_at, zone))
        for r in receipts
    ]
    found.downloads = await _downloads(session, case, {doc.id: doc.filename for doc in documents}, zone)
    found.timeline = [
        TimelineLine(
            time_in_words(entry.at, zone),
            action_label(entry.action),
            _actor_words(entry, people, case),
            _note_words(entry, people),
        )
        for entry in entries
    ]
    return found


_PERSON_REF = re.compile(r"(?:staff|applicant)-\d+")
_WAITING_NOTE = re.compile(r"Menunggu pemohon: ([a-z_]+)")
_DOCUMENT_NOTE = re.compile(r"Dokumen ([a-z_]+) #\d+")


def _note_words(entry: AuditEntry, people: dict[str, str]) -> str:
    """An entry's note as people read it: the workflows note a complaint's channel, the step the clock waits in,
    an uploaded document's kind and a person (the examiner assigned) by their codes."""
    if _PERSON_REF.fullmatch(entry.note):
        name = people.get(entry.note, entry.note)
        return name if name != entry.note else ""
    note = COMPLAINT_CHANNEL_LABELS.get(entry.note, entry.note)
    if waiting := _WAITING_NOTE.fullmatch(note):
        return STEP_LABELS.get(waiting.group(1), _("Menunggu pemohon"))
    if document := _DOCUMENT_NOTE.fullmatch(note):
        return DOCUMENT_KIND_LABELS.get(document.group(1), _("Dokumen"))
    return dates_in_words(counter_words(note))  # a guest's call names its counter; a reminder, its date


def _status_words(case: Case) -> str:
    if case.status == CaseStatus.COMPLETED:
        return _("Selesai")
    if case.status == CaseStatus.CANCELLED:
        return _("Ditutup tanpa penyelesaian")
    if case.assignee_role:
        return _("Menunggu %(role)s") % {"role": ROLE_LABELS.get(case.assignee_role, case.assignee_role)}
    return _("Menunggu pemohon")


def _who(ref: str, people: dict[str, str]) -> str:
    name = people.get(ref, ref)
    return _("Sistem") if name in ("", "sistem", ActorKind.SYSTEM) else name


def _actor_words(entry: AuditEntry, people: dict[str, str], case: Case) -> str:
    """``Rina Wulandari (Petugas PST)``, ``Budi Santoso (pemohon)``, or ``Sistem``; a reference that names no
    account (a walk-in applicant, a removed account) by the case's name or the role alone, never as a code."""
    name = _who(entry.actor, people)
    known = name != entry.actor
    if entry.role == ActorKind.SYSTEM or name == _("Sistem"):
        return _("Sistem")
    if entry.role == ActorKind.APPLICANT:
        return _("%(name)s (pemohon)") % {"name": name if known else case.applicant_name or _("Pemohon")}
    role = ROLE_LABELS.get(entry.role, _("Petugas"))
    return f"{name} ({role})" if known else role


async def _person(session: AsyncSession, case: Case, details: Any) -> Person:
    applicant = await session.get(Applicant, case.applicant_id) if case.applicant_id is not None else None
    npwp = applicant.npwp if applicant is not None else ""
    abroad = applicant.abroad if applicant is not None else False
    if isinstance(details, SaleDetails):
        npwp = details.npwp or npwp
        abroad = details.abroad or abroad
    phone = details.contact if isinstance(details, VisitDetails) else ""
    if isinstance(details, ComplaintDetails):
        phone = details.phone
    return Person(
        name=case.applicant_name,
        segment=SEGMENT_LABELS.get(case.segment, ""),
        institution=case.applicant_institution,
        email=case.applicant_email,
        phone=phone,
        npwp=mask_npwp(npwp),
        abroad=abroad,
        registered=applicant is not None,
    )


async def _clock(session: AsyncSession, case: Case, office: Office, now: datetime) -> Clock:
    loaded = await load_office_calendar(session, office.code, now)
    assert loaded is not None  # the office exists: read above
    state = case.sla_state
    if state in (SlaState.RUNNING, SlaState.WARNING) and case.sla_deadline is not None and case.sla_deadline <= now:
        state = SlaState.BREACHED
    deadline = time_in_words(case.sla_deadline, office.timezone) if case.sla_deadline is not None else ""
    return Clock(
        state=state,
        state_label=CLOCK_STATE_LABELS.get(state, ""),
        deadline=deadline,
        badge=time_left(case, loaded[1], now),
        unit=_(UNIT_WORDS.get(case.sla_unit, "")),
    )


def _channel_words(case: Case, details: Any) -> str:
    """How the request reached the office: a complaint's channel, or walk-in / online."""
    if isinstance(details, ComplaintDetails) and details.channel:
        return COMPLAINT_CHANNEL_LABELS.get(details.channel, _("Lainnya"))
    return _("Datang langsung ke PST") if case.channel == Channel.WALK_IN else _("Online (portal)")


async def _linked(session: AsyncSession, case: Case, details: Any) -> list[LinkedCase]:
    """Visit ↔ sale/FS3 and complaint ↔ case, both ways."""
    wanted: dict[str, str] = {}
    if isinstance(details, (SaleDetails, RecommendationDetails)) and details.visit_id:
        wanted[details.visit_id] = _("Kunjungan asal permintaan ini")
    if isinstance(details, VisitDetails):
        wanted |= dict.fromkeys(details.case_ids, _("Dibuka dari kunjungan ini"))
    if isinstance(details, ComplaintDetails) and details.linked_case_id:
        wanted[details.linked_case_id] = _("Permintaan yang diadukan")
    complaints = (
        await session.scalars(
            select(Case).where(
                Case.service == Service.COMPLAINT,
                Case.office_code == case.office_code,
                Case.details["linked_case_id"].as_string() == case.id,
            )
        )
    ).all()
    wanted |= {
        complaint.id: _("Pengaduan tentang permintaan ini") for complaint in complaints if complaint.id != case.id
    }
    if not wanted:
        return []
    rows = {row.id: row for row in (await session.scalars(select(Case).where(Case.id.in_(wanted)))).all()}
    return [
        LinkedCase(
            case_id,
            relation,
            SERVICE_LABELS.get(rows[case_id].service, ""),
            STEP_LABELS.get(rows[case_id].step, ""),
        )
        for case_id, relation in wanted.items()
        if case_id in rows and rows[case_id].office_code == case.office_code
    ]


async def _payments(session: AsyncSession, case: Case, zone: str) -> list[PaymentLine]:
    rows = (await session.scalars(select(Payment).where(Payment.case_id == case.id).order_by(Payment.created_at))).all()
    return [
        PaymentLine(
            method=PAYMENT_METHOD_LABELS.get(row.method, row.method),
            amount=rupiah(row.amount),
            status=PAYMENT_STATUS_LABELS.get(row.status, row.status),
            billing_code=row.billing_code or "",
            expires=time_in_words(row.expires_at, zone) if row.expires_at else "",
            ntpn=row.ntpn,
            settled=time_in_words(row.settled_at, zone) if row.settled_at else "",
            reason=row.reason,
        )
        for row in rows
    ]


REPLACED = N_("%(kind)s (diganti dengan data perbaikan)")


async def _replaced_packages(session: AsyncSession, case: Case) -> set[int]:
    """The data packages delivered and then replaced by a corrected one (the newest link names the current one)."""
    rows = (
        await session.execute(
            select(DownloadLink.document_id).where(DownloadLink.case_id == case.id).order_by(DownloadLink.created_at)
        )
    ).all()
    delivered = [row[0] for row in rows]
    return set(delivered[:-1]) - set(delivered[-1:])


async def _downloads(session: AsyncSession, case: Case, files: dict[int, str], zone: str) -> list[DownloadLine]:
    links = (
        await session.scalars(
            select(DownloadLink).where(DownloadLink.case_id == case.id).order_by(DownloadLink.created_at)
        )
    ).all()
    if not links:
        return []
    logs = (
        await session.scalars(select(DownloadLog).where(DownloadLog.case_id == case.id).order_by(DownloadLog.at))
    ).all()
    by_token: dict[str, list[tuple[str, str]]] = {}
    for log in logs:
        by_token.setdefault(log.token, []).append((time_in_words(log.at, zone), log.ip))
    replaced = await _replaced_packages(session, case)
    return [
        DownloadLine(
            document=_(REPLACED) % {"kind": files.get(link.document_id, _("Paket data"))}
            if link.document_id in replaced
            else files.get(link.document_id, _("Paket data")),
            created=time_in_words(link.created_at, zone),
            expires=time_in_words(link.expires_at, zone),
            used=_("%(used)s dari %(max)s unduhan") % {"used": link.downloads, "max": link.max_downloads},
            log=by_token.get(link.token, []),
        )
        for link in links
    ]
