"""Dependencies of the routes, as Annotated aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from core.models import StaffAccount
from core.security import verify_password
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
    if staff is None or not verify_password(staff.password_hash, credentials.password):
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
