"""The supervisor's day in Chromium: the inbox, handing a sale's task to the second officer, who then finds it first
under "Tugas saya"; the inbox fits a phone and passes axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.async_api import Browser, BrowserContext, expect

from core.db import SessionFactory
from core.enums import Role, Service, TimeUnit
from core.models import StaffAccount, utcnow
from tests.api.inbox_fixtures import PASSWORD, add_case, second_officer_fixture  # noqa: F401 (fixture)
from tests.ui.conftest import LiveServer, assert_accessible, screenshot, signed_in, staff_page


async def test_a_supervisor_hands_a_sale_to_the_second_officer_who_sees_it_first(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Any,
    session_factory: SessionFactory,
    second_officer: StaffAccount,
) -> None:
    now = utcnow()
    sooner = await add_case(session_factory, step="completeness", deadline=now + timedelta(days=1))
    sale = await add_case(session_factory, deadline=now + timedelta(days=6), institution="Dinas Kesehatan Kotim")
    in_minutes = now + timedelta(minutes=4)
    await add_case(session_factory, service=Service.VISIT, step="waiting", deadline=in_minutes, unit=TimeUnit.MINUTES)

    supervisor = await staff_page(browser, live_server, people, demo_accounts, Role.SUPERVISOR, "6202")
    await supervisor.goto("/staff")
    await expect(supervisor.get_by_role("heading", level=1)).to_have_text("Kotak tugas")
    await expect(supervisor.locator("#filter-service")).to_contain_text("Penjualan data mikro")
    await assert_accessible(supervisor, "inbox_supervisor")

    await supervisor.get_by_role("link", name=f"Serahkan tugas {sale.id}").click()
    await expect(supervisor.get_by_role("heading", level=1)).to_have_text(f"Serahkan tugas {sale.id}")
    await assert_accessible(supervisor, "assign_form")
    await supervisor.get_by_role("button", name="Serahkan tugas").click()  # nobody chosen
    await expect(supervisor.locator(".error-summary")).to_contain_text("Pilih staf yang menerima tugas ini.")
    await expect(supervisor.get_by_label("Serahkan kepada")).to_have_attribute("aria-invalid", "true")
    await assert_accessible(supervisor, "assign_form_error")
    await supervisor.get_by_label("Serahkan kepada").select_option(label="Rina Officer Kedua")
    await supervisor.get_by_role("button", name="Serahkan tugas").click()
    await expect(supervisor.get_by_role("status")).to_contain_text("Tugas diserahkan kepada Rina Officer Kedua")
    await screenshot(supervisor, "assign_done")

    officer = await signed_in(browser, live_server, people, second_officer.email, PASSWORD)
    await officer.goto("/staff")
    first_section = officer.get_by_role("heading", level=2).first
    await expect(first_section).to_have_text("Tugas saya")
    first_case = officer.locator("table.inbox-table").first.locator("tbody tr").first
    await expect(first_case.get_by_role("link").first).to_have_text(sale.id)
    await expect(first_case).to_contain_text("Rina Officer Kedua")
    await expect(officer.locator("table.inbox-table").nth(1)).to_contain_text(sooner.id)
    await assert_accessible(officer, "inbox_officer_my_tasks")


async def test_the_inbox_fits_a_phone(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], demo_accounts: Any, session_factory: Any
) -> None:
    now = utcnow()
    bappeda = "Badan Perencanaan Pembangunan Daerah"
    await add_case(session_factory, deadline=now + timedelta(days=3), institution=bappeda)
    await add_case(session_factory, service=Service.RECOMMENDATION, step="examination", role=Role.EXAMINER,
                   deadline=now - timedelta(days=2), unit=TimeUnit.DAYS)  # fmt: skip

    for role in (Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR):
        phone = await staff_page(browser, live_server, people, demo_accounts, role, "6202", width=390)
        await phone.goto("/staff")
        overflow = await phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the inbox of a {role} is {overflow}px wider than a phone"
        await expect(phone.locator("td[data-label='Tenggat']").first).to_be_visible()
        await assert_accessible(phone, f"inbox_phone_{role}")
