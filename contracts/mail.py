"""Mail a workflow owes and mail outside a case.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Notice:
    """A mail a workflow owes: written into the outbox with the step that owes it (to the applicant, or a role)."""

    notice: str
    phase: str
    to_role: str | None = None
    context: dict[str, str] = field(default_factory=dict)
    to_staff: str = ""


@dataclass
class QueuedMail:
    """Answer of the mail activities: the outbox row written (the relay delivers it)."""

    mail_id: int
    key: str


@dataclass
class DirectMail:
    """Sent to DirectMailWorkflow (by the API before 2026-11-28), then to NotifyActivities.queue_direct_mail: one
    mail outside a case to an applicant.

    It carries no personal data: ``key`` makes it exactly one (outbox row and workflow id ``mail-<key>``), the
    activity reads the applicant's address and name and makes the link the mail carries. ``notice`` names the
    template ``core/mail_templates/<notice>.txt``.
    """

    key: str
    notice: str
    applicant_id: int
    at: datetime  # when it was asked for (a link in it is valid from then)
