"""The office's calendar: the days off of a year, the office's own changes, adding one, and removing one after a
confirmation (running deadlines are recomputed either way)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.admin_schemas import override_from_form
from api.deps import SessionDep, TemporalDep
from api.errors import Conflict, Invalid
from api.services import calendar
from api.ui.admin.common import admin_page, field_errors, form_values, saved
from api.ui.session import CsrfDep, PageStaffDep
from core.formatting import date_in_words
from core.i18n import gettext as _
from core.models import StaffAccount

router = APIRouter(include_in_schema=False)
CALENDAR = "/staff/admin/calendar"


def _this_year() -> int:
    return datetime.now(UTC).year


async def _calendar_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    year: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    office_calendar = await calendar.calendar_to_edit(session=session, staff=staff, year=year)
    shown = values if values is not None else {"closed": "true"}
    context = {"calendar": office_calendar}
    return admin_page(request, staff, "calendar", context, errors=errors, values=shown, status=status)


@router.get("/staff/admin/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request, session: SessionDep, staff: PageStaffDep, year: int | None = None
) -> Response:
    return await _calendar_page(request, session, staff, year or _this_year())


@router.get("/staff/offices/{office_code}/calendar")
async def old_calendar_address(office_code: str, year: int | None = None) -> RedirectResponse:
    """The calendar's former address (kept for bookmarks) leads to the administration's calendar page."""
    return RedirectResponse(f"{CALENDAR}?year={year}" if year else CALENDAR, status_code=303)


@router.post("/staff/admin/calendar/overrides", response_class=HTMLResponse, response_model=None)
async def add_override(
    request: Request, session: SessionDep, temporal: TemporalDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = await form_values(request)
    try:
        override = override_from_form(values)
        await calendar.add_override(
            session=session, temporal=temporal, staff=staff, office_code=staff.office_code, override=override
        )
    except (Invalid, Conflict) as refused:
        year = _year_of(values.get("day", ""))
        errors = field_errors(refused, "day")
        return await _calendar_page(request, session, staff, year, errors=errors, values=values, status=refused.status)
    return saved(f"{CALENDAR}?year={override.day.year}", "day-added")


def _year_of(day: str) -> int:
    try:
        return date.fromisoformat(day).year
    except ValueError:
        return _this_year()


@router.get("/staff/admin/calendar/overrides/{day}/remove", response_class=HTMLResponse)
async def confirm_removal(request: Request, day: date, session: SessionDep, staff: PageStaffDep) -> Response:
    office_calendar = await calendar.calendar_to_edit(session=session, staff=staff, year=day.year)
    row = next((row for row in office_calendar.overrides if row.day == day), None)
    if row is None:
        return RedirectResponse(f"{CALENDAR}?year={day.year}", status_code=303)
    change = _("Libur kantor") if row.closed else _("Masuk kerja pada hari libur")
    context = {
        "title": _("Hapus perubahan kalender?"),
        "facts": [(_("Tanggal"), date_in_words(row.day)), (_("Perubahan"), change), (_("Keterangan"), row.name)],
        "warning": _(
            "Setelah dihapus, kalender nasional berlaku lagi pada tanggal ini dan tenggat semua permintaan "
            "yang sedang berjalan dihitung ulang."
        ),
        "action": f"{CALENDAR}/overrides/{day.isoformat()}/remove",
        "button": _("Ya, hapus perubahan ini"),
        "back": f"{CALENDAR}?year={day.year}",
    }
    return admin_page(request, staff, "confirm", context)


@router.post("/staff/admin/calendar/overrides/{day}/remove", response_class=HTMLResponse, response_model=None)
async def remove_override(
    day: date, session: SessionDep, temporal: TemporalDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    await calendar.remove_override(
        session=session, temporal=temporal, staff=staff, office_code=staff.office_code, day=day
    )
    return saved(f"{CALENDAR}?year={day.year}", "day-removed")
