"""HTML pages; they call the same services as the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep, StaffDep
from api.services import cases, outbox
from core.enums import ROLE_LABELS, SERVICE_LABELS, STEP_LABELS
from core.models import Office

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.globals.update(step_labels=STEP_LABELS, role_labels=ROLE_LABELS, service_labels=SERVICE_LABELS)

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, session: SessionDep) -> HTMLResponse:
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    return templates.TemplateResponse(request, "pages/home.html", {"offices": offices})


@router.get("/staff/outbox", response_class=HTMLResponse)
async def outbox_page(request: Request, session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    queued = await outbox.list_outbox(session=session, settings=settings)
    kept = outbox.list_kept_mail(settings=settings)
    return templates.TemplateResponse(request, "pages/outbox.html", {"queued": queued, "kept": kept})


@router.get("/staff/cases/{case_id}", response_class=HTMLResponse)
async def case_page(
    request: Request, case_id: str, session: SessionDep, settings: SettingsDep, staff: StaffDep
) -> HTMLResponse:
    case = await cases.read_case(session=session, settings=settings, staff=staff, case_id=case_id)
    return templates.TemplateResponse(request, "pages/case.html", {"case": case, "staff": staff})
