"""Payments of the sale: SIMPONI billing codes (an adapter, with a local stand-in), settlements, Rp0 grants,
and the signed download links of the data package."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.exceptions import ApplicationError

from contracts.payments import Billing, BillingRequest, LinkRef, LinkRequest, Settlement, ZeroRupiahRequest
from core.enums import PaymentMethod, PaymentStatus
from core.institutions import record_grants, zero_rupiah_refusal
from core.models import DownloadLink, Payment, utcnow
from core.security import download_token
from core.settings import Settings

log = logging.getLogger(__name__)


class SimponiGateway(Protocol):
    """What PST Flow needs from SIMPONI: a billing code for an amount."""

    def billing_code(self, case_id: str, amount: int, sequence: int) -> str:
        """A 15-digit billing code for ``amount`` Rupiah of ``case_id`` (its ``sequence``-th)."""
        ...


class LocalSimponi:
    """Development stand-in: derives a stable 15-digit code, as SIMPONI would hand one out."""

    def billing_code(self, case_id: str, amount: int, sequence: int) -> str:
        digest = hashlib.sha256(f"{case_id}:{sequence}:{amount}".encode()).hexdigest()
        return "8" + str(int(digest, 16))[-14:].rjust(14, "0")


def billing_key(case_id: str, sequence: int) -> str:
    """The payment row of a case's ``sequence``-th billing code."""
    return f"{case_id}:billing:{sequence}"


def settlement_key(settlement: Settlement, event_key: str) -> str:
    """The payment row a settlement writes: a case is paid once (whatever the method: a second "paid" writes
    nothing), and each refused transfer proof is its own row, named by the step that refused it."""
    if settlement.status == PaymentStatus.PAID:
        return f"{settlement.case_id}:paid"
    return f"{settlement.case_id}:{settlement.status}:{event_key or settlement.method}"


async def _insert_once(session: AsyncSession, row: Payment) -> Payment:
    """Insert ``row`` unless a row with its key exists; a concurrent writer of the same key loses to the unique
    key inside a savepoint and reads the winner's row instead."""
    existing = await session.scalar(select(Payment).where(Payment.key == row.key))
    if existing is not None:
        return existing
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        existing = await session.scalar(select(Payment).where(Payment.key == row.key))
        if existing is None:  # another unique key (a billing code) refused it: a retry reads the state anew
            raise
        log.info("payment %s already written", row.key, extra={"case_id": row.case_id})
        return existing
    return row


