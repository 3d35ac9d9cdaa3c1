"""The staff inbox as JSON (the same filters, order and cursor as the page) and handing a task over."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Query

from api.deps import SessionDep, SettingsDep, StaffDep
from api.inbox_schemas import AssignmentRead, FilterCount, InboxCounts, InboxItem, InboxRead
from api.openapi_errors import errors
from api.services import assignment, inbox
from core.enums import STEP_LABELS
from core.i18n import gettext as _

router = APIRouter(prefix="/api/v1", tags=["inbox"], responses=errors(401, 403, 404, 409))


def _choices(choices: list[inbox.Choice]) -> list[FilterCount]:
    return [FilterCount(**asdict(choice)) for choice in choices]


@router.get("/inbox", summary="Staff: what waits on me, my tasks first, earliest deadline first, paged by cursor")
async def read_inbox(
    session: SessionDep,
    staff: StaffDep,
    service: str = Query("", description="sale, recommendation, visit or complaint"),
    step: str = Query("", description="A step code, e.g. completeness"),
    state: str = Query("", description="breached, warning, on_track or paused"),
    office: str = Query("", description="Provincial supervisor: one office of the province"),
    cursor: str = Query("", description="next_cursor of the previous page"),
    limit: int = Query(inbox.PAGE_SIZE, ge=1, le=inbox.MAX_PAGE_SIZE),
) -> InboxRead:
    filters = inbox.Filters(service=service, step=step, state=state, office=office)
    page = await inbox.inbox(session=session, staff=staff, filters=filters, cursor=cursor, size=limit)
    counts = page.counts
    return InboxRead(
        items=[
            InboxItem(
                id=row.case.id,
                section=row.group,
                section_label=_(inbox.GROUP_TITLES[row.group]),
                office_code=row.case.office_code,
                service=row.case.service,
                service_label=row.service_label,
                step=row.case.step,
                step_label=row.step_label,
                applicant_institution=row.case.applicant_institution,
                applicant_name=row.case.applicant_name,
                deadline=row.case.sla_deadline,
                deadline_text=row.deadline_text,
                badge_state=row.badge.state,
                badge_text=row.badge.text,
                assignee_id=row.case.assignee_id if row.assignee_name else None,
                assignee=row.assignee_name,
            )
            for row in page.rows
        ],
        next_cursor=page.next_cursor,
        counts=InboxCounts(
            total=counts.total,
            mine=counts.mine,
            services=_choices(counts.services),
            steps=_choices(counts.steps),
            states=_choices(counts.states),
            offices=_choices(counts.offices),
        ),
    )


@router.put(
    "/cases/{case_id}/assignee",
    summary="Supervisor: hand the case's current task to one staff member of its office with the role it waits on",
)
async def hand_over(
    case_id: str, given: assignment.AssignIn, session: SessionDep, settings: SettingsDep, staff: StaffDep
) -> AssignmentRead:
    done = await assignment.assign_task(session=session, settings=settings, staff=staff, case_id=case_id, given=given)
    return AssignmentRead(
        case_id=case_id,
        step=done.step,
        step_label=STEP_LABELS.get(done.step, done.step),
        assignee_id=done.assignee.id,
        assignee=done.assignee.name,
    )
