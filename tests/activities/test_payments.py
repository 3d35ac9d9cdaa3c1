"""Money writes are keyed by their step: a retried or doubled settlement, billing code or Rp0 grant writes nothing
more, and the monthly report's PNBP counts each payment once (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from temporalio.exceptions import ApplicationError

from activities.failures import DATABASE_ERROR
from activities.payments import LocalSimponi, PaymentWriter
from api.services.reports import month_report
from contracts.case import StepEffects, StepOutcome, StepRecord
from contracts.payments import BillingRequest, Settlement
from core.db import SessionFactory
from core.enums import CaseStatus, PaymentMethod, PaymentStatus, Role, SaleStep
from core.models import Payment, StaffAccount, utcnow
from core.settings import Settings
from tests.helpers import officer, store_sale
from worker import record_activities

TEST_SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]
FEE = 1_250_000


def _paid(case_id: str, method: str = PaymentMethod.CASH) -> StepRecord:
    """The treasurer's "paid" step of ``case_id`` as the sale workflow sends it (the same input on every retry)."""
    return StepRecord(
        case_id=case_id,
        event_key="paid:6",
        action="paid",
        step=SaleStep.SPPD,
        status=CaseStatus.OPEN,
        assignee_role=Role.OFFICER,
        actor=officer(role=Role.TREASURER),
        at=utcnow(),
        note="Tunai",
        effects=StepEffects(settlement=Settlement(case_id, method, FEE, "staff-6202-treasurer")),
    )


async def _as_temporal_runs_it(attempt: Any) -> StepOutcome:
    """Run an activity attempt as Temporal would: a retryable failure (a unique key lost to a concurrent attempt)
    is tried again; a business failure is not."""
    for _ in range(5):
        try:
            outcome: StepOutcome = await attempt()
            return outcome
        except ApplicationError as failure:
            assert not failure.non_retryable and failure.type == DATABASE_ERROR, failure
    raise AssertionError("still failing after 5 attempts")


async def _payments(session_factory: SessionFactory, case_id: str) -> list[Payment]:
    async with session_factory() as session:
        return list((await session.scalars(select(Payment).where(Payment.case_id == case_id))).all())


async def _revenue(session_factory: SessionFactory) -> int:
    async with session_factory() as session:
        supervisor = await session.scalar(
            select(StaffAccount).where(StaffAccount.office_code == "6202", StaffAccount.role == Role.SUPERVISOR)
        )
        assert supervisor is not None
        return (await month_report(session=session, staff=supervisor)).revenue


async def test_a_settlement_retried_and_doubled_at_once_is_counted_once(session_factory: SessionFactory) -> None:
    retried, doubled = await store_sale(session_factory), await store_sale(session_factory)
    records = record_activities(TEST_SETTINGS, session_factory)

    await records.record_step(_paid(retried.id))
    await records.record_step(_paid(retried.id))  # the activity retried after its commit (a lost answer)
    same = _paid(doubled.id)
    await asyncio.gather(*(_as_temporal_runs_it(lambda: records.record_step(same)) for _ in range(2)))

    for case in (retried, doubled):
        rows = await _payments(session_factory, case.id)
        assert [(row.key, row.status, row.amount) for row in rows] == [(f"{case.id}:paid", PaymentStatus.PAID, FEE)]
    assert await _revenue(session_factory) == 2 * FEE


async def test_the_settlement_key_alone_refuses_a_second_payment(session_factory: SessionFactory) -> None:
    """Without the step's audit entry (a settlement written twice in separate transactions, even at once, or paid
    a second time by another method), the payment's own unique key keeps one row."""
    case = await store_sale(session_factory)
    writer = PaymentWriter(TEST_SETTINGS)
    cash = Settlement(case.id, PaymentMethod.CASH, FEE, "staff-6202-treasurer")

    async def settle(settlement: Settlement, key: str) -> None:
        async with session_factory() as session, session.begin():
            await writer.settle(session, settlement, key)

    await settle(cash, "paid:6")
    await asyncio.gather(settle(cash, "paid:6"), settle(cash, "paid:7"))
    await settle(replace(cash, method=PaymentMethod.TRANSFER), "paid:8")

    rows = await _payments(session_factory, case.id)
    assert [(row.method, row.status) for row in rows] == [(PaymentMethod.CASH, PaymentStatus.PAID)]
    assert await _revenue(session_factory) == FEE


async def test_refused_transfer_proofs_are_one_row_each(session_factory: SessionFactory) -> None:
    case = await store_sale(session_factory, abroad=True)
    writer = PaymentWriter(TEST_SETTINGS)
    refused = Settlement(case.id, PaymentMethod.TRANSFER, FEE, "t", status=PaymentStatus.REJECTED, reason="Buram")

    for key in ("transfer_rejected_3", "transfer_rejected_3", "transfer_rejected_5"):
        async with session_factory() as session, session.begin():
            await writer.settle(session, refused, key)

    rows = await _payments(session_factory, case.id)
    assert sorted(row.key for row in rows) == [
        f"{case.id}:rejected:transfer_rejected_3",
        f"{case.id}:rejected:transfer_rejected_5",
    ]
    assert await _revenue(session_factory) == 0


async def test_a_billing_code_is_issued_once_per_sequence_even_at_once(session_factory: SessionFactory) -> None:
    case = await store_sale(session_factory)
    writer = PaymentWriter(TEST_SETTINGS)
    first = BillingRequest(case.id, FEE, 1, utcnow())

    async def issue(request: BillingRequest) -> tuple[str, Any]:
        async with session_factory() as session, session.begin():
            billing = await writer.billing(session, request)
        return billing.billing_code, billing.expires_at

    answers = await asyncio.gather(issue(first), issue(first))
    again = await issue(replace(first, issued_at=utcnow()))  # a retry a moment later
    second = await issue(BillingRequest(case.id, FEE, 2, utcnow()))

    assert answers[0] == answers[1] == again and second[0] != again[0]
    rows = await _payments(session_factory, case.id)
    assert sorted((row.key, row.status) for row in rows) == [
        (f"{case.id}:billing:1", PaymentStatus.VOID),
        (f"{case.id}:billing:2", PaymentStatus.PENDING),
    ]


async def test_a_billing_code_issued_before_keys_is_found_by_its_code(session_factory: SessionFactory) -> None:
    """A sale whose code was stored before migration 0022 (keyed by its code) retries its billing step: the same code
    comes back and no second row is written."""
    case = await store_sale(session_factory)
    code = LocalSimponi().billing_code(case.id, FEE, 1)
    expires = utcnow()
    async with session_factory() as session, session.begin():
        session.add(
            Payment(
                case_id=case.id,
                method=PaymentMethod.SIMPONI,
                amount=FEE,
                status=PaymentStatus.PENDING,
                billing_code=code,
                expires_at=expires,
            )
        )
    async with session_factory() as session, session.begin():
        billing = await PaymentWriter(TEST_SETTINGS).billing(session, BillingRequest(case.id, FEE, 1, utcnow()))

    assert (billing.billing_code, billing.expires_at) == (code, expires)
    rows = await _payments(session_factory, case.id)
    assert [(row.key, row.status) for row in rows] == [(f"{case.id}:{code}", PaymentStatus.PENDING)]
