"""PNBP tariffs: a public list, and the national administrator's changes (an office's administrator gets 403)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SessionDep, StaffDep
from api.openapi_errors import errors
from api.schemas import TariffRead, TariffUpdate
from api.services import tariffs

router = APIRouter(prefix="/api/v1/tariffs", tags=["tariffs"])


@router.get("", summary="PNBP tariffs with their price rules (public)")
async def list_tariffs(session: SessionDep) -> list[TariffRead]:
    return await tariffs.list_tariffs(session=session)


@router.put(
    "/{code}",
    summary="National administrator only: change a tariff's name, prices or whether it is active",
    responses=errors(401, 403, 404),
)
async def update_tariff(code: str, changes: TariffUpdate, session: SessionDep, staff: StaffDep) -> TariffRead:
    return await tariffs.update_tariff(session=session, staff=staff, code=code, changes=changes)
