"""In Chromium, the officer's Rp0 offer: the form shows the institution matched to the applicant and its earlier
grant, and a second Rp0 for the same map is refused beside the Rp0 field, naming the first grant, with the input
kept; both pages pass axe-core."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, BrowserContext
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.institutions import record_grants, resolve_institution
from core.models import StaffAccount
from core.people import staff_ref
from tests.api.conftest import PDF
from tests.helpers import approved_sale, read_case_row
from tests.ui.conftest import LiveServer, assert_accessible, staff_page
from tests.ui.test_staff_day_in_browser import _form, _open_with, _submit

MAP = [{"kind": "map", "name": "Sampit", "level": "desa"}]


async def test_a_second_rp0_for_the_same_map_is_refused_beside_the_field_naming_the_first(
    browser: Browser,
    live_server: LiveServer,
    people: list[BrowserContext],
    demo_accounts: Any,
    dev_env: WorkflowEnvironment,
    session_factory: SessionFactory,
) -> None:
    government = {"segment": "government", "items": MAP}
    first = await approved_sale(
        session_factory, dev_env.client, live_server.settings, institution="Bappeda Belitung Timur", **government
    )
    second = await approved_sale(
        session_factory, dev_env.client, live_server.settings, institution="Bappeda Kab. Belitung Timur", **government
    )
    async with session_factory() as session, session.begin():
        institution = await resolve_institution(session, name="Bappeda Belitung Timur", segment="government")
        assert institution is not None
        officer_id = await session.scalar(
            select(StaffAccount.id).where(StaffAccount.email == demo_accounts[("6202", "officer")].email)
        )
        assert officer_id is not None
        await record_grants(
            session,
            case_id=first.id,
            institution_id=institution.id,
            datasets=["Sampit (per desa)"],
            granted_by=staff_ref(officer_id),
        )
    officer = await staff_page(browser, live_server, people, demo_accounts, "officer")

    await _open_with(officer, second.id, "offer")
    offer = _form(second.id, "offer")
    shown = await officer.locator(f"{offer} fieldset.zero-rupiah").inner_text()
    assert "Bappeda Belitung Timur" in shown and "Instansi pemerintah" in shown
    assert f"permintaan {first.id}" in shown and "Demo officer 6202" in shown  # the earlier grant, before deciding
    await assert_accessible(officer, "case_offer_rp0")

    await officer.fill(f"{offer} [name='lines.0.item']", "Sampit (per desa)")
    await officer.set_input_files(
        f"{offer} [name=request_letter_document_id]",
        files=[{"name": "surat-permohonan.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    await officer.check(f"{offer} [name=zero_rupiah]")
    await _submit(officer, second.id, "offer")

    beside = await officer.locator("#offer-zero_rupiah-error").inner_text()
    assert f"permintaan {first.id}" in beside and "Demo officer 6202" in beside and "sekali per instansi" in beside
    assert await officer.locator(f"{offer} [name=zero_rupiah]").get_attribute("aria-describedby") == (
        "offer-zero_rupiah-error"
    )
    assert await officer.locator(f"{offer} [name=zero_rupiah]").is_checked()  # the input is kept
    assert await officer.locator(f"{offer} .error-summary a[href='#offer-zero_rupiah']").count() == 1
    await assert_accessible(officer, "case_offer_rp0_refused")
    assert (await read_case_row(session_factory, second.id)).step == "offer"
