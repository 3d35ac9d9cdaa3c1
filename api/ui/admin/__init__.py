"""Administration, one page per subject under /staff/admin: the office's contacts and service standards, its
settings, its calendar, its staff accounts (the office's administrator), and the national tariffs (read by the
office's administrator, changed by the national administrator). Other roles are refused every page."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.services.admin_access import ensure_administration
from api.ui.admin import accounts, calendar, catalogue, office, tariffs
from api.ui.admin.common import admin_page
from api.ui.session import PageStaffDep
from core.enums import Role
from core.i18n import N_
from core.i18n import gettext as _

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class AdminSection:
    """One administration page as the index lists it."""

    href: str
    title: str
    summary: str


OFFICE_SECTIONS = [
    AdminSection(
        "/staff/admin/office",
        N_("Kontak dan standar pelayanan"),
        N_("Alamat, telepon, email, situs web, WhatsApp dan saluran pengaduan kantor; standar pelayanan yang terbit."),
    ),
    AdminSection(
        "/staff/admin/settings",
        N_("Pengaturan kantor"),
        N_("Cuti bersama, jam tutup layanan, kapan peringatan tenggat dikirim, kapan eskalasi ke provinsi."),
    ),
    AdminSection(
        "/staff/admin/calendar",
        N_("Kalender kantor"),
        N_("Hari libur kantor dan hari libur nasional yang tetap masuk kerja."),
    ),
    AdminSection(
        "/staff/admin/accounts", N_("Akun staf"), N_("Membuat akun, mengubah peran, mengatur ulang kata sandi.")
    ),
    AdminSection(
        "/staff/admin/catalogue",
        N_("Katalog data"),
        N_("Dataset dan variabelnya, peta wilkerstat dan publikasi yang dapat dipesan pemohon."),
    ),
]
TARIFF_SECTION = AdminSection(
    "/staff/admin/tariffs", N_("Tarif PNBP"), N_("Tarif nasional data mikro, peta dan publikasi.")
)


def sections_for(role: str) -> list[AdminSection]:
    """The administration pages open to ``role``."""
    shown = [*OFFICE_SECTIONS, TARIFF_SECTION] if role == Role.ADMINISTRATOR else [TARIFF_SECTION]
    return [AdminSection(section.href, _(section.title), _(section.summary)) for section in shown]


@router.get("/staff/admin", response_class=HTMLResponse)
async def admin_index(request: Request, staff: PageStaffDep) -> Response:
    ensure_administration(staff)
    return admin_page(request, staff, "index", {"sections": sections_for(staff.role)})


for part in (office, calendar, accounts, tariffs, catalogue):
    router.include_router(part.router)
