"""The staff inbox: my tasks first (handed to me), then the open cases waiting on my role that nobody holds, then
(for those who oversee) the rest of the office or province; earliest deadline first, paged by keyset, with counts
per filter."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Invalid
from api.services.assignment import HANDED, NOT_HANDED, holds_hand_over
from api.services.office_scope import visible_offices
from api.services.time_left import DEADLINE_FILTERS, Badge, deadline_condition, deadline_state_sql, time_left
from core.calendar import OfficeCalendar
from core.enums import OVERSEERS, SERVICE_LABELS, STEP_LABELS, CaseStatus
from core.formatting import time_in_words
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Case, Office, StaffAccount, utcnow
from core.office_calendars import load_office_calendar

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Group(StrEnum):
    """The sections of the inbox, in order."""

    MINE = "mine"  # handed to me by a supervisor, for the step the case is at now
    ROLE = "role"  # waiting on my role, held by nobody (or a hand-over that lapsed when the case moved on)
    OTHER = "other"  # the rest of what I oversee


GROUP_TITLES = {Group.MINE: N_("Tugas saya"), Group.ROLE: N_("Menunggu peran Anda"), Group.OTHER: N_("Permintaan lain")}


def _group_condition(group: Group, staff: StaffAccount) -> ColumnElement[bool]:
    if group == Group.MINE:
        return and_(HANDED, Case.assignee_id == staff.id)
    if group == Group.ROLE:
        return and_(NOT_HANDED, Case.assignee_role == staff.role)
    other_role = or_(Case.assignee_role.is_(None), Case.assignee_role != staff.role)
    return or_(and_(HANDED, Case.assignee_id != staff.id), and_(NOT_HANDED, other_role))


def groups_of(staff: StaffAccount) -> tuple[Group, ...]:
    """The sections ``staff`` sees: everyone their own tasks and their role's; those who oversee, everything."""
    return (Group.MINE, Group.ROLE, Group.OTHER) if staff.role in OVERSEERS else (Group.MINE, Group.ROLE)


