"""Business ids of cases: ``<service>-<office>-<year>-<sequence>``, e.g. ``sale-6202-2026-000123``."""

from __future__ import annotations

import re

CASE_ID_PATTERN = re.compile(r"^(sale|recommendation|visit|complaint)-\d{4}-\d{4}-\d{6}$")


def case_id(service: str, office_code: str, year: int, sequence: int) -> str:
    """The business id of the ``sequence``-th case of ``service`` at ``office_code`` in ``year``."""
    return f"{service}-{office_code}-{year}-{sequence:06d}"
