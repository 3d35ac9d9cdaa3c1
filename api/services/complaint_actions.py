"""The complaint's action: the response; and its catalogue."""

from __future__ import annotations

from api.sale_schemas import ActionRead
from api.services.actions import ActionCall, CaseAction
from api.services.complaints import ResolutionIn
from contracts.complaint import COMPLAINT_RULES, ComplaintResolution
from core.enums import Service
from workflows.complaint import ComplaintWorkflow


async def resolve(*, call: ActionCall) -> ActionRead:
    """The officer or supervisor: the response, mailed to the complainant and kept."""
    body: ResolutionIn = call.body
    return await call.send(ComplaintWorkflow.resolve, ComplaintResolution(call.actor, body.response.strip()))


COMPLAINT_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction("resolve", "Tanggapi pengaduan", Service.COMPLAINT, COMPLAINT_RULES["resolve"], ResolutionIn, resolve),
)
