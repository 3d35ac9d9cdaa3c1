"""In Chromium on a phone (390 px): an applicant picks variables (searching them) and a map's level from the office's
catalogue, sees the price estimate, submits; at sample review revises once with new items, and the officer's next
offer lists them. axe-core on every page of the way; the administrator's catalogue pages too."""

from __future__ import annotations

from playwright.async_api import Browser, BrowserContext, Page
from sqlalchemy import select

from core.case_details import sale_details
from core.db import SessionFactory
from core.models import CatalogueDataset, CatalogueMap
from core.seeding import DemoAccount
from tests.api.conftest import PDF
from tests.helpers import make_applicant, read_case_row
from tests.ui.conftest import LiveServer, assert_accessible, signed_in, staff_page
from tests.ui.test_sale_in_browser import _act, _portal

PHONE = 390
Accounts = dict[tuple[str, str], DemoAccount]


async def _rows(session_factory: SessionFactory) -> tuple[int, int, int]:
    async with session_factory() as session:
        datasets = {
            row.survey: row.id
            for row in await session.scalars(select(CatalogueDataset).where(CatalogueDataset.office_code == "6202"))
        }
        baamang = await session.scalar(
            select(CatalogueMap.id).where(CatalogueMap.office_code == "6202", CatalogueMap.area == "Kecamatan Baamang")
        )
    assert baamang is not None
    return datasets["Susenas Maret"], datasets["Sakernas Agustus"], baamang


