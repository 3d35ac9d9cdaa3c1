"""Who may open the administration pages: an office's administrator its own office's pages (contacts, settings,
calendar, staff) and the national tariffs read-only; the national administrator the tariffs, to change them."""

from __future__ import annotations

from api.errors import Forbidden
from core.enums import Role
from core.i18n import gettext as _
from core.models import StaffAccount

ADMINISTRATION_ROLES = frozenset({Role.ADMINISTRATOR, Role.NATIONAL_ADMINISTRATOR})


def ensure_office_administrator(staff: StaffAccount, what: str, office_code: str | None = None) -> None:
    """Refuse anyone but the administrator of ``office_code`` (default: the staff member's own office)."""
    office = office_code or staff.office_code
    if staff.role != Role.ADMINISTRATOR or staff.office_code != office:
        raise Forbidden(
            _("Hanya administrator kantor %(office)s yang dapat %(what)s.") % {"office": office, "what": what}
        )


def ensure_administration(staff: StaffAccount) -> None:
    """Refuse every role without an administration page (officers, treasurers, supervisors, ...)."""
    if staff.role not in ADMINISTRATION_ROLES:
        raise Forbidden(_("Halaman administrasi hanya untuk administrator kantor dan administrator nasional."))
