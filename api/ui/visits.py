"""The desk's guest book (a kiosk page) and its ticket, the lobby's screen, and the officer's queue."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from temporalio.client import WorkflowUpdateFailedError

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ServiceError, update_failure_message, validation_errors
from api.services import visits
from api.services.actions import ActionContext, perform
from api.services.case_actions import action_named
from api.services.cases import checked_idempotency_key
from api.services.visit_actions import AdvanceIn
from api.ui.cookies import set_cookie
from api.ui.login import LOGIN_COOKIE
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from contracts.visit import VISIT_RULES
from core.enums import Role, Service
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Office
from core.reference import VISIT_SERVICES

router = APIRouter(include_in_schema=False)

COUNTER_COOKIE = "pst_counter"  # the counter this desk's computer calls guests to, chosen once by the officer
INVALID_FORM = N_("Ada isian yang belum benar; perbaiki yang ditandai lalu kirim lagi.")
# What the guest book says when a field is left empty or too short (the model's own message otherwise).
GUEST_FIELD_HINTS = {
    "name": N_("Isi nama Anda (minimal 2 huruf)."),
    "contact": N_("Isi email atau nomor telepon Anda."),
    "purpose": N_("Tuliskan keperluan Anda (minimal 3 huruf)."),
    "service": N_("Pilih layanan yang Anda perlukan dari daftar."),
}


def _guest_errors(invalid: ValidationError) -> dict[str, str]:
    """Each field's message: a validator's own sentence, else what to write in it."""
    errors: dict[str, str] = {}
    for raw, item in zip(invalid.errors(), validation_errors(invalid.errors()), strict=True):
        own = item["message"] if raw["type"] == "value_error" else ""
        errors.setdefault(item["field"], own or _(GUEST_FIELD_HINTS.get(item["field"], item["message"])))
    return errors


# ---------------------------------------------------------------- the kiosk and its ticket


@router.get("/desk/{office_code}", response_class=HTMLResponse)
async def guest_book(request: Request, office_code: str, session: SessionDep, settings: SettingsDep) -> Response:
    return await _desk_page(request, office_code, session, settings)


async def _desk_page(
    request: Request,
    office_code: str,
    session: SessionDep,
    settings: SettingsDep,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    """The guest book's form, with each refused field's message beside it and what the guest typed."""
    office = await session.get(Office, office_code)
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "pages/visit/desk.html",
        {
            "office": office,
            "services": [(key, _(name)) for key, name in VISIT_SERVICES.items()],
            "errors": errors or {},
            "values": values or {},
            "csrf": csrf_token(settings, token),
        },
        status_code=422 if errors else (404 if office is None else 200),
    )
    set_cookie(response, settings, LOGIN_COOKIE, token)
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
    form = {key: str(value) for key, value in (await request.form()).items() if key != "csrf"}
    try:
        guest = visits.GuestIn.model_validate(form)
        ticket = await visits.register_guest(
            session=session, temporal=temporal, settings=settings, office_code=office_code, guest=guest
        )
    except ValidationError as invalid:
        return await _desk_page(request, office_code, session, settings, _guest_errors(invalid), form)
    except ServiceError as refused:
        return await _desk_page(request, office_code, session, settings, {"form": refused.message}, form)
    return RedirectResponse(f"/desk/{office_code}/ticket/{ticket.case_id}", status_code=303)


@router.get("/desk/{office_code}/ticket/{case_id}", response_class=HTMLResponse)
async def ticket_page(request: Request, office_code: str, case_id: str, session: SessionDep) -> Response:
    """The guest's ticket: the number big, the service and the time taken in words; printable."""
    ticket = await visits.ticket(session=session, office_code=office_code, case_id=case_id)
    return templates.TemplateResponse(request, "pages/visit/ticket.html", {"ticket": ticket})


# ---------------------------------------------------------------- the lobby's screen


@router.get("/lobby/{office_code}", response_class=HTMLResponse)
async def lobby(request: Request, office_code: str, session: SessionDep) -> Response:
    """The screen of the waiting room (a TV): now serving and where, the next numbers; it refreshes itself."""
    board = await visits.lobby_board(session=session, office_code=office_code)
    return templates.TemplateResponse(request, "pages/visit/lobby.html", {"board": board})


