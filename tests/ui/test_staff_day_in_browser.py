"""In Chromium, a walk-in sale worked from the case page alone: the officer decides from the facts on the page
(a refused decision keeps its input; the offer is drafted from the request and its total checked before it goes
out; a double click acts once), the treasurer records the cash payment and issues the receipt, the officer
delivers; every page passes axe-core and fits a phone."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, BrowserContext, Page
from sqlalchemy import func, select

from core.db import SessionFactory
from core.enums import SaleStep
from core.models import AuditEntry
from tests.helpers import read_case_row, start_sale, wait_for_step
from tests.ui.conftest import LiveServer, assert_accessible, screenshot, staff_page

ITEMS = [{"kind": "microdata", "name": "Susenas Maret 2025"}, {"kind": "map", "name": "Sampit", "level": "desa"}]


def _form(case_id: str, action: str) -> str:
    return f"form[action='/staff/cases/{case_id}/actions/{action}']"


async def _open_with(page: Page, case_id: str, action: str) -> None:
    """The case page, once the action's form is offered (the workflow moves the case a moment after a step)."""
    for _ in range(60):
        await page.goto(f"/staff/cases/{case_id}")
        if await page.locator(_form(case_id, action)).count():
            return
        await page.wait_for_timeout(250)
    raise AssertionError(f"{action} never offered on {case_id}")


async def _submit(page: Page, case_id: str, action: str) -> None:
    await page.locator(f"{_form(case_id, action)} button").click()
    await page.wait_for_load_state()


async def _overflow(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


async def _offers_sent(session_factory: SessionFactory, case_id: str) -> int:
    async with session_factory() as session:
        query = select(func.count()).where(AuditEntry.case_id == case_id, AuditEntry.action.like("offer%"))
        return int(await session.scalar(query) or 0)


async def test_a_walk_in_sale_is_worked_from_the_case_page_alone(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Any,
    session_factory: SessionFactory,
    dev_env: Any,
) -> None:
    case = await start_sale(
        session_factory, dev_env.client, live_server.settings, channel="walk_in", items=ITEMS, institution="UPR"
    )
    await wait_for_step(dev_env.client, case.id, SaleStep.ABSTRACT_REVIEW)
    officer = await staff_page(browser, live_server, people, demo_accounts, "officer")

    # The facts the decision rests on are on the page.
    await _open_with(officer, case.id, "abstract")
    facts = await officer.locator("main").inner_text()
    for fact in ("Siti Aminah", "UPR", "Perorangan / mahasiswa", "Data mikro Susenas Maret 2025", "Sampit (per desa)"):
        assert fact in facts, fact
    assert "Tenggat" in facts and "hari kerja" in facts and "Datang langsung ke PST" in facts
    assert "Temporal UI" not in facts and "walk_in" not in facts and "abstract_review" not in facts
    await assert_accessible(officer, "case_abstract_review")

    # A refused decision comes back with the message beside the field and the choice kept.
    await officer.check(f"{_form(case.id, 'abstract')} [name=decision][value=reject]")
    await _submit(officer, case.id, "abstract")
    reason = officer.locator(f"{_form(case.id, 'abstract')} textarea[name=reason]")
    assert await reason.get_attribute("aria-describedby") == "abstract-reason-error"
    assert "Tulis alasan" in await officer.locator("#abstract-reason-error").inner_text()
    assert await officer.locator(f"{_form(case.id, 'abstract')} [name=decision][value=reject]").is_checked()
    await assert_accessible(officer, "case_refused_decision")
    await officer.check(f"{_form(case.id, 'abstract')} [name=decision][value=approve]")
    await _submit(officer, case.id, "abstract")
    assert "done=1" in officer.url
    saved = await officer.locator(".notice").inner_text()
    assert saved.startswith("Tersimpan. Tahap sekarang:") and "True" not in saved

    # At the desk the SPPD is signed on the spot: no postal fields are offered.
    await _open_with(officer, case.id, "sppd")
    assert await officer.locator(f"{_form(case.id, 'sppd')} [name=tracking_number]").count() == 0
    await _submit(officer, case.id, "sppd")

    # The offer is drafted from the request; its total is shown before it goes out; a double click sends it once.
    await _open_with(officer, case.id, "offer")
    offer = _form(case.id, "offer")
    assert "Susenas Maret 2025" in await officer.locator(f"{offer} [name='lines.0.item']").input_value()
    assert await officer.locator(f"{offer} [name='lines.0.tariff_code']").input_value() == "microdata"
    assert await officer.locator(f"{offer} [name='lines.1.tariff_code']").input_value() == "map_regency_desa"
    assert await officer.locator(f"{offer} [name='lines.1.quantity']").input_value() == "1"
    await officer.fill(f"{offer} [name='lines.0.quantity']", "1500000")
    await _submit(officer, case.id, "offer")
    confirm = officer.locator(".confirm")
    assert "Rp100.000" in await confirm.inner_text()  # Rp30.000 for the dataset, Rp70.000 for the map
    assert (await read_case_row(session_factory, case.id)).step == SaleStep.OFFER  # nothing sent yet
    await assert_accessible(officer, "case_offer_check")
    await officer.locator(".confirm button[name=confirmed]").dblclick()
    await officer.wait_for_load_state()
    await wait_for_step(dev_env.client, case.id, SaleStep.PAYMENT)
    assert await _offers_sent(session_factory, case.id) == 1

    # The treasurer records the cash and issues the receipt.
    treasurer = await staff_page(browser, live_server, people, demo_accounts, "treasurer")
    await _open_with(treasurer, case.id, "payment")
    await treasurer.check(f"{_form(case.id, 'payment')} [name=method][value=cash]")
    await _submit(treasurer, case.id, "payment")
    await _open_with(treasurer, case.id, "receipt")
    await assert_accessible(treasurer, "case_receipt")
    await _submit(treasurer, case.id, "receipt")
    await wait_for_step(dev_env.client, case.id, SaleStep.DELIVERY)

    # The officer delivers; payments, receipt and the download link are on the page.
    await _open_with(officer, case.id, "delivery")
    money = await officer.locator("main").inner_text()
    assert "Tunai di kantor" in money and "Rp100.000" in money and "Lunas" in money and "Kuitansi" in money
    await officer.locator(f"{_form(case.id, 'delivery')} input[name=document_id]").set_input_files(
        {"name": "susenas.zip", "mimeType": "application/zip", "buffer": b"PK\x03\x04susenas"}
    )
    await _submit(officer, case.id, "delivery")
    await wait_for_step(dev_env.client, case.id, SaleStep.SUPPORT)
    await officer.goto(f"/staff/cases/{case.id}")
    delivered = await officer.locator("main").inner_text()
    assert "Tautan unduhan" in delivered and "0 dari" in delivered and "Data dikirim" in delivered
    timeline = await officer.locator(".timeline").inner_text()
    assert "Siti Aminah (pemohon)" in timeline and "Demo treasurer 6202 (Bendahara)" in timeline
    assert "Menunggu pembayaran" in timeline and "payment" not in timeline and "sppd" not in timeline
    await screenshot(officer, "case_delivered")

    await officer.set_viewport_size({"width": 390, "height": 844})
    await officer.goto(f"/staff/cases/{case.id}")
    assert await _overflow(officer) <= 1
    await assert_accessible(officer, "phone_case_delivered")
