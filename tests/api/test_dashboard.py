"""The supervisor's dashboard counts this month's finished clocks as the monthly report does."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx

from api.services.dashboard import month_start
from core.db import SessionFactory
from core.models import utcnow
from tests.api.conftest import ui_login
from tests.api.test_reports import _case, _event


async def test_this_months_compliance_counts_each_finished_clock_once_and_a_breach_of_any_month(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    now = utcnow()
    last_month = month_start(now, "Asia/Jakarta") - timedelta(days=3)
    async with session_factory() as session, session.begin():
        session.add_all(
            [
                _case("sale-6202-2026-930001", "sale", "completed", last_month, now),
                _case("sale-6202-2026-930002", "sale", "completed", last_month, now),
                _case("sale-6202-2026-930003", "sale", "completed", last_month, last_month),
                _case("complaint-6202-2026-930004", "complaint", "completed", now, now),
            ]
        )
        await session.flush()
        session.add_all(
            [
                _event("sale-6202-2026-930001", "sla_stopped", now),
                _event("sale-6202-2026-930002", "sla_breached", last_month),  # late before the month began
                _event("sale-6202-2026-930002", "sla_stopped", now),
                _event("sale-6202-2026-930003", "sla_stopped", last_month),  # finished last month: not counted
                _event("complaint-6202-2026-930004", "sla_stopped", now),
            ]
        )
    supervisor = demo_accounts[("6202", "supervisor")]
    await ui_login(api, supervisor.email, supervisor.password)

    board = await api.get("/staff/dashboard")

    assert board.status_code == 200
    assert re.search(r"<strong>67%</strong><span>tepat waktu bulan ini \(2 dari 3 ", board.text)
