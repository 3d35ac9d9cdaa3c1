"""Every staff page, for the role that uses it, in Chromium: axe-core finds no serious or critical violation, and
the page fits a phone (390 px) without scrolling sideways. Screenshots of each are kept as test artifacts."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from core.db import SessionFactory
from core.enums import ComplaintStep, RecommendationStep, Role, Service, VisitStep
from tests.api.test_recommendations_api import FS3
from tests.helpers import store_case, store_sale
from tests.ui.conftest import LiveServer, assert_accessible, staff_page

PHONE = 390


@pytest.fixture
async def cases(session_factory: SessionFactory) -> dict[str, str]:
    """One case of each service, waiting on staff."""
    sale = await store_sale(session_factory, items=[{"kind": "map", "name": "Sampit", "level": "desa"}])
    return {
        "sale": sale.id,
        "recommendation": await store_case(
            session_factory, Service.RECOMMENDATION, RecommendationStep.ASSIGNMENT, Role.SUPERVISOR, fs3=FS3
        ),
        "complaint": await store_case(
            session_factory,
            Service.COMPLAINT,
            ComplaintStep.RESPONSE,
            Role.OFFICER,
            text="Antrean terlalu lama dan tidak ada informasi.",
            channel="suggestion_box",
        ),
        "visit": await store_case(
            session_factory, Service.VISIT, VisitStep.WAITING, Role.OFFICER, queue_number="A001", purpose="Data"
        ),
    }


async def _check(page: Page, path: str, name: str) -> None:
    response = await page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response.status if response else '-'}"
    await assert_accessible(page, f"a11y_{name}")
    width = page.viewport_size["width"] if page.viewport_size else 0
    if width == PHONE:
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a phone"


@pytest.mark.parametrize("width", [1280, PHONE])
async def test_every_staff_page_passes_axe_and_fits_a_phone(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Any,
    cases: dict[str, str],
    width: int,
) -> None:
    suffix = "phone" if width == PHONE else "desk"
    pages: dict[str, list[tuple[str, str]]] = {
        "officer": [
            ("/staff", "inbox"),
            ("/staff/queue", "queue"),
            ("/staff/complaints/new", "complaint_desk"),
            *[(f"/staff/cases/{case_id}", f"case_{service}") for service, case_id in cases.items()],
            ("/staff/tidak-ada", "error_404"),
        ],
        "supervisor": [
            ("/staff/dashboard", "dashboard"),
            ("/staff/reports", "reports"),
            (f"/staff/cases/{cases['sale']}/assign", "assign"),
            (f"/staff/cases/{cases['recommendation']}", "case_recommendation_supervisor"),
        ],
        "administrator": [
            ("/staff/admin", "admin"),
            ("/staff/admin/office", "admin_office"),
            ("/staff/admin/settings", "admin_settings"),
            ("/staff/admin/calendar", "admin_calendar"),
            ("/staff/admin/accounts", "admin_accounts"),
            ("/staff/admin/tariffs", "admin_tariffs"),
            ("/staff/outbox", "outbox"),
        ],
    }
    for role, paths in pages.items():
        page = await staff_page(browser, live_server, people, demo_accounts, role, width=width)
        for path, name in paths:
            await _check(page, path, f"{name}_{suffix}")
    other_office = await staff_page(browser, live_server, people, demo_accounts, "officer", "1906", width=width)
    await _check(other_office, f"/staff/cases/{cases['sale']}", f"error_403_{suffix}")