# ---------------------------------------------------------------- the cursor


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the section and the sort key (deadline, created, id) of its last case."""

    group: Group
    deadline: datetime | None
    created_at: datetime
    case_id: str

    def encode(self) -> str:
        """The opaque token of the next page's link."""
        raw = [
            self.group,
            self.deadline.isoformat() if self.deadline else None,
            self.created_at.isoformat(),
            self.case_id,
        ]
        return base64.urlsafe_b64encode(json.dumps(raw, separators=(",", ":")).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """The cursor of ``token``, or Invalid saying to start from the first page."""
        try:
            raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            group, deadline, created_at, case_id = raw
            return cls(
                Group(group),
                datetime.fromisoformat(deadline) if deadline else None,
                datetime.fromisoformat(created_at),
                str(case_id),
            )
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as error:
            raise Invalid(
                _("Penanda halaman (cursor) tidak dikenal: buka kotak tugas dari halaman pertama, tanpa cursor.")
            ) from error

    @classmethod
    def after(cls, group: Group, case: Case) -> Cursor:
        return cls(group, case.sla_deadline, case.created_at, case.id)

    def condition(self) -> ColumnElement[bool]:
        """The cases after this one in the order (deadline, nulls last; created; id)."""
        tie = or_(Case.created_at > self.created_at, and_(Case.created_at == self.created_at, Case.id > self.case_id))
        if self.deadline is None:
            return and_(Case.sla_deadline.is_(None), tie)
        return or_(
            Case.sla_deadline > self.deadline,
            Case.sla_deadline.is_(None),
            and_(Case.sla_deadline == self.deadline, tie),
        )


ORDER = (Case.sla_deadline.asc().nulls_last(), Case.created_at, Case.id)


# ---------------------------------------------------------------- filters and counts


@dataclass(frozen=True)
class Filters:
    """The inbox's filters (empty: all); ``check`` refuses an unknown value with the accepted ones."""

    service: str = ""
    step: str = ""
    state: str = ""
    office: str = ""

    def check(self, office_codes: Sequence[str]) -> None:
        """Invalid naming the first unknown filter value and what is accepted."""
        known = {
            "service": list(SERVICE_LABELS),
            "step": list(STEP_LABELS),
            "state": list(DEADLINE_FILTERS),
            "office": list(office_codes),
        }
        for name, accepted in known.items():
            value = getattr(self, name)
            if value and value not in accepted:
                raise Invalid(
                    _("Saringan %(name)s=%(value)r tidak dikenal. Pilih salah satu: %(accepted)s.")
                    % {"name": name, "value": value, "accepted": ", ".join(accepted)}
                )

    def conditions(self, now: datetime, *, leave_out: str = "") -> list[ColumnElement[bool]]:
        """The SQL conditions of the filters set (but ``leave_out``)."""
        found: list[ColumnElement[bool]] = []
        if self.service and leave_out != "service":
            found.append(Case.service == self.service)
        if self.step and leave_out != "step":
            found.append(Case.step == self.step)
        if self.state and leave_out != "state":
            found.append(deadline_condition(self.state, now))
        if self.office and leave_out != "office":
            found.append(Case.office_code == self.office)
        return found

    def matches(self, row: dict[str, Any], *, leave_out: str = "") -> bool:
        """Whether a counted row (office, service, step, state) passes the filters set (but ``leave_out``)."""
        return all(
            not getattr(self, name) or name == leave_out or row[name] == getattr(self, name)
            for name in ("service", "step", "state", "office")
        )

    def query(self, **changes: str) -> dict[str, str]:
        """The filters as query parameters (those set), with ``changes``."""
        values = {"service": self.service, "step": self.step, "state": self.state, "office": self.office} | changes
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class Choice:
    """One value of a filter with its label and how many cases it would show."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Counts:
    """How many cases each filter's value would show, the other filters kept."""

    total: int
    mine: int
    services: list[Choice]
    steps: list[Choice]
    states: list[Choice]
    offices: list[Choice]


async def _counts(
    *,
    session: AsyncSession,
    staff: StaffAccount,
    scope: list[ColumnElement[bool]],
    filters: Filters,
    offices: list[Office],
    now: datetime,
) -> Counts:
    """One grouped query over what ``staff`` sees (a few dozen rows); every filter's counts are sums of them."""
    mine = _group_condition(Group.MINE, staff)
    inner = (
        select(
            Case.office_code.label("office"),
            Case.service.label("service"),
            Case.step.label("step"),
            deadline_state_sql(now).label("state"),
            sql_case((mine, literal(1)), else_=literal(0)).label("mine"),
        )
        .where(*scope)
        .subquery()
    )
    columns = (inner.c.office, inner.c.service, inner.c.step, inner.c.state, inner.c.mine)
    rows = [
        {"office": office, "service": service, "step": step, "state": state or "", "mine": bool(is_mine), "n": n}
        for office, service, step, state, is_mine, n in (
            await session.execute(select(*columns, func.count()).group_by(*columns))
        ).all()
    ]

    def choices(name: str, labels: dict[str, str]) -> list[Choice]:
        return [
            Choice(
                value,
                _(label),
                sum(row["n"] for row in rows if row[name] == value and filters.matches(row, leave_out=name)),
            )
            for value, label in labels.items()
        ]

    shown = [row for row in rows if filters.matches(row)]
    steps_seen = {row["step"] for row in rows} | {filters.step}
    return Counts(
        total=sum(row["n"] for row in shown),
        mine=sum(row["n"] for row in shown if row["mine"]),
        services=choices("service", dict(SERVICE_LABELS)),
        steps=choices("step", {step: label for step, label in STEP_LABELS.items() if step in steps_seen}),
        states=choices("state", DEADLINE_FILTERS),
        offices=choices("office", {office.code: office.name for office in offices}) if len(offices) > 1 else [],
    )


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class InboxRow:
    """One case in the inbox: its section, SLA badge, deadline in words and who it was handed to (if it holds)."""

    case: Case
    group: Group
    badge: Badge
    deadline_text: str
    assignee_name: str = ""

    @property
    def service_label(self) -> str:
        return SERVICE_LABELS.get(self.case.service, self.case.service)

    @property
    def step_label(self) -> str:
        return STEP_LABELS.get(self.case.step, self.case.step)


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox, its sections in order, the next page's cursor, and the counts of each filter."""

    rows: list[InboxRow]
    next_cursor: str | None
    counts: Counts
    filters: Filters
    offices: list[Office] = field(default_factory=list)
    first_page: bool = True

    @property
    def sections(self) -> list[tuple[str, list[InboxRow]]]:
        """The rows under their section's title, in order."""
        found: list[tuple[str, list[InboxRow]]] = []
        for row in self.rows:
            title = _(GROUP_TITLES[row.group])
            if not found or found[-1][0] != title:
                found.append((title, []))
            found[-1][1].append(row)
        return found


async def _page_rows(
    *,
    session: AsyncSession,
    staff: StaffAccount,
    base: Select[Case],
    cursor: Cursor | None,
    size: int,
) -> tuple[list[tuple[Group, Case]], Cursor | None]:
    """Up to ``size`` cases after ``cursor``, section by section (one index-ordered query per section)."""
    groups = groups_of(staff)
    start = groups.index(cursor.group) if cursor is not None and cursor.group in groups else 0
    found: list[tuple[Group, Case]] = []
    for index, group in enumerate(groups[start:], start):
        query = base.where(_group_condition(group, staff))
        if cursor is not None and index == start:
            query = query.where(cursor.condition())
        cases = (await session.scalars(query.order_by(*ORDER).limit(size + 1 - len(found)))).all()
        found += [(group, case) for case in cases]
        if len(found) > size:
            break
    if len(found) <= size:
        return found, None
    found = found[:size]
    return found, Cursor.after(*found[-1])


async def _calendars(session: AsyncSession, office_codes: set[str], now: datetime) -> dict[str, OfficeCalendar]:
    calendars: dict[str, OfficeCalendar] = {}
    for code in office_codes:
        loaded = await load_office_calendar(session, code, now)
        if loaded is not None:
            calendars[code] = loaded[1]
    return calendars


async def inbox(
    *,
    session: AsyncSession,
    staff: StaffAccount,
    filters: Filters | None = None,
    cursor: str = "",
    size: int = PAGE_SIZE,
) -> InboxPage:
    """What waits on ``staff``: my tasks first, then my role's, then (overseers) the rest; earliest deadline
    first, ``size`` cases after ``cursor``; with the counts of every filter's values."""
    now = utcnow()
    filters = filters or Filters()
    offices = await visible_offices(session=session, staff=staff)
    codes = [office.code for office in offices]
    filters.check(codes)
    after = Cursor.decode(cursor) if cursor else None
    size = min(max(1, size), MAX_PAGE_SIZE)

    in_scope = Case.office_code.in_(codes) if len(codes) > 1 else Case.office_code == staff.office_code
    scope = [in_scope, Case.status == CaseStatus.OPEN]
    if staff.role not in OVERSEERS:
        scope.append(or_(*(_group_condition(group, staff) for group in groups_of(staff))))
    counts = await _counts(session=session, staff=staff, scope=scope, filters=filters, offices=offices, now=now)
    base = select(Case).where(*scope, *filters.conditions(now))
    found, next_cursor = await _page_rows(session=session, staff=staff, base=base, cursor=after, size=size)

    calendars = await _calendars(session, {case.office_code for _, case in found}, now)
    zones = {office.code: office.timezone for office in offices}
    handed_to = {case.assignee_id for _, case in found if holds_hand_over(case)}
    names: dict[int | None, str] = {}
    if handed_to:
        people = await session.execute(select(StaffAccount.id, StaffAccount.name).where(StaffAccount.id.in_(handed_to)))
        names = {number: name for number, name in people.all()}
    page_rows = [
        InboxRow(
            case=case,
            group=group,
            badge=time_left(case, calendars[case.office_code], now),
            deadline_text=time_in_words(case.sla_deadline, zones[case.office_code]) if case.sla_deadline else "",
            assignee_name=names.get(case.assignee_id, "") if holds_hand_over(case) else "",
        )
        for group, case in found
    ]
    return InboxPage(
        rows=page_rows,
        next_cursor=next_cursor.encode() if next_cursor else None,
        counts=counts,
        filters=filters,
        offices=offices,
        first_page=after is None,
    )
