"""The applicant's side in Chromium at phone width: every portal and account page passes axe-core and fits 390 px
(and 1280 px); a private company with a bad NPWP sees why beside the field; an applicant abroad pays by transfer
(the proof upload, no billing code); in English no Indonesian is left on the portal's pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page
from sqlalchemy import select, update
from temporalio.testing import WorkflowEnvironment

from api.services.cases import allocate_case_id
from api.services.password_reset import RESET_PURPOSE
from api.services.sales import start_sale_workflow
from core.db import SessionFactory
from core.enums import CaseStatus, Channel, PaymentMethod, PaymentStatus, SaleStep, Service, SlaState
from core.models import Applicant, Case, Office, Payment, utcnow
from core.reference import OFFICES
from core.security import password_stamp, sign_token
from core.seeding import DemoAccount
from tests.api.conftest import PDF
from tests.conftest import TEST_SECRET
from tests.helpers import make_applicant, store_sale
from tests.ui.conftest import PAGE_TIMEOUT_MS, LiveServer, assert_accessible, screenshot, signed_in, staff_page
from tests.ui.test_sale_in_browser import _act

PHONE = 390
DEADLINE = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


async def _applicant(session_factory: SessionFactory, email: str, *, abroad: bool = False) -> tuple[str, str, int]:
    login = await make_applicant(session_factory, email=email, abroad=abroad)
    async with session_factory() as session:
        found = await session.scalar(select(Applicant.id).where(Applicant.email == email))
    assert found is not None
    return (*login, found)


async def _case_at(session_factory: SessionFactory, applicant_id: int, email: str, step: str, **details: Any) -> str:
    """A sale of the applicant at ``step`` as the read model holds it (the portal reads only the database)."""
    async with session_factory() as session, session.begin():
        office = await session.get(Office, "6202")
        assert office is not None
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=Service.SALE, now=utcnow()),
            service=Service.SALE,
            office_code="6202",
            channel=Channel.ONLINE,
            applicant_name="Siti Aminah",
            applicant_email=email,
            applicant_id=applicant_id,
            segment="individual",
            details={"items": [{"kind": "microdata", "name": "Susenas Maret 2025"}], "fee": 1_250_000, **details},
            step=step,
            status=CaseStatus.OPEN,
            sla_state=SlaState.RUNNING,
            sla_deadline=DEADLINE,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        session.add(case)
        if step == SaleStep.PAYMENT and not details.get("abroad"):
            session.add(
                Payment(
                    case_id=case.id,
                    method=PaymentMethod.SIMPONI,
                    amount=1_250_000,
                    status=PaymentStatus.PENDING,
                    billing_code=f"82026{applicant_id:010d}",
                    expires_at=DEADLINE + timedelta(days=2),
                )
            )
    return case.id


async def _context(browser: Browser, server: LiveServer, people: list[BrowserContext], width: int) -> Page:
    context = await browser.new_context(base_url=server.base_url, viewport={"width": width, "height": 800})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    people.append(context)
    return await context.new_page()


async def _check(page: Page, path: str, name: str) -> None:
    response = await page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response.status if response else '-'}"
    await assert_accessible(page, f"a11y_portal_{name}")
    width = page.viewport_size["width"] if page.viewport_size else 0
    if width == PHONE:
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a phone"


def _reset_path(applicant_id: int, password_hash: str) -> str:
    subject = f"{applicant_id}:{password_stamp(password_hash)}"
    return f"/akun/atur-kata-sandi?token={sign_token(TEST_SECRET, RESET_PURPOSE, subject, utcnow())}"


async def _portal_pages(session_factory: SessionFactory, suffix: str) -> tuple[str, str, list[tuple[str, str]]]:
    """An applicant with a sale at each step they act in or wait on; the portal's paths to visit."""
    email, password, applicant_id = await _applicant(session_factory, f"halaman.{suffix}@example.com")
    steps = {
        "completeness": ({}, SaleStep.COMPLETENESS),
        "sample_review": ({}, SaleStep.SAMPLE_REVIEW),
        "payment_home": ({}, SaleStep.PAYMENT),
        "payment_abroad": ({"abroad": True}, SaleStep.PAYMENT),
        "sppd": ({}, SaleStep.SPPD),
        "support": ({}, SaleStep.SUPPORT),
    }
    paths = [("/portal", "home"), ("/portal/new-recommendation", "recommendation"), ("/portal/complaint", "complaint")]
    for name, (details, step) in steps.items():
        case_id = await _case_at(session_factory, applicant_id, email, step, **details)
        paths.append((f"/portal/cases/{case_id}", f"case_{name}"))
    return email, password, paths


