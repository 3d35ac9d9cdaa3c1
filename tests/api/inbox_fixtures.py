"""Cases and people for the inbox tests, written straight into the read model (no workflow needed)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from core.db import SessionFactory
from core.enums import CaseStatus, Role, Service, SlaState, TimeUnit
from core.models import AuditEntry, Case, Office, OutboxMail, StaffAccount, utcnow
from core.security import hash_password

_numbers = itertools.count(1)
SECOND_OFFICER = "officer-kedua.6202@test.pst-flow.id"
PASSWORD = "kata-sandi-uji-123"
# An office of BPS 6202's province that the seeds do not have (a provincial supervisor's second office).
NEIGHBOUR = "6299"


async def add_case(
    session_factory: SessionFactory,
    *,
    office_code: str = "6202",
    service: str = Service.SALE,
    step: str = "offer",
    role: str | None = Role.OFFICER,
    deadline: datetime | None = None,
    created_at: datetime | None = None,
    assignee_id: int | None = None,
    assigned_step: str | None = None,
    sla_state: str = SlaState.RUNNING,
    unit: str = TimeUnit.WORKING_DAYS,
    institution: str = "Universitas Palangka Raya",
    case_id: str = "",
) -> Case:
    """An open case of the read model waiting on ``role`` at ``step``."""
    now = utcnow()
    case = Case(
        id=case_id or f"{service}-{office_code}-2026-9{next(_numbers):05d}",
        service=service,
        office_code=office_code,
        channel="online",
        applicant_name="Siti Aminah",
        applicant_email="siti.aminah@example.com",
        applicant_institution=institution,
        details={},
        step=step,
        status=CaseStatus.OPEN,
        assignee_role=role,
        assignee_id=assignee_id,
        assigned_step=assigned_step,
        sla_deadline=deadline,
        sla_warning_at=deadline - timedelta(hours=1) if deadline else None,
        sla_state=sla_state if deadline or sla_state != SlaState.RUNNING else SlaState.NOT_STARTED,
        sla_unit=unit,
        created_at=created_at or now,
        updated_at=now,
    )
    async with session_factory() as session, session.begin():
        session.add(case)
    return case


async def staff_named(session_factory: SessionFactory, email: str) -> StaffAccount:
    """The staff account of ``email``."""
    async with session_factory() as session:
        found = await session.scalar(select(StaffAccount).where(StaffAccount.email == email))
        assert found is not None, email
        return found


async def add_staff(
    session_factory: SessionFactory, *, email: str, name: str, role: str, office_code: str = "6202"
) -> StaffAccount:
    """An active staff account (the password is PASSWORD)."""
    async with session_factory() as session, session.begin():
        account = StaffAccount(
            email=email, name=name, office_code=office_code, role=role, password_hash=hash_password(PASSWORD)
        )
        session.add(account)
    return account


async def remove_staff(session_factory: SessionFactory, *accounts: StaffAccount) -> None:
    """Take test accounts away again (their hand-overs first)."""
    ids = [account.id for account in accounts]
    async with session_factory() as session, session.begin():
        await session.execute(update(Case).where(Case.assignee_id.in_(ids)).values(assignee_id=None))
        await session.execute(delete(StaffAccount).where(StaffAccount.id.in_(ids)))


@pytest.fixture(name="second_officer")
async def second_officer_fixture(session_factory: SessionFactory, demo_accounts: Any) -> AsyncIterator[StaffAccount]:
    """A second officer of BPS 6202, "Rina Officer Kedua", for the test's length."""
    account = await add_staff(session_factory, email=SECOND_OFFICER, name="Rina Officer Kedua", role=Role.OFFICER)
    yield account
    await remove_staff(session_factory, account)


@pytest.fixture(name="neighbour_office")
async def neighbour_office_fixture(session_factory: SessionFactory, demo_accounts: Any) -> AsyncIterator[StaffAccount]:
    """BPS 6299, a second office of Kalimantan Tengah, with one officer (yielded), for the test's length."""
    async with session_factory() as session, session.begin():
        home = await session.get(Office, "6202")
        assert home is not None
        session.add(
            Office(
                code=NEIGHBOUR,
                name="BPS Kabupaten Uji",
                province=home.province,
                timezone=home.timezone,
                address="Jl. Uji 1",
                phone="0000",
                email="uji@bps.go.id",
                website="https://uji.bps.go.id",
            )
        )
    officer = await add_staff(
        session_factory,
        email="officer.6299@test.pst-flow.id",
        name="Bayu Petugas Uji",
        role=Role.OFFICER,
        office_code=NEIGHBOUR,
    )
    yield officer
    await remove_staff(session_factory, officer)
    async with session_factory() as session, session.begin():
        gone = select(Case.id).where(Case.office_code == NEIGHBOUR)
        await session.execute(delete(AuditEntry).where(AuditEntry.case_id.in_(gone)))
        await session.execute(delete(OutboxMail).where(OutboxMail.case_id.in_(gone)))
        await session.execute(delete(Case).where(Case.office_code == NEIGHBOUR))
        await session.execute(delete(Office).where(Office.code == NEIGHBOUR))
