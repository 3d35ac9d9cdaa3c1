"""Statistical activity recommendations (FS3): submit, upload, each person's step, status and history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from fastapi.responses import FileResponse
from pydantic import BaseModel

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
from api.errors import Forbidden, Invalid
from api.openapi_errors import CASE, STORED_FOR_LATER, errors, file_body
from api.recommendation_schemas import (
    AssignIn,
    ExaminationIn,
    RecommendationCreate,
    RecommendationRead,
    ResubmitIn,
)
from api.sale_schemas import ActionRead, CompletenessIn, DocumentRead
from api.schemas import SubmittedRead
from api.services import recommendations, sales
from api.services.actions import ActionContext, Principal, perform
from api.services.case_actions import action_named
from api.services.recovery import submission_status
from api.services.uploads import store_upload
from core.enums import Service
from workflows.recommendation import RecommendationWorkflow

router = APIRouter(prefix="/api/v1/recommendations", tags=["recommendations"], responses=CASE)
STEP_ERRORS = errors(said={409: "Not allowed now or by your role"})


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Submit an FS3: a government agency online, or an operator recording it at the desk",
    responses=STORED_FOR_LATER,
)
async def submit(
    request: RecommendationCreate,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: OptionalStaffDep,
    applicant: OptionalApplicantDep,
    idempotency_key: IdempotencyKeyDep,
) -> SubmittedRead:
    submitted = await recommendations.submit_recommendation(
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


@router.get("/{case_id}", summary="Status and history of an FS3 (the agency or the office's staff)")
async def read(
    case_id: str, session: SessionDep, staff: OptionalStaffDep, applicant: OptionalApplicantDep
) -> RecommendationRead:
    case = await recommendations.recommendation_case(session=session, case_id=case_id)
    return await recommendations.read_recommendation(session=session, case=case, staff=staff, applicant=applicant)


@router.post(
    "/{case_id}/documents",
    status_code=status.HTTP_201_CREATED,
    responses=STEP_ERRORS,
    summary="Upload the manual FS3 (fs3_manual) or the request letter (request_letter), PDF",
)
async def upload(
    case_id: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: OptionalStaffDep,
    applicant: OptionalApplicantDep,
    idempotency_key: IdempotencyKeyDep,
    file: Annotated[UploadFile, File()],
    kind: str = Query(description="fs3_manual | request_letter"),
) -> DocumentRead:
    case = await recommendations.recommendation_case(session=session, case_id=case_id)
    actor = recommendations.agency_actor(case, staff, applicant)
    data = await file.read(settings.max_upload_bytes + 1)
    return await store_upload(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        actor=actor,
        kind=kind,
        filename=file.filename or "",
        data=data,
        allowed={"fs3_manual", "request_letter"},
        attach=RecommendationWorkflow.attach_document,
        idempotency_key=idempotency_key,
    )


@router.get(
    "/{case_id}/letter",
    summary="The recommendation letter (PDF)",
    response_class=FileResponse,
    responses=file_body("application/pdf", "The letter"),
)
async def letter(
    case_id: str, session: SessionDep, settings: SettingsDep, staff: OptionalStaffDep, applicant: OptionalApplicantDep
) -> FileResponse:
    case = await recommendations.recommendation_case(session=session, case_id=case_id)
    status_ = await recommendations.read_recommendation(session=session, case=case, staff=staff, applicant=applicant)
    if status_.letter_document_id is None:
        raise Invalid("Surat rekomendasi belum terbit; tunggu hasil pemeriksaan.")
    document = await sales.document_of(
        session=session, case=case, document_id=status_.letter_document_id, kinds={"recommendation_letter"}
    )
    return FileResponse(sales.document_path(settings, document), filename=document.filename)


async def _take(name: str, case_id: str, body: BaseModel, context: ActionContext, principal: Principal) -> ActionRead:
    case = await recommendations.recommendation_case(session=context.session, case_id=case_id)
    action = action_named(Service.RECOMMENDATION, name)
    return await perform(action, context=context, case=case, principal=principal, body=body)


@router.post(
    "/{case_id}/completeness",
    summary="Operator: recorded complete (the clock starts) or what is missing",
    responses=STEP_ERRORS,
)
async def completeness(case_id: str, body: CompletenessIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("rec_completeness", case_id, body, context, staff)


@router.post("/{case_id}/resubmit", summary="Agency: the completed or revised FS3", responses=STEP_ERRORS)
async def resubmit(
    case_id: str,
    body: ResubmitIn,
    context: ActionContextDep,
    staff: OptionalStaffDep,
    applicant: OptionalApplicantDep,
) -> ActionRead:
    principal = applicant or staff
    if principal is None:
        raise Forbidden("Masuk sebagai instansi pemohon, atau sebagai operator kantor ini.")
    return await _take("resubmit", case_id, body, context, principal)


@router.post("/{case_id}/assign", summary="Supervisor: assign an examiner of the office", responses=STEP_ERRORS)
async def assign(case_id: str, body: AssignIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("assign", case_id, body, context, staff)


@router.post(
    "/{case_id}/examination",
    summary="Examiner: recommend (numbered letter) or return with notes",
    responses=STEP_ERRORS,
)
async def examine(case_id: str, body: ExaminationIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("examine", case_id, body, context, staff)
