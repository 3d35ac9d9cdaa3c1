"""Message dataclass of mail outside a case (kept apart from workflows.mail, which imports the activities).

Add fields only with defaults: running workflows must keep decoding what they already hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DirectMail:
    """Sent by the API to DirectMailWorkflow, then to NotifyActivities.queue_direct_mail: one mail outside a case.

    ``key`` makes it exactly one (outbox row and workflow id ``mail-<key>``); it must carry no personal data.
    ``notice`` names the template ``activities/templates/<notice>.txt``, rendered with ``context``.
    """

    key: str
    to: str
    notice: str
    context: dict[str, str] = field(default_factory=dict)
