"""The walk-in visit's action (the officer on duty moves the guest on), and its catalogue."""

from __future__ import annotations

from api.sale_schemas import ActionRead, NoInput
from api.services import visits
from api.services.actions import ActionCall, CaseAction
from contracts.visit import VISIT_RULES, VisitAction
from core.enums import Service, VisitStep
from workflows.visit import VisitWorkflow


async def advance(*, call: ActionCall) -> ActionRead:
    """The officer on duty: call the guest, start serving, or finish (which starts the next guest's wait)."""
    result = await call.send(VisitWorkflow.advance, VisitAction(call.actor))
    if result.step == VisitStep.DONE:
        await visits.start_next_wait(session=call.session, temporal=call.temporal, case=call.case)
    return result


VISIT_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "advance", "Panggil, layani atau selesaikan tamu", Service.VISIT, VISIT_RULES["advance"], NoInput, advance
    ),
)
