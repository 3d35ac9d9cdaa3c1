"""The officer's offer, drafted from the request: one line per item asked, with the tariff that prices it."""

from __future__ import annotations

import re

from core.case_details import sale_details
from core.catalogue import tariff_code_for
from core.i18n import INDONESIAN, using_language
from core.models import Case

_LINE = re.compile(r"lines\.(\d+)\.")
SPARE_LINES = 1  # an empty line for an item the officer adds


def offer_values(case: Case, language: str = INDONESIAN) -> dict[str, str]:
    """The offer form filled from the request as it stands (after the one revision, its revised items): item, tariff,
    and the quantity where the request tells it (a map is one map; a catalogue dataset's bytes and a catalogue
    publication's pages come from the catalogue; otherwise the officer fills them in). The items are named in the
    applicant's ``language``: the lines are printed on their invoice and SPPD."""
    values: dict[str, str] = {}
    for index, item in enumerate(sale_details(case).items):
        with using_language(language):
            values[f"lines.{index}.item"] = item.label()[:200]
        values[f"lines.{index}.tariff_code"] = tariff_code_for(item)
        quantity = 1 if item.kind == "map" else item.quantity
        if quantity:
            values[f"lines.{index}.quantity"] = str(quantity)
    return values


def line_count(values: dict[str, str]) -> int:
    """How many lines the offer form shows: every line filled so far, and a spare one."""
    indexes = [int(match.group(1)) for key in values if (match := _LINE.match(key))]
    return (max(indexes) + 1 if indexes else 1) + SPARE_LINES
