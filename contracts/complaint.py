"""Complaints: workflow input and the resolution.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass

from contracts.case import ActionRule, Actor, rule
from core.enums import ComplaintStep, Role


@dataclass
class ComplaintInput:
    """Given by the API when a complaint is recorded or filed; its text stays in the database."""

    case_id: str
    office_code: str
    channel: str
    has_email: bool = True  # no acknowledgement or resolution mail when the complainant left no address


@dataclass
class ComplaintResolution:
    """Update sent by the officer or supervisor: the response sent to the complainant."""

    actor: Actor
    response: str


# Update name → who may send it in which steps.
COMPLAINT_RULES: dict[str, ActionRule] = {
    "resolve": rule({ComplaintStep.RESPONSE}, {Role.OFFICER, Role.SUPERVISOR}),
}
