"""The office's catalogue, kept by its administrator: the list, and a form to add or change a dataset (with its
variables), a wilkerstat map or a publication. An inactive row stays for the requests that name it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.admin_schemas import parse_form
from api.deps import SessionDep
from api.errors import Invalid, NotFound
from api.services import catalogue
from api.ui.admin.common import admin_page, field_errors, form_values, saved
from api.ui.session import CsrfDep, PageStaffDep
from core.catalogue import dataset_title
from core.i18n import gettext as _
from core.models import StaffAccount

router = APIRouter(include_in_schema=False)
CATALOGUE = "/staff/admin/catalogue"
FIELDS = {
    "datasets": ("survey", "year", "level", "size_bytes", "variables"),
    "maps": ("area", "year"),
    "publications": ("title", "year", "pages"),
}


def _kind(kind: str) -> str:
    if kind not in FIELDS:
        raise NotFound("")
    return kind


def _values(kind: str, row: Any) -> dict[str, str]:
    """A stored row as the form shows it (a dataset's variables one 'CODE Label' per line)."""
    values = {name: str(getattr(row, name)) for name in FIELDS[kind] if name != "variables"}
    if kind == "datasets":
        values["variables"] = "\n".join(f"{item['code']} {item['label']}" for item in row.variables)
    return values | {"active": "1" if row.active else ""}


@router.get(CATALOGUE, response_class=HTMLResponse)
async def catalogue_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    whole = await catalogue.whole_catalogue(session=session, staff=staff)
    notice = (
        _("Katalog tersimpan; pemohon melihatnya pada formulir permintaan.")
        if request.query_params.get("done") == "catalogue"
        else ""
    )
    context = {"catalogue": whole, "dataset_title": dataset_title, "notice": notice}
    return admin_page(request, staff, "catalogue", context)


async def _item_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    kind: str,
    row_id: int | None,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    if values is None:
        if row_id is None:
            catalogue.ensure_catalogue_administrator(staff)
            values = {"active": "1"}
        else:
            values = _values(
                kind, await catalogue.catalogue_row(session=session, staff=staff, kind=kind, row_id=row_id)
            )
    context = {"kind": kind, "row_id": row_id}
    return admin_page(request, staff, "catalogue_item", context, errors=errors, values=values, status=status)


@router.get(CATALOGUE + "/{kind}/new", response_class=HTMLResponse)
async def new_item_page(request: Request, kind: str, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _item_page(request, session, staff, _kind(kind), None)


@router.get(CATALOGUE + "/{kind}/{row_id}", response_class=HTMLResponse)
async def item_page(request: Request, kind: str, row_id: int, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _item_page(request, session, staff, _kind(kind), row_id)


async def _save(request: Request, session: SessionDep, staff: StaffAccount, kind: str, row_id: int | None) -> Response:
    values = await form_values(request)
    try:
        parsed = parse_form(catalogue.KINDS[kind][1], {**values, "active": values.get("active") == "1"})
        await catalogue.save_row(session=session, staff=staff, kind=kind, row_id=row_id, values=parsed)
    except Invalid as refused:
        errors = field_errors(refused, FIELDS[kind][0])
        return await _item_page(
            request, session, staff, kind, row_id, errors=errors, values=values, status=refused.status
        )
    return saved(CATALOGUE, "catalogue")


@router.post(CATALOGUE + "/{kind}/new", response_class=HTMLResponse, response_model=None)
async def add_item(request: Request, kind: str, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep) -> Response:
    return await _save(request, session, staff, _kind(kind), None)


@router.post(CATALOGUE + "/{kind}/{row_id}", response_class=HTMLResponse, response_model=None)
async def save_item(
    request: Request, kind: str, row_id: int, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    return await _save(request, session, staff, _kind(kind), row_id)