@pytest.mark.parametrize("width", [1280, PHONE])
async def test_every_portal_and_account_page_passes_axe_and_fits_a_phone(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], session_factory: SessionFactory, width: int
) -> None:
    suffix = "phone" if width == PHONE else "desk"
    email, password, paths = await _portal_pages(session_factory, suffix)
    async with session_factory() as session:
        account = await session.scalar(select(Applicant).where(Applicant.email == email))
    assert account is not None

    visitor = await _context(browser, live_server, people, width)
    for path, name in [
        ("/register", "register"),
        ("/login", "login"),
        ("/akun/verifikasi-ulang", "resend"),
        ("/akun/lupa-kata-sandi", "forgot"),
        (_reset_path(account.id, account.password_hash), "set_password"),
        ("/akun/atur-kata-sandi?token=rusak", "set_password_broken"),
        ("/verify-email?token=rusak", "verify_failed"),
    ]:
        await _check(visitor, path, f"{name}_{suffix}")
    await visitor.goto("/register")
    await visitor.click("form[action='/register'] button")
    await visitor.wait_for_load_state()
    await assert_accessible(visitor, f"a11y_portal_register_errors_{suffix}")

    applicant = await signed_in(browser, live_server, people, email, password, width=width)
    for path, name in paths:
        await _check(applicant, path, f"{name}_{suffix}")
    support = next(path for path, name in paths if name == "case_support")
    await applicant.goto(support)
    await applicant.click(f"form[action='{support}/actions/rating'] button")
    await applicant.wait_for_load_state()
    await assert_accessible(applicant, f"a11y_portal_rating_errors_{suffix}")
    assert await applicant.locator(".rating-element .field-error").count() == 9


async def test_a_private_company_registers_with_a_bad_npwp_and_sees_why(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], session_factory: SessionFactory
) -> None:
    page = await _context(browser, live_server, people, PHONE)
    await page.goto("/register")
    await page.fill("#name", "PT Sumber Data Sejahtera")
    await page.fill("#email", "data@sumberdata.co.id")
    await page.fill("#password", "kata-sandi-yang-panjang")
    await page.fill("#institution", "PT Sumber Data Sejahtera")
    await page.select_option("#segment", "private")
    await page.fill("#npwp", "12.345.678")
    await page.click("form[action='/register'] button")
    await page.wait_for_load_state()

    error = page.locator("#npwp-error")
    assert await error.is_visible() and "NPWP tidak valid" in await error.inner_text()
    assert (
        await page.input_value("#npwp") == "12.345.678"
        and await page.input_value("#name") == "PT Sumber Data Sejahtera"
    )
    assert await page.input_value("#segment") == "private" and await page.input_value("#password") == ""
    await page.click(".error-summary a[href='#npwp']")
    assert await page.evaluate("document.activeElement.id") == "npwp"
    await screenshot(page, "portal_register_npwp_phone")

    await page.fill("#npwp", "01.312.166.0-091.000")
    await page.fill("#password", "kata-sandi-yang-panjang")
    await page.click("form[action='/register'] button")
    await page.wait_for_load_state()
    assert "Periksa email Anda" in await page.content()


