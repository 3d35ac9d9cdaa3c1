"""The sale's workflow input, its people's actions (Updates) and its records.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass, field

from contracts.case import ActionRule, Actor, rule
from contracts.documents import PriceLine
from contracts.sale_items import RevisedItem
from core.enums import ActorKind, Role, SaleStep


@dataclass
class SaleInput:
    """Given by the API when it starts a sale; personal data stays in the database, not here."""

    case_id: str
    office_code: str
    channel: str
    segment: str = ""
    abroad: bool = False
    kinds: list[str] = field(default_factory=list)  # item kinds: microdata, map, publication
    support_days: int = 30  # the window after delivery in which a new link is served


@dataclass
class WaitsRequest:
    """Sent by the sale workflow to RecordActivities.applicant_waits when it first waits on the applicant."""

    office_code: str


@dataclass
class ApplicantWaits:
    """Answer of RecordActivities.applicant_waits: how long the office waits on the applicant in each step (days),
    how many days before the end the applicant is reminded, and how many billing codes an unpaid sale gets before
    it closes. The defaults are the standard's (returned 14, sample review 7, payment 14, SPPD by post 30, 3 codes);
    an administrator changes them per office."""

    returned_days: int = 14
    sample_review_days: int = 7
    payment_days: int = 14
    sppd_days: int = 30
    reminder_days: int = 3
    billing_codes: int = 3


@dataclass
class AbstractReview:
    """Update sent by an officer: the usage abstract fits the data asked (approve) or not (reject + reason)."""

    decision: str
    actor: Actor
    reason: str = ""


@dataclass
class SaleStatus:
    """Answer of the sale's status query."""

    case_id: str
    step: str
    done: bool


@dataclass
class Offer:
    """Update sent by the officer: the priced items, the sample (microdata only) and whether it is Rp0 (then the
    institution the officer confirmed, by id, and its request letter; ``institution``, a name, is no longer sent)."""

    actor: Actor
    lines: list[PriceLine]
    sample_document_id: int | None = None
    zero_rupiah: bool = False
    institution: str = ""
    institution_id: int | None = None
    request_letter_id: int | None = None


@dataclass
class SampleReview:
    """Update sent by the applicant: accept the sample, or ask the one revision (what to change, and the items as
    revised, if the applicant changed them)."""

    actor: Actor
    accept: bool
    revision: str = ""
    items: list[RevisedItem] = field(default_factory=list)


@dataclass
class PaymentRecord:
    """Update sent by the treasurer: payment received (cash, or SIMPONI with its NTPN)."""

    actor: Actor
    method: str  # cash | simponi
    ntpn: str = ""


@dataclass
class TransferReview:
    """Update sent by the treasurer on an abroad payment's transfer proof."""

    actor: Actor
    accept: bool
    reason: str = ""


@dataclass
class SppdReceived:
    """Update sent by the officer: the signed SPPD originals arrived by post, or were signed at the desk."""

    actor: Actor
    method: str  # post | on_site
    received_on: str = ""  # ISO date
    tracking_number: str = ""


@dataclass
class SignedSppdReview:
    """Update sent by the officer on an uploaded e-meterai-signed SPPD."""

    actor: Actor
    accept: bool
    reason: str = ""


@dataclass
class ReceiptIssue:
    """Update sent by the treasurer: issue the numbered receipt (kuitansi)."""

    actor: Actor


@dataclass
class Delivery:
    """Update sent by the officer: the data package (a stored document) is ready for download."""

    actor: Actor
    document_id: int


@dataclass
class NewLinkRequest:
    """Update sent by the applicant within the support window, quoting the receipt number."""

    actor: Actor
    receipt_number: str


@dataclass
class RatingIn:
    """Update sent by the applicant: the nine survey elements (1–4) and feedback."""

    actor: Actor
    scores: list[int]
    feedback: str = ""
    follow_up: bool = False


@dataclass
class FollowUpRecord:
    """Update sent by the officer: what was done about a rating that needed follow-up."""

    actor: Actor
    note: str


@dataclass
class CorrectedDelivery:
    """Update sent by the officer within the support window (seed 004, walk-in step 12; online on the applicant's
    complaint about the data): a corrected data package (a stored document) replaces the delivered one; ``reason``
    (what was corrected) is kept in the audit trail and mailed to the applicant with a new link."""

    actor: Actor
    document_id: int
    reason: str


S, R, A = SaleStep, Role, ActorKind.APPLICANT
# The documents the workflow waits for (attach_document) and the steps in which it takes each.
DOCUMENT_STEPS: dict[str, frozenset[str]] = {
    "abstract": frozenset({S.SUBMITTED, S.COMPLETENESS, S.RETURNED}),
    "transfer_proof": frozenset({S.PAYMENT}),
    "sppd_signed": frozenset({S.SPPD}),
}


def documents_taken_in(step: str) -> tuple[str, ...]:
    """The documents the sale's workflow takes in ``step`` (what the portal offers to upload then)."""
    return tuple(kind for kind, steps in DOCUMENT_STEPS.items() if step in steps)


# Update name → who may send it in which steps (the sale's validators add what depends on the sale itself).
SALE_RULES: dict[str, ActionRule] = {
    "attach_document": rule(set().union(*DOCUMENT_STEPS.values()), {A, R.OFFICER}),
    "check_completeness": rule({S.COMPLETENESS}, {R.OFFICER}),
    "review_abstract": rule({S.ABSTRACT_REVIEW}, {R.OFFICER}),
    "make_offer": rule({S.OFFER}, {R.OFFICER}),
    "review_sample": rule({S.SAMPLE_REVIEW}, {A}),
    "record_payment": rule({S.PAYMENT}, {R.TREASURER}),
    "review_transfer": rule({S.PAYMENT}, {R.TREASURER}),
    "record_sppd": rule({S.SPPD}, {R.OFFICER}),
    "review_signed_sppd": rule({S.SPPD}, {R.OFFICER}),
    "issue_receipt": rule({S.RECEIPT}, {R.TREASURER}),
    "deliver": rule({S.DELIVERY}, {R.OFFICER}),
    "request_new_link": rule({S.SUPPORT}, {A}),
    "rate": rule({S.SUPPORT}, {A}),
    "record_follow_up": rule({S.SUPPORT}, {R.OFFICER}),
    "deliver_correction": rule({S.SUPPORT}, {R.OFFICER}),
}
