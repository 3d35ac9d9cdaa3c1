"""The supervisor's dashboard: open cases by service and step, warnings and breaches, SLA compliance this month
(the clocks finished since the month began, counted as the monthly report counts them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden
from api.services.cases import get_office
from api.services.reports import finished_clocks
from core.enums import COUNTING_SLA_STATES, OVERSEERS, SERVICE_LABELS, STEP_LABELS, CaseStatus
from core.i18n import gettext as _
from core.models import Case, StaffAccount, utcnow


@dataclass(frozen=True)
class Bar:
    """One bar of the chart: open cases of a service in a step."""

    label: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    """What the supervisor sees."""

    office_name: str
    bars: list[Bar]
    open_total: int
    warnings: int
    breaches: int
    finished_this_month: int
    finished_in_time: int

    @property
    def compliance(self) -> str:
        """Share of this month's finished clocks that met their deadline, e.g. ``92%``."""
        if not self.finished_this_month:
            return "-"
        return f"{round(100 * self.finished_in_time / self.finished_this_month)}%"


def month_start(now: datetime, timezone: str) -> datetime:
    """The first moment of ``now``'s month in the office's zone."""
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def dashboard(*, session: AsyncSession, staff: StaffAccount) -> Dashboard:
    """The office's dashboard; only supervisors, provincial supervisors and administrators see it."""
    if staff.role not in OVERSEERS:
        raise Forbidden(_("Dasbor hanya untuk supervisor dan administrator kantor."))
    office = await get_office(session=session, office_code=staff.office_code)
    now = utcnow()
    open_cases = select(func.count()).where(Case.office_code == office.code, Case.status == CaseStatus.OPEN)
    grouped = (
        await session.execute(
            select(Case.service, Case.step, func.count())
            .where(Case.office_code == office.code, Case.status == CaseStatus.OPEN)
            .group_by(Case.service, Case.step)
            .order_by(Case.service, Case.step)
        )
    ).all()
    counting = Case.sla_state.in_(COUNTING_SLA_STATES)
    breaches = await session.scalar(open_cases.where(counting, Case.sla_deadline <= now))
    warnings = await session.scalar(open_cases.where(counting, Case.sla_deadline > now, Case.sla_warning_at <= now))
    since = month_start(now, office.timezone)
    clocks = (await session.execute(finished_clocks(office.code, since))).all()
    finished_count = sum(finished for _service, finished, _late in clocks)
    late_count = sum(late for _service, _finished, late in clocks)
    bars = [
        Bar(f"{SERVICE_LABELS.get(service, service).split(' ')[0]} · {STEP_LABELS.get(step, step)}", count)
        for service, step, count in grouped
    ]
    return Dashboard(
        office_name=office.name,
        bars=bars,
        open_total=sum(bar.count for bar in bars),
        warnings=int(warnings or 0),
        breaches=int(breaches or 0),
        finished_this_month=finished_count,
        finished_in_time=finished_count - late_count,
    )
