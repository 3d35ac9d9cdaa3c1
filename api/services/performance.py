"""An office's public performance, per service, for each of the last 12 months: requests served, the share of
finished clocks that met the standard's time, the median time in the standard's unit, and the IKM with its grade
(PermenPANRB 14/2017 asks offices to publish it); for complaints, the share answered in time.

The rules are the staff report's (``api.services.reports``): requests served are those completed in the month
(``closed_in``, whenever they were submitted), a clock met its time unless it ever passed its deadline
(``finished_clocks``), the IKM is of the month's survey answers (``survey_totals``). Every read is an indexed,
grouped query per month: its cost follows the months' cases, not the office's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from statistics import median
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.cases import get_office
from api.services.offices import TIME_UNIT_LABELS, standard_title
from api.services.reports import closed_in, finished_clocks, month_bounds, survey_totals
from core.calendar import OfficeCalendar
from core.enums import SERVICE_LABELS, Service, TimeUnit
from core.formatting import month_in_words, number
from core.i18n import N_, Labels, current_language
from core.ikm import IkmResult, from_totals
from core.models import Office, ServiceStandard, utcnow
from core.office_calendars import load_office_calendar

MONTHS = 12
GRADE_LABELS: Labels[str] = Labels(
    {"A": N_("A (Sangat Baik)"), "B": N_("B (Baik)"), "C": N_("C (Kurang Baik)"), "D": N_("D (Tidak Baik)")}
)


def decimal(value: float | Decimal, places: int) -> str:
    """``87.5`` with 2 places → ``87,50`` (``87.50`` in English)."""
    return format_decimal(value, format="#,##0." + "0" * places, locale=current_language())


_SERVICE_ORDER = {service.value: position for position, service in enumerate(Service)}


@dataclass
class MonthFigures:
    """One service's month."""

    month: str  # YYYY-MM, for ids and ordering; never shown
    label: str  # the month in words
    short: tuple[str, str] = ("", "")  # the month's abbreviation and its year under the chart
    served: int = 0
    finished: int = 0
    on_time: int = 0
    durations: list[float] = field(default_factory=list)
    satisfaction: IkmResult | None = None

    @property
    def share(self) -> float | None:
        """Percent of the clocks finished in the month that met the standard's time (None when none finished)."""
        return 100 * self.on_time / self.finished if self.finished else None

    @property
    def median(self) -> float | None:
        """The median time of the month's completed requests, in the standard's unit (None without any)."""
        return float(median(self.durations)) if self.durations else None

    @property
    def ikm(self) -> Decimal | None:
        """The month's IKM (None without answers)."""
        return self.satisfaction.ikm if self.satisfaction else None

    @property
    def share_text(self) -> str:
        """``95%``, or "-" when no clock finished in the month."""
        share = self.share
        return "-" if share is None else format_percent(share / 100, locale=current_language())

    @property
    def median_text(self) -> str:
        """``2,5``, or "-" when no request was completed."""
        value = self.median
        return "-" if value is None else number(round(value, 1))

    @property
    def ikm_text(self) -> str:
        """``87,50``, or "-" without answers."""
        return "-" if self.ikm is None else decimal(self.ikm, 2)

    @property
    def grade_text(self) -> str:
        """``B (Baik)`` in the page's language, or "-" without answers."""
        return GRADE_LABELS[self.satisfaction.grade] if self.satisfaction else "-"

    @property
    def respondents(self) -> int:
        """How many answered the survey in the month."""
        return self.satisfaction.respondents if self.satisfaction else 0


@dataclass
class ServicePerformance:
    """A service's last 12 months, oldest first, with the unit its times are counted in."""

    service: str
    label: str
    title: str
    unit: str
    unit_label: str
    months: list[MonthFigures]


@dataclass
class OfficePerformance:
    """An office's services over the last 12 months."""

    office: Office
    first: str
    last: str
    services: list[ServicePerformance]


def last_months(now: datetime, timezone: str, count: int = MONTHS) -> list[str]:
    """The ``count`` months up to and including ``now``'s month in the office's zone, oldest first (YYYY-MM)."""
    local = now.astimezone(ZoneInfo(timezone))
    index = local.year * 12 + local.month - 1
    return [f"{value // 12}-{value % 12 + 1:02d}" for value in range(index - count + 1, index + 1)]


def _year_month(month: str) -> tuple[int, int]:
    year, number_of_month = month.split("-")
    return int(year), int(number_of_month)


def _short(month: str) -> tuple[str, str]:
    """``2026-03`` → (``Mar``, ``26``): the month and the year under the chart's bars, on two lines."""
    year, number_of_month = _year_month(month)
    first = date(year, number_of_month, 1)
    return format_date(first, "MMM", locale=current_language()), format_date(first, "yy", locale=current_language())


