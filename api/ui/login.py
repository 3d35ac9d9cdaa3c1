"""Sign-in, sign-out and own-password pages for staff and applicants."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.applicant_schemas import PASSWORD_MIN_LENGTH
from api.deps import ClientAddressDep, SessionDep, SettingsDep
from api.errors import ServiceError
from api.services.auth import PasswordChange, TooManyAttempts, change_password, sign_in, sign_out
from api.ui.cookies import clear_cookie, set_cookie
from api.ui.pages import templates
from api.ui.session import (
    SESSION_AGE,
    SESSION_COOKIE,
    CsrfDep,
    LoginRequired,
    PageAccountDep,
    csrf_token,
    session_token,
)
from core.enums import Role
from core.i18n import gettext as _
from core.models import Applicant, StaffAccount

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "pst_login"


def _safe_next(next_path: str) -> str:
    return next_path if next_path.startswith("/") and not next_path.startswith("//") else ""


def _login_page(
    request: Request, settings: SettingsDep, next_path: str, error: str = "", status: int = 200, email: str = ""
) -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "pages/login.html",
        {
            "csrf": csrf_token(settings, token),
            "next": _safe_next(next_path),
            "error": error,
            "email": email,
            "notice": _("Kata sandi baru tersimpan. Masuk dengan kata sandi baru.")
            if request.query_params.get("reset") == "1"
            else "",
        },
        status_code=status,
    )
    set_cookie(response, settings, LOGIN_COOKIE, token)
    return response


def _home_of(account: StaffAccount | Applicant) -> str:
    """Where a person lands after signing in: the inbox, the national administrator's tariffs, or the portal."""
    if not isinstance(account, StaffAccount):
        return "/portal"
    return "/staff/admin" if account.role == Role.NATIONAL_ADMINISTRATOR else "/staff"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, settings: SettingsDep, next: str = "") -> Response:
    return _login_page(request, settings, next)


@router.post("/login", response_class=HTMLResponse, response_model=None)
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    ip: ClientAddressDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        account = await sign_in(session=session, email=email, password=password, ip=ip)
    except ServiceError as refused:
        page = _login_page(request, settings, next, refused.message, refused.status, email=email.strip())
        if isinstance(refused, TooManyAttempts):
            page.headers["Retry-After"] = refused.retry_after
        return page
    home = _home_of(account)
    response = RedirectResponse(_safe_next(next) or home, status_code=303)
    token = session_token(settings, account)
    set_cookie(response, settings, SESSION_COOKIE, token, max_age=int(SESSION_AGE.total_seconds()))
    return response


@router.post("/logout")
async def logout(
    settings: SettingsDep, _csrf: CsrfDep, session: SessionDep, account: PageAccountDep
) -> RedirectResponse:
    """Sign out: this cookie and every other session and bearer token of the person stop working."""
    if account is not None:
        await sign_out(session=session, account=account)
    response = RedirectResponse("/", status_code=303)
    clear_cookie(response, settings, SESSION_COOKIE)
    return response


PASSWORD_PATH = "/akun/kata-sandi"


def _password_page(request: Request, settings: SettingsDep, errors: dict[str, str], status: int = 200) -> Response:
    csrf = csrf_token(settings, request.cookies.get(SESSION_COOKIE, ""))
    context = {"csrf": csrf, "errors": errors, "min_length": PASSWORD_MIN_LENGTH}
    return templates.TemplateResponse(request, "pages/password.html", context, status_code=status)


@router.get(PASSWORD_PATH, response_class=HTMLResponse)
async def password_page(request: Request, settings: SettingsDep, account: PageAccountDep) -> Response:
    if account is None:
        raise LoginRequired(PASSWORD_PATH)
    return _password_page(request, settings, {})


@router.post(PASSWORD_PATH, response_class=HTMLResponse, response_model=None)
async def password_changed(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    account: PageAccountDep,
    ip: ClientAddressDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
) -> Response:
    """A new password of one's own: every other session and token ends; this browser gets a new session."""
    if account is None:
        raise LoginRequired(PASSWORD_PATH)
    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = _("Isi kata sandi yang sedang Anda pakai.")
    if not PASSWORD_MIN_LENGTH <= len(new_password) <= 200:
        errors["new_password"] = _("Isi kata sandi baru %(low)s sampai %(high)s karakter.") % {
            "low": PASSWORD_MIN_LENGTH,
            "high": 200,
        }
    if errors:
        return _password_page(request, settings, errors, 422)
    change = PasswordChange(current_password=current_password, new_password=new_password)
    try:
        await change_password(session=session, account=account, change=change, ip=ip)
    except ServiceError as refused:
        page = _password_page(request, settings, {"current_password": refused.message}, refused.status)
        if isinstance(refused, TooManyAttempts):
            page.headers["Retry-After"] = refused.retry_after
        return page
    response = RedirectResponse(_home_of(account), status_code=303)
    set_cookie(
        response, settings, SESSION_COOKIE, session_token(settings, account), max_age=int(SESSION_AGE.total_seconds())
    )
    return response
