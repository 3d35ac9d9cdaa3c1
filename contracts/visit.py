"""Walk-in visits (guest book and queue): workflow input and the officer's action.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass
from datetime import datetime

from contracts.case import ActionRule, Actor, rule
from core.enums import Role, VisitStep


@dataclass
class VisitInput:
    """Given by the API when a guest takes a queue number; ``desk_free``: nobody is ahead. ``closes_at``: the office's
    close of business on the guest's day (UTC); a guest not yet served then is closed as not served (None: never,
    as for visits started before this field)."""

    case_id: str
    office_code: str
    queue_number: str
    desk_free: bool = True
    closes_at: datetime | None = None
    day_ends_at: datetime | None = None  # the end of that day (office time): a service still open then is finished


@dataclass
class VisitAction:
    """Update sent by the officer on duty: call the guest, start serving, finish. ``expected_step`` is the step the
    officer's page showed (its button names it): the guest must still be there, so a second click is refused.
    ``counter``: where a call sends the guest (e.g. "Loket 1"), written as the call's note for the lobby."""

    actor: Actor
    expected_step: str = ""
    counter: str = ""


# Update name → who may send it in which steps.
VISIT_RULES: dict[str, ActionRule] = {
    "advance": rule({VisitStep.WAITING, VisitStep.CALLED, VisitStep.SERVING}, {Role.OFFICER, Role.SUPERVISOR}),
}
