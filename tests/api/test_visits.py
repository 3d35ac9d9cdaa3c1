"""The walk-in desk through its pages: the guest book and its ticket, the lobby's board, the officer's queue (the
wait in minutes, the counter, a second click refused), and cases opened for the guest being served."""

from __future__ import annotations

import asyncio
import html
import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from api.services import visits
from core.db import SessionFactory
from core.enums import SaleStep
from core.models import Case, OutboxMail, utcnow
from tests.api.conftest import form_csrf, ui_login
from tests.helpers import read_case_row


async def _take_number(
    api: httpx.AsyncClient, name: str, *, office: str = "6302", contact: str = "0811000000", service: str = "purchase"
) -> tuple[str, str]:
    """Take a number at the kiosk; the ticket's number and its page."""
    page = await api.get(f"/desk/{office}")
    taken = await api.post(
        f"/desk/{office}",
        data={"csrf": form_csrf(page.text), "name": name, "contact": contact, "purpose": "Membeli data mikro"}
        | {"service": service},
    )
    assert taken.status_code == 303, taken.text
    assert re.fullmatch(rf"/desk/{office}/ticket/visit-{office}-\d{{4}}-\d+", taken.headers["location"])
    ticket = (await api.get(taken.headers["location"])).text
    found = re.search(r'class="ticket-number">([A-Z]-\d{3})<', ticket)
    assert found is not None
    return found.group(1), ticket


async def _queue_ids(api: httpx.AsyncClient) -> list[str]:
    return re.findall(r'action="/staff/queue/([\w-]+)/advance"', (await api.get("/staff/queue")).text)


async def _advance(api: httpx.AsyncClient, case_id: str, step: str, key: str | None = None) -> httpx.Response:
    token = form_csrf((await api.get("/staff/queue")).text)
    form = {"csrf": token, "expected_step": step, "idempotency_key": key or str(uuid.uuid4())}
    return await api.post(f"/staff/queue/{case_id}/advance", data=form)


async def _sign_in(api: httpx.AsyncClient, demo_accounts: Any, office: str, role: str = "officer") -> None:
    account = demo_accounts[(office, role)]
    await ui_login(api, account.email, account.password)


async def _step(session_factory: SessionFactory, case_id: str, step: str) -> bool:
    for _ in range(100):
        if (await read_case_row(session_factory, case_id)).step == step:
            return True
        await asyncio.sleep(0.05)
    return False


async def _sla(session_factory: SessionFactory, case_id: str, state: str) -> bool:
    for _ in range(100):
        if (await read_case_row(session_factory, case_id)).sla_state == state:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_the_kiosk_gives_a_ticket_with_the_service_and_time_in_words(api: httpx.AsyncClient) -> None:
    first, ticket = await _take_number(api, "Ani", office="1906", service="publication")
    second, second_ticket = await _take_number(api, "Budi", office="1906", service="publication")

    assert int(second[2:]) == int(first[2:]) + 1 and first.startswith("U-")
    assert "BPS Kabupaten Belitung Timur" in ticket and "<dd>Publikasi</dd>" in ticket
    assert re.search(r"<dd>\d{1,2} [A-Z][a-z]+ 20\d\d pukul \d\d\.\d\d WIB</dd>", ticket)  # office time, in words
    assert "Tidak ada tamu lain yang menunggu sebelum Anda" in ticket
    assert "1 tamu menunggu sebelum Anda" in second_ticket
    assert "data-print hidden>Cetak tiket</button>" in ticket and '<script src="/static/ticket.js" defer>' in ticket
    assert 'class="menu"' not in ticket and "/login" not in ticket  # a kiosk leads nowhere else
    assert (await api.get("/desk/6302/ticket/" + "visit-1906-2026-999999")).status_code == 404


