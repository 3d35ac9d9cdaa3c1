"""Sale requests: submit, read, the officer's abstract check."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import OptionalStaffDep, SessionDep, SettingsDep, StaffDep, TemporalDep
from api.schemas import AbstractReviewIn, CaseRead, SaleCreate, StepRead, SubmittedRead
from api.services import cases, sales

router = APIRouter(prefix="/api/v1", tags=["sales"])


@router.post(
    "/sales",
    status_code=status.HTTP_201_CREATED,
    summary="Submit a microdata/map sale request (online: the applicant; walk-in: the officer records it)",
)
async def submit_sale(
    request: SaleCreate,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: OptionalStaffDep,
) -> SubmittedRead:
    return await sales.submit_sale(session=session, temporal=temporal, settings=settings, request=request, staff=staff)


@router.get("/cases/{case_id}", summary="A case of your office: its step, deadline and timeline")
async def read_case(case_id: str, session: SessionDep, settings: SettingsDep, staff: StaffDep) -> CaseRead:
    return await cases.read_case(session=session, settings=settings, staff=staff, case_id=case_id)


@router.post(
    "/sales/{case_id}/abstract-review",
    summary="Officer: the usage abstract fits the data asked (approve) or not (reject, with a reason)",
    responses={409: {"description": "Not allowed in the current step"}, 403: {"description": "Other office"}},
)
async def review_abstract(
    case_id: str, review: AbstractReviewIn, session: SessionDep, temporal: TemporalDep, staff: StaffDep
) -> StepRead:
    return await sales.review_abstract(session=session, temporal=temporal, staff=staff, case_id=case_id, review=review)
