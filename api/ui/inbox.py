"""Staff pages of the inbox: what waits on me (my tasks first, counts per filter, paged by keyset), and a
supervisor's form handing a case's current task to one staff member."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SessionDep, SettingsDep
from api.errors import Invalid
from api.services import assignment, inbox
from api.services.time_left import time_left
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from core.i18n import gettext as _
from core.models import StaffAccount, utcnow
from core.office_calendars import load_office_calendar

router = APIRouter(include_in_schema=False)

FIELD = "assignee_id"


@router.get("/staff", response_class=HTMLResponse)
async def inbox_page(
    request: Request,
    session: SessionDep,
    staff: PageStaffDep,
    service: str = "",
    step: str = "",
    state: str = "",
    office: str = "",
    cursor: str = "",
) -> Response:
    filters = inbox.Filters(service=service, step=step, state=state, office=office)
    error = ""
    try:
        found = await inbox.inbox(session=session, staff=staff, filters=filters, cursor=cursor)
    except Invalid:  # a hand-edited or outdated address: the first page, unfiltered, saying why
        error = _("Saringan atau penanda halaman pada alamat ini tidak dikenal atau sudah tidak berlaku.")
        found = await inbox.inbox(session=session, staff=staff)
    return templates.TemplateResponse(
        request,
        "pages/inbox.html",
        {"inbox": found, "staff": staff, "error": error, "hands_over": assignment.may_hand_over(staff)},
        status_code=422 if error else 200,
    )


async def _render_assign(
    request: Request,
    session: Any,
    settings: Any,
    staff: StaffAccount,
    case_id: str,
    *,
    error: str = "",
    chosen: str = "",
    done: bool = False,
) -> Response:
    case, people, holder = await assignment.hand_over_form(session=session, staff=staff, case_id=case_id)
    now = utcnow()
    loaded = await load_office_calendar(session, case.office_code, now)
    assert loaded is not None  # a case's office is a foreign key
    office, calendar = loaded
    return templates.TemplateResponse(
        request,
        "pages/assign.html",
        {
            "case": case,
            "office": office,
            "people": people,
            "holder": holder,
            "badge": time_left(case, calendar, now),
            "errors": {FIELD: error} if error else {},
            "chosen": chosen or (str(holder.id) if holder else ""),
            "done": done,
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=422 if error else 200,
    )


@router.get("/staff/cases/{case_id}/assign", response_class=HTMLResponse)
async def assign_page(
    request: Request, case_id: str, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, done: str = ""
) -> Response:
    return await _render_assign(request, session, settings, staff, case_id, done=bool(done))


@router.post("/staff/cases/{case_id}/assign", response_class=HTMLResponse)
async def assign(
    request: Request,
    case_id: str,
    session: SessionDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    _csrf: CsrfDep,
) -> Response:
    chosen = str((await request.form()).get(FIELD, "")).strip()
    if not chosen.isdigit():
        error = _("Pilih staf yang menerima tugas ini.")
        return await _render_assign(request, session, settings, staff, case_id, error=error, chosen=chosen)
    try:
        await assignment.assign_task(
            session=session,
            settings=settings,
            staff=staff,
            case_id=case_id,
            given=assignment.AssignIn(assignee_id=int(chosen)),
        )
    except Invalid as refused:  # refused before anything was written
        return await _render_assign(request, session, settings, staff, case_id, error=refused.message, chosen=chosen)
    return RedirectResponse(f"/staff/cases/{case_id}/assign?done=1", status_code=303)
