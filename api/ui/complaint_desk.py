"""The complaint desk: staff record a complaint that came by any channel of the seeds, check their answers, then
record it (the same service as the JSON API); errors beside the fields, the person's input kept."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ServiceError
from api.services import complaints
from api.services.cases import get_office
from api.services.complaint_input import DESK_CHANNELS
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from core.enums import COMPLAINT_CHANNEL_LABELS
from core.models import StaffAccount

router = APIRouter(include_in_schema=False)

FORM = "pages/complaint/desk_form.html"
CHECK = "pages/complaint/desk_check.html"
# The form's fields in the order the page shows them (and the error summary lists them).
FIELDS = ("channel", "lapor_number", "received_on", "text", "case_id", "anonymous", "name", "phone", "email")


def channel_choices() -> list[tuple[str, str]]:
    """The channels a desk records a complaint from, named in the language of the moment."""
    return [(channel.value, COMPLAINT_CHANNEL_LABELS[channel]) for channel in DESK_CHANNELS]


async def _posted(request: Request) -> dict[str, str]:
    """What the officer typed, as typed, and the form's idempotency key."""
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in (*FIELDS, "idempotency_key")}
    values["anonymous"] = "true" if values["anonymous"] == "true" else ""
    return values


def _data(staff: StaffAccount, values: dict[str, str]) -> dict[str, Any]:
    """The form's values as the service reads a complaint."""
    return {**values, "anonymous": values["anonymous"] == "true", "office_code": staff.office_code}


async def _form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: StaffAccount,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
    recorded_id: str = "",
) -> Response:
    office = await get_office(session=session, office_code=staff.office_code)
    ordered = {name: (errors or {})[name] for name in FIELDS if name in (errors or {})}
    return templates.TemplateResponse(
        request,
        FORM,
        {
            "office": office,
            "today": complaints.office_today(office).isoformat(),
            "channels": channel_choices(),
            "values": values,
            "errors": ordered,
            "message": message,
            "recorded_id": recorded_id,
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=status,
    )


def _check_page(
    request: Request,
    settings: SettingsDep,
    checked: complaints.CheckedComplaint,
    values: dict[str, str],
    message: str = "",
    status: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request,
        CHECK,
        {
            "checked": checked,
            "complaint": checked.complaint,
            "channel": COMPLAINT_CHANNEL_LABELS[checked.complaint.channel],
            "values": values,
            "message": message,
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=status,
    )


@router.get("/staff/complaints/new", response_class=HTMLResponse)
async def new_complaint(request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep) -> Response:
    office = await get_office(session=session, office_code=staff.office_code)
    values = {"received_on": complaints.office_today(office).isoformat(), "idempotency_key": str(uuid.uuid4())}
    return await _form(request, session, settings, staff, values)


@router.post("/staff/complaints/new", response_class=HTMLResponse)
async def change_complaint(
    request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    """Back from the check page ("Ubah"): the form with everything the officer typed."""
    return await _form(request, session, settings, staff, await _posted(request))


@router.post("/staff/complaints/check", response_class=HTMLResponse)
async def check_complaint(
    request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = await _posted(request)
    try:
        recorded = await complaints.recorded_with(
            session=session, office_code=staff.office_code, key=values["idempotency_key"]
        )
        if recorded is not None:  # back in the browser after recording: this form's complaint is already there
            return await _form(request, session, settings, staff, values, recorded_id=recorded, status=409)
        checked = await complaints.check_complaint(
            session=session, data=_data(staff, values), staff=staff, applicant=None
        )
    except complaints.ComplaintInvalid as invalid:
        return await _form(request, session, settings, staff, values, invalid.errors, status=invalid.status)
    except ServiceError as refused:
        return await _form(request, session, settings, staff, values, message=refused.message, status=refused.status)
    return _check_page(request, settings, checked, values)


@router.post("/staff/complaints", response_class=HTMLResponse, response_model=None)
async def record_complaint(
    request: Request,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    _csrf: CsrfDep,
) -> Response:
    values = await _posted(request)
    try:
        checked = await complaints.check_complaint(
            session=session, data=_data(staff, values), staff=staff, applicant=None
        )
        recorded = await complaints.record_complaint(
            session=session,
            temporal=temporal,
            settings=settings,
            checked=checked,
            staff=staff,
            applicant=None,
            idempotency_key=values["idempotency_key"],
        )
    except complaints.ComplaintInvalid as invalid:
        return await _form(request, session, settings, staff, values, invalid.errors, status=invalid.status)
    except ServiceError as refused:
        return await _form(request, session, settings, staff, values, message=refused.message, status=refused.status)
    return RedirectResponse(f"/staff/cases/{recorded.id}?done=1", status_code=303)  # the case page confirms
