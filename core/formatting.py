"""How people read money and times: Rp1.250.000, and times in the office's own zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

_ZONE_ABBREVIATIONS = {7: "WIB", 8: "WITA", 9: "WIT"}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def rupiah(amount: int) -> str:
    """``1250000`` → ``Rp1.250.000``."""
    return f"Rp{amount:,}".replace(",", ".")


def local_time(moment: datetime, timezone: str) -> str:
    """``moment`` in the office's zone, e.g. ``27 Nov 2026 07.30 WIB``."""
    local = moment.astimezone(ZoneInfo(timezone))
    offset = local.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    zone = _ZONE_ABBREVIATIONS.get(hours, local.strftime("%Z"))
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} {local:%H.%M} {zone}"


def zone_label(timezone: str, at: datetime | None = None) -> str:
    """The Indonesian name of ``timezone`` from its UTC offset: ``Asia/Makassar`` → ``WITA``."""
    zone = ZoneInfo(timezone)
    offset = (datetime.now(zone) if at is None else at.astimezone(zone)).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return _ZONE_ABBREVIATIONS.get(hours, f"UTC{hours:+d}")
