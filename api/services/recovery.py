"""Nothing orphaned: a request stored while Temporal was down (a sale, a recommendation, a complaint, a visit) is
started by one loop once Temporal is back. A start is idempotent (the case id is the workflow id and a second
start is a no-op), so the loop and a late submission may race without starting anything twice."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.schemas import SubmittedRead
from api.services.cases import TEMPORAL_UNREACHABLE, Starter
from api.services.complaints import start_complaint_workflow
from api.services.recommendations import start_recommendation_workflow
from api.services.sales import start_sale_workflow
from api.services.visits import start_visit_workflow
from core.db import SessionFactory
from core.enums import ComplaintStep, RecommendationStep, SaleStep, Service, VisitStep
from core.models import Case, utcnow
from core.settings import Settings

log = logging.getLogger(__name__)

UNSTARTED_GRACE = timedelta(seconds=20)  # a submission still starting its own workflow is left to it
RESUME_INTERVAL_SECONDS = 30.0
BATCH = 100  # cases started per pass, oldest first
GIVE_UP_AFTER = 3  # starts failed in a row that end a pass


# A case never started is still at the step it was stored in: only the workflow moves the read model on.
STORED_STEPS = (SaleStep.SUBMITTED, RecommendationStep.SUBMITTED, ComplaintStep.SUBMITTED, VisitStep.WAITING)
STARTERS: dict[str, Starter] = {
    Service.SALE: start_sale_workflow,
    Service.RECOMMENDATION: start_recommendation_workflow,
    Service.COMPLAINT: start_complaint_workflow,
    Service.VISIT: start_visit_workflow,
}


def submission_status(submitted: SubmittedRead) -> int:
    """201 when the request's workflow started, 202 ("diterima; diproses segera") when it is stored and starts later."""
    return 201 if submitted.workflow_started else 202


async def start_unstarted(
    *, session: AsyncSession, temporal: Client, settings: Settings, grace: timedelta = UNSTARTED_GRACE
) -> int:
    """Start the workflow of every stored case (of any wing) whose start did not reach Temporal, oldest first;
    stop when starts keep failing (Temporal still unreachable). How many started."""
    cutoff = utcnow() - grace
    waiting = (
        await session.scalars(
            select(Case.id)
            .where(
                Case.workflow_started.is_(False),
                Case.service.in_(STARTERS),
                Case.step.in_(STORED_STEPS),
                Case.created_at < cutoff,
            )
            .order_by(Case.created_at)
            .limit(BATCH)
        )
    ).all()
    started = failed_in_a_row = 0
    for case_id in waiting:
        case = await session.get(Case, case_id)
        if case is None or case.workflow_started:  # gone, or started meanwhile (a resend, another replica)
            continue
        try:
            ok = await STARTERS[case.service](session=session, temporal=temporal, settings=settings, case=case)
        except Exception:  # a case that cannot start (e.g. its stored details): logged, the others go on
            log.exception("workflow not started; the next pass tries again", extra={"case_id": case_id})
            await session.rollback()
            continue
        if ok:
            started, failed_in_a_row = started + 1, 0
        elif (failed_in_a_row := failed_in_a_row + 1) >= GIVE_UP_AFTER:
            break  # Temporal is still unreachable: the next pass tries again (one case it refuses blocks no other)
    return started


async def start_unstarted_forever(*, session_factory: SessionFactory, temporal: Client, settings: Settings) -> None:
    """Every little while, start what was stored while Temporal was down (run by the API for its lifetime)."""
    while True:
        try:
            async with session_factory() as session:
                started = await start_unstarted(session=session, temporal=temporal, settings=settings)
            if started:
                log.info("started %d waiting workflows", started)
        except (*TEMPORAL_UNREACHABLE, OSError) as error:
            log.warning("waiting workflows not started yet: %s", error)
        except Exception:  # the loop outlives any error: what it did not start, the next pass does
            log.exception("recovery pass failed")
        await asyncio.sleep(RESUME_INTERVAL_SECONDS)
