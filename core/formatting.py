"""How people read money and times: Rp1.250.000, and times in words in the office's own zone.

Every function writes in the current language (``core.i18n``) with Babel's locale data: ``4 Desember 2026
pukul 16.00 WIB`` in Indonesian, ``4 December 2026 at 16:00 WIB`` in English.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from core.i18n import ENGLISH, current_language, gettext

_ZONE_ABBREVIATIONS = {7: "WIB", 8: "WITA", 9: "WIT"}


def rupiah(amount: int) -> str:
    """``1250000`` → ``Rp1.250.000`` (``Rp1,250,000`` in English)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{format_decimal(abs(amount), locale=current_language())}"


def number(value: int | float) -> str:
    """A count or a measure as people write it: ``12.345`` (``12,345`` in English)."""
    return format_decimal(value, locale=current_language())


def zone_label(timezone: str, at: datetime | None = None) -> str:
    """The Indonesian name of ``timezone`` from its UTC offset: ``Asia/Makassar`` → ``WITA``."""
    zone = ZoneInfo(timezone)
    offset = (datetime.now(zone) if at is None else at.astimezone(zone)).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return _ZONE_ABBREVIATIONS.get(hours, f"UTC{hours:+d}")


def local_time(moment: datetime, timezone: str) -> str:
    """``moment`` in the office's zone, short: ``27 Nov 2026 07.30 WIB``."""
    local = moment.astimezone(ZoneInfo(timezone))
    language = current_language()
    clock = format_time(local, "HH:mm" if language == ENGLISH else "HH.mm", locale=language)
    return f"{format_date(local, 'd MMM y', locale=language)} {clock} {zone_label(timezone, moment)}"


def date_in_words(moment: datetime | date, timezone: str = "Asia/Jakarta") -> str:
    """The day as people write it: ``4 Desember 2026`` (a datetime is first put in the office's zone)."""
    day = moment.astimezone(ZoneInfo(timezone)).date() if isinstance(moment, datetime) else moment
    return format_date(day, "d MMMM y", locale=current_language())


def month_in_words(year: int, month: int) -> str:
    """A month of a year: ``Desember 2026``."""
    return format_date(date(year, month, 1), "MMMM y", locale=current_language())


def time_in_words(moment: datetime, timezone: str) -> str:
    """``moment`` as people read it in the office's zone: ``4 Desember 2026 pukul 16.00 WIB``."""
    local = moment.astimezone(ZoneInfo(timezone))
    language = current_language()
    clock = format_time(local, "HH:mm" if language == ENGLISH else "HH.mm", locale=language)
    return gettext("%(day)s pukul %(time)s %(zone)s") % {
        "day": date_in_words(local.date()),
        "time": clock,
        "zone": zone_label(timezone, moment),
    }


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dates_in_words(text: str) -> str:
    """A note with its ``2026-12-18`` dates written as people write them (``18 Desember 2026``); a string that only
    looks like a date is left as it is."""

    def in_words(match: re.Match[str]) -> str:
        try:
            return date_in_words(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        except ValueError:
            return match.group(0)

    return _ISO_DATE.sub(in_words, text)
