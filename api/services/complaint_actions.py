"""The complaint's action: the response; and its catalogue."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.sale_schemas import ActionRead
from api.services.actions import ActionCall, CaseAction, Consequence
from api.services.complaints import ResolutionIn
from contracts.complaint import COMPLAINT_RULES, ComplaintResolution
from core.enums import Service
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Case
from workflows.complaint import ComplaintWorkflow


async def resolve(*, call: ActionCall) -> ActionRead:
    """The officer or supervisor: the response, mailed to the complainant and kept."""
    body: ResolutionIn = call.body
    return await call.send(ComplaintWorkflow.resolve, ComplaintResolution(call.actor, body.response.strip()))


async def confirm_resolution(*, session: AsyncSession, case: Case, body: ResolutionIn) -> Consequence:
    """The response goes to the complainant and closes the complaint."""
    return Consequence(
        consequence=_(
            "Tanggapan dikirim ke pengadu dan pengaduan ditutup; tanggapan yang terkirim tidak dapat ditarik."
        ),
        button=_("Ya, kirim tanggapan"),
        answers=[(_("Tanggapan"), body.response.strip())],
    )


COMPLAINT_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "resolve",
        N_("Tanggapi pengaduan"),
        Service.COMPLAINT,
        COMPLAINT_RULES["resolve"],
        ResolutionIn,
        resolve,
        confirm=confirm_resolution,
    ),
)
