"""Administration pages: the office's staff accounts and the PNBP tariffs (calendar: its own page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import SessionDep, SettingsDep
from api.errors import ServiceError, validation_summary
from api.schemas import TariffUpdate
from api.services import office_admin, staff_accounts, tariffs
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from core.enums import Role
from core.models import Office

router = APIRouter(include_in_schema=False)


async def render_admin(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    error: str = "",
    status: int = 200,
) -> Response:
    """The administrator's page of the office."""
    accounts = await staff_accounts.list_staff(session=session, staff=staff)
    standards = await office_admin.standards_of(session=session, staff=staff)
    office = await session.get(Office, staff.office_code)
    return templates.TemplateResponse(
        request,
        "pages/admin.html",
        {
            "staff": staff,
            "accounts": accounts,
            "standards": standards,
            "office": office,
            "error": error,
            "tariffs": await tariffs.list_tariffs(session=session),
            "roles": [role.value for role in Role],
            "done": request.query_params.get("done", ""),
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=status,
    )


@router.get("/staff/admin", response_class=HTMLResponse)
async def admin_page(request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep) -> Response:
    return await render_admin(request, session, settings, staff)


@router.post("/staff/admin/accounts", response_class=HTMLResponse, response_model=None)
async def create_account(
    request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    form = await request.form()
    try:
        created = await staff_accounts.create_staff(
            session=session,
            staff=staff,
            name=str(form.get("name", "")),
            email=str(form.get("email", "")),
            role=str(form.get("role", "")),
            password=str(form.get("password", "")),
        )
    except ServiceError as refused:
        return await render_admin(request, session, settings, staff, refused.message, refused.status)
    return RedirectResponse(f"/staff/admin?done=Akun {created.email} dibuat", status_code=303)


@router.post("/staff/admin/accounts/{account_id}/active", response_class=HTMLResponse, response_model=None)
async def toggle_account(
    request: Request, account_id: int, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    form = await request.form()
    try:
        await staff_accounts.set_active(
            session=session, staff=staff, account_id=account_id, active=form.get("active") == "1"
        )
    except ServiceError as refused:
        return await render_admin(request, session, settings, staff, refused.message, refused.status)
    return RedirectResponse("/staff/admin?done=Tersimpan", status_code=303)


@router.post("/staff/admin/tariffs/{code}", response_class=HTMLResponse, response_model=None)
async def update_tariff(
    request: Request, code: str, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    form = await request.form()
    try:
        changes = TariffUpdate.model_validate({**dict(form), "active": form.get("active") == "1"})
        await tariffs.update_tariff(session=session, staff=staff, code=code, changes=changes)
    except ValidationError as invalid:
        message = validation_summary(invalid.errors())
        return await render_admin(request, session, settings, staff, message, 422)
    except ServiceError as refused:
        return await render_admin(request, session, settings, staff, refused.message, refused.status)
    return RedirectResponse(f"/staff/admin?done=Tarif {code} tersimpan", status_code=303)


@router.post("/staff/admin/office", response_class=HTMLResponse, response_model=None)
async def update_office(
    request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = {key: str(value) for key, value in (await request.form()).items()}
    try:
        await office_admin.update_contacts(session=session, staff=staff, values=values)
    except ServiceError as refused:
        return await render_admin(request, session, settings, staff, refused.message, refused.status)
    return RedirectResponse("/staff/admin?done=Data kantor tersimpan", status_code=303)


@router.post("/staff/admin/standards/{standard_id}", response_class=HTMLResponse, response_model=None)
async def update_standard(
    request: Request, standard_id: int, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = {key: str(value) for key, value in (await request.form()).items()}
    try:
        await office_admin.update_standard(session=session, staff=staff, standard_id=standard_id, values=values)
    except ServiceError as refused:
        return await render_admin(request, session, settings, staff, refused.message, refused.status)
    return RedirectResponse("/staff/admin?done=Standar pelayanan tersimpan", status_code=303)
