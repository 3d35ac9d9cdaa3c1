"""The office's catalogue as its administrator keeps it: datasets with their variables, wilkerstat maps and
publications; a row is changed or set inactive (an applicant no longer sees it), never deleted, since requests
name it."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import NotFound
from api.schemas import (
    CatalogueDatasetIn,
    CatalogueDatasetRead,
    CatalogueMapIn,
    CatalogueMapRead,
    CataloguePublicationIn,
    CataloguePublicationRead,
    CatalogueRead,
)
from api.services.admin_access import ensure_office_administrator
from api.services.cases import get_office
from core.catalogue import Catalogue, office_catalogue
from core.i18n import gettext as _
from core.models import CatalogueDataset, CatalogueMap, CataloguePublication, StaffAccount

log = logging.getLogger(__name__)

KINDS: dict[str, tuple[type[Any], type[BaseModel]]] = {
    "datasets": (CatalogueDataset, CatalogueDatasetIn),
    "maps": (CatalogueMap, CatalogueMapIn),
    "publications": (CataloguePublication, CataloguePublicationIn),
}


def ensure_catalogue_administrator(staff: StaffAccount) -> None:
    """Refuse anyone but the administrator of the staff member's own office."""
    ensure_office_administrator(staff, _("mengubah katalog data kantor"))


async def whole_catalogue(*, session: AsyncSession, staff: StaffAccount) -> Catalogue:
    """The office's catalogue, inactive rows included (the administrator's list)."""
    ensure_catalogue_administrator(staff)
    return await office_catalogue(session, staff.office_code, active_only=False)


async def catalogue_row(*, session: AsyncSession, staff: StaffAccount, kind: str, row_id: int) -> Any:
    """One row of the office's catalogue, or NotFound (another office's row included)."""
    ensure_catalogue_administrator(staff)
    model = KINDS[kind][0]
    row = await session.get(model, row_id)
    if row is None or row.office_code != staff.office_code:
        raise NotFound(_("Item katalog ini tidak ada di kantor Anda."))
    return row


async def save_row(
    *, session: AsyncSession, staff: StaffAccount, kind: str, row_id: int | None, values: BaseModel
) -> int:
    """Add a row to the office's catalogue (``row_id`` None) or change one; its id."""
    ensure_catalogue_administrator(staff)
    if row_id is None:
        row = KINDS[kind][0](office_code=staff.office_code)
        session.add(row)
    else:
        row = await catalogue_row(session=session, staff=staff, kind=kind, row_id=row_id)
    for name, value in values.model_dump().items():
        setattr(row, name, value)
    await session.commit()
    log.info("catalogue %s #%s saved by staff-%s", kind, row.id, staff.id, extra={"case_id": "-"})
    return int(row.id)


async def offered(*, session: AsyncSession, office_code: str) -> CatalogueRead:
    """What the office offers now (active rows), for the items of a request."""
    office = await get_office(session=session, office_code=office_code)
    rows = await office_catalogue(session, office.code)
    return CatalogueRead(
        office_code=office.code,
        datasets=[CatalogueDatasetRead.model_validate(row) for row in rows.datasets],
        maps=[CatalogueMapRead.model_validate(row) for row in rows.maps],
        publications=[CataloguePublicationRead.model_validate(row) for row in rows.publications],
    )
