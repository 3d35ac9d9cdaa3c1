"""PNBP tariffs: the public list and the national administrator's changes (tariffs are data, national, PP 13/2024:
an office's administrator reads them and never changes them)."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.admin_schemas import FormInvalid
from api.errors import Forbidden, NotFound
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


def may_change_tariffs(staff: StaffAccount) -> bool:
    """Whether ``staff`` may change the national tariffs: the national administrator's role alone."""
    return staff.role == Role.NATIONAL_ADMINISTRATOR


def ensure_may_change_tariffs(staff: StaffAccount) -> None:
    """Refuse anyone but a national administrator (an office's administrator included)."""
    if not may_change_tariffs(staff):
        raise Forbidden(
            "Tarif PNBP berlaku nasional (PP 13/2024): hanya administrator nasional yang dapat mengubahnya. "
            "Hubungi administrator nasional bila sebuah tarif perlu diubah."
        )


async def read_tariff(*, session: AsyncSession, code: str) -> TariffRead:
    """One tariff line by its code."""
    return _read(await _tariff(session, code))


async def _tariff(session: AsyncSession, code: str) -> Tariff:
    tariff = await session.get(Tariff, code)
    if tariff is None:
        known = ", ".join((await session.scalars(select(Tariff.code).order_by(Tariff.code))).all())
        raise NotFound(f"Tarif {code} tidak dikenal. Kode tarif yang tersedia: {known}.")
    return tariff


async def update_tariff(*, session: AsyncSession, staff: StaffAccount, code: str, changes: TariffUpdate) -> TariffRead:
    """The national administrator sets a tariff's name, prices and whether it is active; new invoices use it."""
    ensure_may_change_tariffs(staff)
    tariff = await _tariff(session, code)
    name = changes.name.strip()
    if len(name) < 2:
        raise FormInvalid({"name": "Nama tarif wajib diisi (minimal 2 karakter)."})
    tariff.name = name
    tariff.base_price = changes.base_price
    tariff.included = changes.included
    tariff.extra_price = changes.extra_price
    tariff.extra_step = changes.extra_step
    tariff.active = changes.active
    await session.commit()
    log.info("tariff %s changed by %s: %s", code, staff.email, describe(tariff))
    return _read(tariff)
