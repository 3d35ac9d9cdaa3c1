"""A recommendation assigned before people travelled as references holds its examiner as an email: the API lets
only that examiner act on it (the workflow can check only the role then)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from api.errors import Forbidden
from api.services.recommendations import ensure_assigned_examiner
from contracts.case import Actor
from core.db import SessionFactory
from core.enums import RecommendationStep, Role, Service
from core.models import AuditEntry, Case, StaffAccount, utcnow
from core.people import staff_ref
from tests.helpers import store_case


async def _assigned(session_factory: SessionFactory, examiner: str) -> str:
    case_id = await store_case(session_factory, Service.RECOMMENDATION, RecommendationStep.EXAMINATION, Role.EXAMINER)
    async with session_factory() as session, session.begin():
        session.add(
            AuditEntry(
                case_id=case_id,
                event_key="examiner_assigned-1",
                at=utcnow(),
                actor="staff-1",
                role=Role.SUPERVISOR,
                office_code="6202",
                action="examiner_assigned",
                step=RecommendationStep.EXAMINATION,
                note=examiner,
            )
        )
    return case_id


async def _actor(session_factory: SessionFactory, email: str) -> Actor:
    async with session_factory() as session:
        staff = await session.scalar(select(StaffAccount).where(StaffAccount.email == email))
        assert staff is not None
        return Actor(name=staff_ref(staff.id), role=staff.role, office_code=staff.office_code)


async def test_only_the_examiner_named_by_email_may_examine_an_older_run(
    session_factory: SessionFactory, demo_accounts: Any
) -> None:
    examiner_email = demo_accounts[("6202", "examiner")].email
    case_id = await _assigned(session_factory, examiner_email)
    examiner = await _actor(session_factory, examiner_email)
    someone_else = await _actor(session_factory, demo_accounts[("6202", "officer")].email)

    async with session_factory() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        await ensure_assigned_examiner(session=session, case=case, actor=examiner)  # the assigned one: allowed
        with pytest.raises(Forbidden, match="bukan pemeriksa yang ditunjuk"):
            await ensure_assigned_examiner(session=session, case=case, actor=someone_else)


async def test_a_run_assigned_by_reference_is_left_to_the_workflow(
    session_factory: SessionFactory, demo_accounts: Any
) -> None:
    case_id = await _assigned(session_factory, "staff-123")
    someone = await _actor(session_factory, demo_accounts[("6202", "officer")].email)

    async with session_factory() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        await ensure_assigned_examiner(session=session, case=case, actor=someone)  # the workflow compares references
