"""Pydantic schemas of the JSON API (``XCreate`` in, ``XRead`` out)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from core.catalogue import VARIABLE_CODE
from core.enums import Channel, Decision, Segment
from core.i18n import N_
from core.i18n import gettext as _
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
            raise ValueError(_("NPWP wajib diisi untuk pemohon segmen swasta (private)."))
        if self.npwp.strip():
            self.npwp = validate_npwp(self.npwp)
        return self


CatalogueId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a catalogue row's number


class SaleItemIn(BaseModel):
    """One item: a microdata dataset (full set or chosen variables), a digital Wilkerstat map or a publication; from
    the office's catalogue (GET /api/v1/offices/{code}/catalogue) by id, or named in words."""

    kind: Literal["microdata", "map", "publication"]
    name: CleanLine = Field(
        default="", max_length=200, description="Without a catalogue id: dataset (e.g. Susenas Maret 2025), area, title"
    )
    dataset_id: CatalogueId | None = Field(default=None, description="Microdata: a dataset of the office's catalogue")
    variables: list[CleanLine] = Field(
        default_factory=list, description="Chosen variables (codes of the dataset); empty or every one = full set"
    )
    map_id: CatalogueId | None = Field(default=None, description="Map: an area of the office's catalogue")
    level: Literal["kecamatan", "desa"] | None = Field(default=None, description="Map level")
    publication_id: CatalogueId | None = Field(default=None, description="Publication of the office's catalogue")

    @model_validator(mode="after")
    def _what_is_asked(self) -> SaleItemIn:
        ids = {"microdata": self.dataset_id, "map": self.map_id, "publication": self.publication_id}
        if any(value is not None for kind, value in ids.items() if kind != self.kind):
            raise ValueError(_("Isi hanya id katalog yang sesuai jenis item (dataset_id, map_id atau publication_id)."))
        if ids[self.kind] is None and len(self.name.strip()) < 2:
            raise ValueError(_("Pilih item dari katalog kantor (id), atau tulis namanya (paling sedikit 2 karakter)."))
        if self.kind == "map" and self.level is None:
            raise ValueError(_("Peta digital wilkerstat memerlukan level: 'kecamatan' atau 'desa'."))
        return self

    def key(self) -> tuple[str, str]:
        """What makes two items the same: the catalogue row (and a map's level), or the name."""
        chosen = {"microdata": self.dataset_id, "map": self.map_id, "publication": self.publication_id}[self.kind]
        if chosen is not None:
            return (self.kind, f"#{chosen}:{self.level or ''}")
        return (self.kind, self.name.strip().lower())


