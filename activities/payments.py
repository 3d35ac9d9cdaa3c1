"""Payments of the sale: SIMPONI billing codes (an adapter, with a local stand-in), settlements, Rp0 grants,
and the signed download links of the data package."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Protocol

from sqlalchemy import select, update
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


class PaymentWriter:
    """Billing codes, settlements, Rp0 grants and download links, inside a step's transaction; every method but
    ``settle`` is idempotent (a replayed step does not settle again)."""

    def __init__(self, settings: Settings, gateway: SimponiGateway | None = None) -> None:
        self._settings = settings
        self._gateway = gateway or LocalSimponi()

    async def billing(self, session: AsyncSession, request: BillingRequest) -> Billing:
        """A new billing code; every older pending code of the case becomes void."""
        code = self._gateway.billing_code(request.case_id, request.amount, request.sequence)
        expires_at = request.issued_at + timedelta(days=self._settings.billing_code_days)
        existing = await session.scalar(select(Payment).where(Payment.billing_code == code))
        if existing is not None and existing.expires_at is not None:
            return Billing(billing_code=code, expires_at=existing.expires_at)
        await session.execute(
            update(Payment)
            .where(
                Payment.case_id == request.case_id,
                Payment.method == PaymentMethod.SIMPONI,
                Payment.status == PaymentStatus.PENDING,
            )
            .values(status=PaymentStatus.VOID)
        )
        session.add(
            Payment(
                case_id=request.case_id,
                method=PaymentMethod.SIMPONI,
                amount=request.amount,
                status=PaymentStatus.PENDING,
                billing_code=code,
                expires_at=expires_at,
                created_at=request.issued_at,
            )
        )
        log.info("billing code issued", extra={"case_id": request.case_id})
        return Billing(billing_code=code, expires_at=expires_at)

    async def settle(self, session: AsyncSession, settlement: Settlement) -> None:
        """Record how the case was paid (or a transfer proof's review); once per case and method."""
        if settlement.method == PaymentMethod.SIMPONI and settlement.billing_code:
            await session.execute(
                update(Payment)
                .where(Payment.billing_code == settlement.billing_code)
                .values(
                    status=PaymentStatus.PAID, ntpn=settlement.ntpn, recorded_by=settlement.actor, settled_at=utcnow()
                )
            )
            return
        session.add(
            Payment(
                case_id=settlement.case_id,
                method=settlement.method,
                amount=settlement.amount,
                status=settlement.status,
                ntpn=settlement.ntpn,
                reason=settlement.reason,
                recorded_by=settlement.actor,
                settled_at=utcnow(),
            )
        )
        if settlement.status == PaymentStatus.PAID:
            await session.execute(
                update(Payment)
                .where(Payment.case_id == settlement.case_id, Payment.status == PaymentStatus.PENDING)
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
