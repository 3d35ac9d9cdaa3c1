"""The monthly report's figures against cases made for March 2026 in 6202."""

from __future__ import annotations

import codecs
import csv
import io
import re
from datetime import UTC, date, datetime
from typing import Any

import httpx

from contracts.case import Actor, StepRecord
from core.db import SessionFactory
from core.enums import CaseStatus, SaleStep
from core.models import AuditEntry, Case, Payment, SurveyResponse
from core.settings import Settings
from tests.api.conftest import ui_login
from tests.helpers import read_case_row, store_sale
from worker import record_activities


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
        closed_at=None if status == "open" else updated,
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
    assert (sale["submitted"], sale["completed"], sale["cancelled"]) == (3, 3, 1)  # February's 900005 done in March
    assert sale["compliance"] == "50%"  # two clocks finished, one of them late
    assert report["revenue"] == 100_000
    assert report["complaints"] == 1 and report["complaint_response_days"] == "3"
    assert (report["ikm"], report["grade"], report["respondents"]) == ("87.50", "B", 2)
    assert report["grade_in_words"] == "B (Baik)"
    assert [element["nrr"] for element in report["elements"]] == ["3.50"] * 9
    assert exported.headers["content-disposition"] == 'attachment; filename="laporan-pst-6202-2026-03.csv"'
    rows = _csv_rows(exported.content)
    assert rows[0][:3] == ["Kantor", "Bulan", "Layanan"] and ["PNBP diterima (Rp)", "100000"] in rows
    page = await api.get("/staff/reports", params={"month": "2026-03"}, auth=login("6202", "supervisor"))
    assert page.status_code == 200 and "Rp100.000" in page.text and "<svg" in page.text


def _csv_rows(body: bytes) -> list[list[str]]:
    """The rows of a downloaded report, which must start with a UTF-8 byte-order mark and use semicolons."""
    assert body.startswith(codecs.BOM_UTF8), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body[len(codecs.BOM_UTF8) :].decode()), delimiter=";"))


