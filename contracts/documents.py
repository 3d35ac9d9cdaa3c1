"""Generated and stored documents of a case: invoices, SPPD drafts, receipts, recommendation letters.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass, field


@dataclass
class PriceLine:
    """One priced item of an offer, as the officer states it: which tariff and how much of it."""

    item: str
    tariff_code: str
    quantity: int


@dataclass
class PricedLine:
    """A price line with the tariff's name and unit and the computed amount (Rupiah)."""

    item: str
    tariff_code: str
    tariff_name: str
    quantity: int
    unit: str
    amount: int


@dataclass
class InvoiceRequest:
    """Sent by the sale to DocumentActivities.issue_invoice; ``version`` counts offers (a revision makes 2)."""

    case_id: str
    lines: list[PriceLine]
    version: int = 1
    zero_rupiah: bool = False


@dataclass
class Invoice:
    """The issued invoice: its PDF, its lines and the total (0 for a Rp0 sale)."""

    document_id: int
    amount: int
    lines: list[PricedLine] = field(default_factory=list)


@dataclass
class DocumentRequest:
    """Sent by the sale to DocumentActivities for a generated PDF of a case (e.g. the SPPD draft)."""

    case_id: str
    kind: str
    version: int = 1


@dataclass
class DocumentRef:
    """A stored document of a case."""

    document_id: int
    kind: str
    filename: str


@dataclass
class ReceiptRequest:
    """Sent by the sale to DocumentActivities.issue_receipt when the treasurer issues the kuitansi."""

    case_id: str
    issued_by: str


@dataclass
class ReceiptRef:
    """The numbered receipt and its PDF."""

    number: str
    amount: int
    document_id: int


@dataclass
class LetterRequest:
    """Sent by the recommendation to DocumentActivities.issue_recommendation_letter."""

    case_id: str
    examiner: str
    notes: str
    round: int


@dataclass
class LetterRef:
    """The numbered recommendation letter (the id the agency quotes) and its PDF."""

    number: str
    document_id: int


@dataclass
class CorrectionRequest:
    """Part of the step of a corrected delivery (seed 004, walk-in step 12): the corrected data package replaces the
    one delivered before, whose links stop serving it; a walk-in guest without an account gets a new download code on
    a reprinted receipt (``sequence`` counts the corrections of the case)."""

    case_id: str
    document_id: int
    replaced_document_id: int
    sequence: int = 1
