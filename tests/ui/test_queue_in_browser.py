"""In Chromium: three guests take numbers at the kiosk (one prints the ticket), the officer calls each in turn from
the queue at phone width, and the lobby's screen in another browser shows and says each call."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.ui.conftest import LiveServer, assert_accessible, screenshot, staff_page

# The lobby's voice, recorded instead of spoken (a test browser has no voices); what lobby.js asks it to say.
RECORD_SPEECH = """
window.__spoken = [];
(function () {
  function record(utterance) { window.__spoken.push({ text: utterance.text, lang: utterance.lang }); }
  if (window.speechSynthesis) {
    window.speechSynthesis.speak = record;
  } else {
    var voice = { speak: record, getVoices: function () { return []; } };
    Object.defineProperty(window, "speechSynthesis", { value: voice });
  }
  if (typeof window.SpeechSynthesisUtterance !== "function") {
    window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; };
  }
})();
"""
GUESTS = (("Ani Rahmawati", "0812 1111 2222"), ("Budi Santoso", "budi@example.com"), ("Citra Dewi", "0813 3333 4444"))


async def _browser(browser: Browser, server: LiveServer, people: list[BrowserContext], width: int, height: int) -> Page:
    context = await browser.new_context(
        base_url=server.base_url, viewport={"width": width, "height": height}, locale="id-ID"
    )
    context.set_default_timeout(15_000)
    people.append(context)
    return await context.new_page()


async def _no_sideways_scroll(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, page.url


async def _take_number(kiosk: Page, name: str, contact: str) -> str:
    await kiosk.goto("/desk/6302")
    await kiosk.get_by_label("Nama", exact=True).fill(name)
    await kiosk.get_by_label("Email atau nomor telepon").fill(contact)
    await kiosk.get_by_label("Keperluan").fill("Membeli data mikro Susenas")
    await kiosk.get_by_label("Layanan yang Anda perlukan").select_option("purchase")
    await kiosk.get_by_role("button", name="Ambil nomor antrean").click()
    await kiosk.wait_for_url("**/desk/6302/ticket/*")
    return (await kiosk.locator(".ticket-number").inner_text()).strip()


async def _print_shows_the_ticket_alone(kiosk: Page) -> None:
    await kiosk.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    await kiosk.get_by_role("button", name="Cetak tiket").click()
    assert await kiosk.evaluate("window.__printed") == 1
    await kiosk.emulate_media(media="print")
    for shown in (".ticket-number", ".ticket-office", ".ticket-facts"):
        assert await kiosk.locator(shown).is_visible(), shown
    for hidden in ("header.top", "footer", ".ticket-actions", "text=Cetak tiket"):
        assert not await kiosk.locator(hidden).first.is_visible(), hidden
    assert "pukul" in await kiosk.locator(".ticket-facts").inner_text()  # the time taken, in words
    await kiosk.emulate_media(media="screen")


async def test_the_queue_serves_three_guests_with_the_lobby_updating(
    browser: Browser, live_server: LiveServer, people: list[BrowserContext], demo_accounts: Any
) -> None:
    kiosk = await _browser(browser, live_server, people, 390, 844)
    await kiosk.goto("/desk/6302")
    await assert_accessible(kiosk, "walk-in-kiosk")
    await _no_sideways_scroll(kiosk)
    numbers = []
    for index, (name, contact) in enumerate(GUESTS):
        numbers.append(await _take_number(kiosk, name, contact))
        if index == 0:
            await expect(kiosk.locator(".ticket-facts")).to_contain_text("Pembelian data mikro/peta")
            await assert_accessible(kiosk, "walk-in-ticket")
            await _print_shows_the_ticket_alone(kiosk)

    tv = await _browser(browser, live_server, people, 1920, 1080)
    await tv.add_init_script(RECORD_SPEECH)
    await tv.goto("/lobby/6302")
    await expect(tv.locator(".next-up")).to_contain_text(numbers[0])
    await expect(tv.locator(".now-none")).to_be_visible()
    assert await tv.locator("header.top, nav").count() == 0  # no staff menu on a TV
    await assert_accessible(tv, "walk-in-lobby")

    officer = await staff_page(browser, live_server, people, demo_accounts, "officer", "6302", width=390)
    await officer.goto("/staff/queue")
    await officer.get_by_label("Loket Anda di komputer ini").select_option("Loket 2")
    await officer.get_by_role("button", name="Simpan loket").click()
    await expect(officer.get_by_role("button", name=f"Panggil ke Loket 2 {numbers[0]}")).to_be_visible()
    await expect(officer.locator("table.queue")).to_contain_text("menunggu")
    await assert_accessible(officer, "walk-in-queue")
    await _no_sideways_scroll(officer)

    for number in numbers:
        await officer.get_by_role("button", name=f"Panggil ke Loket 2 {number}").click()
        await expect(tv.locator(".now-number")).to_have_text(number, timeout=10_000)  # the board refreshes itself
        await expect(tv.locator(".now-counter")).to_have_text("Loket 2")
        if number == numbers[0]:
            await screenshot(tv, "walk-in-lobby-calling")
        await officer.get_by_role("button", name=f"Mulai layani {number}").click()
        await officer.get_by_role("button", name=f"Selesai {number}").click()
        await expect(officer.get_by_role("button", name=f"Selesai {number}")).to_have_count(0)

    await expect(tv.locator(".now-none")).to_be_visible(timeout=10_000)  # everyone served
    await expect(officer.locator("table.queue")).to_contain_text("Tidak ada tamu menunggu")
    spoken = await tv.evaluate("window.__spoken")
    said = [f"Nomor antrean {' '.join(number.replace('-', ''))}, silakan ke Loket 2" for number in numbers]
    assert spoken == [{"text": text, "lang": "id-ID"} for text in said]  # each call said once, in Indonesian
