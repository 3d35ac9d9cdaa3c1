"""Web sessions: a signed HttpOnly cookie naming the account and its session stamp (logout or a new password
ends it), and a CSRF token bound to it."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import OptionalStaffDep, SessionDep, SettingsDep
from api.services.auth import session_stamp, stamp_holds
from core.models import Applicant, Office, StaffAccount, utcnow
from core.security import read_token, sign_token
from core.settings import Settings

SESSION_COOKIE = "pst_session"
SESSION_PURPOSE = "web-session"
SESSION_AGE = timedelta(hours=12)


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def session_token(settings: Settings, account: StaffAccount | Applicant) -> str:
    """The cookie value of a signed-in account."""
    kind = "staff" if isinstance(account, StaffAccount) else "applicant"
    subject = f"{kind}:{account.id}:{session_stamp(account)}"
    return sign_token(settings.secret_key.get_secret_value(), SESSION_PURPOSE, subject, utcnow())


def csrf_token(settings: Settings, session_value: str) -> str:
    """The form token of a session (double-submit, bound to the cookie)."""
    digest = hmac.new(settings.secret_key.get_secret_value().encode(), f"csrf:{session_value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


async def signed_in(request: Request, session: AsyncSession, settings: Settings) -> StaffAccount | Applicant | None:
    """The account of the session cookie, if it is valid, still active and not signed out (or re-passworded) since."""
    value = request.cookies.get(SESSION_COOKIE, "")
    if not value:
        return None
    try:
        subject = read_token(settings.secret_key.get_secret_value(), SESSION_PURPOSE, value, SESSION_AGE)
    except ValueError:
        return None
    kind, _, rest = subject.partition(":")
    account_id, _, stamp = rest.partition(":")
    if not account_id.isdigit():
        return None
    account: StaffAccount | Applicant | None
    if kind == "staff":
        account = await session.get(StaffAccount, int(account_id))
        if account is not None and not account.active:
            return None
    else:
        account = await session.get(Applicant, int(account_id))
    return account if account is not None and stamp_holds(account, stamp) else None


async def remember_viewer(request: Request, session: SessionDep, settings: SettingsDep) -> None:
    """Every page knows who is looking (``request.state.viewer``: a staff account, an applicant or None), so the
    header shows that person's menu."""
    viewer = await signed_in(request, session, settings)
    request.state.viewer = viewer
    request.state.office = await session.get(Office, viewer.office_code) if isinstance(viewer, StaffAccount) else None


async def _page_account(
    request: Request, session: SessionDep, settings: SettingsDep
) -> StaffAccount | Applicant | None:
    return await signed_in(request, session, settings)


async def _page_staff(
    request: Request, session: SessionDep, settings: SettingsDep, bearer: OptionalStaffDep
) -> StaffAccount:
    """The staff member of the session cookie (or of a bearer token, for scripts); otherwise the login page."""
    account = await signed_in(request, session, settings)
    if isinstance(account, StaffAccount):
        return account
    if bearer is not None:
        return bearer
    raise LoginRequired(str(request.url.path))


async def _page_applicant(request: Request, session: SessionDep, settings: SettingsDep) -> Applicant:
    account = await signed_in(request, session, settings)
    if not isinstance(account, Applicant):
        raise LoginRequired(request.url.path)
    return account


async def _checked_csrf(request: Request, settings: SettingsDep) -> None:
    form = await request.form()
    given = str(form.get("csrf", ""))
    cookies = [request.cookies.get(name, "") for name in (SESSION_COOKIE, "pst_login")]
    if not given or not any(value and hmac.compare_digest(given, csrf_token(settings, value)) for value in cookies):
        raise LoginRequired(request.url.path)


PageAccountDep = Annotated[StaffAccount | Applicant | None, Depends(_page_account)]
PageStaffDep = Annotated[StaffAccount, Depends(_page_staff)]
PageApplicantDep = Annotated[Applicant, Depends(_page_applicant)]
CsrfDep = Annotated[None, Depends(_checked_csrf)]
