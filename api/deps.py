"""Dependencies of the routes, as Annotated aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.services.actions import ActionContext
from api.services.auth import HOW_TO_GET_A_TOKEN, TOKEN_PATH, Unauthorized, token_account
from api.services.cases import IDEMPOTENCY_KEY_MAX, checked_idempotency_key
from core.models import Applicant, StaffAccount
from core.settings import Settings

_bearer = OAuth2PasswordBearer(
    tokenUrl=TOKEN_PATH,
    auto_error=False,
    description="Staff or applicant (verified email): sign in once with email and password for a short-lived token",
)
_BEARER = {"WWW-Authenticate": "Bearer"}


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.session_factory() as session:
        yield session


def _temporal(request: Request) -> Client:
    return request.app.state.temporal  # type: ignore[no-any-return]


def _client_address(request: Request) -> str:
    """The address a request came from, as the server saw it (uvicorn reads X-Forwarded-For only from the proxies
    it trusts, ``--forwarded-allow-ips``): the sign-in throttle's key of a client."""
    return request.client.host if request.client else ""


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[AsyncSession, Depends(_session)]
TemporalDep = Annotated[Client, Depends(_temporal)]
ClientAddressDep = Annotated[str, Depends(_client_address)]


async def _token_account(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(_bearer)]
) -> StaffAccount | Applicant | None:
    """The account of the bearer token, if one was sent; a bad or expired token is a 401 saying what to do."""
    if token is None:
        return None
    try:
        return await token_account(session=session, settings=settings, token=token)
    except Unauthorized as refused:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=refused.message, headers=_BEARER) from refused


TokenAccountDep = Annotated[StaffAccount | Applicant | None, Depends(_token_account)]


async def _optional_staff(account: TokenAccountDep) -> StaffAccount | None:
    return account if isinstance(account, StaffAccount) else None


async def _required_staff(staff: Annotated[StaffAccount | None, Depends(_optional_staff)]) -> StaffAccount:
    if staff is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=f"Masuk sebagai staf untuk aksi ini. {HOW_TO_GET_A_TOKEN}",
            headers=_BEARER,
        )
    return staff


OptionalStaffDep = Annotated[StaffAccount | None, Depends(_optional_staff)]
StaffDep = Annotated[StaffAccount, Depends(_required_staff)]


# ---------------------------------------------------------------- applicants (their own table, never staff)


async def _optional_applicant(account: TokenAccountDep) -> Applicant | None:
    return account if isinstance(account, Applicant) else None


async def _required_applicant(
    applicant: Annotated[Applicant | None, Depends(_optional_applicant)],
) -> Applicant:
    if applicant is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=f"Masuk sebagai pemohon (email terverifikasi) untuk aksi ini. {HOW_TO_GET_A_TOKEN}",
            headers=_BEARER,
        )
    return applicant


OptionalApplicantDep = Annotated[Applicant | None, Depends(_optional_applicant)]
ApplicantDep = Annotated[Applicant, Depends(_required_applicant)]


# ---------------------------------------------------------------- actions


def _idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description=f"Optional, up to {IDEMPOTENCY_KEY_MAX} visible ASCII characters (e.g. a UUID): sending the "
            "same action again with the same key answers the first result instead of acting twice",
        ),
    ] = None,
) -> str | None:
    return checked_idempotency_key(idempotency_key)


IdempotencyKeyDep = Annotated[str | None, Depends(_idempotency_key)]


def _action_context(
    session: SessionDep, temporal: TemporalDep, settings: SettingsDep, key: IdempotencyKeyDep
) -> ActionContext:
    return ActionContext(session, temporal, settings, key)


ActionContextDep = Annotated[ActionContext, Depends(_action_context)]