async def _no_sideways_scroll(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


async def test_an_applicant_orders_from_the_catalogue_on_a_phone_and_revises_once_with_new_items(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Accounts,
    session_factory: SessionFactory,
) -> None:
    susenas, sakernas, baamang = await _rows(session_factory)
    email, password = await make_applicant(session_factory, email="katalog@example.com")
    applicant = await signed_in(browser, live_server, people, email, password, width=PHONE)

    await applicant.goto("/portal/new")
    await assert_accessible(applicant, "request_office_phone")
    await applicant.check("input[name=office][value='6202']")
    await applicant.click("form[action='/portal/new'] button")
    await applicant.wait_for_load_state()
    await assert_accessible(applicant, "request_form_phone")
    await _no_sideways_scroll(applicant)
    await applicant.click("form[action='/portal/new/check'] button")  # nothing chosen yet: said, and where
    await applicant.wait_for_load_state()
    assert await applicant.locator(".error-summary a[href='#items']").count() == 1
    assert await applicant.locator(".error-summary a[href='#abstract']").count() == 1
    await assert_accessible(applicant, "request_form_errors_phone")

    dataset = applicant.locator(f"fieldset[data-dataset]:has(#dataset-{susenas})")
    await dataset.locator("summary").click()
    await dataset.locator("input[type=search]").fill("umur")  # the search box narrows the list
    assert await dataset.locator(f"#var-{susenas}-R407").is_visible()
    assert not await dataset.locator(f"#var-{susenas}-R405").is_visible()
    await dataset.locator(f"#var-{susenas}-R407").check()
    await dataset.locator("input[type=search]").fill("")
    await dataset.locator(f"#var-{susenas}-R405").check()
    await applicant.select_option(f"#map-{baamang}", "desa")
    await applicant.fill("#abstract", "Skripsi tentang umur dan jenis kelamin pekerja di Kecamatan Baamang.")
    await applicant.click("form[action='/portal/new/check'] button")
    await applicant.wait_for_load_state()

    text = await applicant.inner_text("main")
    assert "Susenas Maret 2024 (level kabupaten) (variabel: R405, R407)" in text
    assert "Rp20.000" in text and "Rp70.000" in text and "Rp90.000" in text  # the estimate, as the invoice prices it
    await assert_accessible(applicant, "request_check_phone")
    await _no_sideways_scroll(applicant)
    await applicant.set_input_files(
        "input[name=file]", {"name": "abstraksi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    await applicant.click("form[action='/portal/new'] button")
    await applicant.wait_for_load_state()
    case_id = applicant.url.split("/portal/cases/")[1].split("?")[0]

    officer = await staff_page(browser, live_server, people, demo_accounts, "officer")
    await _act(officer, case_id, "completeness", {"complete": "true"})
    await _act(officer, case_id, "abstract", {"decision": "approve"})
    await _act(officer, case_id, "offer", sample_document_id=b"R405,R407\n1,30\n")  # drafted from the request

    await _portal(applicant, case_id, "sample", "sample_review")
    await applicant.click(f"a[href='/portal/cases/{case_id}/revision']")
    await applicant.wait_for_load_state()
    await assert_accessible(applicant, "revision_phone")
    await applicant.locator(f"#var-{susenas}-R405").uncheck()
    await applicant.locator(f"#var-{susenas}-R407").uncheck()
    await applicant.check(f"#dataset-{sakernas}")  # select all: the full set
    assert await applicant.locator(f"#var-{sakernas}-R25").is_checked()  # request_form.js ticked every variable
    await applicant.select_option(f"#map-{baamang}", "kecamatan")
    await applicant.fill("#revision", "Contoh Susenas tidak memuat upah; saya perlu Sakernas.")
    await applicant.click(f"form[action='/portal/cases/{case_id}/revision'] button")
    await applicant.wait_for_load_state()
    assert "Revisi permintaan terkirim" in await applicant.inner_text("main")

    await _act(officer, case_id, "offer", sample_document_id=b"DK4,R25\n1,2500000\n")
    details = sale_details(await read_case_row(session_factory, case_id))
    assert [line.item for line in details.fee_lines] == [
        "Data mikro Sakernas Agustus 2024 (level kabupaten) (seluruh variabel (fullset))",
        "Peta digital wilkerstat Kecamatan Baamang 2024 (per kecamatan)",
    ]
    assert details.fee == 20_000 + 16_000 + 30_000  # 1,8 MB of Sakernas: Rp20.000 + 800 × Rp20; a map by kecamatan

    # Then on as any sale: accept the sample, pay, the signed SPPD, the receipt, the data, the rating.
    sample_form = f"form[action='/portal/cases/{case_id}/actions/sample']"
    await _portal(applicant, case_id, "sample", "sample_review")
    await applicant.check(f"{sample_form} [name=accept][value=true]")
    await applicant.click(f"{sample_form} button")
    treasurer = await staff_page(browser, live_server, people, demo_accounts, "treasurer")
    await _act(treasurer, case_id, "payment", {"method": "simponi", "ntpn": "AB12CD34EF56GH78"})
    await _portal(applicant, case_id, "sppd_signed", "sppd")
    sppd_form = f"form[action='/portal/cases/{case_id}/actions/sppd_signed']"
    await applicant.set_input_files(
        f"{sppd_form} input[name=file]", {"name": "sppd.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    await applicant.click(f"{sppd_form} button")
    await _act(officer, case_id, "signed_sppd", {"accept": "true"})
    await _act(treasurer, case_id, "receipt")
    await _act(officer, case_id, "delivery", document_id=b"PK\x03\x04sakernas")
    await _portal(applicant, case_id, "rating", "support")
    async with applicant.expect_download() as download_info:
        await applicant.click("a[href^='/unduh/']")
    assert open(await (await download_info.value).path(), "rb").read() == b"PK\x03\x04sakernas"
    rating = f"form[action='/portal/cases/{case_id}/actions/rating']"
    for element in range(9):
        await applicant.check(f"{rating} input[name='scores.{element}'][value='4']")
    await applicant.click(f"{rating} button")
    await applicant.wait_for_load_state()
    assert "?done=" in applicant.url


async def test_the_administrators_catalogue_pages_work_on_a_phone(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], demo_accounts: Accounts
) -> None:
    admin = await staff_page(browser, live_server, people, demo_accounts, "administrator", width=PHONE)
    await admin.goto("/staff/admin")
    await admin.click("a[href='/staff/admin/catalogue']")
    await admin.wait_for_load_state()
    await assert_accessible(admin, "admin_catalogue_phone")
    await _no_sideways_scroll(admin)
    await admin.click("a[href='/staff/admin/catalogue/datasets/new']")
    await admin.fill("#admin-survey", "Survei Ubinan")
    await admin.fill("#admin-year", "2024")
    await admin.fill("#admin-level", "kabupaten")
    await admin.fill("#admin-size_bytes", "350000")
    await admin.fill("#admin-variables", "KOMODITAS Komoditas\nLUAS Luas panen")
    await admin.click("main form button")
    await admin.wait_for_load_state()
    assert "Survei Ubinan 2024 (level kabupaten)" in await admin.inner_text("main")
    await admin.goto("/staff/admin/catalogue/publications/new")
    await admin.click("main form button")
    await admin.wait_for_load_state()
    assert await admin.locator(".error-summary a[href='#admin-title']").count() == 1
    await assert_accessible(admin, "admin_catalogue_item_phone")
