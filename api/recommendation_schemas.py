"""Schemas of the recommendation service: the FS3 form (blocks of DOMAIN.md) and the steps."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, EmailStr, Field, field_validator, model_validator

from core.text import CleanLine, CleanLines
from core.validators import required_when


class PersonIn(BaseModel):
    """A contact person or the survey manager."""

    name: CleanLine = Field(min_length=2, max_length=200)
    position: CleanLine = Field(default="", max_length=200)
    phone: CleanLine = Field(min_length=5, max_length=50)
    email: EmailStr


class VariableIn(BaseModel):
    """One variable of the design."""

    name: CleanLine = Field(min_length=1, max_length=200)
    concept: CleanLines = Field(min_length=2, max_length=2000)
    definition: CleanLines = Field(min_length=2, max_length=2000)
    reference_period: CleanLine = Field(min_length=2, max_length=200)


class FS3Form(BaseModel):
    """Formulir Pemberitahuan Survei Statistik Sektoral, electronically."""

    title: CleanLine = Field(min_length=5, max_length=300)
    year: int = Field(ge=2000, le=2100)
    organiser_unit: CleanLine = Field(min_length=3, max_length=300, description="Unit at echelon II level")
    organiser_address: CleanLines = Field(min_length=5, max_length=500)
    organiser_phone: CleanLine = Field(min_length=5, max_length=50)
    organiser_email: EmailStr
    regency: CleanLine = Field(min_length=2, max_length=100)
    province: CleanLine = Field(min_length=2, max_length=100)
    contact_person: PersonIn
    survey_manager: PersonIn
    occurrence: Literal["one_off", "repeated"]
    frequency: CleanLine = Field(default="", max_length=100, description="For repeated activities, e.g. tahunan")
    collection_type: Literal["longitudinal", "cross_sectional", "both"]
    method: Literal["census", "survey", "administrative_records"]
    sector: CleanLine = Field(min_length=2, max_length=200)
    objectives: CleanLines = Field(min_length=10, max_length=4000)
    schedule_start: date
    schedule_end: date
    variables: list[VariableIn] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> FS3Form:
        if self.occurrence == "repeated" and not self.frequency.strip():
            raise ValueError("Kegiatan berulang memerlukan frekuensi (mis. tahunan, semesteran).")
        if self.schedule_end < self.schedule_start:
            raise ValueError("Jadwal selesai tidak boleh sebelum jadwal mulai.")
        return self


class AgencyIn(BaseModel):
    """The agency whose FS3 an operator records at the desk."""

    name: CleanLine = Field(min_length=3, max_length=200, description="Agency, e.g. Dinas Kesehatan")
    unit: CleanLine = Field(min_length=3, max_length=200)
    contact_name: CleanLine = Field(min_length=2, max_length=200)
    email: EmailStr


class RecommendationCreate(BaseModel):
    """An FS3 submission: electronic form, or manual FS3 PDF + request letter uploaded afterwards."""

    office_code: str = Field(pattern=r"^\d{4}$")
    channel: Literal["online", "walk_in"] = "online"
    unit: CleanLine = Field(default="", max_length=200, description="The agency's unit (online)")
    fs3: FS3Form | None = None
    agency: AgencyIn | None = Field(default=None, description="Offline only: the agency at the desk")

    @model_validator(mode="after")
    def _channel(self) -> RecommendationCreate:
        if self.channel == "walk_in" and self.agency is None:
            raise ValueError("Perekaman offline memerlukan data instansi (agency).")
        return self


class ResubmitIn(BaseModel):
    """The agency's completed or revised FS3 (electronic), or only a note when PDFs were re-uploaded."""

    fs3: FS3Form | None = None
    note: CleanLines = Field(default="", max_length=2000)


class AssignIn(BaseModel):
    """The supervisor's choice of examiner."""

    examiner_email: EmailStr


class ExaminationIn(BaseModel):
    """The examiner's result."""

    recommend: bool
    notes: CleanLines = Field(default="", validate_default=True, max_length=4000)

    _notes_when_returned = field_validator("notes")(
        required_when("recommend", False, "Tulis catatan perbaikan; catatan ini dikirim ke instansi.")
    )


class RecommendationRead(BaseModel):
    """Status and history of a recommendation request, as the agency sees it."""

    id: str
    step: str
    step_label: str
    letter_number: str
    letter_document_id: int | None
    history: list[dict[str, str]]
