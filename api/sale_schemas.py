"""Schemas of the sale's steps in the JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from api.schemas import INTEGER_MAX, SaleItemIn, catalogue_items_from_form
from core.i18n import N_
from core.i18n import gettext as _
from core.text import CleanLine, CleanLines
from core.validators import required_when, validate_billing_code, validate_ntpn

RecordId = Annotated[int, Field(ge=1, le=INTEGER_MAX)]  # a row's number: past the database's INTEGER, a field error


class NoInput(BaseModel):
    """An action that needs nothing but the person's decision to take it (e.g. issuing the receipt)."""


class CompletenessIn(BaseModel):
    """The officer: clear and complete, or what is missing."""

    complete: bool
    missing: CleanLines = Field(default="", validate_default=True, max_length=2000)

    _missing_when_incomplete = field_validator("missing")(
        required_when("complete", False, N_("Tuliskan apa yang kurang; pesan ini dikirim kepada pengaju."))
    )


class PriceLineIn(BaseModel):
    """One priced item of the offer."""

    item: CleanLine = Field(min_length=2, max_length=200, description="Dataset, map area or publication title")
    tariff_code: CleanLine = Field(min_length=2, max_length=64, description="A code of GET /api/v1/tariffs")
    quantity: int = Field(ge=1, le=INTEGER_MAX, description="Bytes (microdata), pages (publication) or maps")


class OfferIn(BaseModel):
    """The officer's offer: price lines, the sample document (microdata) and Rp0 eligibility."""

    lines: list[PriceLineIn] = Field(min_length=1)
    sample_document_id: RecordId | None = None
    zero_rupiah: bool = False
    institution_id: RecordId | None = Field(
        default=None,
        description="Rp0: the institution the officer confirms (default: the one matched to the applicant)",
    )
    request_letter_document_id: RecordId | None = Field(
        default=None,
        description="Rp0: the institution's request letter, a `request_letter` PDF of the case (default: the newest)",
    )


class SampleReviewIn(BaseModel):
    """The applicant: accept the sample, or the one revision (in words, and the items as revised: from the office's
    catalogue, as in a new request; none: the items stay)."""

    accept: bool
    revision: CleanLines = Field(default="", max_length=2000)
    items: list[SaleItemIn] = Field(default_factory=list, description="The revised items (revision only)")

    @model_validator(mode="before")
    @classmethod
    def _items_from_form(cls, data: Any) -> Any:
        if isinstance(data, dict) and "items" not in data and (chosen := catalogue_items_from_form(data)):
            return {**data, "items": chosen}
        return data


class PaymentIn(BaseModel):
    """The treasurer: cash received, or SIMPONI paid with its NTPN."""

    method: Literal["cash", "simponi"]
    ntpn: CleanLine = ""

    @field_validator("ntpn")
    @classmethod
    def _ntpn(cls, value: str) -> str:
        return validate_ntpn(value) if value.strip() else ""


class DecisionIn(BaseModel):
    """Accept, or reject with a reason."""

    accept: bool
    reason: CleanLines = Field(default="", validate_default=True, max_length=2000)

    _reason_when_refused = field_validator("reason")(
        required_when("accept", False, N_("Tulis alasan penolakan; alasan ini dikirim ke pemohon."))
    )


class SppdIn(BaseModel):
    """The officer: the SPPD originals arrived by post (date, tracking number) or were signed at the desk."""

    method: Literal["post", "on_site"]
    received_on: date | None = None
    tracking_number: CleanLine = Field(default="", max_length=100)


class DeliveryIn(BaseModel):
    """The officer: the stored data package to deliver."""

    document_id: RecordId


class CorrectionIn(BaseModel):
    """The officer, within the support window: the corrected data package (stored first) and what was corrected."""

    document_id: RecordId
    reason: CleanLines = Field(min_length=3, max_length=2000)


class NewLinkIn(BaseModel):
    """The applicant, within the support window: the receipt number."""

    receipt_number: CleanLine = Field(min_length=3, max_length=64)


class RatingIn(BaseModel):
    """The applicant's survey: nine elements 1–4 (PermenPANRB 14/2017) and feedback."""

    scores: list[int] = Field(min_length=9, max_length=9)
    feedback: CleanLines = Field(default="", max_length=4000)
    follow_up: bool = False

    @field_validator("scores")
    @classmethod
    def _range(cls, scores: list[int]) -> list[int]:
        if any(score not in (1, 2, 3, 4) for score in scores):
            raise ValueError(_("Setiap unsur dinilai 1 sampai 4."))
        return scores


class FollowUpIn(BaseModel):
    """The officer's follow-up of a rating."""

    note: CleanLines = Field(min_length=3, max_length=4000)


class PaymentNoticeIn(BaseModel):
    """SIMPONI's payment notice."""

    billing_code: str
    ntpn: str
    paid_at: datetime

    @field_validator("billing_code")
    @classmethod
    def _code(cls, value: str) -> str:
        return validate_billing_code(value)

    @field_validator("ntpn")
    @classmethod
    def _ntpn(cls, value: str) -> str:
        return validate_ntpn(value)


class DocumentRead(BaseModel):
    """A stored document of a case."""

    id: int
    kind: str
    filename: str
    size: int


class ActionRead(BaseModel):
    """Answer to a step: where the case is now, and e.g. the download link or receipt number."""

    id: str
    step: str
    step_label: str
    detail: str = ""
