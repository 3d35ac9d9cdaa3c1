"""The officer's offer, drafted from the request: one line per item asked, with the tariff that prices it."""

from __future__ import annotations

import re

from core.case_details import RequestedItem, sale_details
from core.models import Case

_LINE = re.compile(r"lines\.(\d+)\.")
SPARE_LINES = 1  # an empty line for an item the officer adds


def tariff_code_for(item: RequestedItem) -> str:
    """The PNBP tariff of an item: a dataset, a publication, or a map of one regency or of Indonesia by level."""
    if item.kind == "map":
        scope = "national" if "indonesia" in item.name.lower() else "regency"
        return f"map_{scope}_{item.level or 'desa'}"
    return item.kind  # "microdata" or "publication": the tariff codes are the kinds' names


def offer_values(case: Case) -> dict[str, str]:
    """The offer form filled from the request: item, tariff, and the quantity where the request tells it (a map is
    one map; a dataset's bytes and a publication's pages the officer fills in)."""
    values: dict[str, str] = {}
    for index, item in enumerate(sale_details(case).items):
        values[f"lines.{index}.item"] = item.label()[:200]
        values[f"lines.{index}.tariff_code"] = tariff_code_for(item)
        if item.kind == "map":
            values[f"lines.{index}.quantity"] = "1"
    return values


def line_count(values: dict[str, str]) -> int:
    """How many lines the offer form shows: every line filled so far, and a spare one."""
    indexes = [int(match.group(1)) for key in values if (match := _LINE.match(key))]
    return (max(indexes) + 1 if indexes else 1) + SPARE_LINES