def elapsed(calendar: OfficeCalendar, unit: str, start: datetime, end: datetime) -> float:
    """The time from ``start`` to ``end`` in ``unit``: working days as the staff report counts them, calendar
    days (to a tenth), or minutes."""
    if unit == TimeUnit.WORKING_DAYS:
        return float(calendar.working_days_used(start, end))
    seconds = (end - start).total_seconds()
    return round(seconds / 86400, 1) if unit == TimeUnit.DAYS else round(seconds / 60, 1)


def _unit(standard: ServiceStandard, counted: list[str]) -> str:
    """The unit the service's clocks count in: the most frequent of its cases' clocks, else the standard's."""
    known = [unit for unit in counted if unit in TIME_UNIT_LABELS]
    return max(set(known), key=known.count) if known else standard.time_unit


async def office_performance(
    *, session: AsyncSession, office_code: str, now: datetime | None = None
) -> OfficePerformance:
    """The office's services' figures for each of the last 12 months (office-local months), or NotFound."""
    office = await get_office(session=session, office_code=office_code)
    months = last_months(now or utcnow(), office.timezone)
    bounds = {month: month_bounds(month, office.timezone) for month in months}
    window_start, window_end = bounds[months[0]][0], bounds[months[-1]][1]
    found = await load_office_calendar(session, office.code, window_end)
    assert found is not None
    calendar = found[1]
    standards = sorted(
        (await session.scalars(select(ServiceStandard).where(ServiceStandard.office_code == office.code))).all(),
        key=lambda row: _SERVICE_ORDER.get(row.service, len(_SERVICE_ORDER)),
    )
    figures = {
        (row.service, month): MonthFigures(month, month_in_words(*_year_month(month)), _short(month))
        for row in standards
        for month in months
    }
    completed = (await session.execute(closed_in(office.code, window_start, window_end))).all()
    units = {
        row.service: _unit(row, [unit for service, *_, unit in completed if service == row.service])
        for row in standards
    }
    zone = ZoneInfo(office.timezone)
    for service, created, closed, _sla_unit in completed:
        if (month_figures := figures.get((service, closed.astimezone(zone).strftime("%Y-%m")))) is not None:
            month_figures.served += 1
            month_figures.durations.append(elapsed(calendar, units[service], created, closed))
    for month, (start, end) in bounds.items():
        for service, finished, late in await session.execute(finished_clocks(office.code, start, end)):
            if (month_figures := figures.get((service, month))) is not None:
                month_figures.finished, month_figures.on_time = finished, finished - late
        for service, respondents, *totals in await session.execute(survey_totals(office.code, start, end)):
            if (month_figures := figures.get((service, month))) is not None and respondents:
                month_figures.satisfaction = from_totals(respondents, [int(total) for total in totals])
    return OfficePerformance(
        office=office,
        first=figures[(standards[0].service, months[0])].label if standards else "",
        last=figures[(standards[0].service, months[-1])].label if standards else "",
        services=[
            ServicePerformance(
                service=row.service,
                label=SERVICE_LABELS[row.service] if row.service in SERVICE_LABELS else standard_title(row),
                title=standard_title(row),
                unit=units[row.service],
                unit_label=TIME_UNIT_LABELS[units[row.service]],
                months=[figures[(row.service, month)] for month in months],
            )
            for row in standards
        ],
    )


# ---------------------------------------------------------------- the chart (server-rendered SVG)

CHART_WIDTH, CHART_HEIGHT = 640, 260
_LEFT, _TOP, _BOTTOM, _STEP, _BAR = 44, 12, 40, 49, 18
_PLOT = CHART_HEIGHT - _TOP - _BOTTOM


@dataclass(frozen=True)
class Bar:
    """One bar of the chart: where it stands and what it shows (a percentage or an IKM on the 0–100 scale)."""

    x: float
    y: float
    height: float
    kind: str  # "share" or "ikm": its CSS class


@dataclass(frozen=True)
class Chart:
    """A service's chart: two bars per month (share within the standard's time, IKM), the month under each pair,
    and the 0/25/50/75/100 grid."""

    bars: list[Bar]
    ticks: list[tuple[float, float]]  # (x, label's month index) of each month's label
    grid: list[tuple[float, int]]  # (y, value)


def _y(value: float) -> float:
    return round(_TOP + _PLOT * (1 - value / 100), 1)


def chart(performance: ServicePerformance) -> Chart:
    """The bars of ``performance``'s months: a month without a figure has no bar (the table says "-")."""
    bars: list[Bar] = []
    ticks: list[tuple[float, float]] = []
    for index, month in enumerate(performance.months):
        x = _LEFT + 6 + index * _STEP
        for offset, kind, value in ((0, "share", month.share), (_BAR, "ikm", month.ikm)):
            if value is not None:
                top = _y(float(value))
                bars.append(Bar(x + offset, top, round(_TOP + _PLOT - top, 1), kind))
        ticks.append((x + _BAR, index))
    grid = [(_y(value), value) for value in (0, 25, 50, 75, 100)]
    return Chart(bars=bars, ticks=ticks, grid=grid)
