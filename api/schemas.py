"""Pydantic schemas of the JSON API (``XCreate`` in, ``XRead`` out)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from core.enums import Channel, Decision, Segment
from core.text import CleanLine, CleanLines
from core.validators import required_when, validate_npwp


class ApplicantIn(BaseModel):
    """Who asks: name, active email, institution, segment; NPWP for the private segment."""

    name: CleanLine = Field(min_length=2, max_length=200)
    email: EmailStr
    institution: CleanLine = Field(default="", max_length=200)
    segment: Segment
    npwp: CleanLine = ""

    @model_validator(mode="after")
    def _npwp_for_private(self) -> ApplicantIn:
        if self.segment == Segment.PRIVATE and not self.npwp.strip():
            raise ValueError("NPWP wajib diisi untuk pemohon segmen swasta (private).")
        if self.npwp.strip():
            self.npwp = validate_npwp(self.npwp)
        return self


class SaleItemIn(BaseModel):
    """One item: a microdata dataset (full set or chosen variables), a digital Wilkerstat map or a publication."""

    kind: Literal["microdata", "map", "publication"]
    name: CleanLine = Field(min_length=2, max_length=200, description="Dataset (e.g. Susenas Maret 2025), area, title")
    variables: list[CleanLine] = Field(default_factory=list, description="Chosen variables; empty = full set")
    level: Literal["kecamatan", "desa"] | None = Field(default=None, description="Map level")

    @model_validator(mode="after")
    def _map_level(self) -> SaleItemIn:
        if self.kind == "map" and self.level is None:
            raise ValueError("Peta digital wilkerstat memerlukan level: 'kecamatan' atau 'desa'.")
        return self


class SaleCreate(BaseModel):
    """A sale request: online by a signed-in applicant, or walk-in recorded by the officer (with the applicant)."""

    office_code: str = Field(pattern=r"^\d{4}$", description="4-digit BPS office code, e.g. 6202")
    channel: Channel = Channel.ONLINE
    applicant: ApplicantIn | None = Field(default=None, description="Walk-in only: who came to the desk")
    items: list[SaleItemIn] = Field(min_length=1)
    abstract: CleanLines = Field(min_length=20, max_length=5000, description="Usage abstract: what the data is for")

    @field_validator("items")
    @classmethod
    def _no_duplicates(cls, items: list[SaleItemIn]) -> list[SaleItemIn]:
        names = [(item.kind, item.name.strip().lower()) for item in items]
        if len(names) != len(set(names)):
            raise ValueError("Item yang sama diminta lebih dari sekali; gabungkan menjadi satu item.")
        return items


class AbstractReviewIn(BaseModel):
    """The officer's abstract check."""

    decision: Decision
    reason: CleanLines = Field(default="", validate_default=True, max_length=2000)

    _reason_when_rejected = field_validator("reason")(
        required_when(
            "decision", Decision.REJECT, "Tulis alasan abstraksi tidak sesuai; alasan ini dikirim ke pemohon."
        )
    )


class TimelineEntry(BaseModel):
    """One audit entry, time in UTC and in the office's time zone."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    at_local: str
    actor: str
    role: str
    action: str
    step: str
    note: str


class CaseRead(BaseModel):
    """The read model of a case with its timeline."""

    id: str
    service: str
    office_code: str
    channel: str
    step: str
    step_label: str
    status: str
    assignee_role: str | None
    sla_deadline: datetime | None
    created_at: datetime
    workflow_started: bool
    outcome_reason: str
    timeline: list[TimelineEntry]
    temporal_url: str


class SubmittedRead(BaseModel):
    """Answer to a submission: the business id and where it stands."""

    id: str
    step: str
    workflow_started: bool
    message: str


class StepRead(BaseModel):
    """Answer to an action: the step the case is in now."""

    id: str
    step: str
    step_label: str


class OverrideIn(BaseModel):
    """An administrator's calendar change: close a day (``closed``) or work a national day off."""

    day: date
    closed: bool = Field(description="true: the office is closed that day; false: the office works that day off")
    name: CleanLine = Field(default="", max_length=200, description="e.g. 'Hari Jadi Kabupaten'")


class OverrideRead(BaseModel):
    """A stored calendar override."""

    model_config = ConfigDict(from_attributes=True)

    day: date
    closed: bool
    name: str
    created_by: str


class CalendarDay(BaseModel):
    """A non-working weekday of the office."""

    day: date
    name: str
    source: Literal["national", "office"]


class CalendarRead(BaseModel):
    """An office's calendar for one year and its SLA settings."""

    office_code: str
    year: int
    timezone: str
    close_of_business: str
    cuti_bersama_is_day_off: bool
    sla_warning_share: float
    escalation_working_days: int
    days_off: list[CalendarDay]
    overrides: list[OverrideRead]


class OfficeSettingsIn(BaseModel):
    """What an administrator may change about the office's clock (omitted fields stay)."""

    cuti_bersama_is_day_off: bool | None = None
    close_of_business: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM")
    sla_warning_share: float | None = Field(default=None, gt=0, lt=1, description="e.g. 0.8 warns at 80%")
    escalation_working_days: int | None = Field(default=None, ge=0, le=30)


class TariffRead(BaseModel):
    """A PNBP tariff line: ``base_price`` up to ``included`` units, then ``extra_price`` per started ``extra_step``."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    unit: str
    base_price: int
    included: int
    extra_price: int
    extra_step: int
    legal_basis: str
    active: bool
    description: str = Field(default="", description="The rule in words, e.g. 'Rp50.000 sampai 50 halaman, ...'")


INTEGER_MAX = 2**31 - 1  # the database's INTEGER column (PostgreSQL's int4)


class TariffUpdate(BaseModel):
    """An administrator's new values of a tariff (every field; the code and unit stay)."""

    name: CleanLine = Field(min_length=2, max_length=200)
    base_price: int = Field(ge=0, le=INTEGER_MAX, description="Rupiah for up to ``included`` units")
    included: int = Field(ge=0, le=INTEGER_MAX, description="Units the base price covers")
    extra_price: int = Field(ge=0, le=INTEGER_MAX, description="Rupiah per started ``extra_step`` above ``included``")
    extra_step: int = Field(ge=1, le=INTEGER_MAX, description="Units per extra price")
    active: bool

    @field_validator("base_price", "included", "extra_price", mode="before")
    @classmethod
    def _not_negative(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            raise ValueError(f"tidak boleh negatif (diterima {value}); isi 0 atau lebih.")
        return value

    @field_validator("extra_step", mode="before")
    @classmethod
    def _positive_step(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 1:
            raise ValueError(f"minimal 1 (diterima {value}).")
        return value