class PaymentWriter:
    """Billing codes, settlements, Rp0 grants and download links, inside a step's transaction; every write is keyed
    by its step (``Payment.key`` is unique), so a retried or doubled step writes nothing more."""

    def __init__(self, settings: Settings, gateway: SimponiGateway | None = None) -> None:
        self._settings = settings
        self._gateway = gateway or LocalSimponi()

    async def billing(self, session: AsyncSession, request: BillingRequest) -> Billing:
        """A new billing code; every older pending code of the case becomes void (once per case and sequence)."""
        key = billing_key(request.case_id, request.sequence)
        existing = await session.scalar(select(Payment).where(Payment.key == key))
        if existing is not None and existing.billing_code and existing.expires_at is not None:
            return Billing(billing_code=existing.billing_code, expires_at=existing.expires_at)
        code = self._gateway.billing_code(request.case_id, request.amount, request.sequence)
        same_code = await session.scalar(select(Payment).where(Payment.billing_code == code))
        if same_code is not None and same_code.expires_at is not None:  # issued before payments had keys
            return Billing(billing_code=code, expires_at=same_code.expires_at)
        expires_at = request.issued_at + timedelta(days=self._settings.billing_code_days)
        await session.execute(
            update(Payment)
            .where(
                Payment.case_id == request.case_id,
                Payment.method == PaymentMethod.SIMPONI,
                Payment.status == PaymentStatus.PENDING,
                Payment.key != key,
            )
            .values(status=PaymentStatus.VOID)
        )
        row = await _insert_once(
            session,
            Payment(
                key=key,
                case_id=request.case_id,
                method=PaymentMethod.SIMPONI,
                amount=request.amount,
                status=PaymentStatus.PENDING,
                billing_code=code,
                expires_at=expires_at,
                created_at=request.issued_at,
            ),
        )
        assert row.billing_code is not None and row.expires_at is not None
        log.info("billing code issued", extra={"case_id": request.case_id})
        return Billing(billing_code=row.billing_code, expires_at=row.expires_at)

    async def settle(self, session: AsyncSession, settlement: Settlement, event_key: str = "") -> None:
        """Record how the case was paid (or a transfer proof's refusal), keyed by ``settlement_key``: a billing code
        paid is marked so; cash and an accepted transfer write the case's one "paid" row."""
        if settlement.method == PaymentMethod.SIMPONI and settlement.billing_code:
            await session.execute(
                update(Payment)
                .where(Payment.billing_code == settlement.billing_code, Payment.status != PaymentStatus.PAID)
                .values(
                    status=PaymentStatus.PAID, ntpn=settlement.ntpn, recorded_by=settlement.actor, settled_at=utcnow()
                )
            )
            return
        await _insert_once(
            session,
            Payment(
                key=settlement_key(settlement, event_key),
                case_id=settlement.case_id,
                method=settlement.method,
                amount=settlement.amount,
                status=settlement.status,
                ntpn=settlement.ntpn,
                reason=settlement.reason,
                recorded_by=settlement.actor,
                settled_at=utcnow(),
            ),
        )
        if settlement.status == PaymentStatus.PAID:
            await session.execute(
                update(Payment)
                .where(Payment.case_id == settlement.case_id, Payment.status == PaymentStatus.PENDING)
                .values(status=PaymentStatus.VOID)
            )

    async def void_billing(self, session: AsyncSession, case_id: str) -> None:
        """The case's pending billing codes become void (a sale closed unpaid: its last code expired); idempotent."""
        await session.execute(
            update(Payment)
            .where(
                Payment.case_id == case_id,
                Payment.method == PaymentMethod.SIMPONI,
                Payment.status == PaymentStatus.PENDING,
            )
            .values(status=PaymentStatus.VOID)
        )

    async def grant_zero_rupiah(self, session: AsyncSession, request: ZeroRupiahRequest) -> None:
        """Grant Rp0 for each dataset to the institution, on its request letter, refusing a dataset it already
        received for another case (the grants' unique key refuses the loser of two racing offers: retried, it
        finds the winner's grant and is refused by name)."""
        refusal = await zero_rupiah_refusal(
            session,
            case_id=request.case_id,
            institution_id=request.institution_id,
            datasets=request.datasets,
            request_letter_id=request.request_letter_id,
        )
        if refusal is not None:
            raise ApplicationError(refusal.message, non_retryable=True)
        assert request.institution_id is not None
        await record_grants(
            session,
            case_id=request.case_id,
            institution_id=request.institution_id,
            datasets=request.datasets,
            granted_by=request.granted_by,
        )
        await session.flush()

    async def link(self, session: AsyncSession, request: LinkRequest) -> LinkRef:
        """A signed download link of the data package with the configured expiry and download limit."""
        secret = self._settings.secret_key.get_secret_value()
        token = download_token(secret, request.case_id, request.document_id, request.sequence)
        expires_at = request.issued_at + timedelta(days=self._settings.download_link_days)
        if await session.get(DownloadLink, token) is None:
            session.add(
                DownloadLink(
                    token=token,
                    case_id=request.case_id,
                    document_id=request.document_id,
                    expires_at=expires_at,
                    max_downloads=self._settings.download_limit,
                    created_at=request.issued_at,
                )
            )
        return LinkRef(sequence=request.sequence, expires_at=expires_at)