async def test_a_guest_book_refused_keeps_what_was_typed_and_says_what_to_fix_beside_each_field(
    api: httpx.AsyncClient,
) -> None:
    page = await api.get("/desk/6302")
    refused = await api.post(
        "/desk/6302",
        data={"csrf": form_csrf(page.text), "name": "Citra Lestari", "contact": "12", "purpose": "", "service": "x"},
    )

    assert refused.status_code == 422
    text = refused.text
    assert 'class="error-summary" role="alert"' in text and 'href="#guest-contact"' in text
    assert 'id="guest-contact-error"' in text and "Tulis nomor telepon (minimal 8 angka" in text
    assert 'aria-describedby="guest-contact-error" aria-invalid="true"' in text
    assert "Tuliskan keperluan Anda" in text and "Pilih layanan yang Anda perlukan dari daftar." in text
    assert 'value="Citra Lestari"' in text  # the guest's input is kept
    wrong_mail = await api.post(
        "/desk/6302",
        data={"csrf": form_csrf(page.text), "name": "Citra", "contact": "citra@", "purpose": "Konsultasi"}
        | {"service": "consultation"},
    )
    assert wrong_mail.status_code == 422 and "Tulis email yang benar" in wrong_mail.text


async def test_guests_queue_and_the_next_wait_starts_when_the_guest_ahead_finishes(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    first, _ = await _take_number(api, "Ani")
    second, _ = await _take_number(api, "Budi")
    lobby = await api.get("/lobby/6302")

    assert first in lobby.text and second in lobby.text and 'hx-trigger="every 3s"' in lobby.text
    assert "Belum ada nomor yang dipanggil" in lobby.text
    assert 'class="menu"' not in lobby.text and "<footer" not in lobby.text  # a TV: no staff menu

    await _sign_in(api, demo_accounts, "6302")
    first_id, second_id = await _queue_ids(api)
    assert await _sla(session_factory, first_id, "running")  # the desk was free
    assert (await read_case_row(session_factory, second_id)).sla_state == "not_started"  # someone is ahead
    for step in ("waiting", "called", "serving"):  # call, start, finish
        assert (await _advance(api, first_id, step)).status_code == 303

    assert (await read_case_row(session_factory, first_id)).step == "done"
    assert await _sla(session_factory, second_id, "running")  # counts from the previous guest's finish
    assert await _queue_ids(api) == [second_id]
    await _sign_in(api, demo_accounts, "1906")
    refused = await _advance(api, second_id, "waiting")
    assert refused.status_code == 403


async def test_the_queue_shows_each_guests_wait_in_minutes_and_the_limit_left(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    number, _ = await _take_number(api, "Dewi", office="3304", service="consultation")
    await _sign_in(api, demo_accounts, "3304")
    [case_id] = await _queue_ids(api)
    assert await _sla(session_factory, case_id, "running")
    async with session_factory() as session, session.begin():  # she took her number 7 minutes ago
        await session.execute(
            update(Case).where(Case.id == case_id).values(created_at=utcnow() - timedelta(minutes=7, seconds=5))
        )

    queue = (await api.get("/staff/queue")).text

    assert number in queue and "menunggu 7 menit" in queue
    assert re.search(r'<span class="badge badge-(on_track|warning)">(10|9) menit lagi</span>', queue)
    assert f'Panggil ke Loket 1<span class="visually-hidden"> {number}</span>' in queue
    assert 'name="expected_step" value="waiting"' in queue and 'data-label="Waktu tunggu"' in queue
    async with session_factory() as session, session.begin():  # the limit passed 3 minutes ago
        await session.execute(
            update(Case).where(Case.id == case_id).values(sla_deadline=utcnow() - timedelta(minutes=3, seconds=10))
        )
    late = (await api.get("/staff/queue")).text
    assert '<span class="badge badge-breached">terlambat 3 menit</span>' in late


async def test_a_second_click_on_a_button_is_refused_and_the_same_form_sent_again_acts_once(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    number, _ = await _take_number(api, "Eko", office="3304", service="library")
    await _sign_in(api, demo_accounts, "3304")
    [case_id] = await _queue_ids(api)
    key = str(uuid.uuid4())

    called = await _advance(api, case_id, "waiting", key)
    resent = await _advance(api, case_id, "waiting", key)  # the same form twice: one call
    other_tab = await _advance(api, case_id, "waiting")  # a page still showing "Panggil"

    assert called.status_code == 303 and resent.status_code == 303
    assert other_tab.status_code == 409
    assert "Tamu ini sudah dipanggil; muat ulang halaman." in html.unescape(other_tab.text)
    assert (await read_case_row(session_factory, case_id)).step == "called"


async def test_the_lobby_shows_and_announces_the_call_to_the_officers_counter(
    api: httpx.AsyncClient, demo_accounts: Any
) -> None:
    first, _ = await _take_number(api, "Fajar", office="1906", service="consultation")
    second, _ = await _take_number(api, "Gita", office="1906", service="consultation")
    await _sign_in(api, demo_accounts, "1906")
    token = form_csrf((await api.get("/staff/queue")).text)
    chosen = await api.post("/staff/queue/counter", data={"csrf": token, "counter": "Loket 3"})
    ignored = await api.post("/staff/queue/counter", data={"csrf": token, "counter": "Ruang rapat"})
    first_id, _second_id = await _queue_ids(api)

    queue = (await api.get("/staff/queue")).text
    await _advance(api, first_id, "waiting")
    board = (await api.get("/lobby/1906/board")).text

    assert chosen.status_code == 303 and ignored.status_code == 303
    assert '<option value="Loket 3" selected>Loket 3</option>' in queue and "Panggil ke Loket 3" in queue
    spelled = " ".join(first.replace("-", ""))
    assert re.search(rf'class="now-number" data-call="{first_id}" data-announce="Nomor antrean {spelled}, '
                     rf'silakan ke Loket 3">{first}</p>', board)  # fmt: skip
    assert '<p class="now-counter">Loket 3</p>' in board
    assert f"<li>{second}</li>" in board.split("Berikutnya")[1]  # next in line
    assert board.lstrip().startswith('<div id="board"') and "<html" not in board  # the fragment alone
    assert "dipanggil" in (await api.get("/staff/queue")).text


async def test_a_guest_being_served_opens_a_walk_in_sale_linked_both_ways(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    await _take_number(api, "Citra", office="3304", contact="citra@example.com")
    await _sign_in(api, demo_accounts, "3304")
    [visit_id] = await _queue_ids(api)
    token = form_csrf((await api.get("/staff/queue")).text)
    too_early = await api.post(f"/staff/queue/{visit_id}/sale", data={"csrf": token, "item": "Sakernas Agustus 2025"})
    for step in ("waiting", "called"):  # call, start serving
        await _advance(api, visit_id, step)

    empty = await api.post(f"/staff/queue/{visit_id}/sale", data={"csrf": token, "item": " "})
    opened = await api.post(f"/staff/queue/{visit_id}/sale", data={"csrf": token, "item": "Sakernas Agustus 2025"})
    twice = await api.post(f"/staff/queue/{visit_id}/sale", data={"csrf": token, "item": "Susenas Maret 2025"})

    assert empty.status_code == 422 and f'href="#sale-item-{visit_id}"' in empty.text
    assert 'aria-invalid="true"' in empty.text and "Tulis data mikro yang diminta tamu" in empty.text
    assert opened.status_code == 303 and opened.headers["location"].startswith("/staff/cases/sale-3304-")
    sale_id = opened.headers["location"].rsplit("/", 1)[1]
    sale = await read_case_row(session_factory, sale_id)
    visit = await read_case_row(session_factory, visit_id)
    assert sale.channel == "walk_in" and sale.details["visit_id"] == visit_id
    assert sale.applicant_email == "citra@example.com"
    assert visit.details["case_ids"] == [sale_id]
    assert sale_id in (await api.get("/staff/queue")).text
    assert too_early.status_code == 409 and "tidak sedang dilayani" in too_early.text
    assert twice.status_code == 409 and f"Penjualan untuk tamu ini sudah dibuka: {sale_id}" in twice.text


async def test_a_guest_who_left_only_a_phone_number_gets_a_walk_in_sale_and_no_mail(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    await _take_number(api, "Hasan", office="3304", contact="0812 3456 7890")
    await _sign_in(api, demo_accounts, "3304")
    [visit_id] = await _queue_ids(api)
    for step in ("waiting", "called"):
        await _advance(api, visit_id, step)
    queue = (await api.get("/staff/queue")).text
    assert "Tamu hanya meninggalkan nomor telepon" in queue and "0812 3456 7890" in queue

    opened = await api.post(
        f"/staff/queue/{visit_id}/sale", data={"csrf": form_csrf(queue), "item": "Susenas Maret 2025"}
    )
    assert opened.status_code == 303, opened.text
    sale_id = opened.headers["location"].rsplit("/", 1)[1]
    assert await _step(session_factory, sale_id, SaleStep.ABSTRACT_REVIEW)  # the workflow recorded the request
    page = await api.get(f"/staff/cases/{sale_id}")
    token = form_csrf(page.text)
    approved = await api.post(f"/staff/cases/{sale_id}/actions/abstract", data={"csrf": token, "decision": "approve"})
    signed = await api.post(f"/staff/cases/{sale_id}/actions/sppd", data={"csrf": token, "method": "on_site"})

    assert page.status_code == 200 and approved.status_code == 303 and signed.status_code == 303, signed.text
    sale = await read_case_row(session_factory, sale_id)
    assert sale.applicant_email == "" and sale.applicant_name == "Hasan" and sale.step == SaleStep.OFFER
    async with session_factory() as session:
        mails = (await session.scalars(select(OutboxMail.to_addr).where(OutboxMail.case_id == sale_id))).all()
    assert "" not in mails and all("@" in address for address in mails)  # only staff are written to


async def test_the_case_pages_step_button_names_the_step_it_expects_too(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    number, _ = await _take_number(api, "Indra", office="6302", service="library")
    await _sign_in(api, demo_accounts, "6302")
    [case_id] = await _queue_ids(api)
    page = (await api.get(f"/staff/cases/{case_id}")).text
    form = {"csrf": form_csrf(page), "expected_step": "waiting"}

    called = await api.post(f"/staff/cases/{case_id}/actions/advance", data=form)
    again = await api.post(f"/staff/cases/{case_id}/actions/advance", data=form)

    assert 'name="expected_step" value="waiting"' in page
    assert called.status_code == 303 and again.status_code == 409
    assert "Tamu ini sudah dipanggil; muat ulang halaman." in html.unescape(again.text)
    assert (await read_case_row(session_factory, case_id)).step == "called"


async def test_an_open_queue_page_learns_that_a_guest_arrived_without_redrawing(
    api: httpx.AsyncClient, demo_accounts: Any
) -> None:
    await _take_number(api, "Joko", office="1906", service="library")
    await _sign_in(api, demo_accounts, "1906")
    queue = (await api.get("/staff/queue")).text
    found = re.search(r'hx-get="(/staff/queue/news\?seen=\w+)" hx-trigger="every 15s"', queue)
    assert found is not None and '<div role="status">' in queue

    unchanged = (await api.get(found.group(1))).text
    await _take_number(api, "Kartika", office="1906", service="library")
    changed = (await api.get(found.group(1))).text

    assert found.group(1) in unchanged and "Antrean berubah" not in unchanged  # asks again later
    assert "Antrean berubah" in changed and 'href="/staff/queue">Muat ulang antrean</a>' in changed
    assert "hx-get" not in changed  # said once; the officer reloads when ready


async def test_a_guest_not_served_by_close_of_business_leaves_the_queue_and_reads_not_served(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the office "closes" two seconds after the guest registers (the real moment is its close of business that day)
    monkeypatch.setattr(visits, "closes_at_for", lambda calendar, registered: registered + timedelta(seconds=2))
    await _sign_in(api, demo_accounts, "3304")
    before = set(await _queue_ids(api))
    await _take_number(api, "Oki", office="3304", service="consultation")
    [case_id] = set(await _queue_ids(api)) - before

    assert await _step(session_factory, case_id, "not_served") or await _step(session_factory, case_id, "not_served")

    assert case_id not in (await api.get("/staff/queue")).text
    row = await read_case_row(session_factory, case_id)
    assert (row.status, row.assignee_role) == ("cancelled", None)
    timeline = html.unescape((await api.get(f"/staff/cases/{case_id}")).text)
    assert "Tidak dilayani: layanan kantor tutup sebelum tamu dilayani" in timeline
    ticket = html.unescape((await api.get(f"/desk/3304/ticket/{case_id}")).text)
    assert "nomor ini tidak berlaku lagi" in ticket and "Perhatikan layar antrean" not in ticket
