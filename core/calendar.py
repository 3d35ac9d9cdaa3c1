"""Working days of an office and the deadline rules of the service standards (all counting lives here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

# The online sale's limit when an office's own standard states only its walk-in queue time (DOMAIN.md).
DEFAULT_SALE_WORKING_DAYS = 10


def national_days_off(years: Iterable[int], *, cuti_bersama_is_day_off: bool = True) -> dict[date, str]:
    """Indonesia's national holidays (and cuti bersama, unless the office works them), named in Indonesian."""
    categories = (PUBLIC, GOVERNMENT) if cuti_bersama_is_day_off else (PUBLIC,)
    found = holidays.country_holidays("ID", years=list(years), categories=categories, language="id")
    return dict(found.items())


@dataclass(frozen=True)
class OfficeCalendar:
    """An office's working days: Monday to Friday except its days off, closing at ``close_of_business``."""

    timezone: str
    close_of_business: time
    days_off: frozenset[date]

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        """True for a weekday that is not a day off."""
        return day.weekday() < 5 and day not in self.days_off

    def add_working_days(self, start: datetime, count: int) -> datetime:
        """Close of business of the ``count``-th working day strictly after ``start``'s local date."""
        day = start.astimezone(self.zone).date()
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return datetime.combine(day, self.close_of_business, tzinfo=self.zone)


def parse_close_of_business(value: str) -> time:
    """``"16:00"`` → 16:00."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def office_calendar(
    *, timezone: str, close_of_business: str, cuti_bersama_is_day_off: bool, around: datetime, years_ahead: int = 1
) -> OfficeCalendar:
    """The calendar of an office for the years from ``around`` on (enough for any service deadline)."""
    year = around.astimezone(ZoneInfo(timezone)).year
    days_off = national_days_off(range(year, year + years_ahead + 1), cuti_bersama_is_day_off=cuti_bersama_is_day_off)
    return OfficeCalendar(
        timezone=timezone, close_of_business=parse_close_of_business(close_of_business), days_off=frozenset(days_off)
    )
