"""With the English switch on, every staff page reads in English from the message catalogs alone: the regex
translator over the rendered HTML is bypassed, and a detector of common Indonesian words finds none in the text a
person sees (headings, labels, buttons, badges, the timeline, the chrome), people's and offices' own data aside."""

from __future__ import annotations

import html
import os
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.enums import ComplaintStep, RecommendationStep, Role, SaleStep, Service
from core.models import StaffAccount, SurveyResponse
from tests.api.conftest import confirmation, form_csrf, submit_online, ui_login
from tests.api.test_recommendations_api import FS3
from tests.helpers import TokenAuth, store_case, wait_for_step

# Words any Indonesian sentence of these pages would carry; none of them is an English word.
INDONESIAN = frozenset(
    """dan yang untuk permintaan tenggat pemohon belum unggah kirim tidak dengan sudah menunggu layanan petugas
    tahap kotak tugas simpan pilih catat kantor tamu antrean pengaduan laporan kerja dari oleh pada ini atau akun
    sandi ubah hapus tanggal keterangan nomor selesai diterima masuk keluar lagi dikirim bila jika sebelum setelah
    sampai anda halaman tindakan riwayat dokumen pembayaran kuitansi tautan unduhan dasbor bulanan terbuka tepat
    waktu peran aktif nonaktif kelola lengkap sesuai alasan keputusan terima tolak catatan hasil pemeriksa
    ditugaskan diserahkan kepada serahkan loket panggil dilayani berikutnya sekarang kesalahan periksa ringkasan
    kanal segmen instansi kontak diminta abstraksi penawaran jumlah biaya tarif halaman baik unsur
    persyaratan pelapor blok variabel pembelian konsultasi""".split()
)
SKIPPED_ELEMENTS = frozenset({"script", "style", "pre", "blockquote"})
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "data-label")


class _VisibleText(HTMLParser):
    """The text a person sees or hears on a page: text nodes and the attributes read aloud or shown on phones."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self._skipping += 1
        self.parts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def indonesian_in(page: str, data: tuple[str, ...] = ()) -> list[str]:
    """The Indonesian words of ``page``'s visible text, leaving out ``data`` (names, items, office data)."""
    reader = _VisibleText()
    reader.feed(page)
    text = " ".join(reader.parts)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    found = sorted({word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in INDONESIAN})
    if found and os.environ.get("PST_SHOW_INDONESIAN"):  # where they are, when looking for them
        for word in found:
            for hit in re.finditer(rf"\b{word}\b", text):
                print(word, "·", " ".join(text[max(0, hit.start() - 60) : hit.end() + 60].split()))  # noqa: T201
    return found


def test_the_detector_finds_indonesian_and_passes_english() -> None:
    assert indonesian_in("<h1>Kotak tugas</h1><p>Belum ada dokumen.</p>") == ["Belum", "Kotak", "dokumen", "tugas"]
    assert indonesian_in('<td data-label="Tenggat">3 working days left</td>') == ["Tenggat"]
    assert indonesian_in("<h1>Inbox</h1><blockquote>Untuk skripsi</blockquote>", ("Siti",)) == []


