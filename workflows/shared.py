"""Message dataclasses of every workflow, activity, update and query, and the named timeouts.

Add fields only with defaults: running workflows must keep decoding what they already hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from temporalio.common import RetryPolicy

# Timeouts and retry policies, named once.
DB_ACTIVITY_TIMEOUT = timedelta(seconds=30)
MAIL_SEND_TIMEOUT = timedelta(seconds=60)
RETRY_FOREVER = RetryPolicy(
    initial_interval=timedelta(seconds=1), backoff_coefficient=2.0, maximum_interval=timedelta(minutes=5)
)


@dataclass
class Actor:
    """Who acts: a staff member (email, role, office) or the applicant (role 'applicant')."""

    name: str
    role: str
    office_code: str


@dataclass
class StepRecord:
    """Sent by a workflow to RecordActivities.record_step: one audit entry and the new read-model state."""

    case_id: str
    event_key: str
    action: str
    step: str
    status: str
    assignee_role: str | None
    actor: Actor
    at: datetime
    note: str = ""
    changes_step: bool = True  # False: an event within the step (audit entry only)


@dataclass
class MailRequest:
    """Sent by a workflow to NotifyActivities.queue_mail: one notice of a case, to the applicant or a role."""

    case_id: str
    notice: str
    phase: str
    to_applicant: bool = True
    to_role: str | None = None
    context: dict[str, str] = field(default_factory=dict)
    to_staff: str = ""  # one staff member of the role (e.g. the assigned examiner) instead of all of them


@dataclass
class Notice:
    """A mail a workflow owes; its mailer sends it (outbox first, then SMTP) in order."""

    notice: str
    phase: str
    to_role: str | None = None
    context: dict[str, str] = field(default_factory=dict)
    to_staff: str = ""


@dataclass
class QueuedMail:
    """Returned by queue_mail and passed to send_mail: the outbox row to deliver."""

    mail_id: int
    key: str


@dataclass
class BudgetRequest:
    """Sent by the SLA clock to CalendarActivities.service_budget: the office's limit for a service."""

    office_code: str
    service: str


@dataclass
class Budget:
    """A time limit: ``amount`` of ``unit`` (working_days, days, minutes)."""

    unit: str
    amount: float


@dataclass
class ClockRequest:
    """Sent by the SLA clock to CalendarActivities.clock_times: the clock (re)started at ``anchor``."""

    office_code: str
    unit: str
    anchor: datetime
    anchor_budget: float
    total_budget: float


@dataclass
class ClockTimes:
    """Answer of clock_times: when to warn, the deadline, when to escalate to the province (UTC)."""

    deadline: datetime
    warning_at: datetime
    escalation_at: datetime


@dataclass
class UsedRequest:
    """Sent by the SLA clock to CalendarActivities.budget_used when it pauses."""

    office_code: str
    unit: str
    anchor: datetime
    at: datetime


@dataclass
class SlaRecord:
    """Sent by the SLA clock to RecordActivities.record_sla: one audit entry and the clock on the read model."""

    case_id: str
    event_key: str
    action: str
    actor: Actor
    at: datetime
    sla_state: str
    unit: str
    deadline: datetime | None = None
    warning_at: datetime | None = None
    remaining: float | None = None
    note: str = ""


@dataclass
class WorkingDayRequest:
    """Sent by the digest to CalendarActivities.is_working_day."""

    office_code: str
    at: datetime


@dataclass
class DigestInput:
    """Given by the office's digest Schedule; ``as_of`` only when a person or test runs it for a moment."""

    office_code: str
    as_of: datetime | None = None


@dataclass
class DigestRequest:
    """Sent by the digest to NotifyActivities.queue_digest."""

    office_code: str
    as_of: datetime


@dataclass
class DigestResult:
    """What a digest run did."""

    office_code: str
    sent: int
    skipped_reason: str = ""


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
class AbstractReview:
    """Update sent by an officer: the usage abstract fits the data asked (approve) or not (reject + reason)."""

    decision: str
    actor: Actor
    reason: str = ""


@dataclass
class StepResult:
    """What an update answers: the case, the step it is in now, and a detail (e.g. a download token)."""

    case_id: str
    step: str
    detail: str = ""


@dataclass
class SaleStatus:
    """Answer of the sale's status query."""

    case_id: str
    step: str
    done: bool


# ---------------------------------------------------------------- documents and prices of the sale


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


