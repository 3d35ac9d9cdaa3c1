"""JSON shapes of the inbox (``GET /api/v1/inbox``) and of handing a task over."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class InboxItem(BaseModel):
    """One case of the inbox, as the page shows it."""

    id: str
    section: str = Field(description="mine (handed to me), role (waiting on my role, held by nobody) or other")
    section_label: str
    office_code: str
    service: str
    service_label: str
    step: str
    step_label: str
    applicant_institution: str
    applicant_name: str
    deadline: datetime | None
    deadline_text: str = Field(description="The deadline in words, in the office's time zone")
    badge_state: str = Field(description="on_track, warning, breached, paused, none (not started) or done")
    badge_text: str = Field(description="Time left counted as the standard counts it, e.g. '3 hari kerja lagi'")
    assignee_id: int | None = Field(description="Who the task was handed to, while the hand-over holds")
    assignee: str


class FilterCount(BaseModel):
    """One value of a filter and how many cases it shows (the other filters kept)."""

    value: str
    label: str
    count: int


class InboxCounts(BaseModel):
    """Counts per filter value."""

    total: int
    mine: int
    services: list[FilterCount]
    steps: list[FilterCount]
    states: list[FilterCount]
    offices: list[FilterCount]


class InboxRead(BaseModel):
    """A page of the inbox; pass ``next_cursor`` as ``cursor`` (with the same filters) for the next one."""

    items: list[InboxItem]
    next_cursor: str | None
    counts: InboxCounts


class AssignmentRead(BaseModel):
    """A case's current task, handed to one staff member."""

    case_id: str
    step: str
    step_label: str
    assignee_id: int
    assignee: str
