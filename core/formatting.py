"""How people read money and times: Rp1.250.000, and times in the office's own zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

_ZONE_ABBREVIATIONS = {7: "WIB", 8: "WITA", 9: "WIT"}
MONTHS_IN_WORDS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
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


def date_in_words(moment: datetime | date, timezone: str = "Asia/Jakarta") -> str:
    """The day as people write it: ``4 Desember 2026`` (a datetime is first put in the office's zone)."""
    day = moment.astimezone(ZoneInfo(timezone)).date() if isinstance(moment, datetime) else moment
    return f"{day.day} {MONTHS_IN_WORDS[day.month - 1]} {day.year}"


def time_in_words(moment: datetime, timezone: str) -> str:
    """``moment`` as people read it in the office's zone: ``4 Desember 2026 pukul 16.00 WIB``."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{date_in_words(local.date())} pukul {local:%H.%M} {zone_label(timezone, moment)}"
