"""Applicant accounts: register, verify the email (JSON and the link's page), send a new link, read the account."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse

from api.applicant_schemas import ApplicantRead, ApplicantRegister, MessageRead, ResendIn, VerifyIn
from api.deps import ApplicantDep, SessionDep, SettingsDep
from api.errors import ServiceError
from api.openapi_errors import errors
from api.services import applicants

router = APIRouter(prefix="/api/v1/applicants", tags=["applicants"])
pages_router = APIRouter(include_in_schema=False)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register an applicant account; a verification link is mailed to the address",
    responses=errors(said={409: "The email is already registered"}),
)
async def register(request: ApplicantRegister, session: SessionDep, settings: SettingsDep) -> ApplicantRead:
    return await applicants.register_applicant(session=session, settings=settings, request=request)


@router.post(
    "/verify",
    summary="Verify the email with the token of the mailed link",
    responses=errors(said={400: "The token is wrong or expired: ask for a new link", 404: "The account is gone"}),
)
async def verify(body: VerifyIn, session: SessionDep, settings: SettingsDep) -> ApplicantRead:
    return await applicants.verify_email(session=session, token=body.token, settings=settings)


@router.post(
    "/verify/resend",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Mail a new verification link (same answer whether or not the email is registered)",
)
async def resend(body: ResendIn, session: SessionDep, settings: SettingsDep) -> MessageRead:
    return await applicants.resend_verification(session=session, settings=settings, email=str(body.email))


@router.get("/me", summary="Your applicant account (bearer token of a verified applicant)", responses=errors(401))
async def me(applicant: ApplicantDep) -> ApplicantRead:
    return applicants.applicant_read(applicant)


def _page(title: str, message: str, status_code: int) -> HTMLResponse:
    body = (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)} · PST Flow</title>'
        '<link rel="stylesheet" href="/static/pst.css"></head>'
        f"<body><main><h1>{escape(title)}</h1><p>{escape(message)}</p></main></body></html>"
    )
    return HTMLResponse(body, status_code=status_code)


@pages_router.get("/verify-email", response_class=HTMLResponse)
async def verify_email_page(session: SessionDep, settings: SettingsDep, token: str = "") -> HTMLResponse:
    if not token.strip():
        return _page("Verifikasi gagal", "Tautan tidak berisi token. Salin tautan lengkap dari email.", 400)
    try:
        account = await applicants.verify_email(session=session, token=token, settings=settings)
    except ServiceError as error:
        return _page("Verifikasi gagal", error.message, error.status)
    return _page("Email terverifikasi", account.message, 200)
