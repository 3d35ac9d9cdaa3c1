"""Helpers shared by the tests: make a stored case, wait for a workflow step, sign in for a bearer token."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import Any

import httpx
from sqlalchemy import func, select
from temporalio.client import Client

from api.services.cases import allocate_case_id, get_office
from api.services.sales import start_sale_workflow
from contracts.case import Actor, CompletenessCheck, DocumentAttached
from contracts.sale import AbstractReview
from core.db import SessionFactory
from core.enums import CaseStatus, Channel, Decision, MailStatus, Role, SaleStep, Service
from core.models import Applicant, AuditEntry, Case, Document, OutboxMail, utcnow
from core.security import hash_password
from core.settings import Settings
from workflows.sale import SaleWorkflow

APPLICANT_EMAIL = "siti.aminah@example.com"


async def store_sale(
    session_factory: SessionFactory,
    *,
    office_code: str = "6202",
    channel: str = Channel.ONLINE,
    segment: str = "individual",
    institution: str = "",
    abroad: bool = False,
    items: list[dict[str, Any]] | None = None,
) -> Case:
    """A sale request as the API stores it before its workflow starts."""
    async with session_factory() as session, session.begin():
        office = await get_office(session=session, office_code=office_code)
        now = utcnow()
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=Service.SALE, now=now),
            service=Service.SALE,
            office_code=office_code,
            channel=channel,
            applicant_name="Siti Aminah",
            applicant_email=APPLICANT_EMAIL,
            segment=segment,
            applicant_institution=institution,
            details={"items": items or [{"kind": "microdata", "name": "Susenas Maret 2025"}], "abroad": abroad},
            step=SaleStep.SUBMITTED,
            status=CaseStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
    return case


async def store_case(session_factory: SessionFactory, service: str, step: str, role: str | None, **details: Any) -> str:
    """A case of ``service`` of 6202 at ``step`` as the read model holds it (pages read the database, not Temporal)."""
    async with session_factory() as session, session.begin():
        office = await get_office(session=session, office_code="6202")
        now = utcnow()
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=service, now=now),
            service=service,
            office_code="6202",
            channel=Channel.ONLINE,
            applicant_name="Rina Marlina",
            applicant_email="rina@dinkes.example.com",
            applicant_institution="Dinas Kesehatan Kotawaringin Timur",
            segment="government",
            details=details,
            step=step,
            status=CaseStatus.OPEN,
            assignee_role=role,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
    return case.id


async def start_sale(session_factory: SessionFactory, client: Client, settings: Settings, **kwargs: Any) -> Case:
    """Store a sale and start its workflow, as the API does."""
    case = await store_sale(session_factory, **kwargs)
    async with session_factory() as session:
        await start_sale_workflow(session=session, temporal=client, settings=settings, case=case)
    return case


async def wait_for_step(client: Client, case_id: str, step: str, timeout: float = 15.0) -> None:
    """Poll the workflow's status query until it reports ``step``."""
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case_id)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status = await handle.query(SaleWorkflow.status)
        if status.step == step:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{case_id} stayed at {status.step}, expected {step}")
        await asyncio.sleep(0.1)


async def wait_for_mail(smtp: Any, count: int, timeout: float = 15.0) -> None:
    """Wait until the SMTP server has received ``count`` mails."""
    deadline = asyncio.get_running_loop().time() + timeout
    while len(smtp.messages) < count:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"expected {count} mails, got {smtp.subjects()}")
        await asyncio.sleep(0.1)


async def wait_for_outbox_sent(session_factory: SessionFactory, timeout: float = 15.0) -> None:
    """Wait until the relay has sent (and marked) every mail of the outbox."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with session_factory() as session:
            pending = await session.scalar(select(func.count()).where(OutboxMail.status != MailStatus.SENT))
        if not pending:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{pending} mails still unsent")
        await asyncio.sleep(0.05)


async def audit_actions(session_factory: SessionFactory, case_id: str) -> list[str]:
    """The actions in a case's audit trail, oldest first."""
    async with session_factory() as session:
        rows = await session.scalars(
            select(AuditEntry.action).where(AuditEntry.case_id == case_id).order_by(AuditEntry.at, AuditEntry.id)
        )
        return list(rows.all())


