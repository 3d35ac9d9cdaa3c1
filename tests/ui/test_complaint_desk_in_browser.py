"""In Chromium: the desk officer records a complaint from the suggestion box through the form, its errors, the
check page (and back to change an answer) and the confirmation, then finds it on the case page; every step passes
axe-core and fits a 390 px phone."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, BrowserContext, Page

from tests.ui.conftest import LiveServer, assert_accessible, screenshot, staff_page

TEXT = "Kotak saran: ruang tunggu PST panas karena pendingin udara mati sejak minggu lalu."
PHONE_WIDTH = 390


async def fits(page: Page) -> bool:
    """No horizontal scroll at the page's width."""
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return bool(overflow <= 1)


async def submit(page: Page, button: str) -> None:
    async with page.expect_navigation():
        await page.click(button)


async def test_the_desk_records_a_complaint_from_the_suggestion_box(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], demo_accounts: Any
) -> None:
    desk = await staff_page(browser, live_server, people, demo_accounts, "officer", "6202")
    await submit(desk, "a:has-text('Catat pengaduan')")
    assert desk.url.endswith("/staff/complaints/new")
    await assert_accessible(desk, "complaint_desk_form")

    await desk.fill("#complaint-text", "")
    await submit(desk, "form.desk-form button")  # nothing chosen, nothing written
    summary = desk.locator(".error-summary")
    assert await summary.is_visible()
    assert "Pilih kanal tempat pengaduan diterima" in await summary.inner_text()
    assert "Tulis nama pelapor" in await desk.locator("#complaint-name-error").inner_text()
    assert await desk.locator("#complaint-text").get_attribute("aria-invalid") == "true"
    await assert_accessible(desk, "complaint_desk_form_errors")
    await desk.click(".error-summary a[href='#complaint-channel']")
    assert await desk.evaluate("document.activeElement.id") == "complaint-channel"

    await desk.check("input[name=channel][value=suggestion_box]")
    await desk.fill("#complaint-text", "Panas.")
    await desk.fill("#complaint-name", "Rahmat Hidayat")
    await desk.fill("#complaint-phone", "0813 4455 6677")
    await submit(desk, "form.desk-form button")
    assert await desk.locator("#complaint-text-error").is_visible()
    assert await desk.input_value("#complaint-name") == "Rahmat Hidayat"  # kept
    assert await desk.is_checked("input[name=channel][value=suggestion_box]")

    await desk.fill("#complaint-text", TEXT)
    await submit(desk, "form.desk-form button")
    assert "Periksa kembali pengaduan" in await desk.locator("h1").inner_text()
    answers = await desk.locator(".summary-list").inner_text()
    assert "Kotak saran dan pengaduan" in answers and TEXT in answers and "0813 4455 6677" in answers
    await assert_accessible(desk, "complaint_desk_check")

    await submit(desk, "button:has-text('Ubah nama pelapor')")
    assert await desk.input_value("#complaint-text") == TEXT
    await desk.fill("#complaint-name", "Rahmat Hidayatullah")
    await submit(desk, "form.desk-form button")
    assert "Rahmat Hidayatullah" in await desk.locator(".summary-list").inner_text()

    await submit(desk, "button:has-text('Catat pengaduan')")
    assert "/staff/cases/complaint-6202-" in desk.url
    case_id = desk.url.split("/staff/cases/")[1].split("?")[0]
    assert "Tersimpan" in await desk.locator("[role=status]").inner_text()
    await desk.goto(f"/staff/cases/{case_id}")
    await screenshot(desk, "complaint_desk_recorded_case")
    page = await desk.locator("main").inner_text()
    assert case_id in page and TEXT in page and "Kotak saran dan pengaduan" in page and "Rahmat Hidayatullah" in page


async def test_the_complaint_desk_fits_a_phone(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], demo_accounts: Any
) -> None:
    phone = await staff_page(browser, live_server, people, demo_accounts, "officer", "6202", width=PHONE_WIDTH)
    await phone.goto("/staff/complaints/new")
    assert await fits(phone)
    await submit(phone, "form.desk-form button")
    assert await phone.locator(".error-summary").is_visible() and await fits(phone)
    await assert_accessible(phone, "complaint_desk_form_errors_phone")

    assert not await phone.is_visible("#complaint-lapor_number")  # asked for SP4N-LAPOR! only
    await phone.check("input[name=channel][value=lapor]")
    await phone.fill("#complaint-lapor_number", "LAP-2026-00123")
    await phone.fill("#complaint-text", TEXT + " " + "Mohon segera diperbaiki. " * 10)
    await phone.check("#complaint-anonymous")
    assert not await phone.is_visible("#complaint-name") and not await phone.is_visible("#complaint-email")
    await submit(phone, "form.desk-form button")
    answers = await phone.locator(".summary-list").inner_text()
    assert "SP4N-LAPOR!" in answers and "LAP-2026-00123" in answers and "Anonim" in answers
    assert await fits(phone)
    await assert_accessible(phone, "complaint_desk_check_phone")
