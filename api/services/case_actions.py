"""Every person's action on a case, in one catalogue: what the case page, the portal and the JSON routes use."""

from __future__ import annotations

from api.errors import NotFound
from api.services.actions import CaseAction, Principal, open_actions
from api.services.close_actions import CLOSE_ACTIONS
from api.services.complaint_actions import COMPLAINT_ACTIONS
from api.services.recommendation_actions import RECOMMENDATION_ACTIONS
from api.services.sale_actions import SALE_ACTIONS
from api.services.visit_actions import VISIT_ACTIONS
from core.i18n import gettext as _
from core.models import Case

# The close and reopen of every service come last: a case page shows the step's own action first.
ACTIONS: tuple[CaseAction, ...] = (
    SALE_ACTIONS + RECOMMENDATION_ACTIONS + COMPLAINT_ACTIONS + VISIT_ACTIONS + CLOSE_ACTIONS
)


def actions_open_to(case: Case, principal: Principal) -> list[CaseAction]:
    """The actions the person may take on the case now: the case page's and the portal's forms."""
    return open_actions(ACTIONS, case, principal)


def action_named(service: str, name: str) -> CaseAction:
    """The action ``name`` of ``service``, or NotFound."""
    for action in ACTIONS:
        if action.service == service and action.name == name:
            return action
    raise NotFound(_("Aksi '%(name)s' tidak dikenal untuk layanan ini.") % {"name": name})
