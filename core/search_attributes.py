"""The Temporal search attributes of PST Flow: non-personal fields a developer filters on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from temporalio.common import SearchAttributeKey

OFFICE_CODE: SearchAttributeKey[str] = SearchAttributeKey.for_keyword("PstOfficeCode")
SERVICE: SearchAttributeKey[str] = SearchAttributeKey.for_keyword("PstService")
STEP: SearchAttributeKey[str] = SearchAttributeKey.for_keyword("PstStep")
SLA_DEADLINE: SearchAttributeKey[datetime] = SearchAttributeKey.for_datetime("PstSlaDeadline")

ALL_KEYS: list[SearchAttributeKey[Any]] = [OFFICE_CODE, SERVICE, STEP, SLA_DEADLINE]


def dev_server_flags() -> list[str]:
    """``--search-attribute NAME=Type`` flags registering every key on ``temporal server start-dev``."""
    flags: list[str] = []
    for key in ALL_KEYS:
        flags += ["--search-attribute", f"{key.name}={key.indexed_value_type.name.title()}"]
    return flags
