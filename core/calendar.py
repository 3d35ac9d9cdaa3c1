"""Working days of an office and the counting rules of the service standards: all counting lives here.

- "N working days after T" ends at the office's close of business of the Nth working day strictly after
  T's local date; a working day is Monday to Friday, not a national holiday, not cuti bersama (unless the
  office works it), not a closure of the office, or a day the office opened by an override.
- "N days" is T + N × 24 hours; "N minutes" is T + N minutes (the walk-in queue).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

from core.enums import TimeUnit

# The online sale's limit when an office's own standard states only its walk-in queue time (DOMAIN.md).
DEFAULT_SALE_WORKING_DAYS = 10
# The walk-in queue's limit when an office publishes none (seeds 001 and 004 say 10 minutes).
DEFAULT_QUEUE_MINUTES = 10


@dataclass(frozen=True)
class Override:
    """An office's change to the national calendar: ``closed`` adds a day off, otherwise the day is worked."""

    day: date
    closed: bool
    name: str


def national_days_off(years: Iterable[int], *, cuti_bersama_is_day_off: bool = True) -> dict[date, str]:
    """Indonesia's national holidays (and cuti bersama, unless the office works them), named in Indonesian."""
    return dict(_national_days_off(tuple(sorted(set(years))), cuti_bersama_is_day_off))


@lru_cache(maxsize=64)
def _national_days_off(years: tuple[int, ...], cuti_bersama_is_day_off: bool) -> tuple[tuple[date, str], ...]:
    """Computed once per years and choice (the holidays package builds its calendar anew on every call)."""
    categories = (PUBLIC, GOVERNMENT) if cuti_bersama_is_day_off else (PUBLIC,)
    found = holidays.country_holidays("ID", years=list(years), categories=categories, language="id")
    return tuple(found.items())


def office_days_off(
    years: Iterable[int], *, cuti_bersama_is_day_off: bool, overrides: Iterable[Override] = ()
) -> dict[date, str]:
    """The office's days off with their names: the national calendar changed by the office's overrides."""
    years = list(years)
    days = national_days_off(years, cuti_bersama_is_day_off=cuti_bersama_is_day_off)
    for override in overrides:
        if override.day.year not in years:
            continue
        if override.closed:
            days[override.day] = override.name
        else:
            days.pop(override.day, None)
    return days


def parse_close_of_business(value: str) -> time:
    """``"16:00"`` → 16:00."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class OfficeCalendar:
    """An office's working days: Monday to Friday except its days off, closing at ``close_of_business``."""

    timezone: str
    close_of_business: time
    days_off: dict[date, str]

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        """True for a weekday that is not a day off."""
        return day.weekday() < 5 and day not in self.days_off

    def closing(self, day: date) -> datetime:
        """Close of business of ``day``, office time."""
        return datetime.combine(day, self.close_of_business, tzinfo=self.zone)

    def add_working_days(self, start: datetime, count: int) -> datetime:
        """Close of business of the ``count``-th working day strictly after ``start``'s local date."""
        day = start.astimezone(self.zone).date()
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return self.closing(day)

    def working_days_used(self, start: datetime, at: datetime) -> int:
        """Working days after ``start``'s date that have closed by ``at`` (a day counts once it has closed).

        Counted, not walked: the weekdays of the span less its weekday days off, so a case two years late costs
        what a case one day late does."""
        first = start.astimezone(self.zone).date() + timedelta(days=1)
        today = at.astimezone(self.zone).date()
        last = today if self.closing(today) <= at else today - timedelta(days=1)
        if last < first:
            return 0
        days_off = sum(1 for day in self.days_off if first <= day <= last and day.weekday() < 5)
        return _weekdays(first, last) - days_off

    def non_working_weekdays(self, year: int) -> list[tuple[date, str]]:
        """The weekdays of ``year`` the office is closed, with their names, in date order."""
        return sorted((day, name) for day, name in self.days_off.items() if day.year == year and day.weekday() < 5)


def _weekdays(first: date, last: date) -> int:
    """Mondays to Fridays from ``first`` to ``last``, both included."""
    weeks, rest = divmod((last - first).days + 1, 7)
    return weeks * 5 + sum(1 for offset in range(rest) if (first.weekday() + offset) % 7 < 5)


def office_calendar(
    *,
    timezone: str,
    close_of_business: str,
    cuti_bersama_is_day_off: bool,
    around: datetime,
    overrides: Iterable[Override] = (),
    years_ahead: int = 1,
) -> OfficeCalendar:
    """The calendar of an office for the year of ``around`` and the next (enough for any service deadline)."""
    year = around.astimezone(ZoneInfo(timezone)).year
    days_off = office_days_off(
        range(year - 1, year + years_ahead + 1), cuti_bersama_is_day_off=cuti_bersama_is_day_off, overrides=overrides
    )
    return OfficeCalendar(
        timezone=timezone, close_of_business=parse_close_of_business(close_of_business), days_off=days_off
    )


# ---------------------------------------------------------------- budgets of the SLA clock


def add_budget(calendar: OfficeCalendar, unit: str, start: datetime, amount: float) -> datetime:
    """When a budget of ``amount`` ``unit`` counted from ``start`` runs out."""
    if unit == TimeUnit.WORKING_DAYS:
        return calendar.add_working_days(start, max(0, math.ceil(round(amount, 6))))
    if unit == TimeUnit.DAYS:
        return start + timedelta(days=amount)
    if unit == TimeUnit.MINUTES:
        return start + timedelta(minutes=amount)
    raise ValueError(f"unknown time unit {unit!r}")


def budget_used(calendar: OfficeCalendar, unit: str, start: datetime, at: datetime) -> float:
    """How much of a budget counted from ``start`` has gone by ``at``."""
    if unit == TimeUnit.WORKING_DAYS:
        return float(calendar.working_days_used(start, at))
    seconds = max(0.0, (at - start).total_seconds())
    return seconds / 86400 if unit == TimeUnit.DAYS else seconds / 60


@dataclass(frozen=True)
class ClockMoments:
    """The three moments of a running SLA clock."""

    deadline: datetime
    warning_at: datetime
    escalation_at: datetime


def clock_moments(
    calendar: OfficeCalendar,
    *,
    unit: str,
    anchor: datetime,
    anchor_budget: float,
    total_budget: float,
    warning_share: float,
    escalation_working_days: int,
) -> ClockMoments:
    """Deadline, warning (``warning_share`` of the total budget gone) and escalation after a breach.

    ``anchor`` is when the clock (re)started with ``anchor_budget`` left of ``total_budget``.
    """
    deadline = add_budget(calendar, unit, anchor, anchor_budget)
    left_at_warning = (1 - warning_share) * total_budget
    if unit == TimeUnit.WORKING_DAYS:
        left_at_warning = math.ceil(round(left_at_warning, 6))
    until_warning = anchor_budget - left_at_warning
    warning_at = add_budget(calendar, unit, anchor, until_warning) if until_warning > 0 else anchor
    escalation_at = calendar.add_working_days(deadline, escalation_working_days)
    return ClockMoments(deadline=deadline, warning_at=min(warning_at, deadline), escalation_at=escalation_at)
