"""The monthly report's figures against cases made for March 2026 in 6202."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import httpx

from core.db import SessionFactory
from core.models import AuditEntry, Case, Payment, SurveyResponse


def _case(case_id: str, service: str, status: str, created: datetime, updated: datetime) -> Case:
    # workflow_started: a past case, not one the API's resumer of unstarted sales should start now
    return Case(
        id=case_id,
        service=service,
        office_code="6202",
        channel="online",
        applicant_name="A",
        applicant_email="a@example.com",
        step="x",
        status=status,
        created_at=created,
        updated_at=updated,
        workflow_started=True,
    )


def _event(case_id: str, action: str, at: datetime) -> AuditEntry:
    return AuditEntry(
        case_id=case_id, event_key=action, at=at, actor="t", role="system", office_code="6202", action=action, step="x"
    )


async def test_the_march_report_counts_what_happened(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    mon, tue = datetime(2026, 3, 2, 2, tzinfo=UTC), datetime(2026, 3, 3, 2, tzinfo=UTC)
    fri = datetime(2026, 3, 13, 9, tzinfo=UTC)  # 16:00 WIB: 9 working days after 2 March close
    async with session_factory() as session, session.begin():
        session.add_all(
            [
                _case("sale-6202-2026-900001", "sale", "completed", mon, fri),
                _case("sale-6202-2026-900002", "sale", "completed", tue, datetime(2026, 3, 30, 9, tzinfo=UTC)),
                _case("sale-6202-2026-900003", "sale", "cancelled", tue, tue),
                _case("complaint-6202-2026-900004", "complaint", "completed", mon, datetime(2026, 3, 5, 9, tzinfo=UTC)),
                _case("sale-6202-2026-900005", "sale", "completed", datetime(2026, 2, 2, tzinfo=UTC), mon),  # February
            ]
        )
        await session.flush()
        session.add_all(
            [
                _event("sale-6202-2026-900001", "sla_stopped", fri),
                _event("sale-6202-2026-900002", "sla_breached", datetime(2026, 3, 20, 9, tzinfo=UTC)),
                _event("sale-6202-2026-900002", "sla_stopped", datetime(2026, 3, 30, 9, tzinfo=UTC)),
                Payment(
                    case_id="sale-6202-2026-900001", method="simponi", amount=30_000, status="paid", settled_at=tue
                ),
                Payment(case_id="sale-6202-2026-900002", method="cash", amount=70_000, status="paid", settled_at=tue),
                Payment(case_id="sale-6202-2026-900003", method="simponi", amount=99_000, status="void"),
                SurveyResponse(
                    office_code="6202", service="sale", day=date(2026, 3, 10), scores=[4] * 9, source="paper"
                ),
                SurveyResponse(
                    office_code="6202", service="sale", day=date(2026, 3, 11), scores=[3] * 9, source="paper"
                ),
            ]
        )

    officer = await api.get("/api/v1/reports/2026-03", auth=login("6202", "officer"))
    report = (await api.get("/api/v1/reports/2026-03", auth=login("6202", "supervisor"))).json()
    exported = await api.get("/api/v1/reports/2026-03", params={"format": "csv"}, auth=login("6202", "supervisor"))
    bad_month = await api.get("/api/v1/reports/2026-13", auth=login("6202", "supervisor"))

    assert officer.status_code == 403 and bad_month.status_code == 422
    sale = next(row for row in report["services"] if row["service"] == "sale")
    assert (sale["submitted"], sale["completed"], sale["cancelled"]) == (3, 2, 1)
    assert sale["compliance"] == "50%"  # two clocks finished, one of them late
    assert report["revenue"] == 100_000
    assert report["complaints"] == 1 and report["complaint_response_days"] == "3"
    assert (report["ikm"], report["grade"], report["respondents"]) == ("87.50", "B", 2)
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:3] == ["kantor", "bulan", "layanan"] and ["pnbp_rupiah", "100000"] in rows
    page = await api.get("/staff/reports", params={"month": "2026-03"}, auth=login("6202", "supervisor"))
    assert page.status_code == 200 and "Rp100.000" in page.text and "<svg" in page.text