async def test_an_applicant_abroad_pays_by_transfer_with_a_proof_and_sees_no_billing_code(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: dict[tuple[str, str], DemoAccount],
    session_factory: SessionFactory,
    dev_env: WorkflowEnvironment,
) -> None:
    email, password, applicant_id = await _applicant(session_factory, "overseas@example.com", abroad=True)
    case = await store_sale(session_factory, abroad=True)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Case).where(Case.id == case.id).values(applicant_id=applicant_id, applicant_email=email)
        )
    async with session_factory() as session:
        stored = await session.get(Case, case.id)
        assert stored is not None
        await start_sale_workflow(session=session, temporal=dev_env.client, settings=live_server.settings, case=stored)
    applicant = await signed_in(browser, live_server, people, email, password, width=PHONE)
    case_path = f"/portal/cases/{case.id}"

    await _upload(applicant, case_path, "abstract")
    officer = await staff_page(browser, live_server, people, demo_accounts, "officer")
    await _act(officer, case.id, "completeness", {"complete": "true"})
    await _act(officer, case.id, "abstract", {"decision": "approve"})
    offer = {"lines.0.item": "Susenas Maret 2025", "lines.0.tariff_code": "microdata", "lines.0.quantity": "1"}
    await _act(officer, case.id, "offer", offer, sample_document_id=b"id,umur\n1,30\n")
    await _until(applicant, case_path, f"form[action='{case_path}/actions/sample']")
    await applicant.check(f"form[action='{case_path}/actions/sample'] [name=accept][value=true]")
    await applicant.click(f"form[action='{case_path}/actions/sample'] button")
    await applicant.wait_for_load_state()

    await _until(applicant, case_path, f"form[action='{case_path}/actions/transfer_proof']")
    text = await applicant.inner_text("main")
    assert "Kode billing" not in text and "SIMPONI" not in text
    assert "BRINIDJA" in text and "Bendahara Penerimaan BPS Kabupaten Kotawaringin Timur" in text
    await screenshot(applicant, "portal_transfer_phone")
    await _upload(applicant, case_path, "transfer_proof")
    assert "Dokumen terkirim." in await applicant.content()
    await _until(applicant, case_path, "text=sedang diperiksa bendahara")
    assert await applicant.locator(f"form[action='{case_path}/actions/transfer_proof']").count() == 0
    treasurer = await staff_page(browser, live_server, people, demo_accounts, "treasurer")
    await _act(treasurer, case.id, "transfer", {"accept": "true"})
    await _until(applicant, case_path, f"form[action='{case_path}/actions/sppd_signed']")
    assert "Jl. A.Yani No.5, Sampit" in await applicant.inner_text("main")  # where to post the SPPD


async def _until(page: Page, path: str, selector: str) -> None:
    for _ in range(40):
        await page.goto(path)
        if await page.locator(selector).count():
            return
        await page.wait_for_timeout(250)
    raise AssertionError(f"{selector} never on {path}: {await page.inner_text('main')}")


async def _upload(page: Page, case_path: str, kind: str) -> None:
    form = f"form[action='{case_path}/actions/{kind}']"
    await _until(page, case_path, form)
    await page.set_input_files(
        f"{form} input[name=file]", {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    await page.click(f"{form} button")
    await page.wait_for_load_state()
    assert "?done=" in page.url, await page.inner_text("main")


# Common Indonesian words that never appear in English text (people's and offices' names are taken out first).
INDONESIAN = re.compile(
    r"\b(dan|yang|untuk|dengan|atau|tidak|belum|sudah|permintaan|tenggat|pemohon|unggah|kirim|masuk|daftar|"
    r"kata sandi|kantor|layanan|tahap|langkah|riwayat|dokumen|petugas|bayar|berlaku|sampai|pukul|diajukan|"
    r"ajukan|sampaikan|pengaduan|kegiatan|isi|pilih|lupa|tautan|baru|akun|anda|kami|ini|itu|di|ke|dari)\b",
    re.IGNORECASE,
)


def _indonesian_words(text: str) -> list[str]:
    for office in OFFICES:  # offices' data is written as the office publishes it
        for value in (office["name"], office["address"], office.get("bank_account_holder", "")):
            text = text.replace(value, " ")
    text = re.sub(
        r"Bahasa Indonesia|Siti Aminah|Susenas Maret 2025|Bank Rakyat Indonesia|Badan Pusat Statistik", " ", text
    )
    text = re.sub(r"\S*/\S*", " ", text)  # a link's address (/akun/verifikasi-ulang) is no sentence
    return sorted({match.group(0).lower() for match in INDONESIAN.finditer(text)})


async def test_the_english_switch_leaves_no_indonesian_on_the_portal(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    session_factory: SessionFactory,
) -> None:
    email, password, paths = await _portal_pages(session_factory, "english")
    visitor = await _context(browser, live_server, people, PHONE)
    await visitor.goto("/lang/en?next=/register")
    account_pages = ["/register", "/login", "/akun/verifikasi-ulang", "/akun/lupa-kata-sandi", "/verify-email?token=x"]
    found: dict[str, list[str]] = {}
    for path in account_pages:
        await visitor.goto(path)
        words = _indonesian_words(await visitor.inner_text("main"))
        if words:
            found[path] = words
    applicant = await signed_in(browser, live_server, people, email, password, width=PHONE)
    await applicant.goto("/lang/en?next=/portal")
    for path, _name in paths:
        await applicant.goto(path)
        await applicant.evaluate("document.querySelectorAll('.timeline .note').forEach(n => n.remove())")
        words = _indonesian_words(await applicant.inner_text("main"))
        if words:
            found[path] = words
    await screenshot(applicant, "portal_case_english_phone")
    assert not found, found
