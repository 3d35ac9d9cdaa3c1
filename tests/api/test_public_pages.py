"""Public pages: the offices on the home page, and one office's contacts with its service standards."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest

from api.services.offices import decree_text, time_limit_text
from core.enums import TimeUnit
from core.formatting import zone_label

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
    assert "15 hari" in page and "10 hari kerja" in page
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
