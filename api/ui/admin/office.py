"""The office's pages: its contacts and service standards, and its settings (the clock's rules) as a form."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.admin_schemas import (
    WAIT_FIELDS,
    OfficeContactsIn,
    ServiceStandardIn,
    office_settings_from_form,
    parse_form,
)
from api.deps import SessionDep, TemporalDep
from api.errors import Conflict, FieldInvalid, Invalid
from api.services import calendar, office_admin, offices
from api.services.offices import CHANNEL_LABELS, SECTION_LABELS, TIME_UNIT_LABELS
from api.ui.admin.common import admin_page, field_errors, form_values, saved
from api.ui.session import CsrfDep, PageStaffDep
from core.formatting import zone_label
from core.models import Office, ServiceStandard, StaffAccount, StandardItem

router = APIRouter(include_in_schema=False)
CONTACT_FIELDS = ("address", "phone", "email", "website", "whatsapp")


def _contacts_of(office: Office) -> dict[str, str]:
    return {
        **{name: str(getattr(office, name)) for name in CONTACT_FIELDS},
        "complaint_channels": "\n".join(office.complaint_channels),
    }


async def _office_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    office = await office_admin.office_of(session=session, staff=staff)
    standards = await office_admin.standards_of(session=session, staff=staff)
    items = await offices.items_of(session, [standard.id for standard in standards])
    counts = {
        standard.id: [
            (SECTION_LABELS[section], sum(len(lines) for lines in channels.values()))
            for section, channels in offices.grouped(items[standard.id]).items()
        ]
        for standard in standards
    }
    context = {"office": office, "standards": standards, "counts": counts, "units": TIME_UNIT_LABELS}
    shown = values if values is not None else _contacts_of(office)
    return admin_page(request, staff, "office", context, errors=errors, values=shown, status=status)


@router.get("/staff/admin/office", response_class=HTMLResponse)
async def office_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _office_page(request, session, staff)


@router.post("/staff/admin/office", response_class=HTMLResponse, response_model=None)
async def save_contacts(request: Request, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep) -> Response:
    values = await form_values(request)
    try:
        contacts = parse_form(OfficeContactsIn, values)
        await office_admin.update_contacts(session=session, staff=staff, contacts=contacts)
    except (Invalid, Conflict) as refused:
        errors = field_errors(refused, "address")
        return await _office_page(request, session, staff, errors=errors, values=values, status=refused.status)
    return saved("/staff/admin/office", "contacts")


def _standard_values(standard: ServiceStandard, items: list[StandardItem]) -> dict[str, str]:
    fields = ("title", "title_en", "decree_number", "time_limit", "time_unit")
    return {**{name: str(getattr(standard, name)) for name in fields}, **offices.form_lists(items)}


async def _standard_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    standard_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    standard, items = await offices.standard_form(session=session, staff=staff, standard_id=standard_id)
    lists = [
        {
            "section": section,
            "heading": SECTION_LABELS[section],
            "channel": CHANNEL_LABELS[channel] if channel else "",
            "field": offices.field_name(section, channel),
            "field_en": offices.field_name(section, channel, english=True),
        }
        for section, channel in offices.editable_groups(items)
    ]
    context = {"standard": standard, "units": TIME_UNIT_LABELS, "lists": lists}
    shown = values if values is not None else _standard_values(standard, items)
    return admin_page(request, staff, "standard", context, errors=errors, values=shown, status=status)


@router.get("/staff/admin/standards/{standard_id}", response_class=HTMLResponse)
async def standard_page(request: Request, standard_id: int, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _standard_page(request, session, staff, standard_id)


@router.post("/staff/admin/standards/{standard_id}", response_class=HTMLResponse, response_model=None)
async def save_standard(
    request: Request, standard_id: int, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = await form_values(request)
    try:
        changes = parse_form(ServiceStandardIn, values)
        await offices.save_standard(
            session=session, staff=staff, standard_id=standard_id, changes=changes, values=values
        )
    except (Invalid, Conflict) as refused:
        beside = refused.field if isinstance(refused, FieldInvalid) else "title"
        errors = field_errors(refused, beside)
        return await _standard_page(
            request, session, staff, standard_id, errors=errors, values=values, status=refused.status
        )
    return saved("/staff/admin/office", "standard")


def _settings_values(office: Office) -> dict[str, str]:
    return {
        "cuti_bersama_is_day_off": "true" if office.cuti_bersama_is_day_off else "",
        "close_of_business": office.close_of_business,
        "sla_warning_percent": f"{office.sla_warning_share * 100:g}",
        "escalation_working_days": str(office.escalation_working_days),
        **{name: str(getattr(office, name)) for name in WAIT_FIELDS},
    }


async def _settings_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    office = await office_admin.office_of(session=session, staff=staff)
    context = {"office": office, "zone": zone_label(office.timezone, datetime.now(UTC))}
    shown = values if values is not None else _settings_values(office)
    return admin_page(request, staff, "settings", context, errors=errors, values=shown, status=status)


@router.get("/staff/admin/settings", response_class=HTMLResponse)
async def settings_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _settings_page(request, session, staff)


@router.post("/staff/admin/settings", response_class=HTMLResponse, response_model=None)
async def save_settings(
    request: Request, session: SessionDep, temporal: TemporalDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = await form_values(request)
    try:
        changes = office_settings_from_form(values)
        await calendar.update_settings(
            session=session, temporal=temporal, staff=staff, office_code=staff.office_code, changes=changes
        )
    except (Invalid, Conflict) as refused:
        errors = field_errors(refused, "close_of_business")
        return await _settings_page(request, session, staff, errors=errors, values=values, status=refused.status)
    return saved("/staff/admin/settings", "settings")
