"""A case's SLA clock in words, counted as its service standard counts (minutes, working days or days).

The one place that turns a case's clock into a badge (``time_left``), and the same deadline states as SQL for the
inbox's filters and counts (``deadline_state_sql``), side by side so that they cannot drift apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy import case as sql_case

from core.calendar import OfficeCalendar
from core.enums import COUNTING_SLA_STATES, CaseStatus, Service, SlaState, TimeUnit
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Case


class DeadlineState(StrEnum):
    """The colour of a badge and the value of the inbox's deadline filter."""

    ON_TRACK = "on_track"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"
    NOT_STARTED = "none"
    DONE = "done"


# The deadline filter's choices, in the order people read them.
DEADLINE_FILTERS: dict[str, str] = {
    DeadlineState.BREACHED: N_("Terlambat"),
    DeadlineState.WARNING: N_("Mendekati tenggat"),
    DeadlineState.ON_TRACK: N_("Sesuai jadwal"),
    DeadlineState.PAUSED: N_("Dijeda"),
}

# A case stored before its clock's unit was recorded counts as its service's standard does.
_DEFAULT_UNITS: dict[str, str] = {Service.VISIT: TimeUnit.MINUTES, Service.RECOMMENDATION: TimeUnit.DAYS}


@dataclass(frozen=True)
class Badge:
    """The SLA badge of a case: its state (for the colour) and the time left in words."""

    state: str
    text: str


def _minutes(delta: timedelta, *, up: bool) -> int:
    minutes = delta.total_seconds() / 60
    return max(1, math.ceil(minutes) if up else math.floor(minutes))


def _short(delta: timedelta, *, up: bool) -> str:
    """Less than a day as people say it: ``7 jam`` or, under an hour, ``25 menit``."""
    if delta < timedelta(hours=1):
        return _("%(count)s menit") % {"count": _minutes(delta, up=up)}
    hours = delta.total_seconds() / 3600
    return _("%(count)s jam") % {"count": max(1, math.ceil(hours) if up else math.floor(hours))}


def _left(unit: str, calendar: OfficeCalendar, now: datetime, deadline: datetime) -> str:
    left = deadline - now
    if unit == TimeUnit.MINUTES:
        return _("%(count)s menit lagi") % {"count": _minutes(left, up=True)}
    if unit == TimeUnit.DAYS and left >= timedelta(days=1):
        return _("%(count)s hari lagi") % {"count": math.ceil(left / timedelta(days=1))}
    days = 0 if unit == TimeUnit.DAYS else calendar.working_days_used(now, deadline)  # working days after today
    if days:
        return _("%(count)s hari kerja lagi") % {"count": days}
    return _("%(time)s lagi") % {"time": _short(left, up=True)}  # the last day: hours


def _late(unit: str, calendar: OfficeCalendar, now: datetime, deadline: datetime) -> str:
    late = now - deadline
    if unit == TimeUnit.MINUTES:
        return _("terlambat %(count)s menit") % {"count": _minutes(late, up=False)}
    if unit == TimeUnit.DAYS:
        days = math.floor(late / timedelta(days=1))
        if days:
            return _("terlambat %(count)s hari") % {"count": days}
        return _("terlambat %(time)s") % {"time": _short(late, up=False)}
    days = calendar.working_days_used(deadline, now)
    if days:
        return _("terlambat %(count)s hari kerja") % {"count": days}
    if late < timedelta(days=1):
        return _("terlambat %(time)s") % {"time": _short(late, up=False)}
    return _("terlambat kurang dari 1 hari kerja")


def time_left(case: Case, calendar: OfficeCalendar, now: datetime) -> Badge:
    """The time left on ``case``'s clock at ``now`` in the unit of its standard (``4 menit lagi``, ``3 hari kerja
    lagi``, ``5 hari lagi``, hours on a working-day clock's last day), or how late; paused, finished and not
    started clocks say so. ``calendar`` is the case's office's."""
    if case.sla_state == SlaState.STOPPED or case.status != CaseStatus.OPEN:
        return Badge(DeadlineState.DONE, _("selesai"))
    if case.sla_state == SlaState.PAUSED:
        return Badge(DeadlineState.PAUSED, _("dijeda: menunggu pemohon"))
    if case.sla_deadline is None or case.sla_state not in COUNTING_SLA_STATES:
        return Badge(DeadlineState.NOT_STARTED, _("belum berjalan"))
    unit = case.sla_unit or _DEFAULT_UNITS.get(case.service, TimeUnit.WORKING_DAYS.value)
    if case.sla_deadline <= now:
        return Badge(DeadlineState.BREACHED, _late(unit, calendar, now, case.sla_deadline))
    warning = case.sla_state == SlaState.WARNING or (case.sla_warning_at is not None and case.sla_warning_at <= now)
    state = DeadlineState.WARNING if warning else DeadlineState.ON_TRACK
    return Badge(state, _left(unit, calendar, now, case.sla_deadline))


def deadline_condition(state: str, now: datetime) -> ColumnElement[bool]:
    """The cases whose badge at ``now`` has ``state`` (one of DEADLINE_FILTERS), as SQL: the rules of time_left."""
    counting = and_(Case.status == CaseStatus.OPEN, Case.sla_state.in_(COUNTING_SLA_STATES))
    warned = or_(Case.sla_state == SlaState.WARNING, Case.sla_warning_at <= now)
    if state == DeadlineState.BREACHED:
        return and_(counting, Case.sla_deadline <= now)
    if state == DeadlineState.WARNING:
        return and_(counting, Case.sla_deadline > now, warned)
    if state == DeadlineState.ON_TRACK:
        not_warned = and_(
            Case.sla_state != SlaState.WARNING, or_(Case.sla_warning_at.is_(None), Case.sla_warning_at > now)
        )
        return and_(counting, Case.sla_deadline > now, not_warned)
    if state == DeadlineState.PAUSED:
        return and_(Case.status == CaseStatus.OPEN, Case.sla_state == SlaState.PAUSED)
    raise ValueError(f"unknown deadline state {state!r}")


def deadline_state_sql(now: datetime) -> ColumnElement[str]:
    """The deadline state of each case at ``now`` as a SQL expression (NULL for clocks not counting), for counts."""
    return sql_case(
        *((deadline_condition(state, now), state) for state in DEADLINE_FILTERS),
        else_=None,
    )
