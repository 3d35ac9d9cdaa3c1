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


@dataclass
class MailRequest:
    """Sent by a workflow to NotifyActivities.queue_mail: one notice of a case, to the applicant or a role."""

    case_id: str
    notice: str
    phase: str
    to_applicant: bool = True
    to_role: str | None = None
    context: dict[str, str] = field(default_factory=dict)


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


@dataclass
class AbstractReview:
    """Update sent by an officer: the usage abstract fits the data asked (approve) or not (reject + reason)."""

    decision: str
    actor: Actor
    reason: str = ""


@dataclass
class StepResult:
    """What an update answers: the case and the step it is in now."""

    case_id: str
    step: str


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
