"""The header every page shares: who is signed in, and the menu that person needs (nothing of the scaffolding)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from api.ui.session import SESSION_COOKIE, csrf_token
from core.enums import OVERSEERS, ROLE_LABELS, Role
from core.i18n import gettext as _
from core.models import Applicant, Office, StaffAccount


@dataclass(frozen=True)
class MenuItem:
    """One link of the header's menu."""

    href: str
    label: str


@dataclass(frozen=True)
class Chrome:
    """What the header shows: the menu, the person signed in (name and role or office), and the logout token."""

    menu: list[MenuItem]
    person: str = ""
    detail: str = ""
    csrf: str = ""

    @property
    def signed_in(self) -> bool:
        return bool(self.person)


def viewer(request: Request) -> StaffAccount | Applicant | None:
    """The account looking at this page (set for every page by ``remember_viewer``)."""
    return getattr(request.state, "viewer", None)


def chrome(request: Request) -> Chrome:
    """The header of ``request``'s page for the person looking at it."""
    account = viewer(request)
    settings = request.app.state.settings
    token = csrf_token(settings, request.cookies.get(SESSION_COOKIE, ""))
    if isinstance(account, StaffAccount):
        office = getattr(request.state, "office", None)
        return Chrome(_staff_menu(account, settings.show_outbox), account.name, _staff_detail(account, office), token)
    if isinstance(account, Applicant):
        menu = [MenuItem("/portal", _("Permintaan saya")), MenuItem("/", _("Layanan kantor"))]
        return Chrome(menu, account.name, _("Pemohon"), token)
    return Chrome(
        [MenuItem("/", _("Layanan kantor")), MenuItem("/portal", _("Portal pemohon")), MenuItem("/login", _("Masuk"))]
    )


def _staff_detail(staff: StaffAccount, office: Office | None) -> str:
    """The role and the office by name: ``Petugas PST · BPS Kabupaten Kotawaringin Timur``."""
    return f"{ROLE_LABELS.get(staff.role, staff.role)} · {office.name if office is not None else staff.office_code}"


def _staff_menu(staff: StaffAccount, show_outbox: bool) -> list[MenuItem]:
    menu = [MenuItem("/staff", _("Kotak tugas")), MenuItem("/staff/queue", _("Antrean tamu"))]
    menu.append(MenuItem("/staff/complaints/new", _("Catat pengaduan")))
    if staff.role in OVERSEERS:
        menu += [MenuItem("/staff/dashboard", _("Dasbor")), MenuItem("/staff/reports", _("Laporan"))]
    if staff.role in (Role.ADMINISTRATOR, Role.NATIONAL_ADMINISTRATOR):
        menu.append(MenuItem("/staff/admin", _("Administrasi")))
    if staff.role == Role.ADMINISTRATOR and show_outbox:
        menu.append(MenuItem("/staff/outbox", _("Surat keluar")))
    return menu
