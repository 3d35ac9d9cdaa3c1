"""Public pages: the offices on the home page, and one office's contacts with its service standards, item by item as
the seeds publish them, in Indonesian and in English."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import httpx
import pytest

from api.services.offices import decree_text, time_limit_text
from core.enums import TimeUnit
from core.formatting import zone_label
from core.standards_seed import STANDARDS, WALK_IN

OFFICE_CODES = ("1906", "3304", "6202", "6302")
_ASSET_ATTRIBUTES = {"link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


class _Assets(HTMLParser):
    """Every asset address (stylesheet, script, image...) and every anchor of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _ASSET_ATTRIBUTES and values.get(_ASSET_ATTRIBUTES[tag]):
            self.assets.append(values[_ASSET_ATTRIBUTES[tag]] or "")
        if tag == "a" and values.get("href"):
            self.anchors.append(values["href"] or "")


async def _page(api: httpx.AsyncClient, path: str) -> str:
    response = await api.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_home_links_every_office(api: httpx.AsyncClient) -> None:
    page = await _page(api, "/")
    for code in OFFICE_CODES:
        assert f'href="/offices/{code}"' in page


async def test_kotabaru_shows_its_decree_walk_in_time_address_and_complaint_website(api: httpx.AsyncClient) -> None:
    page = await _page(api, "/offices/6302")
    assert "BPS Kabupaten Kotabaru" in page and "Kalimantan Selatan" in page and "WITA" in page
    assert "SK Nomor 118 Tahun 2023" in page and "SK Nomor Nomor" not in page
    assert "10 menit" in page
    assert "Jalan Jamrud" in page
    assert "s.bps.go.id/laporbpskotabaru" in page
    for heading in (
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Jangka waktu penyelesaian",
        "Biaya/tarif",
        "Produk layanan",
        "Penanganan pengaduan",
    ):
        assert heading in page
    assert "08561116302" in page and "bps6302@bps.go.id" in page
    assert 'href="http://kotabarukab.bps.go.id"' in page


async def test_kotawaringin_timur_shows_both_services_their_limits_and_the_tariffs(api: httpx.AsyncClient) -> None:
    page = await _page(api, "/offices/6202")
    assert "Penjualan data mikro dan peta digital wilkerstat" in page
    assert "Rekomendasi kegiatan statistik" in page
    assert "15 hari" in page and "10 hari kerja" in page.lower()
    assert "Rp20.000" in page and "Data mikro tanpa pengolahan, per dataset" in page
    assert "WIB" in page and "0816666202" in page
    assert page.index("Penjualan data mikro") < page.index("Rekomendasi kegiatan statistik")
    assert "SK Nomor" not in page  # no decree number in this office's seed


async def test_belitung_timur_shows_its_decree_and_five_minutes(api: httpx.AsyncClient) -> None:
    page = await _page(api, "/offices/1906")
    assert "SK Nomor 006.01 Tahun 2024" in page
    assert "5 menit" in page


