"""Closing and reopening a case, for every service (issue 14): the officer's or supervisor's close with a reason
(confirmed on a check page, mailed to the applicant; the case leaves the inbox and counts as cancelled) and the
supervisor's reopen of a case a timer closed, within its window. The workflow side is ``workflows.case.ClosableCase``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from api.sale_schemas import ActionRead
from api.services import visits
from api.services.actions import ActionCall, CaseAction, Consequence
from contracts.case import CLOSE_RULES, REOPEN_DETAILS_KEY, REOPEN_RULE, CaseClosing, CaseReopening
from core.enums import STEP_LABELS, Service, VisitStep
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Case
from core.text import CleanLines
from workflows.case import ClosableCase

CLOSE_REASON_MISSING = N_("Tuliskan alasan penutupan; alasan ini dikirim ke pemohon.")
REOPEN_REASON_MISSING = N_("Tuliskan alasan membuka kembali permintaan ini.")


class CloseIn(BaseModel):
    """The officer's or supervisor's close: why (kept in the audit trail and mailed to the applicant)."""

    reason: CleanLines = Field(default="", validate_default=True, max_length=2000)

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError(_(CLOSE_REASON_MISSING))
        return reason


class ReopenIn(BaseModel):
    """The supervisor's reopen of a case a timer closed: why."""

    reason: CleanLines = Field(default="", validate_default=True, max_length=2000)

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError(_(REOPEN_REASON_MISSING))
        return reason


async def close_case(*, call: ActionCall) -> ActionRead:
    """The officer or supervisor: close the case with a reason; the applicant is mailed, the inbox drops it. A
    guest closed at the desk (called or being served) frees it: the next waiting guest's wait starts counting."""
    body: CloseIn = call.body
    at_the_desk = call.case.service == Service.VISIT and call.case.step in (VisitStep.CALLED, VisitStep.SERVING)
    closed = await call.send(ClosableCase.close_case, CaseClosing(call.actor, body.reason.strip()))
    if at_the_desk:
        await visits.start_next_wait(session=call.session, temporal=call.temporal, case=call.case)
    return closed


async def reopen_case(*, call: ActionCall) -> ActionRead:
    """A supervisor: reopen a case a timer closed, within its window; it goes back to the step it was closed in."""
    body: ReopenIn = call.body
    return await call.send(ClosableCase.reopen_case, CaseReopening(call.actor, body.reason.strip()))


async def confirm_close(*, session: AsyncSession, case: Case, body: CloseIn) -> Consequence:
    """Closing cannot be undone by the officer: the check page says what follows."""
    return Consequence(
        consequence=_(
            "Permintaan ditutup pada tahap sekarang (%(step)s) dan keluar dari kotak masuk; pemohon menerima surel "
            "berisi alasan di atas dan laporan menghitungnya sebagai dibatalkan. Penutupan tidak dapat dibatalkan."
        )
        % {"step": STEP_LABELS.get(case.step, case.step)},
        button=_("Ya, tutup permintaan"),
        answers=[(_("Alasan penutupan"), body.reason.strip())],
    )


async def confirm_reopen(*, session: AsyncSession, case: Case, body: ReopenIn) -> Consequence:
    """The reopened case goes back to its step and its clock runs again."""
    window = reopen_window(case)
    step = window[0] if window else case.step
    return Consequence(
        consequence=_(
            "Permintaan kembali ke tahap %(step)s, waktu layanannya berjalan lagi dan pemohon menerima surel berisi "
            "alasan di atas."
        )
        % {"step": STEP_LABELS.get(step, step)},
        button=_("Ya, buka kembali"),
        answers=[(_("Alasan membuka kembali"), body.reason.strip())],
    )


def reopen_window(case: Case) -> tuple[str, datetime] | None:
    """The step a timer closed ``case`` in and until when a supervisor may reopen it (read model), or None."""
    window = (case.details or {}).get(REOPEN_DETAILS_KEY)
    if not isinstance(window, dict) or not window.get("until"):
        return None
    until = datetime.fromisoformat(window["until"])
    return str(window.get("step", "")), until if until.tzinfo else until.replace(tzinfo=UTC)


def reopenable(case: Case) -> bool:
    """Whether the read model shows ``case`` closed by a timer and still within its reopen window."""
    window = reopen_window(case)
    return window is not None and datetime.now(UTC) < window[1]


def _actions(service: str) -> tuple[CaseAction, ...]:
    return (
        CaseAction(
            "close",
            N_("Tutup permintaan"),
            service,
            CLOSE_RULES[service],
            CloseIn,
            close_case,
            confirm=confirm_close,
        ),
        CaseAction(
            "reopen",
            N_("Buka kembali permintaan"),
            service,
            REOPEN_RULE,
            ReopenIn,
            reopen_case,
            applies=reopenable,
            confirm=confirm_reopen,
            on_closed=True,
        ),
    )


CLOSE_ACTIONS: tuple[CaseAction, ...] = tuple(action for service in Service for action in _actions(service))
