"""PNBP tariffs: the public list and an administrator's changes (tariffs are data, PP 13/2024)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden, Invalid, NotFound
from api.schemas import TariffRead, TariffUpdate
from core.enums import Role
from core.formatting import rupiah
from core.models import StaffAccount, Tariff

log = logging.getLogger(__name__)


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def describe(tariff: Tariff) -> str:
    """The price rule in words: ``Rp50.000 sampai 50 halaman, lalu Rp15.000 per 50 halaman berikutnya``."""
    per_step = tariff.unit if tariff.extra_step == 1 else f"{_count(tariff.extra_step)} {tariff.unit}"
    if tariff.included == 0:
        return f"{rupiah(tariff.extra_price)} per {per_step}"
    if tariff.extra_price == 0:
        return f"{rupiah(tariff.base_price)} sampai {_count(tariff.included)} {tariff.unit}"
    if tariff.included == tariff.extra_step and tariff.base_price == tariff.extra_price:
        return f"{rupiah(tariff.base_price)} per {per_step}"
    return (
        f"{rupiah(tariff.base_price)} sampai {_count(tariff.included)} {tariff.unit}, "
        f"lalu {rupiah(tariff.extra_price)} per {per_step} berikutnya"
    )


def _read(tariff: Tariff) -> TariffRead:
    return TariffRead.model_validate(tariff).model_copy(update={"description": describe(tariff)})


async def list_tariffs(*, session: AsyncSession) -> list[TariffRead]:
    """Every tariff line, active or not, by code."""
    tariffs = await session.scalars(select(Tariff).order_by(Tariff.code))
    return [_read(tariff) for tariff in tariffs]


async def update_tariff(*, session: AsyncSession, staff: StaffAccount, code: str, changes: TariffUpdate) -> TariffRead:
    """An administrator sets a tariff's name, prices and whether it is active; new invoices use it."""
    if staff.role != Role.ADMINISTRATOR:
        raise Forbidden("Hanya administrator yang dapat mengubah tarif PNBP.")
    tariff = await session.get(Tariff, code)
    if tariff is None:
        known = ", ".join((await session.scalars(select(Tariff.code).order_by(Tariff.code))).all())
        raise NotFound(f"Tarif {code} tidak dikenal. Kode tarif yang tersedia: {known}.")
    name = changes.name.strip()
    if len(name) < 2:
        raise Invalid("Nama tarif wajib diisi (minimal 2 karakter).")
    tariff.name = name
    tariff.base_price = changes.base_price
    tariff.included = changes.included
    tariff.extra_price = changes.extra_price
    tariff.extra_step = changes.extra_step
    tariff.active = changes.active
    await session.commit()
    log.info("tariff %s changed by %s: %s", code, staff.email, describe(tariff))
    return _read(tariff)
