"""A supervisor hands a case's current task to one staff member of its office: the hand-over holds while the case
stays at that step (the inbox shows it first to that person), is written in the case's timeline, and the person
gets a task mail through the outbox, all in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import BaseModel, Field
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Conflict, Forbidden, Invalid, NotFound
from api.services.cases import ensure_same_office
from core.enums import ROLE_LABELS, SERVICE_LABELS, STEP_LABELS, CaseStatus, Role
from core.formatting import time_in_words
from core.i18n import INDONESIAN, using_language
from core.i18n import gettext as _
from core.models import AuditEntry, Case, Office, StaffAccount, utcnow
from core.outbox import Outbox, clock_sentence
from core.people import staff_ref
from core.settings import Settings

ASSIGNED = "assigned"  # the audit action; its label is in core.enums.ACTION_LABELS
HANDS_OVER = {Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR}
TASK_NOTICE = "staff_task"


@dataclass(frozen=True)
class HandOver:
    """A task handed over: the step it holds for and the person who holds it."""

    step: str
    assignee: StaffAccount


class AssignIn(BaseModel):
    """Whom the case's current task is handed to: an active staff member of its office with the role it waits on."""

    assignee_id: int = Field(description="The staff account's id")


# A hand-over holds while the case is still at the step it was handed over in (null-safe both ways in SQL).
HANDED = and_(Case.assignee_id.is_not(None), Case.assigned_step.is_not(None), Case.assigned_step == Case.step)
NOT_HANDED = or_(Case.assignee_id.is_(None), Case.assigned_step.is_(None), Case.assigned_step != Case.step)


def holds_hand_over(case: Case) -> bool:
    """Whether ``case``'s hand-over to one person still holds (the case has not moved on since)."""
    return case.assignee_id is not None and case.assigned_step == case.step


def may_hand_over(staff: StaffAccount) -> bool:
    """Supervisors (a provincial one within the province) hand tasks over; nobody else."""
    return staff.role in HANDS_OVER


async def _case_to_hand_over(*, session: AsyncSession, staff: StaffAccount, case_id: str, lock: bool = False) -> Case:
    case = await session.get(Case, case_id, with_for_update=lock)
    if case is None:
        raise NotFound(_("Permintaan %(case_id)s tidak ditemukan.") % {"case_id": case_id})
    ensure_same_office(staff, case)
    if not may_hand_over(staff):
        raise Forbidden(_("Hanya supervisor yang dapat menyerahkan tugas kepada staf lain."))
    if case.status != CaseStatus.OPEN or not case.assignee_role:
        raise Conflict(
            _(
                "Permintaan %(case_id)s sedang tidak menunggu tindakan staf (%(step)s), jadi tidak ada tugas yang "
                "dapat diserahkan."
            )
            % {"case_id": case_id, "step": STEP_LABELS.get(case.step, case.step)}
        )
    return case


async def candidates(*, session: AsyncSession, case: Case) -> list[StaffAccount]:
    """The active staff of the case's office holding the role the case waits on, by name."""
    rows = await session.scalars(
        select(StaffAccount)
        .where(
            StaffAccount.office_code == case.office_code,
            StaffAccount.role == case.assignee_role,
            StaffAccount.active.is_(True),
        )
        .order_by(StaffAccount.name, StaffAccount.id)
    )
    return list(rows.all())


async def hand_over_form(
    *, session: AsyncSession, staff: StaffAccount, case_id: str
) -> tuple[Case, list[StaffAccount], StaffAccount | None]:
    """The case, whom its task may go to, and who holds it now (None: nobody, or the hand-over lapsed)."""
    case = await _case_to_hand_over(session=session, staff=staff, case_id=case_id)
    holder = await session.get(StaffAccount, case.assignee_id) if case.assignee_id is not None else None
    return case, await candidates(session=session, case=case), holder if holds_hand_over(case) else None


async def assign_task(
    *, session: AsyncSession, settings: Settings, staff: StaffAccount, case_id: str, given: AssignIn
) -> HandOver:
    """Hand the current task of ``case_id`` to ``given.assignee_id``; Invalid (nothing written) for someone not
    among the candidates. Writes the hand-over, its timeline entry and the assignee's mail, then commits."""
    case = await _case_to_hand_over(session=session, staff=staff, case_id=case_id, lock=True)
    chosen = next((p for p in await candidates(session=session, case=case) if p.id == given.assignee_id), None)
    role = ROLE_LABELS.get(str(case.assignee_role), str(case.assignee_role))
    if chosen is None:
        raise Invalid(
            _("Pilih salah satu %(role)s aktif di kantor %(office_code)s yang tercantum.")
            % {"role": role, "office_code": case.office_code}
        )
    if holds_hand_over(case) and case.assignee_id == chosen.id:
        raise Invalid(
            _("Tugas ini sudah diserahkan kepada %(name)s; pilih staf lain atau biarkan.") % {"name": chosen.name}
        )
    now = utcnow()
    key = uuid.uuid4().hex
    case.assignee_id, case.assigned_step, case.updated_at = chosen.id, case.step, now
    session.add(
        AuditEntry(
            case_id=case.id,
            event_key=f"assign:{key}",
            at=now,
            actor=staff_ref(staff.id),
            role=staff.role,
            office_code=staff.office_code,
            action=ASSIGNED,
            step=case.step,
            note=_stored_note(case, chosen.name),
        )
    )
    office = await session.get(Office, case.office_code)
    assert office is not None  # a case's office is a foreign key
    with using_language(INDONESIAN):  # staff mail is written in Indonesian
        step_label = STEP_LABELS.get(case.step, case.step)
        deadline = time_in_words(case.sla_deadline, office.timezone) if case.sla_deadline else "-"
        clock = await clock_sentence(session, case, office)
        await Outbox(settings).add(
            session,
            key=f"{case.id}:{TASK_NOTICE}:assigned-{key}",
            to=[chosen.email],
            notice=TASK_NOTICE,
            context={
                "case_id": case.id,
                "recipient_name": chosen.name,
                "stand_in_for": "",
                "applicant_name": case.applicant_institution or case.applicant_name or "pemohon anonim",
                "office_name": office.name,
                "step_label": step_label,
                "service_label": SERVICE_LABELS.get(case.service, case.service),
                "sla_deadline": deadline,
                "clock": clock,
                "link": f"{settings.public_base_url}/staff/cases/{case.id}",
            },
            case_id=case.id,
        )
    await session.commit()
    return HandOver(step=case.step, assignee=chosen)


def _stored_note(case: Case, name: str) -> str:
    """The hand-over's timeline note, stored in Indonesian whatever the supervisor's language."""
    with using_language(INDONESIAN):
        step, role = STEP_LABELS.get(case.step, case.step), ROLE_LABELS.get(str(case.assignee_role), "")
        return f"Tugas \u201c{step}\u201d diserahkan kepada {name} ({role})."
