"""In Chromium, under the strict Content Security Policy: the public pages, the staff's queue and case pages, the
lobby's screen and Swagger UI work with no violation (Chromium reports each one on the console), and a page of
ours cannot be framed by another site."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.ui.conftest import LiveServer, staff_page

PUBLIC_PATHS = ("/", "/login", "/register", "/desk/6202", "/lobby/6202", "/docs")
STAFF_PATHS = ("/staff", "/staff/queue", "/staff/complaints/new", "/staff/dashboard", "/staff/reports")


def _watch_violations(page: Page) -> list[str]:
    """Every console line of the page that reports a refused script, style, frame or connection."""
    violations: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    return violations


async def test_public_pages_and_swagger_ui_run_under_the_policy(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext]
) -> None:
    context = await browser.new_context(base_url=live_server.base_url)
    people.append(context)
    page = await context.new_page()
    violations = _watch_violations(page)
    for path in PUBLIC_PATHS:
        response = await page.goto(path)
        assert response is not None and response.ok, path
        await page.wait_for_load_state("networkidle")
    # Swagger UI drew the API from its local script files (no inline script ran it).
    await expect(page.locator(".swagger-ui .information-container")).to_contain_text("PST Flow API")
    assert violations == []


async def test_staff_pages_run_under_the_policy(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], demo_accounts: Any
) -> None:
    page = await staff_page(browser, live_server, people, demo_accounts, "officer")
    violations = _watch_violations(page)
    for path in STAFF_PATHS:
        await page.goto(path)
        await page.wait_for_load_state("networkidle")
    assert violations == []


async def test_another_site_cannot_frame_our_pages(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext]
) -> None:
    context = await browser.new_context()
    people.append(context)
    page = await context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    await page.set_content(f'<iframe src="{live_server.base_url}/login" title="x"></iframe>')
    await page.wait_for_timeout(1500)
    frame = page.frames[-1]
    assert "Masuk" not in await frame.content()  # the login form never appeared inside the frame
    assert any("frame-ancestors" in line or "X-Frame-Options" in line for line in blocked), blocked
