"""Public pages: an office's contacts and its service standards, and its performance over the last 12 months;
no login needed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.errors import NotFound
from api.services import offices, performance
from api.ui.error_pages import error_page
from api.ui.pages import templates

router = APIRouter(include_in_schema=False)


@router.get("/offices/{code}", response_class=HTMLResponse)
async def office_page(request: Request, code: str, session: SessionDep) -> Response:
    try:
        view = await offices.office_page(session=session, office_code=code)
    except NotFound as missing:
        return error_page(request, missing.status, missing.message)
    return templates.TemplateResponse(request, "pages/office.html", {"view": view})


@router.get("/offices/{code}/kinerja", response_class=HTMLResponse)
async def performance_page(request: Request, code: str, session: SessionDep) -> Response:
    try:
        view = await performance.office_performance(session=session, office_code=code)
    except NotFound as missing:
        return error_page(request, missing.status, missing.message)
    charts = {service.service: performance.chart(service) for service in view.services}
    context = {"view": view, "charts": charts, "width": performance.CHART_WIDTH, "height": performance.CHART_HEIGHT}
    return templates.TemplateResponse(request, "pages/performance.html", context)