def catalogue_items_from_form(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items chosen on the item editor's form (pages/sale/_items.html), in the JSON API's shape: a dataset ticked
    whole (``dataset-<id>``) or by variables (``var-<id>-<code>``), a map by its level (``map-<id>``), a publication
    ticked (``publication-<id>``)."""
    whole: set[int] = set()
    chosen: dict[int, list[str]] = {}
    maps: list[dict[str, Any]] = []
    publications: list[dict[str, Any]] = []
    for name, value in values.items():
        kind, _, rest = str(name).partition("-")
        number, _, code = rest.partition("-")
        if not value or not number.isdigit():
            continue
        if kind == "dataset" and not code:
            whole.add(int(number))
        elif kind == "var" and code:
            chosen.setdefault(int(number), []).append(code)
        elif kind == "map" and not code:
            maps.append({"kind": "map", "map_id": int(number), "level": value})
        elif kind == "publication" and not code:
            publications.append({"kind": "publication", "publication_id": int(number)})
    datasets = [
        {"kind": "microdata", "dataset_id": number, "variables": [] if number in whole else chosen.get(number, [])}
        for number in sorted(whole | set(chosen))
    ]
    return datasets + maps + publications


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
        names = [item.key() for item in items]
        if len(names) != len(set(names)):
            raise ValueError(_("Item yang sama diminta lebih dari sekali; gabungkan menjadi satu item."))
        return items


class AbstractReviewIn(BaseModel):
    """The officer's abstract check."""

    decision: Decision
    reason: CleanLines = Field(default="", validate_default=True, max_length=2000)

    _reason_when_rejected = field_validator("reason")(
        required_when(
            "decision", Decision.REJECT, N_("Tulis alasan abstraksi tidak sesuai; alasan ini dikirim ke pemohon.")
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
    # How long a sale waits on the applicant before it closes (days), the reminder's lead, the billing codes it gets.
    wait_returned_days: int | None = Field(default=None, ge=1, le=365, description="returned request, e.g. 14")
    wait_sample_review_days: int | None = Field(default=None, ge=1, le=365, description="sample review, e.g. 7")
    wait_payment_days: int | None = Field(default=None, ge=1, le=365, description="payment by transfer, e.g. 14")
    wait_sppd_days: int | None = Field(default=None, ge=1, le=365, description="signed SPPD by post, e.g. 30")
    wait_reminder_days: int | None = Field(default=None, ge=0, le=30, description="reminder before the end, e.g. 3")
    billing_code_limit: int | None = Field(default=None, ge=1, le=12, description="billing codes, e.g. 3")


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
            raise ValueError(_("tidak boleh negatif (diterima %(value)s); isi 0 atau lebih.") % {"value": value})
        return value

    @field_validator("extra_step", mode="before")
    @classmethod
    def _positive_step(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 1:
            raise ValueError(f"minimal 1 (diterima {value}).")
        return value


# ---------------------------------------------------------------- the office's catalogue (administrator)

Year = Annotated[int, Field(ge=1945, le=2100)]


class CatalogueDatasetIn(BaseModel):
    """A dataset of the office's catalogue: survey, year, level of presentation, size and variables."""

    survey: CleanLine = Field(min_length=2, max_length=100, description="e.g. Susenas Maret")
    year: Year
    level: CleanLine = Field(min_length=2, max_length=100, description="Level of presentation, e.g. kabupaten")
    size_bytes: int = Field(ge=1, le=2**31 - 1, description="Size of the full set in bytes (prices it)")
    variables: list[dict[str, str]] = Field(min_length=1, description='[{"code": "R405", "label": "Jenis kelamin"}]')
    active: bool = True

    @field_validator("variables", mode="before")
    @classmethod
    def _variables_from_lines(cls, value: object) -> object:
        """A textarea of 'CODE Label' lines, or the JSON list itself."""
        if not isinstance(value, str):
            return value
        variables = []
        for number, line in enumerate(value.splitlines(), start=1):
            if not line.strip():
                continue
            code, _space, label = line.strip().partition(" ")
            if not VARIABLE_CODE.match(code) or not label.strip():
                raise ValueError(
                    _(
                        "baris %(number)s: tulis kode variabel (huruf, angka atau _, tanpa spasi), spasi, lalu "
                        "labelnya, misalnya 'R405 Jenis kelamin'."
                    )
                    % {"number": number}
                )
            variables.append({"code": code, "label": label.strip()})
        return variables

    @field_validator("variables")
    @classmethod
    def _distinct_codes(cls, variables: list[dict[str, str]]) -> list[dict[str, str]]:
        codes = [str(variable.get("code", "")) for variable in variables]
        if any(
            not VARIABLE_CODE.match(code) or not str(variable.get("label", "")).strip()
            for code, variable in zip(codes, variables, strict=True)
        ):
            raise ValueError(_("setiap variabel memerlukan kode (huruf, angka atau _) dan label."))
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise ValueError(_("kode variabel %(codes)s tercantum lebih dari sekali.") % {"codes": ", ".join(twice)})
        return [{"code": str(variable["code"]), "label": str(variable["label"]).strip()} for variable in variables]


class CatalogueMapIn(BaseModel):
    """A wilkerstat map of the office's catalogue: an area of the regency (ordered by kecamatan or by desa)."""

    area: CleanLine = Field(min_length=2, max_length=200, description="e.g. Kecamatan Baamang")
    year: Year
    active: bool = True


class CataloguePublicationIn(BaseModel):
    """A publication of the office's catalogue, sold as an electronic file priced by its pages."""

    title: CleanLine = Field(min_length=2, max_length=300)
    year: Year
    pages: int = Field(ge=1, le=100_000)
    active: bool = True


class CatalogueVariableRead(BaseModel):
    """A variable of a dataset: its code (what ``variables`` of an item names) and its label."""

    code: str
    label: str


class CatalogueDatasetRead(BaseModel):
    """A dataset an applicant may order whole or by variables (``dataset_id`` of an item)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    survey: str
    year: int
    level: str
    size_bytes: int
    variables: list[CatalogueVariableRead]


class CatalogueMapRead(BaseModel):
    """An area whose wilkerstat map an applicant may order by kecamatan or by desa (``map_id`` and ``level``)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    area: str
    year: int
    levels: list[str] = Field(default_factory=lambda: ["kecamatan", "desa"])


class CataloguePublicationRead(BaseModel):
    """A publication an applicant may order as an electronic file (``publication_id`` of an item)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    year: int
    pages: int


class CatalogueRead(BaseModel):
    """What an office offers, for the items of POST /api/v1/sales."""

    office_code: str
    datasets: list[CatalogueDatasetRead]
    maps: list[CatalogueMapRead]
    publications: list[CataloguePublicationRead]
