"""Messages every case workflow shares: who acts, a step to record, what an update answers, common actions.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass, field
from datetime import datetime

from contracts.mail import Notice
from contracts.sla import ClockChange, ClockReading


@dataclass
class Actor:
    """Who acts: a staff member (email, role, office), the applicant (role 'applicant') or the system."""

    name: str
    role: str
    office_code: str


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


@dataclass
class StepOutcome:
    """Answer of record_step: the clock after the step's change (None when the step left the clock alone)."""

    clock: ClockReading | None = None


@dataclass
class StepResult:
    """What an update answers: the case, the step it is in now, and a detail (e.g. a download token)."""

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
