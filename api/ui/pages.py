"""HTML pages; they call the same services as the JSON API."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ServiceError, validation_summary
from api.schemas import OverrideIn
from api.services import calendar, outbox
from api.ui.chrome import chrome
from api.ui.i18n import LANG_COOKIE, translate
from api.ui.session import SESSION_COOKIE, CsrfDep, csrf_token
from api.ui.session import PageStaffDep as StaffDep
from core.case_details import details_of
from core.enums import ROLE_LABELS, SERVICE_LABELS, STEP_LABELS, Channel, SlaState, action_label
from core.formatting import date_in_words, rupiah, time_in_words
from core.models import Office

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.globals.update(step_labels=STEP_LABELS, role_labels=ROLE_LABELS, service_labels=SERVICE_LABELS)
templates.env.globals["chrome"] = chrome  # the header: menu and the person signed in
templates.env.globals["Channel"] = Channel  # the closed sets templates compare with, never a bare string
templates.env.globals["SlaState"] = SlaState
templates.env.globals["details_of"] = details_of  # a case's typed details, e.g. details_of(guest).queue_number
templates.env.globals["new_idempotency_key"] = lambda: str(uuid.uuid4())  # one per rendered action form
templates.env.filters["action_label"] = action_label
templates.env.filters["rupiah"] = rupiah  # 1250000 → Rp1.250.000
templates.env.filters["in_words"] = (
    time_in_words  # moment | in_words(office.timezone) → 4 Desember 2026 pukul 16.00 WIB
)
templates.env.filters["date_in_words"] = date_in_words
_render = templates.TemplateResponse


def _template_response(request: Request, name: str, context: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """Render a page in Indonesian, or in English when the visitor switched to it."""
    response = _render(request, name, context or {}, **kwargs)
    lang = request.cookies.get(LANG_COOKIE, "id")
    if lang == "en":
        body = translate(bytes(response.body).decode(), lang).encode()
        response.body = body
        response.headers["content-length"] = str(len(body))
    return response


templates.TemplateResponse = _template_response  # type: ignore[method-assign,assignment]


router = APIRouter(include_in_schema=False)


@router.get("/lang/{lang}")
async def switch_language(lang: str, next: str = "/") -> RedirectResponse:
    """Bahasa Indonesia (id) or English (en) for every page, kept in a cookie."""
    response = RedirectResponse(next if next.startswith("/") and not next.startswith("//") else "/", status_code=303)
    response.set_cookie(LANG_COOKIE, "en" if lang == "en" else "id", samesite="lax", max_age=365 * 86400)
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, session: SessionDep) -> HTMLResponse:
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    return templates.TemplateResponse(request, "pages/home.html", {"offices": offices})


@router.get("/staff/outbox", response_class=HTMLResponse)
async def outbox_page(request: Request, session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    queued = await outbox.list_outbox(session=session, settings=settings)
    kept = outbox.list_kept_mail(settings=settings)
    return templates.TemplateResponse(request, "pages/outbox.html", {"queued": queued, "kept": kept})


async def _calendar_page(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    office_code: str,
    year: int,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    office_calendar = await calendar.read_calendar(session=session, office_code=office_code, year=year)
    return templates.TemplateResponse(
        request,
        "pages/calendar.html",
        {
            "calendar": office_calendar,
            "staff": staff,
            "error": error,
            "can_edit": staff.role == "administrator" and staff.office_code == office_code,
            "csrf": csrf_token(request.app.state.settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=status,
    )


@router.get("/staff/offices/{office_code}/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request, office_code: str, session: SessionDep, staff: StaffDep, year: int | None = None
) -> HTMLResponse:
    return await _calendar_page(request, session, staff, office_code, year or datetime.now(UTC).year)


@router.post("/staff/offices/{office_code}/calendar/overrides", response_class=HTMLResponse, response_model=None)
async def add_override_form(
    request: Request,
    office_code: str,
    session: SessionDep,
    temporal: TemporalDep,
    staff: StaffDep,
    _csrf: CsrfDep,
    day: Annotated[str, Form()],
    closed: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        override = OverrideIn(day=day, closed=closed == "true", name=name)  # type: ignore[arg-type]
        await calendar.add_override(
            session=session, temporal=temporal, staff=staff, office_code=office_code, override=override
        )
    except ValidationError as invalid:
        message = validation_summary(invalid.errors())
        return await _calendar_page(request, session, staff, office_code, datetime.now(UTC).year, message, 422)
    except ServiceError as refused:
        year = date.fromisoformat(day).year
        return await _calendar_page(request, session, staff, office_code, year, refused.message, refused.status)
    year = override.day.year
    return RedirectResponse(f"/staff/offices/{office_code}/calendar?year={year}", status_code=303)


@router.post(
    "/staff/offices/{office_code}/calendar/overrides/{day}/delete", response_class=HTMLResponse, response_model=None
)
async def remove_override_form(
    request: Request,
    office_code: str,
    day: date,
    session: SessionDep,
    temporal: TemporalDep,
    staff: StaffDep,
    _csrf: CsrfDep,
) -> HTMLResponse | RedirectResponse:
    try:
        await calendar.remove_override(
            session=session, temporal=temporal, staff=staff, office_code=office_code, day=day
        )
    except ServiceError as refused:
        return await _calendar_page(request, session, staff, office_code, day.year, refused.message, refused.status)
    return RedirectResponse(f"/staff/offices/{office_code}/calendar?year={day.year}", status_code=303)
