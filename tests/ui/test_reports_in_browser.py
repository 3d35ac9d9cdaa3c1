"""In Chromium, a supervisor picks a month on the reports page, reads it (each IKM element's NRR and the grade in
words), downloads its CSV by clicking the link with the session alone, and the page fits a phone."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page

from core.db import SessionFactory
from core.models import AuditEntry, Case, Payment, SurveyResponse
from tests.ui.conftest import LiveServer, assert_accessible, staff_page

ASKED, DONE = datetime(2025, 8, 4, 2, tzinfo=UTC), datetime(2025, 8, 8, 9, tzinfo=UTC)  # Monday → Friday 16:00 WIB


async def _august(session_factory: SessionFactory) -> None:
    """One sale of August 2025 in 6202, paid Rp1.250.000, answered on time, and two survey answers."""
    async with session_factory() as session, session.begin():
        session.add(
            Case(
                id="sale-6202-2025-940001",
                service="sale",
                office_code="6202",
                channel="online",
                applicant_name="Dewi Lestari",
                applicant_email="dewi@example.com",
                step="completed",
                status="completed",
                created_at=ASKED,
                updated_at=DONE,
                closed_at=DONE,
                workflow_started=True,
            )
        )
        await session.flush()
        session.add_all(
            [
                AuditEntry(
                    case_id="sale-6202-2025-940001",
                    event_key="sla_stopped",
                    at=DONE,
                    actor="sistem",
                    role="system",
                    office_code="6202",
                    action="sla_stopped",
                    step="completed",
                ),
                Payment(
                    case_id="sale-6202-2025-940001", method="cash", amount=1_250_000, status="paid", settled_at=DONE
                ),
                SurveyResponse(
                    office_code="6202", service="sale", day=date(2025, 8, 8), scores=[4] * 9, source="paper"
                ),
                SurveyResponse(
                    office_code="6202",
                    service="sale",
                    day=date(2025, 8, 9),
                    scores=[3, 4, 4, 4, 4, 4, 4, 4, 3],
                    source="online",
                ),
            ]
        )


CARDS_FIT = "[...document.querySelectorAll('.card strong')].every(e => e.scrollWidth <= e.clientWidth)"


async def _overflow(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


async def test_the_supervisor_reads_the_month_and_downloads_its_csv(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Any,
    session_factory: SessionFactory,
) -> None:
    await _august(session_factory)
    page = await staff_page(browser, live_server, people, demo_accounts, "supervisor")

    await page.goto("/staff/reports")
    await page.get_by_label("Bulan laporan").fill("2025-08")
    await page.get_by_role("button", name="Tampilkan").click()
    await page.wait_for_load_state()

    assert "Agustus 2025" in await page.get_by_role("heading", level=1).inner_text()
    ikm = page.locator("table").nth(1)
    first = ikm.locator("tbody tr").first
    assert [cell.strip() for cell in await first.locator("td").all_inner_texts()] == [
        "U1 Persyaratan",
        "3,50",
        "87,50",
        "B (Baik)",
    ]
    assert "A (Sangat Baik)" in await page.locator("main").inner_text()  # IKM 97,22
    assert "Rp1.250.000" in await page.locator("main").inner_text()
    await assert_accessible(page, "reports-month")

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Unduh CSV").click()
    download = await waiting.value
    saved = Path(await download.path())

    assert download.suggested_filename == "laporan-pst-6202-2025-08.csv"
    body = saved.read_bytes()
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(body[len(codecs.BOM_UTF8) :].decode()), delimiter=";"))
    assert rows[0][:4] == ["Kantor", "Bulan", "Layanan", "Diajukan"]
    sale = next(row for row in rows if row[2:3] == ["Penjualan data mikro dan peta digital wilkerstat"])
    assert sale[3:] == ["1", "1", "0", "0", "1", "1", "100,0", "4,0"]  # Tuesday to Friday: 4 working days
    assert ["IKM", "97,22"] in rows and ["PNBP diterima (Rp)", "1250000"] in rows
    assert ["U1 Persyaratan", "3,50", "87,50", "B (Baik)"] in rows


async def test_the_reports_page_fits_a_phone_and_says_what_month_to_type(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Any,
    session_factory: SessionFactory,
) -> None:
    await _august(session_factory)
    page = await staff_page(browser, live_server, people, demo_accounts, "supervisor", width=390)

    await page.goto("/staff/reports?month=2025-08")
    assert await _overflow(page) <= 0
    assert await page.evaluate(CARDS_FIT), "a figure overflows its card"
    await assert_accessible(page, "reports-month-phone")
    answer = await page.goto("/staff/reports?month=Agustus")

    assert answer is not None and answer.status == 422
    summary = page.locator(".error-summary")
    assert "TTTT-BB" in await summary.inner_text() and (await page.title()).startswith("Kesalahan: ")
    await summary.get_by_role("link").click()
    assert await page.evaluate("document.activeElement.id") == "month"
    assert await page.get_by_label("Bulan laporan").get_attribute("aria-invalid") == "true"
    assert await _overflow(page) <= 0
    await assert_accessible(page, "reports-month-error")
    await page.goto("/staff/dashboard")
    assert "Tidak ada permintaan terbuka." in await page.locator("main").inner_text()
    assert await _overflow(page) <= 0
    await assert_accessible(page, "dashboard-phone")
