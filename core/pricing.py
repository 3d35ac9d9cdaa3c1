"""An offer's lines priced with the active PNBP tariffs: one place for the invoice (worker) and the officer's
check of the offer before it is sent (API)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.formatting import rupiah
from core.i18n import ENGLISH, N_, gettext, using_language
from core.models import Tariff
from core.tariffs import price

# The most one offer may total: its invoice, billing code, payment and receipt keep the amount in an INTEGER column
# (PostgreSQL's int4). No microdata or map sale comes near it; a total past it is a wrong quantity, refused beside it.
TOTAL_LIMIT = 2**31 - 1
TOTAL_TOO_HIGH = N_(
    "Total penawaran %(total)s melebihi batas satu transaksi PNBP %(limit)s. Periksa jumlah item ini (byte, halaman "
    "atau banyak peta), atau bagi permintaan menjadi beberapa penawaran."
)


class TotalTooHigh(ValueError):
    """An offer whose total is over ``TOTAL_LIMIT``: ``field`` is the quantity of its dearest line
    (``lines.0.quantity``); the message in the language of the moment and in English."""

    def __init__(self, total: int, line: int) -> None:
        values = {"total": rupiah(total), "limit": rupiah(TOTAL_LIMIT)}
        self.field = f"lines.{line}.quantity"
        self.message = gettext(TOTAL_TOO_HIGH) % values
        with using_language(ENGLISH):
            self.message_en = gettext(TOTAL_TOO_HIGH) % {"total": rupiah(total), "limit": rupiah(TOTAL_LIMIT)}
        super().__init__(self.message)


class LineAsked(Protocol):
    """An item, the code of its tariff and the quantity (bytes, pages or maps)."""

    item: str
    tariff_code: str
    quantity: int


@dataclass(frozen=True)
class Priced:
    """A line with its tariff's name and unit and its amount in Rupiah."""

    item: str
    tariff_code: str
    tariff_name: str
    quantity: int
    unit: str
    amount: int


async def price_lines(session: AsyncSession, lines: Sequence[LineAsked], *, zero_rupiah: bool) -> list[Priced]:
    """Each line priced with its active tariff (Rp0 each for a Rp0 sale); ValueError names a bad line, TotalTooHigh
    a total past ``TOTAL_LIMIT``."""
    if not lines:
        raise ValueError("Penawaran tanpa item: isi minimal satu item beserta tarifnya.")
    codes = {line.tariff_code for line in lines}
    tariffs = {
        tariff.code: tariff
        for tariff in await session.scalars(select(Tariff).where(Tariff.code.in_(codes), Tariff.active.is_(True)))
    }
    priced: list[Priced] = []
    for line in lines:
        tariff = tariffs.get(line.tariff_code)
        if tariff is None:
            raise ValueError(
                f"Tarif '{line.tariff_code}' tidak dikenal atau tidak aktif; pilih tarif aktif dari daftar tarif PNBP "
                "(GET /api/v1/tariffs)."
            )
        try:
            amount = price(tariff.base_price, tariff.included, tariff.extra_price, tariff.extra_step, line.quantity)
        except ValueError as error:
            raise ValueError(f"Item '{line.item}': {error}") from error
        priced.append(
            Priced(line.item, tariff.code, tariff.name, line.quantity, tariff.unit, 0 if zero_rupiah else amount)
        )
    total = sum(line.amount for line in priced)
    if total > TOTAL_LIMIT:
        raise TotalTooHigh(total, max(range(len(priced)), key=lambda index: priced[index].amount))
    return priced
