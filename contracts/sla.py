"""The SLA clock's and the daily digest's messages.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass
from datetime import datetime


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


# The clock's escalation notices, in the order they fall due: each is an action of the timeline and a mail.
CLOCK_NOTICES = ("sla_warning", "sla_breached", "sla_escalated")


@dataclass
class ClockChange:
    """Sent by the SLA clock with a step to RecordActivities.record_step: what the clock does in that step.

    ``action`` is a ClockAction (core.enums: sla_started, sla_resumed, sla_paused, sla_stopped, sla_recomputed) or
    a notice of CLOCK_NOTICES (sla_warning, sla_breached, sla_escalated); the activity computes the moments from
    the office's calendar in the same transaction that records the step.
    """

    action: str
    event_key: str
    sla_state: str  # what the read model shows after it
    office_code: str
    service: str
    unit: str = ""  # empty on sla_started: the office's standard for ``service`` decides
    total: float = 0.0
    anchor: datetime | None = None  # when the running phase (re)started
    anchor_budget: float = 0.0  # what was left of the limit at ``anchor``
    deadline: datetime | None = None  # the deadline the workflow knows (a recompute records only a change)
    note: str = ""


@dataclass
class ClockReading:
    """The clock after a change: its limit, what is left, and when to warn, the deadline, the escalation (UTC)."""

    unit: str
    total: float
    anchor_budget: float
    remaining: float = 0.0
    deadline: datetime | None = None
    warning_at: datetime | None = None
    escalation_at: datetime | None = None


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
