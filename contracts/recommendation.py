"""The recommendation (FS3): workflow input and its people's actions.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass

from contracts.case import ActionRule, Actor, rule
from core.enums import ActorKind, RecommendationStep, Role


@dataclass
class RecommendationInput:
    """Given by the API when it starts a recommendation; the FS3 itself stays in the database."""

    case_id: str
    office_code: str
    channel: str
    electronic_form: bool = True


@dataclass
class RecommendationResubmit:
    """Update sent by the agency: the FS3 was completed or revised (stored by the API before)."""

    actor: Actor
    note: str = ""


@dataclass
class ExaminerAssignment:
    """Update sent by the supervisor: who examines the FS3 (an examiner of the office, as ``staff-<id>``)."""

    actor: Actor
    examiner: str


@dataclass
class Examination:
    """Update sent by the assigned examiner: recommend, or return the FS3 for revision with notes."""

    actor: Actor
    recommend: bool
    notes: str = ""


RS, A = RecommendationStep, ActorKind.APPLICANT
# Update name → who may send it in which steps.
RECOMMENDATION_RULES: dict[str, ActionRule] = {
    "attach_document": rule({RS.COMPLETENESS, RS.RETURNED, RS.REVISION}, {A, Role.OPERATOR}),
    "check_completeness": rule({RS.COMPLETENESS}, {Role.OPERATOR}),
    "resubmit": rule({RS.RETURNED, RS.REVISION}, {A, Role.OPERATOR}),
    "assign_examiner": rule({RS.ASSIGNMENT}, {Role.SUPERVISOR}),
    "examine": rule({RS.EXAMINATION}, {Role.EXAMINER}),
}
