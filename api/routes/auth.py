"""Signing in for scripts: the OAuth2 password flow gives a short-lived bearer token for the JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import SessionDep, SettingsDep
from api.services import auth

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post(
    "/token",
    summary="Sign in once (form fields username = email, password) for a bearer token; staff or verified applicant",
    responses={
        401: {"description": "Wrong email or password"},
        403: {"description": "The applicant's email is not verified yet"},
        429: {"description": "Five failed sign-ins in 15 minutes lock the email for a while"},
    },
)
async def token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> auth.TokenRead:
    ip = request.client.host if request.client else ""
    return await auth.issue_token(
        session=session, settings=settings, email=form.username, password=form.password, ip=ip
    )
