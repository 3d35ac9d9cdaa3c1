"""Administration in Chromium on a phone (390 px): an office's administrator goes through every page, fixes a refused
settings form, adds a calendar day and removes it after a confirmation, and reads the tariffs; the national
administrator changes a tariff. Every page passes axe-core and fits the phone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import delete, update

from core.db import SessionFactory
from core.models import CalendarOverride, Office, Tariff
from core.reference import TARIFFS
from tests.ui.conftest import assert_accessible, staff_page

PHONE = 390


@pytest.fixture(autouse=True)
async def restore_office_and_tariffs(session_factory: SessionFactory) -> AsyncIterator[None]:
    """The database is the session's: settings, calendar and tariffs go back to the seed."""
    yield
    async with session_factory() as session, session.begin():
        await session.execute(delete(CalendarOverride).where(CalendarOverride.office_code == "6202"))
        seeded = {"cuti_bersama_is_day_off": True, "close_of_business": "16:00", "sla_warning_share": 0.8}
        await session.execute(update(Office).where(Office.code == "6202").values(**seeded, escalation_working_days=2))
        for tariff in TARIFFS:
            await session.execute(update(Tariff).where(Tariff.code == tariff["code"]).values(**tariff, active=True))


async def _fits_and_passes(page: Page, name: str) -> None:
    """No horizontal scroll at phone width, and no serious or critical axe-core violation."""
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than a phone"
    await assert_accessible(page, name)


async def test_an_office_administrator_works_through_every_admin_page(
    browser: Any, live_server: Any, people: Any, demo_accounts: Any
) -> None:
    page = await staff_page(browser, live_server, people, demo_accounts, "administrator", "6202", width=PHONE)

    await page.goto("/staff/admin")
    await _fits_and_passes(page, "admin_index")
    titles = await page.locator(".admin-index h2 a").all_inner_texts()
    assert titles == [
        "Kontak dan standar pelayanan",
        "Pengaturan kantor",
        "Kalender kantor",
        "Akun staf",
        "Katalog data",
        "Tarif PNBP",
    ]

    await page.get_by_role("link", name="Kontak dan standar pelayanan").click()
    await expect(page.get_by_label("Saluran pengaduan")).to_contain_text("SP4N-LAPOR!")
    await _fits_and_passes(page, "admin_office")
    await page.locator("a[href^='/staff/admin/standards/']").first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Ubah standar pelayanan")
    await _fits_and_passes(page, "admin_standard")

    # Settings: a percentage out of range comes back beside its field with what was typed; then a good one saves.
    await page.goto("/staff/admin/settings")
    await _fits_and_passes(page, "admin_settings")
    percent = page.get_by_label("Peringatan tenggat (persen)")
    await expect(percent).to_have_value("80")
    await percent.fill("150")
    await page.get_by_role("button", name="Simpan pengaturan").click()
    await expect(page.locator("#admin-sla_warning_percent-error")).to_contain_text("kurang dari 100")
    await expect(page.locator(".error-summary a[href='#admin-sla_warning_percent']")).to_be_visible()
    await expect(percent).to_have_value("150")
    await expect(percent).to_have_attribute("aria-invalid", "true")
    await _fits_and_passes(page, "admin_settings_refused")
    await percent.fill("75")
    await page.get_by_role("button", name="Simpan pengaturan").click()
    await expect(page.locator(".notice")).to_contain_text("Pengaturan kantor tersimpan")
    await expect(percent).to_have_value("75")
    await expect(page.locator(".field-error")).to_have_count(0)

    # Calendar: a regional holiday added, then removed after the confirmation page.
    await page.goto("/staff/admin/calendar?year=2026")
    await _fits_and_passes(page, "admin_calendar")
    await page.get_by_label("Tanggal").fill("2026-07-07")
    await page.get_by_label("Libur kantor, misalnya hari jadi daerah").check()
    await page.get_by_label("Keterangan").fill("Hari Jadi Sampit ke-70")
    await page.get_by_role("button", name="Simpan perubahan").click()
    await expect(page.locator(".notice")).to_contain_text("Perubahan kalender tersimpan")
    row = page.locator("#admin-overrides tr", has_text="Hari Jadi Sampit ke-70")
    await expect(row).to_contain_text("7 Juli 2026")
    await row.get_by_role("link", name="Hapus").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Hapus perubahan kalender?")
    await _fits_and_passes(page, "admin_calendar_confirm")
    await page.get_by_role("button", name="Ya, hapus perubahan ini").click()
    await expect(page.locator(".notice")).to_contain_text("Perubahan kalender dihapus")
    await expect(page.locator("#admin-overrides tr", has_text="Hari Jadi Sampit ke-70")).to_have_count(0)

    # Staff accounts: the list, and one account's page.
    await page.goto("/staff/admin/accounts")
    await expect(page.locator("table")).to_contain_text("Petugas PST")
    await _fits_and_passes(page, "admin_accounts")
    await page.get_by_role("link", name="Kelola akun Demo officer 6202").click()
    await expect(page.get_by_role("heading", level=2, name="Atur ulang kata sandi")).to_be_visible()
    await _fits_and_passes(page, "admin_account")
    await page.get_by_role("link", name="Nonaktifkan akun").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Nonaktifkan akun Demo officer 6202?")
    await _fits_and_passes(page, "admin_account_confirm")
    await page.get_by_role("link", name="Batal").click()  # asked, not done
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Petugas PST · Aktif")

    # Tariffs: read-only for an office's administrator.
    await page.goto("/staff/admin/tariffs")
    await expect(page.locator("table")).to_contain_text("Rp36.000.000")
    await expect(page.locator(".warning-text")).to_contain_text("Hanya administrator nasional")
    await expect(page.get_by_role("link", name="Ubah")).to_have_count(0)
    await _fits_and_passes(page, "admin_tariffs_read_only")
    refused = await page.goto("/staff/admin/tariffs/microdata")
    assert refused is not None and refused.status == 403


async def test_the_national_administrator_changes_a_tariff(
    browser: Any, live_server: Any, people: Any, demo_accounts: Any
) -> None:
    page = await staff_page(browser, live_server, people, demo_accounts, "national_administrator", "6202", width=PHONE)

    await page.goto("/staff/admin")
    assert await page.locator(".admin-index h2 a").all_inner_texts() == ["Tarif PNBP"]
    await page.get_by_role("link", name="Tarif PNBP").click()
    await page.locator("a[href='/staff/admin/tariffs/map_regency_desa']").click()
    await _fits_and_passes(page, "admin_tariff_edit")
    await page.get_by_label("Harga dasar (Rp)").fill("75000")
    await page.get_by_role("button", name="Simpan tarif").click()

    await expect(page.locator(".notice")).to_contain_text("Tarif tersimpan")
    changed = page.locator("tr", has_text="Peta digital wilkerstat satu kabupaten per desa")
    await expect(changed).to_contain_text("Rp75.000")
    await _fits_and_passes(page, "admin_tariffs_national")
