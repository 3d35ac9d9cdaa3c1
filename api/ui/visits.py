"""The desk's guest book (a kiosk page), the lobby's queue display, and the officer's queue."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from temporalio.client import WorkflowUpdateFailedError

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ServiceError, update_failure_message, validation_summary
from api.sale_schemas import NoInput
from api.services import visits
from api.services.actions import ActionContext, perform
from api.services.case_actions import action_named
from api.services.cases import checked_idempotency_key
from api.ui.login import LOGIN_COOKIE
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from core.enums import STEP_LABELS, Service, SlaState
from core.formatting import local_time
from core.models import Office
from core.reference import VISIT_SERVICES

router = APIRouter(include_in_schema=False)


@router.get("/desk/{office_code}", response_class=HTMLResponse)
async def guest_book(
    request: Request, office_code: str, session: SessionDep, settings: SettingsDep, error: str = "", ticket: str = ""
) -> Response:
    office = await session.get(Office, office_code)
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "pages/visit/desk.html",
        {
            "office": office,
            "services": VISIT_SERVICES,
            "error": error,
            "ticket": ticket,
            "csrf": csrf_token(settings, token),
        },
        status_code=422 if error else (404 if office is None else 200),
    )
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax")
    return response


@router.post("/desk/{office_code}", response_class=HTMLResponse, response_model=None)
async def take_number(
    request: Request,
    office_code: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
) -> Response:
    form = dict((await request.form()).items())
    try:
        guest = visits.GuestIn.model_validate(form)
        ticket = await visits.register_guest(
            session=session, temporal=temporal, settings=settings, office_code=office_code, guest=guest
        )
    except ValidationError as invalid:
        message = validation_summary(invalid.errors())
        return await guest_book(request, office_code, session, settings, message)
    except ServiceError as refused:
        return await guest_book(request, office_code, session, settings, refused.message)
    note = f"{ticket.queue_number} ({ticket.ahead} tamu di depan Anda)"
    return RedirectResponse(f"/desk/{office_code}?ticket={quote(note)}", status_code=303)


@router.get("/lobby/{office_code}", response_class=HTMLResponse)
async def lobby(request: Request, office_code: str, session: SessionDep) -> Response:
    guests = await visits.queue(session=session, office_code=office_code)
    office = await session.get(Office, office_code)
    return templates.TemplateResponse(
        request, "pages/visit/lobby.html", {"office": office, "guests": guests, "labels": STEP_LABELS}
    )


@router.get("/staff/queue", response_class=HTMLResponse)
async def staff_queue(request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep) -> Response:
    return await render_queue(request, session, settings, staff)


async def render_queue(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    error: str = "",
    status: int = 200,
) -> Response:
    """The office's guests with their wait limits and the officer's next step for each."""
    guests = await visits.queue(session=session, office_code=staff.office_code)
    office = await session.get(Office, staff.office_code)
    assert office is not None
    rows = [
        {
            "case": guest,
            "since": local_time(guest.created_at, office.timezone),
            "deadline": local_time(guest.sla_deadline, office.timezone) if guest.sla_deadline else "",
            "late": guest.sla_state == SlaState.BREACHED,
        }
        for guest in guests
    ]
    return templates.TemplateResponse(
        request,
        "pages/visit/queue.html",
        {
            "rows": rows,
            "labels": STEP_LABELS,
            "error": error,
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=status,
    )


@router.post("/staff/queue/{case_id}/advance", response_class=HTMLResponse, response_model=None)
async def advance(
    request: Request,
    case_id: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    _csrf: CsrfDep,
) -> Response:
    try:
        key = checked_idempotency_key(str((await request.form()).get("idempotency_key", "") or ""))
        case = await visits.visit_case(session=session, case_id=case_id)
        context = ActionContext(session, temporal, settings, key)
        await perform(
            action_named(Service.VISIT, "advance"), context=context, case=case, principal=staff, body=NoInput()
        )
    except ServiceError as refused:
        return await render_queue(request, session, settings, staff, refused.message, refused.status)
    except WorkflowUpdateFailedError as refused_update:
        return await render_queue(request, session, settings, staff, update_failure_message(refused_update), 409)
    return RedirectResponse("/staff/queue", status_code=303)


@router.post("/staff/queue/{case_id}/sale", response_class=HTMLResponse, response_model=None)
async def open_sale(
    request: Request,
    case_id: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    _csrf: CsrfDep,
) -> Response:
    item = str((await request.form()).get("item", "")).strip() or "Data mikro"
    try:
        sale_id = await visits.open_sale(
            session=session, temporal=temporal, settings=settings, staff=staff, case_id=case_id, item=item
        )
    except ServiceError as refused:
        return await render_queue(request, session, settings, staff, refused.message, refused.status)
    return RedirectResponse(f"/staff/cases/{sale_id}", status_code=303)


@router.post("/staff/queue/{case_id}/recommendation", response_class=HTMLResponse, response_model=None)
async def open_recommendation(
    request: Request,
    case_id: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    _csrf: CsrfDep,
) -> Response:
    try:
        opened = await visits.open_recommendation(
            session=session, temporal=temporal, settings=settings, staff=staff, case_id=case_id
        )
    except ServiceError as refused:
        return await render_queue(request, session, settings, staff, refused.message, refused.status)
    return RedirectResponse(f"/staff/cases/{opened}", status_code=303)
