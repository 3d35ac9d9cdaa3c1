"""The recommendation's actions (FS3): one service function each, and their catalogue."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.recommendation_schemas import AssignIn, ExaminationIn, ResubmitIn
from api.sale_schemas import ActionRead, CompletenessIn
from api.services import recommendations
from api.services.actions import ActionCall, CaseAction, Consequence
from contracts.case import CompletenessCheck
from contracts.recommendation import RECOMMENDATION_RULES, Examination, ExaminerAssignment
from core.enums import Service
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Case
from workflows.recommendation import RecommendationWorkflow


async def check_completeness(*, call: ActionCall) -> ActionRead:
    """The operator: the FS3 is recorded complete (the limit starts), or what is missing goes to the agency."""
    body: CompletenessIn = call.body
    return await call.send(
        RecommendationWorkflow.check_completeness, CompletenessCheck(call.actor, body.complete, body.missing)
    )


async def resubmit(*, call: ActionCall) -> ActionRead:
    """The agency (or an operator for it): the completed or revised FS3."""
    body: ResubmitIn = call.body
    return await recommendations.resubmit(
        session=call.session,
        temporal=call.temporal,
        case=call.case,
        actor=call.actor,
        body=body,
        idempotency_key=call.idempotency_key,
    )


async def assign_examiner(*, call: ActionCall) -> ActionRead:
    """The supervisor: the examiner of the office who examines this FS3."""
    body: AssignIn = call.body
    examiner = await recommendations.examiner_of(session=call.session, case=call.case, email=str(body.examiner_email))
    return await call.send(RecommendationWorkflow.assign_examiner, ExaminerAssignment(call.actor, examiner))


async def examine(*, call: ActionCall) -> ActionRead:
    """The assigned examiner: recommend (the numbered letter), or return the FS3 with notes."""
    body: ExaminationIn = call.body
    await recommendations.ensure_assigned_examiner(session=call.session, case=call.case, actor=call.actor)
    return await call.send(RecommendationWorkflow.examine, Examination(call.actor, body.recommend, body.notes))


async def confirm_examination(*, session: AsyncSession, case: Case, body: ExaminationIn) -> Consequence | None:
    """Recommending issues the numbered letter: it cannot be taken back."""
    if not body.recommend:
        return None
    return Consequence(
        consequence=_(
            "Surat rekomendasi bernomor diterbitkan dan dikirim ke instansi; permintaan ini selesai. "
            "Surat yang terbit tidak dapat dibatalkan."
        ),
        button=_("Ya, terbitkan rekomendasi"),
        answers=[(_("Hasil"), _("Direkomendasikan")), (_("Catatan"), body.notes or "-")],
    )


REC, RULES = Service.RECOMMENDATION, RECOMMENDATION_RULES
RECOMMENDATION_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "rec_completeness",
        N_("Pemeriksaan kelengkapan FS3"),
        REC,
        RULES["check_completeness"],
        CompletenessIn,
        check_completeness,
    ),
    CaseAction("resubmit", N_("Kirim ulang FS3"), REC, RULES["resubmit"], ResubmitIn, resubmit),
    CaseAction("assign", N_("Tunjuk pemeriksa"), REC, RULES["assign_examiner"], AssignIn, assign_examiner),
    CaseAction(
        "examine", N_("Hasil pemeriksaan"), REC, RULES["examine"], ExaminationIn, examine, confirm=confirm_examination
    ),
)
