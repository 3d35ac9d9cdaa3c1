"""Closing and reopening a case of any service: the officer's or supervisor's close with a reason, and the supervisor's
reopen of a case a timer closed, within its window."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ActionContextDep, StaffDep
from api.errors import NotFound
from api.openapi_errors import CASE, errors
from api.sale_schemas import ActionRead
from api.services.actions import perform
from api.services.case_actions import action_named
from api.services.close_actions import CloseIn, ReopenIn
from core.i18n import gettext as _
from core.models import Case

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=CASE)


async def _case(context: ActionContextDep, case_id: str) -> Case:
    case = await context.session.get(Case, case_id)
    if case is None:
        raise NotFound(_("Permintaan %(case_id)s tidak ditemukan.") % {"case_id": case_id})
    return case


@router.post(
    "/{case_id}/close",
    summary="Officer or supervisor: close (cancel) the case with a reason, mailed to the applicant",
    description="Any service. The case leaves the inbox (status cancelled, no assignee) and the reports count it as "
    "cancelled. The reason is required.",
    responses=errors(said={409: "The case is over already, or not your role"}),
)
async def close(case_id: str, body: CloseIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    case = await _case(context, case_id)
    return await perform(action_named(case.service, "close"), context=context, case=case, principal=staff, body=body)


@router.post(
    "/{case_id}/reopen",
    summary="Supervisor: reopen a case a timer closed, within its window, with a reason",
    description="The case goes back to the step it was closed in and its clock runs again; the applicant is mailed.",
    responses=errors(said={409: "Not closed by a timer, its window is over, or not your role"}),
)
async def reopen(case_id: str, body: ReopenIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    case = await _case(context, case_id)
    return await perform(action_named(case.service, "reopen"), context=context, case=case, principal=staff, body=body)
