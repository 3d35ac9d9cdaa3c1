"""A walk-in guest's download page in Chromium: the receipt's code asked in a GOV.UK form, a wrong code named in
the error summary and beside the field (the input kept), the right one starting the download; axe finds nothing
serious on either state."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from core.db import SessionFactory
from tests.api.test_downloads import GUEST_CODE, PACKAGE, _linked_case
from tests.ui.conftest import LiveServer, assert_accessible


async def test_a_guest_enters_the_receipt_code_and_downloads(
    page: Page, live_server: LiveServer, session_factory: SessionFactory
) -> None:
    token = await _linked_case(session_factory, live_server.settings, owner=None, guest_code=GUEST_CODE)
    await page.goto(f"/unduh/{token}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Unduh data")
    await assert_accessible(page, "download-code")

    field = page.get_by_label("Kode unduhan")
    await field.fill("AAAA-AAAA")
    await page.get_by_role("button", name="Unduh data").click()
    await expect(page).to_have_title(re.compile(r"^Kesalahan: Unduh data"))
    summary = page.get_by_role("alert")
    await expect(summary).to_contain_text("Kode unduhan salah")
    await expect(page.locator("#code-error")).to_contain_text("sisa 4 percobaan")
    await expect(field).to_have_value("AAAA-AAAA")
    await expect(field).to_have_attribute("aria-invalid", "true")
    await assert_accessible(page, "download-code-wrong")

    await field.fill(GUEST_CODE)
    async with page.expect_download() as started:
        await page.get_by_role("button", name="Unduh data").click()
    download = await started.value
    path = await download.path()
    assert download.suggested_filename == "paket.zip" and path.read_bytes() == PACKAGE


async def test_a_guest_without_email_asks_by_the_receipts_number_and_code(page: Page) -> None:
    await page.goto("/unduh")
    await assert_accessible(page, "download-by-receipt")
    await page.get_by_label("Kode unduhan").fill("HJKM-7Q2X")
    await page.get_by_role("button", name="Unduh data").click()
    await expect(page.get_by_role("alert")).to_contain_text("Masukkan nomor permintaan")
    await expect(page.locator("#case_id-error")).to_contain_text("Masukkan nomor permintaan")
    await expect(page.get_by_label("Nomor permintaan")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Kode unduhan")).to_have_value("HJKM-7Q2X")
    await assert_accessible(page, "download-by-receipt-wrong")
