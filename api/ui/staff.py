"""Staff pages: on the case page a form for each action open to me now; reports and the dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.services import dashboard, reports
from api.ui.pages import templates
from api.ui.session import PageStaffDep
from core.models import utcnow

router = APIRouter(include_in_schema=False)


@router.get("/staff/reports", response_class=HTMLResponse)
async def reports_page(request: Request, session: SessionDep, staff: PageStaffDep, month: str = "") -> Response:
    chosen = month or utcnow().strftime("%Y-%m")
    report = await reports.month_report(session=session, staff=staff, month=chosen)
    widest = max([row.submitted for row in report.services] + [1])
    return templates.TemplateResponse(
        request, "pages/reports.html", {"report": report, "widest": widest, "staff": staff}
    )


@router.get("/staff/dashboard", response_class=HTMLResponse)
async def dashboard_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    board = await dashboard.dashboard(session=session, staff=staff)
    return templates.TemplateResponse(request, "pages/dashboard.html", {"board": board, "staff": staff})