@pytest.fixture
def english(api: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client with the English switch on."""
    api.cookies.set("lang", "en")
    return api


async def _sign_in(api: httpx.AsyncClient, demo_accounts: Any, role: str, office: str = "6202") -> None:
    account = demo_accounts[(office, role)]
    signed_in = await ui_login(api, account.email, account.password)
    assert signed_in.status_code == 303, signed_in.text
    api.cookies.set("lang", "en")


async def _page(api: httpx.AsyncClient, path: str, status: int = 200) -> str:
    response = await api.get(path, headers={"accept": "text/html"})
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    assert '<html lang="en">' in response.text, path
    return response.text


async def _staff_names(session_factory: SessionFactory) -> tuple[str, ...]:
    async with session_factory() as session:
        return tuple((await session.scalars(select(StaffAccount.name))).all())


async def test_a_sale_in_a_few_steps_reads_in_english_on_the_staff_side(
    english: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    api = english
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    await _sign_in(api, demo_accounts, "officer")
    people = await _staff_names(session_factory)
    data = (*people, "Susenas Maret 2025", "Sampit", "Siti Aminah", "abstrak.pdf")

    inbox = await _page(api, "/staff")
    assert "Inbox" in inbox and case_id in inbox and "not started" in inbox
    assert indonesian_in(inbox, data) == []

    first = await _page(api, f"/staff/cases/{case_id}")
    assert "Completeness check" in first and "Your actions" in first and "Send" in first
    assert indonesian_in(first, data) == []

    token = form_csrf(first)
    done = await api.post(f"/staff/cases/{case_id}/actions/completeness", data={"csrf": token, "complete": "true"})
    assert done.status_code == 303, done.text
    await wait_for_step(dev_env.client, case_id, SaleStep.ABSTRACT_REVIEW)
    refused = await api.post(f"/staff/cases/{case_id}/actions/abstract", data={"csrf": token, "decision": "reject"})
    assert refused.status_code == 422 and "Write why the abstract is not suitable" in refused.text
    assert indonesian_in(refused.text, data) == []
    approved = await api.post(f"/staff/cases/{case_id}/actions/abstract", data={"csrf": token, "decision": "approve"})
    assert approved.status_code == 303, approved.text
    await wait_for_step(dev_env.client, case_id, SaleStep.OFFER)

    later = await _page(api, f"/staff/cases/{case_id}?done=1")
    assert "Saved." in later and "Current step: Preparing sample data, invoice and SPPD." in later
    assert "Item (dataset, map or publication)" in later and "Rp0 sale (zero rupiah)" in later  # the offer form
    timeline = later[later.index('id="timeline-title"') :]
    assert "History" in timeline and timeline.count("<li>") >= 3
    assert indonesian_in(later, data) == []

    lines = {"lines.0.item": "Susenas Maret 2025", "lines.0.tariff_code": "microdata", "lines.0.quantity": "1500000"}
    sample = {"sample_document_id": ("contoh.csv", b"id,umur\n1,30\n")}
    offered = await api.post(f"/staff/cases/{case_id}/actions/offer", data={"csrf": token, **lines}, files=sample)
    assert offered.status_code == 200 and "Check before sending: Sample data, invoice and SPPD" in offered.text
    assert "Yes, send the offer" in offered.text and "Rp30,000" in offered.text  # the total, the English way
    assert indonesian_in(offered.text, (*data, "contoh.csv")) == []
    sent = await api.post(f"/staff/cases/{case_id}/actions/offer", data=confirmation(offered.text))
    assert sent.status_code == 303, sent.text
    await wait_for_step(dev_env.client, case_id, SaleStep.SAMPLE_REVIEW)
    offer = await _page(api, f"/staff/cases/{case_id}")
    assert "Offer (invoice)" in offer and "Payments" in offer
    assert indonesian_in(offer, (*data, "contoh.csv")) == []


async def test_a_recommendation_and_a_complaint_read_in_english(
    english: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    api = english
    recommendation = await store_case(
        session_factory, Service.RECOMMENDATION, RecommendationStep.ASSIGNMENT, Role.SUPERVISOR, fs3=FS3
    )
    complaint = await store_case(
        session_factory,
        Service.COMPLAINT,
        ComplaintStep.RESPONSE,
        Role.OFFICER,
        text="Data belum saya terima setelah membayar.",
        channel="suggestion_box",
    )
    data = (*await _staff_names(session_factory), *_fs3_values(FS3))

    await _sign_in(api, demo_accounts, "supervisor")
    page = await _page(api, f"/staff/cases/{recommendation}")
    assert "Block I. Organiser and title of the activity" in page and "Choose an examiner" in page
    assert indonesian_in(page, data) == []

    checking = await store_case(
        session_factory, Service.RECOMMENDATION, RecommendationStep.COMPLETENESS, Role.OPERATOR, fs3=FS3
    )
    await _sign_in(api, demo_accounts, "operator")
    page = await _page(api, f"/staff/cases/{checking}")
    assert "FS3 completeness check" in page and "What is missing (sent to the institution)" in page
    assert indonesian_in(page, data) == []

    await _sign_in(api, demo_accounts, "officer")
    page = await _page(api, f"/staff/cases/{complaint}")
    assert "Suggestion and complaint box" in page
    assert "Answer (sent to the complainant)" in page
    assert indonesian_in(page, data) == []


def _fs3_values(fs3: Any) -> tuple[str, ...]:
    """Every text an institution typed in its FS3 (it stays as typed)."""
    if isinstance(fs3, dict):
        return tuple(value for item in fs3.values() for value in _fs3_values(item))
    if isinstance(fs3, list):
        return tuple(value for item in fs3 for value in _fs3_values(item))
    return (str(fs3),) if isinstance(fs3, str) else ()


async def test_overseeing_and_administration_pages_read_in_english(
    english: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    api = english
    data = await _staff_names(session_factory)
    case_id = await store_case(session_factory, Service.SALE, SaleStep.COMPLETENESS, Role.OFFICER)
    async with session_factory() as session, session.begin():
        for day, score in ((10, 4), (11, 3)):
            answers = SurveyResponse(office_code="6202", service="sale", day=date(2026, 3, day), scores=[score] * 9)
            answers.source = "paper"
            session.add(answers)

    await _sign_in(api, demo_accounts, "supervisor")
    for path, expected in (
        ("/staff/dashboard", "Open requests by service and step"),
        ("/staff/reports?month=2026-03", "Community Satisfaction Index (IKM)"),
        (f"/staff/cases/{case_id}/assign", "Hand over to"),
        ("/akun/kata-sandi", "Change password"),
    ):
        page = await _page(api, path)
        assert expected in page, path
        assert indonesian_in(page, data) == [], path
    report = await _page(api, "/staff/reports?month=2026-03")
    assert "87.50" in report and "B (Good)" in report and "87,50" not in report  # numbers written the English way
    csv = await api.get("/staff/reports/2026-03.csv")
    assert csv.status_code == 200 and "Office;Month;Service;Submitted" in csv.text.splitlines()[0]
    assert indonesian_in(f"<p>{html.escape(csv.text)}</p>") == []  # headers, services, the IKM's elements and grade

    await _sign_in(api, demo_accounts, "administrator")
    async with session_factory() as session:
        officer = await session.scalar(
            select(StaffAccount).where(StaffAccount.office_code == "6202", StaffAccount.role == Role.OFFICER)
        )
    assert officer is not None
    tariffs = await _page(api, "/staff/admin/tariffs")
    code = re.search(r'href="/staff/admin/tariffs/([\w-]+)"', tariffs)
    for path in (
        "/staff/admin",
        "/staff/admin/accounts",
        f"/staff/admin/accounts/{officer.id}",
        f"/staff/admin/accounts/{officer.id}/deactivate",
        "/staff/admin/settings",
        "/staff/admin/calendar?year=2026",
        "/staff/admin/tariffs",
        *((f"/staff/admin/tariffs/{code.group(1)}",) if code else ()),
        "/staff/outbox",
    ):
        page = await _page(api, path)
        holidays = tuple(re.findall(r'data-label="Description">([^<]*)<', page))  # national and office data
        mail = tuple(re.findall(r'data-label="Subject">([^<]*)<', page)) + tuple(re.findall(r"<h3>([^<]*)</h3>", page))
        assert indonesian_in(page, (*data, *map(html.unescape, holidays + mail))) == [], path
    accounts = await _page(api, "/staff/admin/accounts")
    refused = await api.post(
        "/staff/admin/accounts",
        data={"csrf": form_csrf(accounts), "name": "", "email": "bukan-email", "role": "", "password": ""},
    )
    assert refused.status_code == 422 and "Enter the staff member's full name." in html.unescape(refused.text)
    assert indonesian_in(refused.text, data) == []


async def test_the_walk_in_desk_the_queue_and_the_complaint_desk_read_in_english(
    english: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    api = english
    kiosk = await _page(api, "/desk/6202")
    assert "Take a queue number" in kiosk and indonesian_in(kiosk) == []
    taken = await api.post(
        "/desk/6202",
        data={"csrf": form_csrf(kiosk), "name": "Ani", "contact": "0811000000", "purpose": "Membeli data mikro"}
        | {"service": "purchase"},
    )
    assert taken.status_code == 303, taken.text
    ticket = await _page(api, taken.headers["location"])
    assert "Queue number" in ticket and "Print the ticket" in ticket
    assert indonesian_in(ticket) == []

    await _sign_in(api, demo_accounts, "officer")
    data = (*await _staff_names(session_factory), "Ani", "Membeli data mikro")
    queue = await _page(api, "/staff/queue")
    assert "Guest queue" in queue and "Call" in queue
    assert indonesian_in(queue, (*data, *re.findall(r"<option[^>]*>([^<]*)</option>", queue))) == []
    guest = re.search(r'action="/staff/queue/([\w-]+)/advance"', queue)
    assert guest is not None
    called = await api.post(
        f"/staff/queue/{guest.group(1)}/advance",
        data={"csrf": form_csrf(queue), "expected_step": "waiting", "idempotency_key": guest.group(1) + "-call"},
    )
    assert called.status_code == 303, called.text
    visit = await _page(api, f"/staff/cases/{guest.group(1)}")
    assert "Purpose of the visit" in visit and "Call, serve or finish the guest" in visit
    assert "<dt>Service sought</dt><dd>Buying microdata/maps</dd>" in visit  # what the guest came for, not its code
    assert indonesian_in(visit, data) == []
    lobby = await _page(api, "/lobby/6202")
    assert "Now serving" in lobby and "Turn on call sounds" in lobby
    assert re.search(r'data-announce="Queue number [A-Z0-9 ]+, please go to ', lobby)  # what the TV says aloud
    assert indonesian_in(lobby, data) == []

    desk = await _page(api, "/staff/complaints/new")
    assert "Record a complaint" in desk and indonesian_in(desk, data) == []
    key = re.search(r'name="idempotency_key" value="([^"]+)"', desk)
    form = {"csrf": form_csrf(desk), "idempotency_key": key.group(1) if key else "", "channel": "suggestion_box"}
    text = "Petugas tidak ramah di meja PST."
    empty = await api.post("/staff/complaints/check", data=form)
    assert empty.status_code == 422 and "There is a problem" in empty.text
    assert indonesian_in(empty.text, data) == []
    checked = await api.post("/staff/complaints/check", data={**form, "text": text, "anonymous": "true"})
    assert checked.status_code == 200 and "Check the complaint" in checked.text
    assert indonesian_in(checked.text, (*data, text)) == []

    code = await _page(api, "/unduh")
    assert "Download code" in code and indonesian_in(code) == []
    wrong = await api.post("/unduh", data={"csrf": form_csrf(code), "case_id": "sale-6202-2026-999999", "code": "X"})
    assert wrong.status_code in (400, 404, 422) and "Unknown request number" in wrong.text
    assert indonesian_in(wrong.text) == []

    missing = await _page(api, "/staff/cases/sale-6202-2026-999999", status=404)
    assert "Page not found" in missing and indonesian_in(missing, data) == []
