"""The public pages in Chromium, at a phone's width and a desk's, in Indonesian and English: the home page, an office's
service standards, its performance page (table and chart) and the administrator's standard form. axe-core finds no
serious or critical violation and nothing scrolls sideways on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page
from sqlalchemy import select

from core.db import SessionFactory
from core.models import ServiceStandard
from tests.api.test_performance_page import OFFICE, cases  # noqa: F401  (the hand-made cases, as a fixture)
from tests.ui.conftest import PAGE_TIMEOUT_MS, LiveServer, assert_accessible, staff_page

PHONE = 390


async def _check(page: Page, path: str, name: str) -> None:
    response = await page.goto(path)
    assert response is not None and response.status == 200, path
    await assert_accessible(page, f"a11y_{name}")
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} is {overflow}px wider than the window"


@pytest.mark.parametrize("width", [1280, PHONE])
@pytest.mark.parametrize("language", ["id", "en"])
async def test_public_pages_pass_axe_and_fit_the_window(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    cases: None,  # noqa: F811
    width: int,
    language: str,
) -> None:
    context = await browser.new_context(base_url=live_server.base_url, viewport={"width": width, "height": 800})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    people.append(context)
    page = await context.new_page()
    if language == "en":
        await page.goto("/lang/en?next=/")
    suffix = f"{'phone' if width == PHONE else 'desk'}_{language}"
    for path, name in [
        ("/", "home"),
        ("/offices/3304", "office_3304"),
        ("/offices/1906", "office_1906"),
        (f"/offices/{OFFICE}/kinerja", "performance"),
    ]:
        await _check(page, path, f"{name}_{suffix}")

    # the chart is drawn with its bars, named by its title and description; the table carries every figure
    await page.goto(f"/offices/{OFFICE}/kinerja")
    chart = page.locator("#kinerja-sale svg[role=img]")
    assert await chart.get_attribute("aria-labelledby") == "grafik-sale-title grafik-sale-desc"
    assert await page.locator("#kinerja-sale rect.chart-bar").count() == 4  # October and November, two bars each
    october = "Oktober 2026" if language == "id" else "October 2026"
    row = page.locator("#kinerja-sale tbody tr", has_text=october)
    assert "87" in (await row.inner_text())
    if width == PHONE:  # each row a card: the month's figures under their labels, not a wide table
        box = await row.bounding_box()
        assert box is not None and box["width"] <= PHONE


@pytest.mark.parametrize("width", [1280, PHONE])
async def test_the_standard_form_passes_axe(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Any,
    session_factory: SessionFactory,
    width: int,
) -> None:
    async with session_factory() as session:
        standard_id = await session.scalar(
            select(ServiceStandard.id).where(ServiceStandard.office_code == "3304", ServiceStandard.service == "sale")
        )
    page = await staff_page(browser, live_server, people, demo_accounts, "administrator", "3304", width=width)
    suffix = "phone" if width == PHONE else "desk"
    await _check(page, "/staff/admin/office", f"admin_office_standards_{suffix}")
    await _check(page, f"/staff/admin/standards/{standard_id}", f"admin_standard_{suffix}")
    assert await page.locator("fieldset.standard-list").count() == 8  # walk-in and online apart, as published
