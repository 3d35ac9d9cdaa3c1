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
from core.formatting import number, rupiah
from core.i18n import gettext as _
from core.models import StaffAccount, Tariff

log = logging.getLogger(__name__)


def describe(tariff: Tariff) -> str:
    """The price rule in words: ``Rp50.000 sampai 50 halaman, lalu Rp15.000 per 50 halaman berikutnya`` (the
    tariff's unit, a national term, in the language of the moment)."""
    unit = _(tariff.unit)
    per_step = unit if tariff.extra_step == 1 else f"{number(tariff.extra_step)} {unit}"
    base, extra, included = rupiah(tariff.base_price), rupiah(tariff.extra_price), f"{number(tariff.included)} {unit}"
    if tariff.included == 0 or (tariff.included == tariff.extra_step and tariff.base_price == tariff.extra_price):
        return _("%(price)s per %(unit)s") % {"price": extra if tariff.included == 0 else base, "unit": per_step}
    if tariff.extra_price == 0:
        return _("%(price)s sampai %(amount)s") % {"price": base, "amount": included}
    return _("%(price)s sampai %(amount)s, lalu %(extra)s per %(unit)s berikutnya") % {
        "price": base,
        "amount": included,
        "extra": extra,
        "unit": per_step,
    }


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
            _(
                "Tarif PNBP berlaku nasional (PP 13/2024): hanya administrator nasional yang dapat mengubahnya. "
                "Hubungi administrator nasional bila sebuah tarif perlu diubah."
            )
        )


async def read_tariff(*, session: AsyncSession, code: str) -> TariffRead:
    """One tariff line by its code."""
    return _read(await _tariff(session, code))


async def _tariff(session: AsyncSession, code: str) -> Tariff:
    tariff = await session.get(Tariff, code)
    if tariff is None:
        known = ", ".join((await session.scalars(select(Tariff.code).order_by(Tariff.code))).all())
        raise NotFound(
            _("Tarif %(code)s tidak dikenal. Kode tarif yang tersedia: %(known)s.") % {"code": code, "known": known}
        )
    return tariff


async def update_tariff(*, session: AsyncSession, staff: StaffAccount, code: str, changes: TariffUpdate) -> TariffRead:
    """The national administrator sets a tariff's name, prices and whether it is active; new invoices use it."""
    ensure_may_change_tariffs(staff)
    tariff = await _tariff(session, code)
    name = changes.name.strip()
    if len(name) < 2:
        raise FormInvalid({"name": _("Nama tarif wajib diisi (minimal 2 karakter).")})
    tariff.name = name
    tariff.base_price = changes.base_price
    tariff.included = changes.included
    tariff.extra_price = changes.extra_price
    tariff.extra_step = changes.extra_step
    tariff.active = changes.active
    await session.commit()
    log.info("tariff %s changed by %s: %s", code, staff.email, describe(tariff))
    return _read(tariff)
