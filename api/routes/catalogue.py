"""The office's catalogue: what POST /api/v1/sales items may name (datasets and their variables, maps, publications)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SessionDep
from api.openapi_errors import CASE
from api.schemas import CatalogueRead
from api.services import catalogue

router = APIRouter(prefix="/api/v1/offices", tags=["offices"], responses=CASE)


@router.get("/{office_code}/catalogue", summary="What the office sells: datasets with variables, maps, publications")
async def read_catalogue(office_code: str, session: SessionDep) -> CatalogueRead:
    return await catalogue.offered(session=session, office_code=office_code)
