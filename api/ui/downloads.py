"""The download page of a mailed link (``/unduh/<token>``): the owner's file after sign-in, or, for a walk-in guest
without an account, a small form asking for the one-time code printed on the receipt; ``/unduh`` asks for the
request's number too, for a guest who left no email (both are printed on the receipt)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import SessionDep, SettingsDep
from api.errors import NotFound, ServiceError
from api.services import downloads
from api.ui.cookies import set_cookie
from api.ui.login import LOGIN_COOKIE
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, LoginRequired, csrf_token, signed_in
from core.i18n import gettext as _

router = APIRouter(include_in_schema=False)


def _ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _code_page(
    request: Request,
    settings: SettingsDep,
    token: str,
    case_id: str,
    *,
    code: str = "",
    error: str = "",
    error_field: str = "code",
    status: int = 200,
) -> Response:
    """The code form; the CSRF token is bound to the session cookie, or to a sign-in cookie set here."""
    session_value = request.cookies.get(SESSION_COOKIE) or request.cookies.get(LOGIN_COOKIE) or ""
    fresh = "" if session_value else secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "pages/sale/download_code.html",
        {
            "csrf": csrf_token(settings, session_value or fresh),
            "token": token,
            "case_id": case_id,
            "code": code,
            "error": error,
            "error_field": error_field,
        },
        status_code=status,
    )
    if status == downloads.CodeLocked.status:
        response.headers["Retry-After"] = str(int(downloads.CODE_LOCK.total_seconds()))
    if fresh:
        set_cookie(response, settings, LOGIN_COOKIE, fresh)
    return response


@router.get("/unduh/{token}", response_model=None)
async def download_page(token: str, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    link, case = await downloads.link_and_case(session=session, token=token)
    if case.applicant_id is None:
        return _code_page(request, settings, token, case.id)
    account = await signed_in(request, session, settings)
    if account is None:
        raise LoginRequired(request.url.path)
    downloads.ensure_owner(case, account)
    served = await downloads.take_download(session=session, settings=settings, link=link, ip=_ip(request))
    return FileResponse(served.path, filename=served.filename)


@router.post("/unduh/{token}", response_class=HTMLResponse, response_model=None)
async def download_with_code(
    token: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    code: Annotated[str, Form()] = "",
) -> Response:
    _link, case = await downloads.link_and_case(session=session, token=token)
    if not code.strip():
        return _code_page(
            request, settings, token, case.id, error=_("Masukkan kode unduhan yang tercetak pada kuitansi."), status=422
        )
    try:
        served = await downloads.download_with_code(
            session=session, settings=settings, token=token, code=code, ip=_ip(request)
        )
    except ServiceError as refused:
        return _code_page(request, settings, token, case.id, code=code, error=refused.message, status=refused.status)
    return FileResponse(served.path, filename=served.filename)


@router.get("/unduh", response_class=HTMLResponse)
async def download_by_receipt_page(request: Request, settings: SettingsDep) -> Response:
    return _code_page(request, settings, "", "")


@router.post("/unduh", response_class=HTMLResponse, response_model=None)
async def download_by_receipt(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    case_id: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
) -> Response:
    if not case_id.strip():
        return _code_page(
            request,
            settings,
            "",
            case_id,
            code=code,
            error=_("Masukkan nomor permintaan yang tercetak pada kuitansi."),
            error_field="case_id",
            status=422,
        )
    if not code.strip():
        return _code_page(
            request, settings, "", case_id, error=_("Masukkan kode unduhan yang tercetak pada kuitansi."), status=422
        )
    try:
        served = await downloads.download_case_with_code(
            session=session, settings=settings, case_id=case_id, code=code, ip=_ip(request)
        )
    except NotFound as unknown:  # the number: unknown, or its data not delivered yet
        return _code_page(
            request, settings, "", case_id, code=code, error=unknown.message, error_field="case_id", status=404
        )
    except ServiceError as refused:
        return _code_page(request, settings, "", case_id, code=code, error=refused.message, status=refused.status)
    return FileResponse(served.path, filename=served.filename)
