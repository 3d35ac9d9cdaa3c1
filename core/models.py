"""SQLAlchemy 2 typed models: the records the database owns (see DESIGN.md, who owns what)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from core.enums import FollowUpStatus, MailStatus, SlaState


def utcnow() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: PST Flow stores only timezone-aware times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every PST Flow table."""

    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Office(Base):
    """A BPS office with a PST desk."""

    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200))
    website: Mapped[str] = mapped_column(String(200))
    whatsapp: Mapped[str] = mapped_column(String(100), default="")
    close_of_business: Mapped[str] = mapped_column(String(5), default="16:00")
    cuti_bersama_is_day_off: Mapped[bool] = mapped_column(Boolean, default=True)
    complaint_channels: Mapped[list[Any]] = mapped_column(default=list)
    sla_warning_share: Mapped[float] = mapped_column(Float, default=0.8, server_default="0.8")
    escalation_working_days: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Where an applicant abroad transfers the fee (the treasurer's receiving account); "" until an office has one.
    bank_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    bank_account_number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    bank_account_holder: Mapped[str] = mapped_column(String(200), default="", server_default="")
    bank_swift: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # How long the office waits on the applicant in a sale's step before it closes the case (days; defaults from the
    # standard), the reminder's lead, and how many billing codes an unpaid sale gets (activities/records.py reads them).
    wait_returned_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    wait_sample_review_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    wait_payment_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    wait_sppd_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    wait_reminder_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    billing_code_limit: Mapped[int] = mapped_column(Integer, default=3, server_default="3")


class CalendarOverride(Base):
    """An office's own calendar change: a closure (e.g. a regional holiday) or a day it works anyway."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (UniqueConstraint("office_code", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    day: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ServiceStandard(Base):
    """An office's published service standard (Standar Pelayanan) for one service."""

    __tablename__ = "service_standards"
    __table_args__ = (UniqueConstraint("office_code", "service"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    service: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    decree_number: Mapped[str] = mapped_column(String(100), default="")
    time_limit: Mapped[int] = mapped_column(Integer)  # what the SLA clock counts (activities/calendar.py)
    time_unit: Mapped[str] = mapped_column(String(16))
    channels: Mapped[list[Any]] = mapped_column(default=list)


class StandardItem(Base):
    """One published line of a service standard, in Indonesian and in English: a requirement, a procedure step,
    the service time, the fee, a product or a complaint channel (``core.standards_seed.SECTIONS``); ``channel``
    splits a section into walk-in and online lists where the office publishes both ("" for one list)."""

    __tablename__ = "standard_items"
    __table_args__ = (Index("ix_standard_items_standard", "standard_id", "section", "channel", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("service_standards.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16), default="", server_default="")
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="", server_default="")


class StaffAccount(Base):
    """A staff member holding one role at one office."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised by logout, a new password or a reset: every session cookie and bearer token made before dies.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CaseCounter(Base):
    """The last sequence number handed out per office, service and year (for business ids)."""

    __tablename__ = "case_counters"

    office_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    service: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Institution(Base):
    """A body applicants speak for (a government agency, a school, a company, an international body): one row per
    normalised name (``core.institutions.institution_key``), or per NPWP for a company; the name as first entered."""

    __tablename__ = "institutions"
    __table_args__ = (
        UniqueConstraint("key", "npwp"),
        Index(
            "ux_institutions_npwp",
            "npwp",
            unique=True,
            sqlite_where=text("npwp <> ''"),
            postgresql_where=text("npwp <> ''"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    npwp: Mapped[str] = mapped_column(String(32), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    """The read model of one service request: what inboxes, dashboards and reports read."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_inbox", "office_code", "status", "assignee_role", "sla_deadline"),
        Index("ix_cases_office_service_created", "office_code", "service", "created_at"),
        Index("ix_cases_office_created", "office_code", "created_at"),  # a month's requests (reports)
        Index("ix_cases_office_status_closed", "office_code", "status", "closed_at"),  # a month's completions
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service: Mapped[str] = mapped_column(String(32))
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    channel: Mapped[str] = mapped_column(String(16))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_email: Mapped[str] = mapped_column(String(200))
    applicant_institution: Mapped[str] = mapped_column(String(200), default="")
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"), nullable=True, index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), nullable=True)
    segment: Mapped[str] = mapped_column(String(32), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    step: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    assignee_role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # A supervisor's hand-over of the current task to one staff member; it holds while the case is at assigned_step.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"), nullable=True)
    assigned_step: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sla_deadline: Mapped[datetime | None] = mapped_column(nullable=True)
    sla_state: Mapped[str] = mapped_column(String(16), default=SlaState.NOT_STARTED)
    sla_warning_at: Mapped[datetime | None] = mapped_column(nullable=True)
    sla_remaining: Mapped[float | None] = mapped_column(Float, nullable=True)
    sla_unit: Mapped[str] = mapped_column(String(16), default="", server_default="")
    workflow_started: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the case was completed or cancelled (None while open): the month a report counts it in.
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AuditEntry(Base):
    """One thing that happened to a case, by whom; written once per event key."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        UniqueConstraint("case_id", "event_key"),
        # the clocks an office's month finished, read from the index alone (dashboard, reports)
        Index("ix_audit_entries_office_action_at", "office_code", "action", "at", "case_id"),
        Index("ix_audit_entries_case_action", "case_id", "action"),  # did this case ever breach? (per case)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    event_key: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    office_code: Mapped[str] = mapped_column(String(4))
    action: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class OutboxMail(Base):
    """A mail written before it is sent; the key (case, notice, phase) makes it exactly one."""

    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_mails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    to_addr: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=MailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)  # None: due now
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)  # a relay holds it until then


class Applicant(Base):
    """A person or body that asks for a service; signs in with a verified email."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200), default="")
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), nullable=True)
    segment: Mapped[str] = mapped_column(String(32))
    npwp: Mapped[str] = mapped_column(String(32), default="")
    abroad: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language of every mail and document to them (core.i18n): Indonesian, or English (chosen at registration).
    language: Mapped[str] = mapped_column(String(8), default="id", server_default="id")
    password_hash: Mapped[str] = mapped_column(String(200))
    email_verified_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Raised by logout or a new password: every session cookie and bearer token made before dies.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Tariff(Base):
    """A PNBP tariff line: ``base_price`` covers ``included`` units, then ``extra_price`` per ``extra_step``."""

    __tablename__ = "tariffs"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32))
    base_price: Mapped[int] = mapped_column(Integer)
    included: Mapped[int] = mapped_column(Integer, default=0)
    extra_price: Mapped[int] = mapped_column(Integer, default=0)
    extra_step: Mapped[int] = mapped_column(Integer, default=1)
    legal_basis: Mapped[str] = mapped_column(String(200), default="PP 13/2024")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Document(Base):
    """A file of a case: uploaded (abstract, transfer proof, signed SPPD) or issued (invoice, receipt...)."""

    __tablename__ = "documents"
    __table_args__ = (Index("ux_documents_upload_key", "case_id", "idempotency_key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(160), nullable=True)  # of the upload that stored it


def _payment_key(context: Any) -> str:
    """The key of a payment row written without one (seed data, tests): its case and billing code, or its case,
    method and status; the activities name theirs by the workflow's step."""
    row = context.get_current_parameters()
    if row.get("billing_code"):
        return f"{row['case_id']}:{row['billing_code']}"
    return f"{row['case_id']}:{row['method']}:{row['status']}"


class Payment(Base):
    """One way of paying a case: a SIMPONI billing code, a transfer proof, cash, or a Rp0 grant."""

    __tablename__ = "payments"
    __table_args__ = (
        Index("ix_payments_status_settled", "status", "settled_at"),  # a month's revenue
        Index("ux_payments_key", "key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # What the row is, named by the workflow's step (``activities.payments.billing_key``, ``settlement_key``): a
    # retried or doubled activity finds its row by it, and the unique key refuses a second one (a report never counts
    # a payment twice).
    key: Mapped[str] = mapped_column(String(200), default=lambda context: _payment_key(context))
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    billing_code: Mapped[str | None] = mapped_column(String(15), unique=True, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ntpn: Mapped[str] = mapped_column(String(16), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Receipt(Base):
    """The treasurer's numbered receipt (kuitansi) of a paid case."""

    __tablename__ = "receipts"

    number: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), unique=True)
    amount: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


class DownloadLink(Base):
    """A signed link to a case's data package, with an expiry and a download limit."""

    __tablename__ = "download_links"

    token: Mapped[str] = mapped_column(String(100), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    expires_at: Mapped[datetime] = mapped_column()
    max_downloads: Mapped[int] = mapped_column(Integer)
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DownloadCode(Base):
    """The one-time code printed on a walk-in guest's receipt, stored hashed: it opens the case's download links
    for a guest without an account; wrong codes are counted and lock the code for a while."""

    __tablename__ = "download_codes"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DownloadLog(Base):
    """One download of a data package: when and from where."""

    __tablename__ = "download_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(ForeignKey("download_links.token"), index=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str] = mapped_column(String(64))


class Rating(Base):
    """The applicant's satisfaction survey of a case: nine elements scored 1–4, and feedback."""

    __tablename__ = "ratings"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(4), index=True)
    service: Mapped[str] = mapped_column(String(32))
    scores: Mapped[list[Any]] = mapped_column()
    feedback: Mapped[str] = mapped_column(Text, default="")
    follow_up_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowUp(Base):
    """A rating that needs the officer's follow-up, and what the officer did."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=FollowUpStatus.OPEN)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ZeroRupiahGrant(Base):
    """A Rp0 sale granted to an institution for a dataset: allowed once per institution and dataset (the unique key
    holds when two offers race)."""

    __tablename__ = "zero_rupiah_grants"
    __table_args__ = (UniqueConstraint("institution_id", "dataset"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    dataset: Mapped[str] = mapped_column(String(200))  # core.institutions.dataset_key of the item
    dataset_name: Mapped[str] = mapped_column(String(200), default="", server_default="")  # as the offer named it
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    granted_by: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginAttempt(Base):
    """A sign-in attempt, for throttling guessed passwords per email and address."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"), Index("ix_login_attempts_ip_at", "ip", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(200))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyResponse(Base):
    """One respondent's satisfaction survey: online (a rated case) or typed in from a paper form."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_office_day", "office_code", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"))
    service: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    scores: Mapped[list[Any]] = mapped_column()
    source: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CatalogueDataset(Base):
    """A microdata dataset an office sells: a survey or census of a year, at a level of presentation, with its
    variables (``[{"code": "R405", "label": "Jenis kelamin"}, ...]``) and its size, which prices the full set."""

    __tablename__ = "catalogue_datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    survey: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer, default=1_000_000)
    variables: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CatalogueMap(Base):
    """A digital map of statistical work areas (wilkerstat) an office sells: an area of its regency, ordered by
    kecamatan or by desa."""

    __tablename__ = "catalogue_maps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    area: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CataloguePublication(Base):
    """A publication an office sells as an electronic file; its pages price it."""

    __tablename__ = "catalogue_publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
