"""The walk-in visit's action (the officer on duty moves the guest on), and its catalogue."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.sale_schemas import ActionRead
from api.services import visits
from api.services.actions import ActionCall, CaseAction
from contracts.visit import VISIT_RULES, VisitAction
from core.enums import Service, VisitStep
from core.i18n import N_
from core.text import CleanLine
from workflows.visit import VisitWorkflow


class AdvanceIn(BaseModel):
    """The officer's next step on a guest: the step the page showed (its button names it, so a second click is
    refused), and for a call the counter the guest is called to."""

    expected_step: VisitStep | None = Field(
        default=None,
        description="The step the page showed: waiting (call), called (serve), serving (done); without it only a call",
    )
    counter: CleanLine = Field(default="", max_length=40, description="Where a call sends the guest, e.g. Loket 1")


async def advance(*, call: ActionCall) -> ActionRead:
    """The officer on duty: call the guest, start serving, or finish (which starts the next guest's wait)."""
    body: AdvanceIn = call.body
    action = VisitAction(call.actor, expected_step=body.expected_step or "", counter=body.counter.strip())
    result = await call.send(VisitWorkflow.advance, action)
    if result.step == VisitStep.DONE:
        await visits.start_next_wait(session=call.session, temporal=call.temporal, case=call.case)
    return result


VISIT_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "advance", N_("Panggil, layani atau selesaikan tamu"), Service.VISIT, VISIT_RULES["advance"], AdvanceIn, advance
    ),
)