# ---------------------------------------------------------------- the sale's human steps (Updates)


@dataclass
class CompletenessCheck:
    """Update sent by the officer: the request is clear and complete, or what is missing."""

    actor: Actor
    complete: bool
    missing: str = ""


@dataclass
class DocumentAttached:
    """Update sent by the applicant (or officer) after the API stored an uploaded file of the case."""

    actor: Actor
    document_id: int
    kind: str
    note: str = ""


@dataclass
class Offer:
    """Update sent by the officer: the priced items, the sample (microdata only) and whether it is Rp0."""

    actor: Actor
    lines: list[PriceLine]
    sample_document_id: int | None = None
    zero_rupiah: bool = False
    institution: str = ""


@dataclass
class SampleReview:
    """Update sent by the applicant: accept the sample, or ask the one revision (what to change)."""

    actor: Actor
    accept: bool
    revision: str = ""


@dataclass
class PaymentRecord:
    """Update sent by the treasurer: payment received (cash, or SIMPONI with its NTPN)."""

    actor: Actor
    method: str  # cash | simponi
    ntpn: str = ""


@dataclass
class PaymentNotice:
    """Signal sent by the SIMPONI webhook: the billing code was paid, with its NTPN."""

    billing_code: str
    ntpn: str
    paid_at: datetime


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
class LinkRequest:
    """Sent by the sale to PaymentActivities.create_link: a signed link to the data package."""

    case_id: str
    document_id: int
    sequence: int
    issued_at: datetime


@dataclass
class LinkRef:
    """A download link: its token and expiry."""

    token: str
    expires_at: datetime


@dataclass
class BillingRequest:
    """Sent by the sale to PaymentActivities.issue_billing: a SIMPONI billing code for the amount."""

    case_id: str
    amount: int
    sequence: int
    issued_at: datetime


@dataclass
class Billing:
    """A SIMPONI billing code and when it expires."""

    billing_code: str
    expires_at: datetime


@dataclass
class Settlement:
    """Sent by the sale to PaymentActivities.settle: how the case was paid."""

    case_id: str
    method: str
    amount: int
    actor: str
    billing_code: str = ""
    ntpn: str = ""
    document_id: int | None = None
    status: str = "paid"
    reason: str = ""


@dataclass
class ZeroRupiahRequest:
    """Sent by the sale to PaymentActivities.grant_zero_rupiah: once per institution and dataset."""

    case_id: str
    institution: str
    datasets: list[str]
    granted_by: str


@dataclass
class RatingRecord:
    """Sent by the sale to RecordActivities.record_rating."""

    case_id: str
    scores: list[int]
    feedback: str
    follow_up: bool
    reason: str = ""


@dataclass
class FollowUpDone:
    """Sent by the sale to RecordActivities.close_follow_up."""

    case_id: str
    note: str
    actor: str


# ---------------------------------------------------------------- the recommendation (FS3)


@dataclass
class RecommendationInput:
    """Given by the API when it starts a recommendation; the FS3 itself stays in the database."""

    case_id: str
    office_code: str
    channel: str
    electronic_form: bool = True


@dataclass
class RecommendationResubmit:
    """Update sent by the agency: the FS3 was completed or revised (stored by the API before)."""

    actor: Actor
    note: str = ""


@dataclass
class ExaminerAssignment:
    """Update sent by the supervisor: who examines the FS3 (an examiner of the office)."""

    actor: Actor
    examiner: str


@dataclass
class Examination:
    """Update sent by the assigned examiner: recommend, or return the FS3 for revision with notes."""

    actor: Actor
    recommend: bool
    notes: str = ""


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


# ---------------------------------------------------------------- complaints


@dataclass
class ComplaintInput:
    """Given by the API when a complaint is recorded or filed; its text stays in the database."""

    case_id: str
    office_code: str
    channel: str
    has_email: bool = True  # no acknowledgement or resolution mail when the complainant left no address


@dataclass
class ComplaintResolution:
    """Update sent by the officer or supervisor: the response sent to the complainant."""

    actor: Actor
    response: str


# ---------------------------------------------------------------- visits (guest book and queue)


@dataclass
class VisitInput:
    """Given by the API when a guest takes a queue number; ``desk_free``: nobody is ahead."""

    case_id: str
    office_code: str
    queue_number: str
    desk_free: bool = True


@dataclass
class VisitAction:
    """Update sent by the officer on duty: call the guest, start serving, finish."""

    actor: Actor
