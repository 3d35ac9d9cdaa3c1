"""Signing in and out for scripts: the OAuth2 password flow gives a short-lived bearer token for the JSON API;
logout ends it (and every other session and token of the person)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import ClientAddressDep, SessionDep, SettingsDep, TokenAccountDep
from api.services import auth

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def _wait(throttled: auth.TooManyAttempts) -> HTTPException:
    """A throttled sign-in as HTTP: 429 with the wait in Retry-After."""
    return HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, throttled.message, {"Retry-After": throttled.retry_after})


@router.post(
    "/token",
    summary="Sign in once (form fields username = email, password) for a bearer token; staff or verified applicant",
    responses={
        401: {"description": "Wrong email or password"},
        403: {"description": "The applicant's email is not verified yet"},
        429: {
            "description": "Too many failed sign-ins for this email or from this address: wait the Retry-After "
            "seconds (the wait grows with the failures, at most 15 minutes); the password was not checked",
            "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
        },
    },
)
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    ip: ClientAddressDep,
) -> auth.TokenRead:
    try:
        return await auth.issue_token(
            session=session, settings=settings, email=form.username, password=form.password, ip=ip
        )
    except auth.TooManyAttempts as throttled:
        raise _wait(throttled) from throttled


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change your own password (bearer token and the password in use): every session and token of the "
    "account ends, this one included; sign in again with the new password",
    responses={
        401: {"description": "No valid bearer token was sent"},
        403: {"description": "The password in use is wrong: nothing changed"},
        429: {
            "description": "Too many failed sign-ins for this email or from this address: wait the Retry-After "
            "seconds; the password was not checked",
            "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
        },
    },
)
async def change_password(
    change: auth.PasswordChange, session: SessionDep, account: TokenAccountDep, ip: ClientAddressDep
) -> Response:
    if account is None:
        raise auth.Unauthorized(f"Masuk dulu untuk mengganti kata sandi. {auth.HOW_TO_GET_A_TOKEN}")
    try:
        await auth.change_password(session=session, account=account, change=change, ip=ip)
    except auth.TooManyAttempts as throttled:
        raise _wait(throttled) from throttled
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out: this bearer token and every other session and token of the account stop working",
    responses={401: {"description": "No valid bearer token was sent"}},
)
async def logout(session: SessionDep, account: TokenAccountDep) -> Response:
    if account is None:
        raise auth.Unauthorized(f"Kirim token yang hendak diakhiri. {auth.HOW_TO_GET_A_TOKEN}")
    await auth.sign_out(session=session, account=account)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
