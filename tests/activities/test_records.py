"""The audit trail and read model: one entry per event key, whatever retries happen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from temporalio.exceptions import ApplicationError

from contracts.case import StepRecord
from core.db import SessionFactory
from core.settings import Settings
from tests.helpers import audit_actions, officer, read_case_row, store_sale
from worker import record_activities

TEST_SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]


def _record(case_id: str, **changes: object) -> StepRecord:
    values: dict[str, object] = {
        "case_id": case_id,
        "event_key": "abstract_rejected",
        "action": "abstract_rejected",
        "step": "cancelled",
        "status": "cancelled",
        "assignee_role": None,
        "actor": officer(),
        "at": datetime(2026, 3, 16, 2, 0, tzinfo=UTC),
        "note": "Tidak sesuai",
        **changes,
    }
    return StepRecord(**values)  # type: ignore[arg-type]


async def test_a_retried_record_writes_once(session_factory: SessionFactory) -> None:
    case = await store_sale(session_factory)
    records = record_activities(TEST_SETTINGS, session_factory)

    await records.record_step(_record(case.id))
    await records.record_step(_record(case.id, note="second attempt"))

    assert await audit_actions(session_factory, case.id) == ["abstract_rejected"]
    row = await read_case_row(session_factory, case.id)
    assert (row.step, row.status, row.outcome_reason, row.workflow_started) == (
        "cancelled",
        "cancelled",
        "Tidak sesuai",
        True,
    )
    assert row.updated_at == datetime(2026, 3, 16, 2, 0, tzinfo=UTC)


async def test_an_unknown_case_is_not_retried(session_factory: SessionFactory) -> None:
    with pytest.raises(ApplicationError, match="tidak ditemukan") as failure:
        await record_activities(TEST_SETTINGS, session_factory).record_step(_record("sale-6202-2026-999999"))
    assert failure.value.non_retryable
