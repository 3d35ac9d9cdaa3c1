"""Sale requests: submit, upload, each person's step, the SIMPONI webhook, downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Header, Path, Query, Request, Response, UploadFile, status
from fastapi.responses import FileResponse
from pydantic import BaseModel

from api.deps import (
    ActionContextDep,
    ApplicantDep,
    IdempotencyKeyDep,
    OptionalApplicantDep,
    OptionalStaffDep,
    SessionDep,
    SettingsDep,
    StaffDep,
    TemporalDep,
    TokenAccountDep,
)
from api.openapi_errors import CASE, STORED_FOR_LATER, errors, file_body
from api.sale_schemas import (
    ActionRead,
    CompletenessIn,
    CorrectionIn,
    DecisionIn,
    DeliveryIn,
    DocumentRead,
    FollowUpIn,
    NewLinkIn,
    NoInput,
    OfferIn,
    PaymentIn,
    PaymentNoticeIn,
    RatingIn,
    SampleReviewIn,
    SppdIn,
)
from api.schemas import INTEGER_MAX, AbstractReviewIn, CaseRead, SaleCreate, SubmittedRead
from api.services import cases, downloads, sales
from api.services.actions import ActionContext, Principal, perform
from api.services.case_actions import action_named
from api.services.recovery import submission_status
from api.ui.session import signed_in
from contracts.payments import PaymentNotice
from core.enums import Service

router = APIRouter(prefix="/api/v1", tags=["sales"], responses=CASE)
NOT_YOURS = "Another office's case, or not your request"
STEP_ERRORS = errors(said={403: NOT_YOURS})


@router.post(
    "/sales",
    status_code=status.HTTP_201_CREATED,
    summary="Submit a sale request (online: a verified applicant; walk-in: the officer records it)",
    responses=STORED_FOR_LATER,
)
async def submit_sale(
    request: SaleCreate,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: OptionalStaffDep,
    applicant: OptionalApplicantDep,
    idempotency_key: IdempotencyKeyDep,
) -> SubmittedRead:
    submitted = await sales.submit_sale(
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


@router.get("/cases/{case_id}", summary="A case of your office: its step, deadline and timeline")
async def read_case(case_id: str, session: SessionDep, settings: SettingsDep, staff: StaffDep) -> CaseRead:
    return await cases.read_case(session=session, settings=settings, staff=staff, case_id=case_id)


@router.post(
    "/sales/{case_id}/documents",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a file: applicant (abstract, transfer_proof, sppd_signed: PDF); officer (sample, data_package)",
    responses=errors(said={403: NOT_YOURS, 422: "Not a PDF, empty or too large"}),
)
async def upload_document(
    case_id: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: OptionalStaffDep,
    applicant: OptionalApplicantDep,
    idempotency_key: IdempotencyKeyDep,
    file: Annotated[UploadFile, File(description="The file")],
    kind: str = Query(description="abstract | transfer_proof | sppd_signed | sample | data_package"),
) -> DocumentRead:
    case = await sales.sale_case(session=session, case_id=case_id)
    actor = sales.either_actor(case, staff, applicant)
    data = await file.read(settings.max_upload_bytes + 1)
    return await sales.upload_document(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        actor=actor,
        kind=kind,
        filename=file.filename or "",
        idempotency_key=idempotency_key,
        data=data,
    )


@router.get(
    "/sales/{case_id}/documents/{document_id}",
    summary="Download a document of your case",
    response_class=FileResponse,
    responses=file_body(description="The file, its type by its name (PDF for forms, invoices and receipts)"),
)
async def read_document(
    case_id: str,
    document_id: Annotated[int, Path(ge=1, le=INTEGER_MAX, description="The document's number")],
    session: SessionDep,
    settings: SettingsDep,
    staff: OptionalStaffDep,
    applicant: OptionalApplicantDep,
) -> FileResponse:
    case = await sales.sale_case(session=session, case_id=case_id)
    sales.either_actor(case, staff, applicant)
    kinds = {"abstract", "transfer_proof", "sppd_signed", "sample", "invoice", "sppd_draft", "receipt"}
    document = await sales.document_of(session=session, case=case, document_id=document_id, kinds=kinds)
    return FileResponse(sales.document_path(settings, document), filename=document.filename)


async def _take(name: str, case_id: str, body: BaseModel, context: ActionContext, principal: Principal) -> ActionRead:
    case = await sales.sale_case(session=context.session, case_id=case_id)
    return await perform(action_named(Service.SALE, name), context=context, case=case, principal=principal, body=body)


@router.post(
    "/sales/{case_id}/completeness", summary="Officer: clear and complete, or what is missing", responses=STEP_ERRORS
)
async def check_completeness(
    case_id: str, body: CompletenessIn, context: ActionContextDep, staff: StaffDep
) -> ActionRead:
    return await _take("completeness", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/abstract-review",
    summary="Officer: the usage abstract fits the data asked (approve) or not (reject with a reason)",
    responses=STEP_ERRORS,
)
async def review_abstract(
    case_id: str, body: AbstractReviewIn, context: ActionContextDep, staff: StaffDep
) -> ActionRead:
    return await _take("abstract", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/offer",
    summary="Officer: price lines, sample and Rp0; issues invoice and SPPD draft",
    responses=STEP_ERRORS,
)
async def make_offer(case_id: str, body: OfferIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("offer", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/sample-review", summary="Applicant: accept the sample, or the one revision", responses=STEP_ERRORS
)
async def review_sample(
    case_id: str, body: SampleReviewIn, context: ActionContextDep, applicant: ApplicantDep
) -> ActionRead:
    return await _take("sample", case_id, body, context, applicant)


@router.post(
    "/sales/{case_id}/payment",
    summary="Treasurer: payment received (cash, or SIMPONI with NTPN)",
    responses=STEP_ERRORS,
)
async def record_payment(case_id: str, body: PaymentIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("payment", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/transfer-review", summary="Treasurer: accept or reject the transfer proof", responses=STEP_ERRORS
)
async def review_transfer(case_id: str, body: DecisionIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("transfer", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/sppd",
    summary="Officer: the signed SPPD originals arrived by post, or signed at desk",
    responses=STEP_ERRORS,
)
async def record_sppd(case_id: str, body: SppdIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("sppd", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/sppd-review",
    summary="Officer: accept or reject the uploaded e-meterai SPPD",
    responses=STEP_ERRORS,
)
async def review_signed_sppd(case_id: str, body: DecisionIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("signed_sppd", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/receipt", summary="Treasurer: issue the numbered receipt (kuitansi)", responses=STEP_ERRORS
)
async def issue_receipt(case_id: str, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("receipt", case_id, NoInput(), context, staff)


@router.post(
    "/sales/{case_id}/delivery",
    summary="Officer: deliver the data package; the applicant gets a link",
    responses=STEP_ERRORS,
)
async def deliver(case_id: str, body: DeliveryIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("delivery", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/correction",
    summary="Officer: within the support window, deliver a corrected data package with what was corrected",
    responses=errors(said={410: "The support window is over"}),
)
async def deliver_correction(
    case_id: str, body: CorrectionIn, context: ActionContextDep, staff: StaffDep
) -> ActionRead:
    return await _take("correction", case_id, body, context, staff)


@router.post(
    "/sales/{case_id}/new-link",
    summary="Applicant: a new download link within 30 days, with the receipt",
    responses=errors(said={403: NOT_YOURS, 410: "The 30-day window is over"}),
)
async def request_new_link(
    case_id: str, body: NewLinkIn, context: ActionContextDep, applicant: ApplicantDep
) -> ActionRead:
    return await _take("new_link", case_id, body, context, applicant)


@router.post(
    "/sales/{case_id}/rating", summary="Applicant: the satisfaction survey (nine elements 1-4)", responses=STEP_ERRORS
)
async def rate(case_id: str, body: RatingIn, context: ActionContextDep, applicant: ApplicantDep) -> ActionRead:
    return await _take("rating", case_id, body, context, applicant)


@router.post("/sales/{case_id}/follow-up", summary="Officer: record the follow-up of a rating", responses=STEP_ERRORS)
async def record_follow_up(case_id: str, body: FollowUpIn, context: ActionContextDep, staff: StaffDep) -> ActionRead:
    return await _take("follow_up", case_id, body, context, staff)


@router.post(
    "/payments/simponi/notify",
    status_code=status.HTTP_202_ACCEPTED,
    summary="SIMPONI payment notice (billing code + NTPN), authenticated by the X-Simponi-Secret header",
    tags=["payments"],
)
async def simponi_notice(
    body: PaymentNoticeIn,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    x_simponi_secret: Annotated[str, Header()] = "",
) -> dict[str, str]:
    notice = PaymentNotice(billing_code=body.billing_code, ntpn=body.ntpn, paid_at=body.paid_at)
    case_id = await sales.payment_notice(
        session=session, temporal=temporal, settings=settings, secret=x_simponi_secret, notice=notice
    )
    return {"case_id": case_id, "status": "diterima"}


@router.get(
    "/downloads/{token}",
    summary="Download the data package (logged; expiry and limit apply)",
    tags=["downloads"],
    response_class=FileResponse,
    responses={
        **file_body(description="The data package"),
        **errors(said={410: "The link expired or its downloads are used up"}),
    },
)
async def download(
    token: str, request: Request, session: SessionDep, settings: SettingsDep, account: TokenAccountDep
) -> FileResponse:
    ip = request.client.host if request.client else ""
    account = account or await signed_in(request, session, settings)
    served = await downloads.download_as(session=session, settings=settings, token=token, account=account, ip=ip)
    return FileResponse(served.path, filename=served.filename)
