"""The account pages of a person not signed in: the email verification link's page, a new verification link, a
forgotten password (a link by mail, then a new password). Same services as the JSON API."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.applicant_schemas import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordResetIn, ResendIn
from api.deps import SessionDep, SettingsDep
from api.errors import ServiceError
from api.services import applicants, password_reset
from api.services.applicants import LinkExpired
from api.ui.cookies import clear_cookie, set_cookie
from api.ui.login import LOGIN_COOKIE
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, csrf_token
from core.i18n import gettext as _

router = APIRouter(include_in_schema=False)
RESEND_PATH = applicants.RESEND_PATH
FORGOT_PATH = password_reset.REQUEST_PATH
SET_PATH = password_reset.SET_PATH


def form_page(
    request: Request, settings: SettingsDep, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    """A page with a form for someone maybe not signed in: its CSRF token is bound to the login cookie it sets."""
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    context = {"csrf": csrf_token(settings, token), "errors": {}, "values": {}, **context}
    response = templates.TemplateResponse(request, template, context, status_code=status)
    set_cookie(response, settings, LOGIN_COOKIE, token)
    return response


def _email_error(invalid: ValidationError) -> dict[str, str]:
    return {"email": str(invalid.errors()[0].get("msg", "")) or _("Isi alamat email yang benar.")}


# ---------------------------------------------------------------- the verification link


@router.get("/verify-email", response_class=HTMLResponse)
async def verify_email_page(request: Request, session: SessionDep, settings: SettingsDep, token: str = "") -> Response:
    """The mailed link: says what happened and leads to sign-in, or, for a link that no longer works, to a new one."""
    context: dict[str, Any] = {"verified": False, "message": "", "expired": False}
    status = 200
    if not token.strip():
        context["message"] = _("Tautan ini tidak berisi kode verifikasi. Salin tautan lengkap dari email.")
        status = 400
    else:
        try:
            account = await applicants.verify_email(session=session, token=token, settings=settings)
            context |= {"verified": True, "message": account.message, "email": account.email}
        except ServiceError as error:
            context |= {"message": error.message, "expired": isinstance(error, LinkExpired)}
            status = error.status
    return templates.TemplateResponse(request, "pages/account/verified.html", context, status_code=status)


# ---------------------------------------------------------------- a new verification link


@router.get(RESEND_PATH, response_class=HTMLResponse)
async def resend_page(request: Request, settings: SettingsDep) -> Response:
    return form_page(request, settings, "pages/account/resend.html", {})


@router.post(RESEND_PATH, response_class=HTMLResponse)
async def resend(
    request: Request, session: SessionDep, settings: SettingsDep, _csrf: CsrfDep, email: Annotated[str, Form()] = ""
) -> Response:
    """The same answer whether or not the email is registered (no one learns who has an account); throttled."""
    return await _mail_a_link(
        request, settings, "pages/account/resend.html", email, ResendIn,
        lambda address: applicants.resend_verification(session=session, settings=settings, email=address),
    )  # fmt: skip


# ---------------------------------------------------------------- a forgotten password


@router.get(FORGOT_PATH, response_class=HTMLResponse)
async def forgot_page(request: Request, settings: SettingsDep) -> Response:
    return form_page(request, settings, "pages/account/forgot.html", {})


@router.post(FORGOT_PATH, response_class=HTMLResponse)
async def forgot(
    request: Request, session: SessionDep, settings: SettingsDep, _csrf: CsrfDep, email: Annotated[str, Form()] = ""
) -> Response:
    """A link to set a new password, mailed; the same answer whether or not the email has an account; throttled."""
    return await _mail_a_link(
        request, settings, "pages/account/forgot.html", email, PasswordResetIn,
        lambda address: password_reset.request_password_reset(session=session, settings=settings, email=address),
    )  # fmt: skip


async def _mail_a_link(
    request: Request,
    settings: Any,
    template: str,
    email: str,
    model: type[ResendIn] | type[PasswordResetIn],
    send: Callable[[str], Awaitable[Any]],
) -> Response:
    """An "ask for a link by email" form: the address checked (the error beside it, input kept), then one answer
    whatever the address, so no one learns who has an account."""
    try:
        asked = model(email=email)
    except ValidationError as invalid:
        context = {"errors": _email_error(invalid), "values": {"email": email.strip()}}
        return form_page(request, settings, template, context, 422)
    answer = await send(asked.email)
    return form_page(request, settings, template, {"sent": answer.message, "email": asked.email})


@router.get(SET_PATH, response_class=HTMLResponse)
async def set_password_page(request: Request, session: SessionDep, settings: SettingsDep, token: str = "") -> Response:
    """The mailed link's form, or a page saying the link no longer works and how to get a new one."""
    try:
        await password_reset.account_of_link(session=session, settings=settings, token=token)
    except ServiceError as refused:
        context = {"broken": refused.message}
        return form_page(request, settings, "pages/account/set_password.html", context, refused.status)
    return form_page(
        request, settings, "pages/account/set_password.html", {"token": token, "min_length": PASSWORD_MIN_LENGTH}
    )


@router.post(SET_PATH, response_class=HTMLResponse, response_model=None)
async def set_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    token: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    repeat_password: Annotated[str, Form()] = "",
) -> Response:
    """A new password: every session and token of the account ends (this browser's too), then sign in with it."""
    errors: dict[str, str] = {}
    if not PASSWORD_MIN_LENGTH <= len(new_password) <= PASSWORD_MAX_LENGTH:
        errors["new_password"] = _("Isi kata sandi baru %(low)s sampai %(high)s karakter.") % {
            "low": PASSWORD_MIN_LENGTH,
            "high": PASSWORD_MAX_LENGTH,
        }
    elif repeat_password != new_password:
        errors["repeat_password"] = _("Ketik ulang kata sandi baru yang sama persis.")
    context: dict[str, Any] = {"token": token, "min_length": PASSWORD_MIN_LENGTH}
    if errors:
        return form_page(request, settings, "pages/account/set_password.html", context | {"errors": errors}, 422)
    try:
        await password_reset.set_password_by_link(
            session=session, settings=settings, token=token, password=new_password
        )
    except ServiceError as refused:
        return form_page(
            request, settings, "pages/account/set_password.html", {"broken": refused.message}, refused.status
        )
    response = RedirectResponse("/login?reset=1", status_code=303)
    clear_cookie(response, settings, SESSION_COOKIE)
    return response
