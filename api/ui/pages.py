"""HTML pages; they call the same services as the JSON API."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep
from api.language import LANG_COOKIE
from api.services import outbox
from api.services.offer_draft import line_count
from api.ui.chrome import chrome
from api.ui.cookies import set_cookie
from api.ui.session import PageStaffDep
from core import i18n
from core.case_details import details_of
from core.enums import ROLE_LABELS, SERVICE_LABELS, STEP_LABELS, Channel, SlaState, action_label
from core.formatting import date_in_words, number, rupiah, time_in_words
from core.models import Office
from core.reference import VISIT_SERVICES

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.add_extension("jinja2.ext.i18n")
# Text in templates is marked {{ _("…") }} or {% trans %}…{% endtrans %} and read in the request's language.
templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.globals["current_language"] = i18n.current_language
templates.env.filters["number"] = number  # 12345 → 12.345
templates.env.globals.update(step_labels=STEP_LABELS, role_labels=ROLE_LABELS, service_labels=SERVICE_LABELS)
templates.env.globals["chrome"] = chrome  # the header: menu and the person signed in
templates.env.globals["Channel"] = Channel  # the closed sets templates compare with, never a bare string
templates.env.globals["SlaState"] = SlaState
templates.env.globals["visit_services"] = VISIT_SERVICES  # what a guest came for, in Indonesian (read through _)
templates.env.globals["details_of"] = details_of  # a case's typed details, e.g. details_of(guest).queue_number
templates.env.globals["new_idempotency_key"] = lambda: str(uuid.uuid4())  # one per rendered action form
templates.env.filters["action_label"] = action_label
templates.env.globals["offer_line_count"] = line_count  # the offer form's lines: those filled and a spare
templates.env.filters["rupiah"] = rupiah  # 1250000 → Rp1.250.000
templates.env.filters["in_words"] = (
    time_in_words  # moment | in_words(office.timezone) → 4 Desember 2026 pukul 16.00 WIB
)
templates.env.filters["date_in_words"] = date_in_words

router = APIRouter(include_in_schema=False)


@router.get("/lang/{lang}")
async def switch_language(settings: SettingsDep, lang: str, next: str = "/") -> RedirectResponse:
    """Bahasa Indonesia (id) or English (en) for every page, kept in a cookie."""
    response = RedirectResponse(next if next.startswith("/") and not next.startswith("//") else "/", status_code=303)
    set_cookie(response, settings, LANG_COOKIE, "en" if lang == "en" else "id", max_age=365 * 86400)
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, session: SessionDep) -> HTMLResponse:
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    return templates.TemplateResponse(request, "pages/home.html", {"offices": offices})


@router.get("/staff/outbox", response_class=HTMLResponse)
async def outbox_page(
    request: Request, session: SessionDep, settings: SettingsDep, staff: PageStaffDep
) -> HTMLResponse:
    queued = await outbox.list_outbox(session=session, settings=settings, staff=staff)
    kept = outbox.list_kept_mail(settings=settings)
    return templates.TemplateResponse(request, "pages/outbox.html", {"queued": queued, "kept": kept})