async def read_case_row(session_factory: SessionFactory, case_id: str) -> Case:
    """The read-model row of a case, fresh from the database."""
    async with session_factory() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        return case


def officer(office_code: str = "6202", role: str = Role.OFFICER) -> Actor:
    """A staff actor as the API passes it to an update."""
    return Actor(name=f"staff-{office_code}-{role}", role=role, office_code=office_code)


async def store_document(session_factory: SessionFactory, case_id: str, kind: str) -> int:
    """A stored document row of a case (the file itself is not needed by the workflow)."""
    async with session_factory() as session, session.begin():
        document = Document(
            case_id=case_id,
            kind=kind,
            filename=f"{kind}.pdf",
            content_type="application/pdf",
            size=5,
            sha256="0" * 64,
            path=f"{case_id}/{kind}.pdf",
            created_by="test",
        )
        session.add(document)
        await session.flush()
        return document.id


def applicant(office_code: str = "6202") -> Actor:
    """The applicant as the API passes them to an update."""
    return Actor(name="applicant", role="applicant", office_code=office_code)


async def sale_at_abstract_review(
    session_factory: SessionFactory, client: Client, settings: Settings, **kwargs: Any
) -> Case:
    """A submitted sale whose abstract is uploaded and which the officer found complete (the clock runs)."""
    case = await start_sale(session_factory, client, settings, **kwargs)
    await wait_for_step(client, case.id, SaleStep.COMPLETENESS)
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    document_id = await store_document(session_factory, case.id, "abstract")
    await handle.execute_update(
        SaleWorkflow.attach_document, DocumentAttached(actor=applicant(), document_id=document_id, kind="abstract")
    )
    await handle.execute_update(SaleWorkflow.check_completeness, CompletenessCheck(actor=officer(), complete=True))
    return case


async def approved_sale(session_factory: SessionFactory, client: Client, settings: Settings, **kwargs: Any) -> Case:
    """A sale whose abstract the officer approved: its 10-working-day clock is running, the offer is next."""
    case = await sale_at_abstract_review(session_factory, client, settings, **kwargs)
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    await handle.execute_update(
        SaleWorkflow.review_abstract, AbstractReview(decision=Decision.APPROVE, actor=officer())
    )
    return case


APPLICANT_PASSWORD = "rahasia-pemohon-2026"


async def make_applicant(
    session_factory: SessionFactory,
    *,
    email: str = APPLICANT_EMAIL,
    segment: str = "individual",
    institution: str = "Universitas Palangka Raya",
    abroad: bool = False,
    verified: bool = True,
) -> tuple[str, str]:
    """A registered applicant (verified by default); returns the login (email, password)."""
    async with session_factory() as session, session.begin():
        session.add(
            Applicant(
                email=email,
                name="Siti Aminah",
                institution=institution,
                segment=segment,
                abroad=abroad,
                password_hash=hash_password(APPLICANT_PASSWORD),
                email_verified_at=utcnow() if verified else None,
            )
        )
    return email, APPLICANT_PASSWORD


TOKEN_PATH = "/api/v1/auth/token"


class TokenAuth(httpx.Auth):
    """httpx auth of a script: signs in once at /api/v1/auth/token, then sends ``Authorization: Bearer``.

    A refused sign-in (wrong password, unverified email, throttled) is answered to the caller as it is."""

    requires_response_body = True

    def __init__(self, email: str, password: str) -> None:
        self.email = email
        self.password = password
        self.token = ""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self.token:
            form = {"username": self.email, "password": self.password}
            signed_in = yield httpx.Request("POST", request.url.join(TOKEN_PATH), data=form)
            if signed_in.status_code != 200:
                return
            self.token = str(signed_in.json()["access_token"])
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request
