"""The staff inbox: the office's open cases waiting on my role, by deadline, with an SLA badge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calendar import OfficeCalendar
from core.enums import COUNTING_SLA_STATES, CaseStatus, Role, SlaState
from core.models import Case, StaffAccount, utcnow
from core.office_calendars import load_office_calendar

PAGE_SIZE = 20
OVERSEERS = {Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR, Role.ADMINISTRATOR}
STATES = ("on_track", "warning", "breached", "paused")


@dataclass(frozen=True)
class Badge:
    """The SLA badge of a case: its state (for the colour) and the time left in words."""

    state: str
    text: str


@dataclass(frozen=True)
class InboxRow:
    """One case in the inbox."""

    case: Case
    badge: Badge


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox."""

    rows: list[InboxRow]
    page: int
    pages: int
    total: int


def badge(case: Case, calendar: OfficeCalendar, now: datetime) -> Badge:
    """Time left in working days (or hours on the last day), or how late; paused and not started say so."""
    if case.sla_state == SlaState.PAUSED:
        return Badge("paused", "dijeda: menunggu pemohon")
    if case.sla_deadline is None or case.sla_state in (SlaState.NOT_STARTED, SlaState.STOPPED):
        return Badge("none", "belum berjalan")
    left = case.sla_deadline - now
    if left <= timedelta(0):
        late_days = calendar.working_days_used(case.sla_deadline, now)
        return Badge("breached", f"terlambat {late_days} hari kerja" if late_days else "terlambat hari ini")
    warning = case.sla_state == SlaState.WARNING or (case.sla_warning_at is not None and case.sla_warning_at <= now)
    state = "warning" if warning else "on_track"
    if left < timedelta(hours=24):
        return Badge(state, f"{max(1, int(left.total_seconds() // 3600))} jam lagi")
    return Badge(state, f"{calendar.working_days_used(now, case.sla_deadline)} hari kerja lagi")


def _filtered(query: Select[Case], *, service: str, step: str, state: str, now: datetime) -> Select[Case]:
    if service:
        query = query.where(Case.service == service)
    if step:
        query = query.where(Case.step == step)
    counting = Case.sla_state.in_(COUNTING_SLA_STATES)
    if state == "breached":
        query = query.where(counting, Case.sla_deadline <= now)
    elif state == "warning":
        query = query.where(counting, Case.sla_deadline > now, Case.sla_warning_at <= now)
    elif state == "on_track":
        query = query.where(
            counting, Case.sla_deadline > now, or_(Case.sla_warning_at.is_(None), Case.sla_warning_at > now)
        )
    elif state == "paused":
        query = query.where(Case.sla_state == SlaState.PAUSED)
    return query


async def inbox(
    *, session: AsyncSession, staff: StaffAccount, service: str = "", step: str = "", state: str = "", page: int = 1
) -> InboxPage:
    """My tasks: open cases of my office waiting on my role (all of them for supervisors), earliest deadline first."""
    now = utcnow()
    query = select(Case).where(Case.office_code == staff.office_code, Case.status == CaseStatus.OPEN)
    if staff.role not in OVERSEERS:
        query = query.where(Case.assignee_role == staff.role)
    query = _filtered(query, service=service, step=step, state=state if state in STATES else "", now=now)
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    cases = (
        await session.scalars(
            query.order_by(Case.sla_deadline.asc().nulls_last(), Case.created_at)
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    found = await load_office_calendar(session, staff.office_code, now)
    assert found is not None
    calendar = found[1]
    return InboxPage([InboxRow(case, badge(case, calendar, now)) for case in cases], page, pages, total)