@router.get("/lobby/{office_code}/board", response_class=HTMLResponse)
async def lobby_board(request: Request, office_code: str, session: SessionDep) -> Response:
    """The lobby's board alone, fetched every few seconds by the lobby page."""
    board = await visits.lobby_board(session=session, office_code=office_code)
    return templates.TemplateResponse(request, "pages/visit/_board.html", {"board": board})


# ---------------------------------------------------------------- the officer's queue


def _counter(request: Request) -> str:
    chosen = request.cookies.get(COUNTER_COOKIE, "")
    return chosen if chosen in visits.COUNTERS else visits.COUNTERS[0]


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
    *,
    sale_form: tuple[str, str, str] | None = None,  # (visit id, item typed, message beside the field)
) -> Response:
    """The office's guests with their wait and the officer's next step for each."""
    rows = await visits.queue_rows(session=session, office_code=staff.office_code)
    office = await session.get(Office, staff.office_code)
    context: dict[str, Any] = {
        "office": office,
        "rows": rows,
        "version": visits.queue_version([row.case for row in rows]),
        "changed": False,
        "error": error,
        "sale_form": sale_form or ("", "", ""),
        "counter": _counter(request),
        "counters": visits.COUNTERS,
        "counter_words": visits.counter_words,
        "service_names": VISIT_SERVICES,
        "can_advance": staff.role in VISIT_RULES["advance"].roles,
        "can_sell": staff.role == Role.OFFICER,
        "can_record_fs3": staff.role == Role.OPERATOR,
        "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
    }
    return templates.TemplateResponse(request, "pages/visit/queue.html", context, status_code=status)


@router.get("/staff/queue/news", response_class=HTMLResponse)
async def queue_news(request: Request, session: SessionDep, staff: PageStaffDep, seen: str = "") -> Response:
    """Asked every few seconds by an open queue page: whether the queue changed since it was drawn (a new guest,
    a call from another counter). It then says so with a link, instead of redrawing under the officer's hands."""
    version = visits.queue_version(await visits.queue(session=session, office_code=staff.office_code))
    context = {"version": version, "changed": version != seen}
    return templates.TemplateResponse(request, "pages/visit/_queue_news.html", context)


@router.post("/staff/queue/counter", response_model=None)
async def choose_counter(request: Request, staff: PageStaffDep, settings: SettingsDep, _csrf: CsrfDep) -> Response:
    """The officer's counter on this computer, kept in a cookie: calls from here send guests there."""
    chosen = str((await request.form()).get("counter", ""))
    response = RedirectResponse("/staff/queue", status_code=303)
    if chosen in visits.COUNTERS:
        set_cookie(response, settings, COUNTER_COOKIE, chosen, max_age=365 * 86400)
    return response


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
    form = await request.form()
    try:
        key = checked_idempotency_key(str(form.get("idempotency_key", "") or ""))
        body = AdvanceIn.model_validate(
            {"expected_step": form.get("expected_step") or None, "counter": _counter(request)}
        )
        case = await visits.visit_case(session=session, case_id=case_id)
        context = ActionContext(session, temporal, settings, key)
        await perform(action_named(Service.VISIT, "advance"), context=context, case=case, principal=staff, body=body)
    except ValidationError:
        return await render_queue(request, session, settings, staff, _("Tombol ini tidak dikenal; muat ulang."), 422)
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
    item = str((await request.form()).get("item", ""))
    try:
        asked = visits.DeskSaleIn(item=item.strip())
        sale_id = await visits.open_sale(
            session=session, temporal=temporal, settings=settings, staff=staff, case_id=case_id, asked=asked
        )
    except ValidationError:
        message = _("Tulis data mikro yang diminta tamu, misalnya Sakernas Agustus 2025.")
        return await render_queue(
            request, session, settings, staff, _(INVALID_FORM), 422, sale_form=(case_id, item, message)
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