async def test_a_clock_counts_in_the_month_it_finished_and_is_late_after_any_breach(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    feb, mar = datetime(2025, 2, 20, 2, tzinfo=UTC), datetime(2025, 3, 10, 2, tzinfo=UTC)
    async with session_factory() as session, session.begin():
        session.add_all(
            [
                _case("sale-6202-2025-910001", "sale", "completed", feb, mar),  # asked in February, done in March
                _case("sale-6202-2025-910002", "sale", "completed", feb, mar),  # late already in February
                _case("sale-6202-2025-910003", "sale", "completed", feb, feb),  # done in February
            ]
        )
        await session.flush()
        session.add_all(
            [
                _event("sale-6202-2025-910001", "sla_stopped", mar),
                _event("sale-6202-2025-910002", "sla_breached", datetime(2025, 2, 27, 9, tzinfo=UTC)),
                _event("sale-6202-2025-910002", "sla_stopped", mar),
                _event("sale-6202-2025-910003", "sla_stopped", feb),
            ]
        )

    supervisor = login("6202", "supervisor")
    march = (await api.get("/api/v1/reports/2025-03", auth=supervisor)).json()
    february = (await api.get("/api/v1/reports/2025-02", auth=supervisor)).json()

    sale_in = {
        name: next(row for row in month["services"] if row["service"] == "sale")
        for name, month in (("march", march), ("february", february))
    }
    assert (sale_in["march"]["submitted"], sale_in["march"]["finished_clocks"]) == (0, 2)
    assert (sale_in["march"]["on_time"], sale_in["march"]["compliance"]) == (1, "50%")
    assert (sale_in["february"]["submitted"], sale_in["february"]["finished_clocks"]) == (3, 1)
    assert sale_in["february"]["compliance"] == "100%"


async def test_the_supervisor_reads_the_month_in_the_browser_and_downloads_it_with_the_session(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    done = datetime(2025, 7, 14, 9, tzinfo=UTC)  # Monday 16:00 WIB
    async with session_factory() as session, session.begin():
        session.add_all(
            [
                _case("sale-6202-2025-920001", "sale", "completed", datetime(2025, 7, 7, 2, tzinfo=UTC), done),
                _case("sale-6202-2025-920002", "sale", "completed", datetime(2025, 7, 8, 2, tzinfo=UTC), done),
            ]
        )
        await session.flush()
        session.add_all(
            [
                Payment(
                    case_id="sale-6202-2025-920001", method="cash", amount=1_250_000, status="paid", settled_at=done
                ),
                SurveyResponse(
                    office_code="6202",
                    service="sale",
                    day=date(2025, 7, 14),
                    scores=[4, 4, 4, 3, 3, 4, 4, 4, 4],
                    source="paper",
                ),
                SurveyResponse(
                    office_code="6202",
                    service="sale",
                    day=date(2025, 7, 15),
                    scores=[4, 3, 4, 3, 3, 4, 4, 4, 3],
                    source="paper",
                ),
            ]
        )
    officer, supervisor = demo_accounts[("6202", "officer")], demo_accounts[("6202", "supervisor")]

    await ui_login(api, officer.email, officer.password)
    refused_page = await api.get("/staff/reports", params={"month": "2025-07"})
    refused_file = await api.get("/staff/reports/2025-07.csv")
    await ui_login(api, supervisor.email, supervisor.password)
    page = await api.get("/staff/reports", params={"month": "2025-07"})
    wrong = await api.get("/staff/reports", params={"month": "Juli"})
    download = await api.get("/staff/reports/2025-07.csv")

    assert refused_page.status_code == 403 and refused_file.status_code == 403
    assert page.status_code == 200 and "Juli 2025" in page.text and "Rp1.250.000" in page.text
    # each element's NRR with a decimal comma, and the grade in words: NRR U1 4,00 (A), U4 3,00 (B), IKM 91,67
    assert re.search(
        r"U1 Persyaratan</td>\s*<td[^>]*>4,00</td>\s*<td[^>]*>100,00</td>\s*<td[^>]*>A \(Sangat Baik\)", page.text
    )
    assert re.search(
        r"U4 Biaya/tarif</td>\s*<td[^>]*>3,00</td>\s*<td[^>]*>75,00</td>\s*<td[^>]*>C \(Kurang Baik\)", page.text
    )
    assert "91,67" in page.text and "A (Sangat Baik)" in page.text
    assert 'href="/staff/reports/2025-07.csv"' in page.text and "/api/v1/reports" not in page.text
    assert wrong.status_code == 422 and 'class="error-summary"' in wrong.text
    assert 'aria-describedby="month-hint month-error"' in wrong.text and 'value="Juli"' in wrong.text
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"] == 'attachment; filename="laporan-pst-6202-2025-07.csv"'
    rows = _csv_rows(download.content)
    sale = next(row for row in rows if row[2:3] == ["Penjualan data mikro dan peta digital wilkerstat"])
    assert sale == ["6202", "2025-07", sale[2], "2", "2", "0", "0", "0", "0", "", "4,5"]  # median of 5 and 4 days
    assert ["IKM", "91,67"] in rows and ["Mutu pelayanan", "A (Sangat Baik)"] in rows
    assert ["U1 Persyaratan", "4,00", "100,00", "A (Sangat Baik)"] in rows
    assert ["U2 Sistem, mekanisme dan prosedur", "3,50", "87,50", "B (Baik)"] in rows


async def test_a_case_asked_in_october_and_completed_in_november_counts_as_completed_in_november(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    asked, done = datetime(2026, 10, 20, 2, tzinfo=UTC), datetime(2026, 11, 3, 9, tzinfo=UTC)  # Tue 09:00, Tue 16:00
    case = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        row = await session.get(Case, case.id)
        assert row is not None
        row.created_at = asked
    completed = StepRecord(
        case_id=case.id,
        event_key="support_window_closed:12",
        action="support_window_closed",
        step=SaleStep.COMPLETED,
        status=CaseStatus.COMPLETED,
        assignee_role=None,
        actor=Actor(name="system", role="system", office_code="6202"),
        at=done,
    )
    await record_activities(Settings(_env_file=None), session_factory).record_step(completed)  # type: ignore[call-arg]

    supervisor = login("6202", "supervisor")
    october, november = [
        next(row for row in (await api.get(f"/api/v1/reports/{month}", auth=supervisor)).json()["services"])
        for month in ("2026-10", "2026-11")
    ]
    assert (october["service"], october["submitted"], october["completed"], october["open"]) == ("sale", 1, 0, 0)
    assert (november["submitted"], november["completed"], november["median_days"]) == (0, 1, "10")
    assert (await read_case_row(session_factory, case.id)).closed_at == done
