"""What each service keeps on its case beside the read model's columns, typed: one model per service.

``Case.details`` (JSON) is read and written only through these models: ``sale_details(case)`` and the like
read it, ``save_details(case, details)`` writes it back whole.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.enums import Service
from core.i18n import gettext as _
from core.models import Case


class _Details(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RequestedItem(BaseModel):
    """One item of a sale: a microdata dataset (full set or chosen variables), a digital map, a publication."""

    kind: Literal["microdata", "map", "publication"]
    name: str
    variables: list[str] = Field(default_factory=list)  # empty: the full set
    level: Literal["kecamatan", "desa"] | None = None  # maps only
    # From the office's catalogue (core/catalogue.py): the row chosen and the units that price it (bytes, pages, maps)
    dataset_id: int | None = None
    map_id: int | None = None
    publication_id: int | None = None
    quantity: int | None = None

    def label(self) -> str:
        """The item as a person reads it, in the language of the moment."""
        if self.kind == "map":
            level = self.level or "-"
            return _("Peta digital wilkerstat %(area)s (per %(level)s)") % {"area": self.name, "level": level}
        if self.kind == "publication":
            return _("Publikasi %(title)s") % {"title": self.name}
        if self.variables:
            return _("Data mikro %(dataset)s (variabel: %(variables)s)") % {
                "dataset": self.name,
                "variables": ", ".join(self.variables),
            }
        return _("Data mikro %(dataset)s (seluruh variabel (fullset))") % {"dataset": self.name}


class FeeLine(BaseModel):
    """One priced line of the sale's current invoice."""

    item: str
    tariff_code: str
    tariff_name: str
    quantity: int
    unit: str
    amount: int


class SaleDetails(_Details):
    """A sale: what is asked, the usage abstract, the payer's facts and the current invoice."""

    items: list[RequestedItem] = Field(default_factory=list)
    abstract: str = ""
    npwp: str = ""
    abroad: bool = False
    recorded_by: str = ""  # the officer who recorded a walk-in request
    fee: int | None = None  # the current invoice's total, once offered
    fee_lines: list[FeeLine] = Field(default_factory=list)
    visit_id: str | None = None  # the desk visit it was opened from
    idempotency_key: str = ""  # of the submission: sent again, the same sale answers

    def kinds(self) -> list[str]:
        """The item kinds asked, sorted (what the workflow's path depends on)."""
        return sorted({item.kind for item in self.items})


class RecommendationDetails(_Details):
    """A recommendation: the agency's unit, the electronic FS3 (blocks as submitted) and the letter number."""

    unit: str = ""
    fs3: dict[str, Any] | None = None  # validated by the API's FS3 form when submitted
    title: str = ""
    recorded_by: str = ""
    letter_number: str = ""
    visit_id: str | None = None
    idempotency_key: str = ""  # of the submission: sent again, the same FS3 answers


class ComplaintDetails(_Details):
    """A complaint: its text, the channel it came by, the case it is about, when it was received, and how to reach
    the complainant beside the case's name and email (a phone number; none at all when anonymous)."""

    text: str = ""
    channel: str = ""  # a ComplaintChannel (the case's channel column holds the same, written once at recording)
    linked_case_id: str | None = None
    recorded_by: str = ""
    received_on: date | None = None  # office-local day it reached the office (the desk may record it later)
    anonymous: bool = False  # no name, no contact: nothing is mailed
    phone: str = ""
    lapor_number: str = ""  # the tracking number of an SP4N-LAPOR! report
    idempotency_key: str = ""  # of the recording: sent again, the same complaint answers


class VisitDetails(_Details):
    """A guest of the desk: queue number, purpose, the contact left, and the cases opened from the visit."""

    queue_number: str = ""
    purpose: str = ""
    service_wanted: str = ""
    contact: str = ""
    case_ids: list[str] = Field(default_factory=list)


DETAILS: dict[str, type[_Details]] = {
    Service.SALE: SaleDetails,
    Service.RECOMMENDATION: RecommendationDetails,
    Service.COMPLAINT: ComplaintDetails,
    Service.VISIT: VisitDetails,
}


def _read(case: Case, model: type[_Details]) -> Any:
    if DETAILS[case.service] is not model:
        raise ValueError(f"{case.id} is a {case.service}, not a {model.__name__}")
    return model.model_validate(case.details or {})


def details_of(case: Case) -> Any:
    """The details of any case, as its service's model (for pages that list several services)."""
    return _read(case, DETAILS[case.service])


def sale_details(case: Case) -> SaleDetails:
    """The details of a sale case."""
    details: SaleDetails = _read(case, SaleDetails)
    return details


def recommendation_details(case: Case) -> RecommendationDetails:
    """The details of a recommendation case."""
    details: RecommendationDetails = _read(case, RecommendationDetails)
    return details


def complaint_details(case: Case) -> ComplaintDetails:
    """The details of a complaint case."""
    details: ComplaintDetails = _read(case, ComplaintDetails)
    return details


def visit_details(case: Case) -> VisitDetails:
    """The details of a visit case."""
    details: VisitDetails = _read(case, VisitDetails)
    return details


def save_details(case: Case, details: _Details) -> None:
    """Write ``details`` back to the case (a new JSON value, so the ORM sees the change)."""
    if not isinstance(details, DETAILS[case.service]):
        raise ValueError(f"{case.id} is a {case.service}: its details are {DETAILS[case.service].__name__}")
    case.details = details.model_dump(mode="json")
