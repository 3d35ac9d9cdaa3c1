"""Dependencies of the routes, as Annotated aliases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from core.models import Applicant, StaffAccount
from core.security import hash_password, verify_password
from core.settings import Settings

_basic = HTTPBasic(auto_error=False, description="Staff email and password")


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.session_factory() as session:
        yield session


def _temporal(request: Request) -> Client:
    return request.app.state.temporal  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[AsyncSession, Depends(_session)]
TemporalDep = Annotated[Client, Depends(_temporal)]


async def _optional_staff(
    session: SessionDep, credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)]
) -> StaffAccount | None:
    if credentials is None:
        return None
    staff = await session.scalar(
        select(StaffAccount).where(
            StaffAccount.email == credentials.username.strip().lower(), StaffAccount.active.is_(True)
        )
    )
    if staff is None:
        return None  # perhaps an applicant: the applicant dependency decides
    if not verify_password(staff.password_hash, credentials.password):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Email atau kata sandi staf salah.",
            headers={"WWW-Authenticate": "Basic"},
        )
    return staff


async def _required_staff(staff: Annotated[StaffAccount | None, Depends(_optional_staff)]) -> StaffAccount:
    if staff is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Masuk sebagai staf (HTTP Basic: email dan kata sandi) untuk aksi ini.",
            headers={"WWW-Authenticate": "Basic"},
        )
    return staff


OptionalStaffDep = Annotated[StaffAccount | None, Depends(_optional_staff)]
StaffDep = Annotated[StaffAccount, Depends(_required_staff)]


# ---------------------------------------------------------------- applicants (their own table, never staff)

_applicant_basic = HTTPBasic(
    auto_error=False, scheme_name="ApplicantBasic", description="Applicant email and password (verified email)"
)

APPLICANT_RESEND_PATH = "/api/v1/applicants/verify/resend"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when no account has the email, so both answers take as long."""
    return hash_password("pst-flow-no-such-applicant")


async def _optional_applicant(
    session: SessionDep, credentials: Annotated[HTTPBasicCredentials | None, Depends(_applicant_basic)]
) -> Applicant | None:
    if credentials is None:
        return None
    email = credentials.username.strip().lower()
    applicant = await session.scalar(select(Applicant).where(Applicant.email == email))
    if applicant is None and await session.scalar(select(StaffAccount.id).where(StaffAccount.email == email)):
        return None  # a staff login: the staff dependency decides
    password_hash = applicant.password_hash if applicant is not None else _dummy_hash()
    matches = await asyncio.to_thread(verify_password, password_hash, credentials.password)
    if applicant is None or not matches:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Email atau kata sandi pemohon salah.",
            headers={"WWW-Authenticate": "Basic"},
        )
    if applicant.email_verified_at is None:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=f"Verifikasi email Anda dulu: buka tautan yang kami kirim ke {applicant.email}, "
            f"atau minta tautan baru di {APPLICANT_RESEND_PATH}",
        )
    return applicant


async def _required_applicant(
    applicant: Annotated[Applicant | None, Depends(_optional_applicant)],
) -> Applicant:
    if applicant is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Masuk sebagai pemohon (HTTP Basic: email dan kata sandi akun pemohon) untuk aksi ini.",
            headers={"WWW-Authenticate": "Basic"},
        )
    return applicant


OptionalApplicantDep = Annotated[Applicant | None, Depends(_optional_applicant)]
ApplicantDep = Annotated[Applicant, Depends(_required_applicant)]
