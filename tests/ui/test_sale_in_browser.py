"""In Chromium: an applicant submits a sale, the officer and the treasurer act in the staff UI, the applicant
downloads and rates; a supervisor sees a late case's badge; another office's officer gets 403."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Browser, BrowserContext, Page
from sqlalchemy import update

from core.db import SessionFactory
from core.models import Case, utcnow
from core.seeding import DemoAccount
from tests.api.conftest import PDF
from tests.helpers import make_applicant, store_sale
from tests.ui.conftest import LiveServer, screenshot, signed_in, staff_page

Accounts = dict[tuple[str, str], DemoAccount]


_signed_in = signed_in
_staff = staff_page


async def _act(page: Page, case_id: str, action: str, fill: dict[str, str] | None = None, **files: bytes) -> None:
    """Open the case page (until the action's form is there), fill the form and submit it."""
    form = f"form[action='/staff/cases/{case_id}/actions/{action}']"
    for _ in range(40):
        await page.goto(f"/staff/cases/{case_id}")
        if await page.locator(form).count():
            break
        await page.wait_for_timeout(250)
    else:
        raise AssertionError(f"no form {action} on {page.url}: {(await page.content())[:3000]}")
    for name, value in (fill or {}).items():
        field = page.locator(f"{form} [name='{name}']")
        if await field.count() > 1:  # radios: the one with this value
            await page.locator(f"{form} [name='{name}'][value='{value}']").check()
        elif await field.evaluate("element => element.tagName") == "SELECT":
            await field.select_option(value)
        else:
            await field.fill(value)
    for name, data in files.items():
        await page.locator(f"{form} input[name='{name}']").set_input_files(
            {"name": f"{name}.bin", "mimeType": "application/octet-stream", "buffer": data}
        )
    await page.click(f"{form} button")
    await page.wait_for_load_state()
    confirm = page.locator(".confirm button[name=confirmed]")
    if await confirm.count():  # a decision that cannot be undone is checked first
        await confirm.click()
        await page.wait_for_load_state()
    assert "?done=" in page.url, await page.locator(".error-summary").all_inner_texts()


async def _portal(page: Page, case_id: str, action: str, step_label: str) -> Page:
    for _ in range(40):
        await page.goto(f"/portal/cases/{case_id}")
        if await page.locator(f"form[action='/portal/cases/{case_id}/actions/{action}']").count():
            return page
        await page.wait_for_timeout(250)
    raise AssertionError(f"{action} never offered on {case_id} ({step_label})")


async def test_a_sale_from_the_portal_to_the_download_in_the_browser(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Accounts,
    session_factory: SessionFactory,
) -> None:
    email, password = await make_applicant(session_factory, email="browser@example.com")
    applicant = await _signed_in(browser, live_server, people, email, password)
    await applicant.click("text=Ajukan permintaan data atau peta")
    await applicant.check("input[name=office][value='6202']")
    await applicant.click("form[action='/portal/new'] button")
    await applicant.locator("fieldset[data-dataset]").first.locator("[data-select-all]").check()
    await applicant.fill("textarea[name=abstract]", "Tugas akhir tentang pengeluaran rumah tangga miskin.")
    await applicant.click("form[action='/portal/new/check'] button")
    await applicant.set_input_files(
        "input[name=file]", {"name": "abstraksi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    await applicant.click("form[action='/portal/new'] button")
    await applicant.wait_for_load_state()
    case_id = applicant.url.split("/portal/cases/")[1].split("?")[0]
    await screenshot(applicant, "portal_case")

    officer = await _staff(browser, live_server, people, demo_accounts, "officer")
    await _act(officer, case_id, "completeness", {"complete": "true"})
    await officer.goto("/staff")
    assert case_id in await officer.content()
    await screenshot(officer, "inbox")
    await _act(officer, case_id, "abstract", {"decision": "approve"})
    offer = {"lines.0.item": "Susenas Maret 2025", "lines.0.tariff_code": "microdata", "lines.0.quantity": "1500000"}
    await _act(officer, case_id, "offer", offer, sample_document_id=b"id,umur\n1,30\n")
    await screenshot(officer, "case")

    await _portal(applicant, case_id, "sample", "sample_review")
    async with applicant.expect_download() as invoice_info:
        await applicant.click("text=invoice-")
    assert open(await (await invoice_info.value).path(), "rb").read().startswith(b"%PDF")
    await applicant.check(f"form[action='/portal/cases/{case_id}/actions/sample'] [name=accept][value=true]")
    await applicant.click(f"form[action='/portal/cases/{case_id}/actions/sample'] button")
    for _ in range(40):
        await applicant.goto(f"/portal/cases/{case_id}")
        if "Kode billing" in await applicant.content():
            break
        await applicant.wait_for_timeout(250)
    assert "Berlaku sampai" in await applicant.content()
    treasurer = await _staff(browser, live_server, people, demo_accounts, "treasurer")
    await _act(treasurer, case_id, "payment", {"method": "simponi", "ntpn": "AB12CD34EF56GH78"})

    await _portal(applicant, case_id, "sppd_signed", "sppd")
    await applicant.set_input_files(
        f"form[action='/portal/cases/{case_id}/actions/sppd_signed'] input[name=file]",
        {"name": "sppd.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    await applicant.click(f"form[action='/portal/cases/{case_id}/actions/sppd_signed'] button")
    await _act(officer, case_id, "signed_sppd", {"accept": "true"})
    await _act(treasurer, case_id, "receipt")
    await _act(officer, case_id, "delivery", document_id=b"PK\x03\x04susenas")

    await _portal(applicant, case_id, "rating", "support")
    async with applicant.expect_download() as download_info:
        await applicant.click("text=Unduh paket data")
    download = await download_info.value
    assert open(await download.path(), "rb").read() == b"PK\x03\x04susenas"
    rating = f"form[action='/portal/cases/{case_id}/actions/rating']"
    for element in range(9):  # the rating starts empty: every element is answered
        await applicant.check(f"{rating} [name='scores.{element}'][value='{2 if element == 2 else 4}']")
    await applicant.fill(f"{rating} textarea[name=feedback]", "Mohon dipercepat")
    await applicant.click(f"{rating} button")
    await applicant.wait_for_load_state()
    assert "Terima kasih atas penilaian Anda." in await applicant.content()
    await screenshot(applicant, "portal_done")

    stranger = await _staff(browser, live_server, people, demo_accounts, "officer", office="1906")
    response = await stranger.goto(f"/staff/cases/{case_id}")
    assert response is not None and response.status == 403


async def test_the_supervisor_sees_the_breach_badge_of_a_late_case(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Accounts,
    session_factory: SessionFactory,
) -> None:
    late = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        past = utcnow() - timedelta(days=3)
        values = {"step": "offer", "sla_state": "breached", "sla_deadline": past, "sla_warning_at": past}
        await session.execute(update(Case).where(Case.id == late.id).values(**values))

    supervisor = await _staff(browser, live_server, people, demo_accounts, "supervisor")
    await supervisor.goto("/staff")
    await supervisor.select_option("select[name=state]", "breached")
    await supervisor.click("form.inbox-filters button")
    await supervisor.wait_for_url("**/staff?*state=breached*")
    badge = supervisor.locator(f"tr:has(a[href='/staff/cases/{late.id}']) .badge-breached")
    assert "terlambat" in await badge.inner_text()
    await screenshot(supervisor, "inbox_breached")
    await supervisor.goto("/staff/dashboard")
    assert await supervisor.locator("svg.chart rect").count() >= 1
    await screenshot(supervisor, "dashboard")
