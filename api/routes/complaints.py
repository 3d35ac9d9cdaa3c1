"""Complaints: recorded from any channel, or filed by an applicant; answered by the office."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.deps import (
    ActionContextDep,
    IdempotencyKeyDep,
    OptionalApplicantDep,
    OptionalStaffDep,
    SessionDep,
    SettingsDep,
    StaffDep,
    TemporalDep,
)
from api.openapi_errors import CASE, STORED_FOR_LATER, errors
from api.sale_schemas import ActionRead
from api.schemas import SubmittedRead
from api.services import complaints
from api.services.actions import perform
from api.services.case_actions import action_named
from api.services.recovery import submission_status
from core.enums import Service

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints"], responses=CASE)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="File a complaint (applicant) or record one from a channel (staff of the office)",
    description="Staff give the channel, the day it was received (default today at the office, never in the "
    "future), the complainant's name and a phone number and/or email, or `anonymous: true` (then nothing is "
    "mailed), and for `lapor` the report's tracking number. Sent again with the same Idempotency-Key, it answers "
    "the first complaint instead of recording a second.",
    responses={**STORED_FOR_LATER, **errors(said={422: "A rule is broken (each field's message); nothing recorded"})},
)
async def file_complaint(
    request: complaints.ComplaintCreate,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: OptionalStaffDep,
    applicant: OptionalApplicantDep,
    idempotency_key: IdempotencyKeyDep,
) -> SubmittedRead:
    submitted = await complaints.file_complaint(
        session=session,
        temporal=temporal,
        settings=settings,
        request=request,
        staff=staff,
        applicant=applicant,
        idempotency_key=idempotency_key,
    )
    response.status_code = submission_status(submitted)  # 202: stored, processed shortly (Temporal down)
    return submitted


@router.post(
    "/{case_id}/resolution",
    summary="Officer or supervisor: the response sent to the complainant",
    responses=errors(said={409: "Already answered, or not your role"}),
)
async def resolve(
    case_id: str, body: complaints.ResolutionIn, context: ActionContextDep, staff: StaffDep
) -> ActionRead:
    case = await complaints.complaint_case(session=context.session, case_id=case_id)
    return await perform(
        action_named(Service.COMPLAINT, "resolve"), context=context, case=case, principal=staff, body=body
    )
