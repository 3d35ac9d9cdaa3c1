"""Public pages: an office's contacts and its service standards; no login needed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.errors import NotFound
from api.services import offices
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
