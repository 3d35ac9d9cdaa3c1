"""The office's staff accounts: the list, a new account, and one account's page (role, password, deactivation
after a confirmation)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.admin_schemas import PasswordResetIn, StaffCreate, StaffRoleIn, parse_form
from api.deps import SessionDep
from api.errors import Conflict, Invalid
from api.services import staff_accounts
from api.ui.admin.common import admin_page, field_errors, form_values, saved
from api.ui.session import CsrfDep, PageStaffDep
from core.enums import OFFICE_ROLES, ROLE_LABELS
from core.i18n import gettext as _
from core.models import StaffAccount

router = APIRouter(include_in_schema=False)
ACCOUNTS = "/staff/admin/accounts"


def role_choices() -> list[tuple[str, str]]:
    """The roles an office's account may hold, named in the language of the moment."""
    return [(role.value, ROLE_LABELS[role]) for role in OFFICE_ROLES]


async def _accounts_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    accounts = await staff_accounts.list_staff(session=session, staff=staff)
    context = {
        "accounts": [(account, staff_accounts.may_manage(staff, account)) for account in accounts],
        "roles": role_choices(),
    }
    return admin_page(request, staff, "accounts", context, errors=errors, values=values, status=status)


@router.get(ACCOUNTS, response_class=HTMLResponse)
async def accounts_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _accounts_page(request, session, staff)


@router.post(ACCOUNTS, response_class=HTMLResponse, response_model=None)
async def create_account(request: Request, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep) -> Response:
    values = await form_values(request)
    try:
        await staff_accounts.create_staff(session=session, staff=staff, new=parse_form(StaffCreate, values))
    except (Invalid, Conflict) as refused:
        kept = {name: value for name, value in values.items() if name != "password"}
        errors = field_errors(refused, "email")
        return await _accounts_page(request, session, staff, errors=errors, values=kept, status=refused.status)
    return saved(ACCOUNTS, "account-created")


async def _account_page(
    request: Request,
    session: SessionDep,
    staff: StaffAccount,
    account_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    account = await staff_accounts.account_of(session=session, staff=staff, account_id=account_id)
    shown = values if values is not None else {"role": account.role}
    context = {"account": account, "roles": role_choices(), "is_me": account.id == staff.id}
    return admin_page(request, staff, "account", context, errors=errors, values=shown, status=status)


@router.get(ACCOUNTS + "/{account_id}", response_class=HTMLResponse)
async def account_page(request: Request, account_id: int, session: SessionDep, staff: PageStaffDep) -> Response:
    return await _account_page(request, session, staff, account_id)


@router.post(ACCOUNTS + "/{account_id}/role", response_class=HTMLResponse, response_model=None)
async def change_role(
    request: Request, account_id: int, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = await form_values(request)
    try:
        role = parse_form(StaffRoleIn, values).role
        await staff_accounts.set_role(session=session, staff=staff, account_id=account_id, role=role)
    except (Invalid, Conflict) as refused:
        errors = field_errors(refused, "role")
        return await _account_page(
            request, session, staff, account_id, errors=errors, values=values, status=refused.status
        )
    return saved(f"{ACCOUNTS}/{account_id}", "role")


@router.post(ACCOUNTS + "/{account_id}/password", response_class=HTMLResponse, response_model=None)
async def reset_password(
    request: Request, account_id: int, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    values = await form_values(request)
    try:
        password = parse_form(PasswordResetIn, values).password
        await staff_accounts.reset_password(session=session, staff=staff, account_id=account_id, password=password)
    except (Invalid, Conflict) as refused:
        errors = field_errors(refused, "password")
        return await _account_page(request, session, staff, account_id, errors=errors, status=refused.status)
    return saved(f"{ACCOUNTS}/{account_id}", "password")


@router.get(ACCOUNTS + "/{account_id}/deactivate", response_class=HTMLResponse)
async def confirm_deactivation(request: Request, account_id: int, session: SessionDep, staff: PageStaffDep) -> Response:
    account = await staff_accounts.account_of(session=session, staff=staff, account_id=account_id)
    context = {
        "title": _("Nonaktifkan akun %(name)s?") % {"name": account.name},
        "facts": [
            (_("Nama"), account.name),
            (_("Email"), account.email),
            (_("Peran"), ROLE_LABELS.get(account.role, "")),
        ],
        "warning": _(
            "Pemilik akun ini tidak dapat masuk lagi sampai akunnya diaktifkan kembali. Minta supervisor "
            "mengalihkan tugas yang sedang ditanganinya."
        ),
        "action": f"{ACCOUNTS}/{account_id}/deactivate",
        "button": _("Ya, nonaktifkan akun"),
        "back": f"{ACCOUNTS}/{account_id}",
    }
    return admin_page(request, staff, "confirm", context)


@router.post(ACCOUNTS + "/{account_id}/deactivate", response_class=HTMLResponse, response_model=None)
async def deactivate(
    request: Request, account_id: int, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep
) -> Response:
    try:
        await staff_accounts.set_active(session=session, staff=staff, account_id=account_id, active=False)
    except (Invalid, Conflict) as refused:
        return await _account_page(
            request, session, staff, account_id, errors={"active": refused.message}, status=refused.status
        )
    return saved(f"{ACCOUNTS}/{account_id}", "deactivated")


@router.post(ACCOUNTS + "/{account_id}/activate", response_class=HTMLResponse, response_model=None)
async def activate(account_id: int, session: SessionDep, staff: PageStaffDep, _csrf: CsrfDep) -> Response:
    await staff_accounts.set_active(session=session, staff=staff, account_id=account_id, active=True)
    return saved(f"{ACCOUNTS}/{account_id}", "activated")
