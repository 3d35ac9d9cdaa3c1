"""PNBP fees: base price up to the included units, then a price per started step (DOMAIN.md, Fees)."""

from __future__ import annotations

from typing import Any

import pytest

from core.reference import TARIFFS
from core.tariffs import price

SEEDED = {tariff["code"]: tariff for tariff in TARIFFS}


def _fee(code: str, quantity: int) -> int:
    tariff: dict[str, Any] = SEEDED[code]
    return price(tariff["base_price"], tariff["included"], tariff["extra_price"], tariff["extra_step"], quantity)


@pytest.mark.parametrize(
    ("code", "quantity", "expected"),
    [
        ("publication", 1, 50_000),
        ("publication", 50, 50_000),
        ("publication", 51, 65_000),
        ("publication", 100, 65_000),
        ("publication", 101, 80_000),
        ("publication", 120, 80_000),
        ("microdata", 1, 20_000),
        ("microdata", 1_000_000, 20_000),
        ("microdata", 1_000_001, 20_020),
        ("microdata", 1_001_000, 20_020),
        ("microdata", 1_001_001, 20_040),
        ("microdata", 1_500_000, 30_000),
        ("microdata_table", 2_000_000, 44_000),
        ("map_regency_kecamatan", 1, 30_000),
        ("map_regency_kecamatan", 3, 90_000),
        ("map_regency_desa", 2, 140_000),
        ("map_national_desa", 1, 36_000_000),
    ],
)
def test_the_worked_examples_of_the_domain(code: str, quantity: int, expected: int) -> None:
    assert _fee(code, quantity) == expected


def test_a_tariff_without_included_units_charges_every_started_step() -> None:
    assert price(0, 0, 1_000, 10, 1) == 1_000
    assert price(0, 0, 1_000, 10, 10) == 1_000
    assert price(0, 0, 1_000, 10, 11) == 2_000


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused_in_indonesian(quantity: int) -> None:
    with pytest.raises(ValueError, match="Jumlah harus minimal 1"):
        price(50_000, 50, 15_000, 50, quantity)


def test_a_step_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="minimal 1"):
        price(50_000, 50, 15_000, 0, 60)
