"""What every administration page shares: its template under pages/admin/, the form token, the notice after a
save, and a refused form's messages beside its fields with the person's input kept."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from api.admin_schemas import FormInvalid
from api.errors import ServiceError
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, csrf_token
from core.i18n import N_
from core.i18n import gettext as _
from core.models import StaffAccount

# What a page says after a save, by the key of its redirect (never text from the address bar).
NOTICES = {
    "contacts": N_("Data kontak kantor tersimpan."),
    "standard": N_("Standar pelayanan tersimpan."),
    "settings": N_("Pengaturan kantor tersimpan. Tenggat permintaan yang sedang berjalan dihitung ulang."),
    "day-added": N_("Perubahan kalender tersimpan. Tenggat permintaan yang sedang berjalan dihitung ulang."),
    "day-removed": N_("Perubahan kalender dihapus. Tenggat permintaan yang sedang berjalan dihitung ulang."),
    "account-created": N_("Akun staf dibuat. Sampaikan email dan kata sandi awalnya kepada pemiliknya."),
    "role": N_("Peran akun tersimpan."),
    "password": N_("Kata sandi baru tersimpan. Sampaikan kepada pemilik akun."),
    "deactivated": N_("Akun dinonaktifkan: pemiliknya tidak dapat masuk lagi."),
    "activated": N_("Akun diaktifkan kembali."),
    "tariff": N_("Tarif tersimpan; invoice baru memakai tarif ini."),
}


def admin_page(
    request: Request,
    staff: StaffAccount,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """Render ``pages/admin/<name>.html`` for ``staff``; ``errors`` and ``values`` are a refused form's."""
    settings = request.app.state.settings
    return templates.TemplateResponse(
        request,
        f"pages/admin/{name}.html",
        {
            "staff": staff,
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
            "notice": _(NOTICES.get(request.query_params.get("done", ""), "")),
            "errors": errors or {},
            "values": values or {},
            **(context or {}),
        },
        status_code=status,
    )


async def form_values(request: Request) -> dict[str, str]:
    """The form's fields as text (its token left out), to parse and to show again on an error."""
    return {key: str(value) for key, value in (await request.form()).items() if key != "csrf"}


def field_errors(refused: ServiceError, field: str) -> dict[str, str]:
    """A refusal's messages by field: a ``FormInvalid``'s own, any other refusal beside ``field``."""
    return refused.errors if isinstance(refused, FormInvalid) else {field: refused.message}


def saved(path: str, notice: str) -> RedirectResponse:
    """After a save: back to ``path`` with the notice ``notice`` (a key of ``NOTICES``)."""
    separator = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{separator}done={notice}", status_code=303)