async def test_unknown_office_is_an_html_404_naming_the_known_codes(api: httpx.AsyncClient) -> None:
    response = await api.get("/offices/9999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "9999" in response.text and "tidak dikenal" in response.text
    for code in OFFICE_CODES:
        assert code in response.text


@pytest.mark.parametrize("code", OFFICE_CODES)
async def test_office_page_needs_no_login_and_loads_only_local_assets(api: httpx.AsyncClient, code: str) -> None:
    response = await api.get(f"/offices/{code}")  # no auth
    assert response.status_code == 200
    parsed = _Assets()
    parsed.feed(response.text)
    assert "/static/pst.css" in parsed.assets
    for address in parsed.assets:
        assert "http" not in address and not address.startswith("//"), address
        assert (await api.get(address)).status_code == 200, address
    assert "@import" not in response.text and "url(http" not in response.text


def test_words_of_limits_decrees_and_zones() -> None:
    assert time_limit_text(10, TimeUnit.WORKING_DAYS) == "10 hari kerja"
    assert time_limit_text(15, TimeUnit.DAYS) == "15 hari"
    assert time_limit_text(10, TimeUnit.MINUTES) == "10 menit"
    assert decree_text("") == ""
    assert decree_text("Nomor 118 Tahun 2023") == "SK Nomor 118 Tahun 2023"
    assert decree_text("006.01 Tahun 2024") == "SK Nomor 006.01 Tahun 2024"
    assert [zone_label(zone) for zone in ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")] == [
        "WIB",
        "WIB",
        "WITA",
        "WIT",
    ]


async def test_the_english_switch_translates_the_pages_and_stays(api: httpx.AsyncClient) -> None:
    indonesian = await api.get("/login")
    switched = await api.get("/lang/en", params={"next": "/login"})
    english = await api.get("/login")
    home = await api.get("/")
    back = await api.get("/lang/id", params={"next": "//evil.example"})

    assert "Masuk" in indonesian.text and '<html lang="id">' in indonesian.text
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    assert '<html lang="en">' in english.text and ">Sign in<" in english.text and ">Password" in english.text
    assert "Integrated Statistical Services" in home.text
    assert back.headers["location"] == "/" and ">Masuk<" in (await api.get("/login")).text


def _text(page: str) -> str:
    """The page's text as a person reads it: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(page: str, service: str) -> str:
    """The text of one standard's section of the office page."""
    found = re.search(rf'<section class="standard" id="layanan-{service}".*?</section>', page, re.S)
    assert found is not None, service
    return _text(found.group(0))


@pytest.mark.parametrize("code", OFFICE_CODES)
async def test_every_published_item_of_the_seed_is_on_the_office_page_in_order(
    api: httpx.AsyncClient, code: str
) -> None:
    page = await _page(api, f"/offices/{code}")
    for standard in STANDARDS[code]:
        shown = _section(page, str(standard["service"]))
        if standard["decree_number"]:
            assert decree_text(standard["decree_number"]) in shown
        cursor = 0
        for items in standard["items"].values():
            for text, _english in items:  # each after the one before: the seed's lists in the seed's order
                cursor = shown.index(" ".join(text.split()), cursor)
        channels = {channel for _section_name, channel in standard["items"]}
        assert ("Layanan datang langsung" in shown) == (WALK_IN in channels)


async def test_the_pages_say_what_the_seeds_say(api: httpx.AsyncClient) -> None:
    """Literal phrases of the seeds (../shared/seeds), and what the old pages showed that the seeds do not."""
    belitung = _section(await _page(api, "/offices/1906"), "sale")
    kotabaru = _section(await _page(api, "/offices/6302"), "sale")
    kotim = await _page(api, "/offices/6202")
    banjarnegara = _section(await _page(api, "/offices/3304"), "sale")

    assert "Pengguna layanan memiliki kartu identitas yang masih berlaku (KTP, SIM, Paspor, dan lain-lain)" in belitung
    assert "Publikasi dalam format hardcopy dan/atau softcopy" in belitung
    assert "SMS/WhatsApp: 081278563877 (Syahroni, Kasubbag Umum BPS Kabupaten Belitung Timur)" in belitung
    walk_in, online = belitung.index("Layanan datang langsung"), belitung.index("Layanan online")
    assert walk_in < belitung.index("Pengguna layanan mengisi buku tamu") < online  # two lists, not one
    assert belitung.index("melalui aplikasi pelayanan") > online
    assert (
        "Petugas membantu pengguna layanan untuk membuat akun layanan penjualan produk statistik melalui aplikasi "
        "silastik (silastik.bps.go.id)" in kotabaru
    )
    assert "SPPD asli" not in kotabaru and "meterai" not in kotabaru  # walk-in only: no posted SPPD steps
    assert "dilayani maksimal 10 (sepuluh) menit sejak pengguna layanan pada antrian sebelumnya selesai" in kotabaru
    assert "Pengguna layanan mengisi identitas" in _section(kotim, "sale")
    assert "Formulir Pemberitahuan Survei Statistik Sektoral (FS3)" in _section(kotim, "recommendation")
    assert "SP4N Layanan Aspirasi dan Pengaduan Online Rakyat LAPOR!" in _section(kotim, "recommendation")
    assert "Pengguna layanan dapat langsung pulang" in banjarnegara
    assert "Jl Selamanik No. 33 Banjarnegara, Jawa Tengah 53415" in banjarnegara
    assert "Data mikro fullset (tanpa pilih variabel)" in banjarnegara


@pytest.mark.parametrize("code", OFFICE_CODES)
async def test_the_english_page_shows_the_standards_in_english(api: httpx.AsyncClient, code: str) -> None:
    api.cookies.set("lang", "en")
    response = await api.get(f"/offices/{code}")
    page = response.text
    assert '<html lang="en">' in page
    for standard in STANDARDS[code]:
        shown = _section(page, str(standard["service"]))
        assert standard["title"][1] in shown
        for items in standard["items"].values():
            for text, english in items:
                assert " ".join(english.split()) in shown
                if text != english:
                    assert " ".join(text.split()) not in shown
    assert "Requirements" in page and "Persyaratan" not in page and "Kotak saran" not in page
    assert ("Walk-in service" in page) == any(
        WALK_IN == channel for standard in STANDARDS[code] for _s, channel in standard["items"]
    )
