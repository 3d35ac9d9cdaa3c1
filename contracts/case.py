"""Messages every case workflow shares: who acts, a step to record, what an update answers, common actions.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass, field
from datetime import datetime

from contracts.documents import (
    CorrectionRequest,
    DocumentRequest,
    Invoice,
    InvoiceRequest,
    LetterRef,
    LetterRequest,
    ReceiptRef,
    ReceiptRequest,
)
from contracts.mail import Notice
from contracts.payments import Billing, BillingRequest, LinkRequest, Settlement, ZeroRupiahRequest
from contracts.sale_items import ItemsRevision
from contracts.sla import ClockChange, ClockReading
from core.enums import (
    CLOSED_STEP,
    ROLE_LABELS,
    STEP_LABELS,
    ComplaintStep,
    RecommendationStep,
    Role,
    SaleStep,
    Service,
    VisitStep,
)


@dataclass(frozen=True)
class ActionRule:
    """Who may take a person's action, in which steps: the workflow's validator and the pages read the same rule."""

    steps: frozenset[str]
    roles: frozenset[str]

    def allows(self, step: str, role: str) -> bool:
        """Whether ``role`` may take the action while the case is in ``step``."""
        return step in self.steps and role in self.roles

    def refusal(self, case_id: str, step: str, role: str, steps: frozenset[str] | None = None) -> str | None:
        """Why ``role`` may not take the action in ``step`` (within ``steps``, if narrower), or None."""
        if step not in (self.steps if steps is None else steps):
            return f"Aksi ini tidak berlaku pada tahap sekarang permintaan {case_id} ({STEP_LABELS.get(step, step)})."
        if role not in self.roles:
            allowed = " atau ".join(sorted(ROLE_LABELS.get(allowed, allowed) for allowed in self.roles))
            return f"Aksi ini hanya untuk {allowed}; peran Anda {ROLE_LABELS.get(role, role)}."
        return None


def rule(steps: set[str], roles: set[str]) -> ActionRule:
    """An ActionRule from plain sets."""
    return ActionRule(frozenset(steps), frozenset(roles))


@dataclass
class Actor:
    """Who acts: a staff member, the applicant (role 'applicant') or the system, by reference, never by email or
    name: ``name`` is ``staff-<id>`` or ``applicant-<id>`` (core/people.py), or a system's name (``sistem``,
    ``SIMPONI``)."""

    name: str
    role: str
    office_code: str


@dataclass
class RatingRecord:
    """Part of a step: the applicant's survey of the service, stored once; a ``reason`` opens a follow-up."""

    case_id: str
    scores: list[int]
    feedback: str
    follow_up: bool
    reason: str = ""


@dataclass
class FollowUpDone:
    """Part of a step: what the officer did about a rating that needed follow-up."""

    case_id: str
    note: str
    actor: str


@dataclass
class ReopenWindow:
    """Part of a step: the read model learns until when a closed case may be reopened and into which step
    (``until`` None: the window is over or the case was reopened)."""

    case_id: str
    step: str = ""
    until: datetime | None = None


@dataclass
class StepEffects:
    """What a step writes besides its record, in the same transaction: documents, payments, links, ratings.

    Each is idempotent, so a retried step finds what its first attempt wrote.
    """

    zero_rupiah: ZeroRupiahRequest | None = None
    invoice: InvoiceRequest | None = None
    sppd_draft: DocumentRequest | None = None
    billing: BillingRequest | None = None
    settlement: Settlement | None = None
    receipt: ReceiptRequest | None = None
    link: LinkRequest | None = None
    rating: RatingRecord | None = None
    follow_up: FollowUpDone | None = None
    letter: LetterRequest | None = None
    revision: ItemsRevision | None = None
    correction: CorrectionRequest | None = None  # a corrected data package replaces the delivered one
    reopen: ReopenWindow | None = None
    void_billing: str = ""  # a case id: its pending billing codes become void (a sale closed unpaid)


@dataclass
class StepRecord:
    """Sent by a workflow to RecordActivities.record_step: everything one step writes, in one transaction.

    The audit entry (``event_key`` makes it once; empty for a change of the clock alone), the read model's new
    state, the SLA clock's change and the mails the step owes, rendered into the outbox.
    """

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
    clock: ClockChange | None = None
    mails: list[Notice] = field(default_factory=list)
    effects: StepEffects | None = None


@dataclass
class StepOutcome:
    """Answer of record_step: the clock after the step's change and what its effects made.

    ``note`` is what the step was recorded with: its own note, or the one its effect gives (e.g. the invoice
    total, the receipt or letter number).
    """

    clock: ClockReading | None = None
    note: str = ""
    invoice: Invoice | None = None
    billing: Billing | None = None
    receipt: ReceiptRef | None = None
    letter: LetterRef | None = None


@dataclass
class StepResult:
    """What an update answers: the case, the step it is in now, and a detail (the receipt or letter number); never a
    token or a link (the API reads a new download link's token from the database)."""

    case_id: str
    step: str
    detail: str = ""


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


# ---------------------------------------------------------------- closing and reopening a case (issue 14)

# The audit actions: ``case_closed`` (the officer or supervisor), ``closed_timeout`` (a timer: the applicant never
# answered), ``reopen_window`` (a supervisor may reopen it until…), ``case_reopened``.
REOPEN_DAYS = 30  # a case closed by a timer may be reopened this long after closing (the support window)
REOPEN_DETAILS_KEY = "reopen"  # where the read model keeps the window: Case.details["reopen"] = {"step", "until"}
CLOSING_ROLES = frozenset({Role.OFFICER.value, Role.SUPERVISOR.value})

# In which steps the officer or supervisor may close a case of each service: every step but its ends (a sale in its
# support window was delivered: it ends by itself).
CLOSE_RULES: dict[str, ActionRule] = {
    Service.SALE: ActionRule(
        frozenset(SaleStep)
        - {SaleStep.SUPPORT, SaleStep.COMPLETED, SaleStep.CANCELLED, SaleStep.REFERRED_TO_CONSULTATION},
        CLOSING_ROLES,
    ),
    Service.RECOMMENDATION: ActionRule(frozenset(RecommendationStep) - {RecommendationStep.RECOMMENDED}, CLOSING_ROLES),
    Service.COMPLAINT: ActionRule(frozenset(ComplaintStep) - {ComplaintStep.RESOLVED}, CLOSING_ROLES),
    Service.VISIT: ActionRule(frozenset(VisitStep) - {VisitStep.DONE}, CLOSING_ROLES),
}
# Reopening: only a supervisor, only a case a timer closed (a sale's "cancelled", or "closed"), within the window.
REOPEN_RULE = ActionRule(frozenset({SaleStep.CANCELLED.value, CLOSED_STEP}), frozenset({Role.SUPERVISOR.value}))


@dataclass
class CaseClosing:
    """Update sent by the officer or supervisor: close (cancel) the case; ``reason`` is kept in the audit trail and
    mailed to the applicant."""

    actor: Actor
    reason: str


@dataclass
class CaseReopening:
    """Update sent by a supervisor: reopen a case a timer closed, within its window; the case goes back to the step
    it was closed in and its clock resumes."""

    actor: Actor
    reason: str
