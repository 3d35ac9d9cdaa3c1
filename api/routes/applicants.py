"""Applicant accounts: register, verify the email, send a new link, read the account (the link's page and the
forgotten password are pages: api/ui/account.py)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.applicant_schemas import ApplicantRead, ApplicantRegister, MessageRead, ResendIn, VerifyIn
from api.deps import ApplicantDep, SessionDep, SettingsDep
from api.openapi_errors import errors
from api.services import applicants

router = APIRouter(prefix="/api/v1/applicants", tags=["applicants"])


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
