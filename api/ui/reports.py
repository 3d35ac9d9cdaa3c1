"""The supervisor's pages: the dashboard, the monthly report, and the report's CSV downloaded with the session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.errors import Invalid
from api.routes.reports import csv_download
from api.services import dashboard, reports
from api.ui.pages import templates
from api.ui.session import PageStaffDep

router = APIRouter(include_in_schema=False)


@router.get("/staff/dashboard", response_class=HTMLResponse)
async def dashboard_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    board = await dashboard.dashboard(session=session, staff=staff)
    return templates.TemplateResponse(
        request, "pages/dashboard.html", {"board": board, "staff": staff, "number": reports.number}
    )


@router.get("/staff/reports", response_class=HTMLResponse)
async def reports_page(request: Request, session: SessionDep, staff: PageStaffDep, month: str = "") -> Response:
    """The month's report; a month that is not one comes back beside the picker with what to type."""
    context: dict[str, object] = {"staff": staff, "number": reports.number, "month": month}
    try:
        report = await reports.month_report(session=session, staff=staff, month=month)
    except Invalid as refused:
        context |= {"report": None, "error": refused.message}
        return templates.TemplateResponse(request, "pages/reports.html", context, status_code=refused.status)
    widest = max([row.submitted for row in report.services] + [1])
    context |= {"report": report, "widest": widest, "month": report.month}
    return templates.TemplateResponse(request, "pages/reports.html", context)


@router.get("/staff/reports/{month}.csv")
async def report_csv(session: SessionDep, staff: PageStaffDep, month: str) -> Response:
    """The month's report as a spreadsheet file, downloaded with the signed-in session."""
    return csv_download(await reports.month_report(session=session, staff=staff, month=month))
