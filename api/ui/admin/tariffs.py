"""The national PNBP tariffs: read by an office's administrator, changed by the national administrator alone
(the rule is the tariffs service's, so the JSON API obeys it too)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.admin_schemas import TARIFF_MESSAGES, parse_form
from api.deps import SessionDep
from api.errors import Conflict, Invalid
from api.schemas import TariffUpdate
from api.services import tariffs
from api.services.admin_access import ensure_administration
from api.ui.admin.common import admin_page, field_errors, form_values, saved
from api.ui.session import CsrfDep, PageStaffDep
from core.models import StaffAccount

router = APIRouter(include_in_schema=False)
TARIFFS = "/staff/admin/tariffs"
PRICE_FIELDS = ("name", "base_price", "included", "extra_price", "extra_step")


@router.get(TARIFFS, response_class=HTMLResponse)
async def tariffs_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    ensure_administration(staff)
    context = {
        "tariffs": await tariffs.list_tariffs(session=session),
        "may_change": tariffs.may_change_tariffs(staff),
    }
    return admin_page(request, staff, "tariffs", context)


async def _tariff_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    code: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    tariffs.ensure_may_change_tariffs(staff)
    tariff = await tariffs.read_tariff(session=session, code=code)
    current = {name: str(getattr(tariff, name)) for name in PRICE_FIELDS} | {"active": "1" if tariff.active else ""}
    shown = values if values is not None else current
    return admin_page(request, staff, "tariff", {"tariff": tariff}, errors=errors, values=shown, status=status)


@router.get(TARIFFS + "/{code}", response_class=HTMLResponse)
async def tariff_page(request: Request, code: str, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _tariff_page(request, session, staff, code)


@router.post(TARIFFS + "/{code}", response_class=HTMLResponse, response_model=None)
async def save_tariff(
    request: Request, code: str, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = await form_values(request)
    tariffs.ensure_may_change_tariffs(staff)
    try:
        changes = parse_form(TariffUpdate, {**values, "active": values.get("active") == "1"}, TARIFF_MESSAGES)
        await tariffs.update_tariff(session=session, staff=staff, code=code, changes=changes)
    except (Invalid, Conflict) as refused:
        errors = field_errors(refused, "name")
        return await _tariff_page(request, session, staff, code, errors=errors, values=values, status=refused.status)
    return saved(TARIFFS, "tariff")
