"""Signing in and out in Chromium: logging out on one browser ends the person's other browsers and any copy of
the cookie; guessing passwords in the form is answered with when to try again, the email kept."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from core.db import SessionFactory
from tests.helpers import make_applicant
from tests.ui.conftest import LiveServer, assert_accessible, staff_page


async def _lands_on_login(page: Page, path: str) -> None:
    await page.goto(path)
    await expect(page).to_have_url(re.compile(r"/login\?next=" + re.escape(path) + "$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")


async def test_signing_out_ends_the_persons_other_browsers_and_a_copied_cookie(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], demo_accounts: Any
) -> None:
    desk = await staff_page(browser, live_server, people, demo_accounts, "officer")
    phone = await staff_page(browser, live_server, people, demo_accounts, "officer", width=390)
    copied = await browser.new_context(base_url=live_server.base_url)
    people.append(copied)
    await copied.add_cookies(await desk.context.cookies())
    thief = await copied.new_page()
    await thief.goto("/staff")
    await expect(thief.get_by_role("heading", level=1)).to_have_text(re.compile("Kotak tugas"))

    await desk.get_by_role("link", name="Ganti kata sandi").click()
    await desk.fill("#current_password", "bukan-sandinya")
    await desk.fill("#new_password", "pendek")
    await desk.get_by_role("button", name="Ganti kata sandi").click()
    await expect(desk.locator("#new_password-error")).to_contain_text("10 sampai 200 karakter")
    await assert_accessible(desk, "password-refused")

    await desk.get_by_role("button", name="Keluar").click()
    await desk.wait_for_load_state()

    await _lands_on_login(desk, "/staff")
    await _lands_on_login(phone, "/staff")
    await _lands_on_login(thief, "/staff")


async def test_guessed_passwords_are_answered_with_when_to_try_again(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], session_factory: SessionFactory
) -> None:
    email, password = await make_applicant(session_factory, email=f"penebak-{uuid.uuid4().hex[:8]}@example.com")
    context = await browser.new_context(base_url=live_server.base_url)
    people.append(context)
    page = await context.new_page()
    await page.goto("/login")
    for attempt in range(6):
        await page.fill("input[name=email]", email)
        await page.fill("input[name=password]", password if attempt == 5 else f"tebakan-{attempt}")
        await page.get_by_role("button", name="Masuk").click()
        await page.wait_for_load_state()

    summary = page.locator(".error-summary")
    await expect(summary).to_contain_text(re.compile(r"Coba lagi setelah \d+ detik"))
    await expect(page.locator("#email-error")).to_contain_text("Terlalu banyak percobaan masuk")
    await expect(page.locator("input[name=email]")).to_have_value(email)
    await expect(page.locator("input[name=password]")).to_have_value("")
    await expect(page).to_have_title(re.compile("^Kesalahan: Masuk"))
    await assert_accessible(page, "login-throttled")
