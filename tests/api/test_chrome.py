"""The header: the service's identity, and the menu the person signed in needs (no scaffolding for anyone else)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.api.conftest import ui_login


def _menu(page: str) -> list[str]:
    nav = page[page.index('<nav class="menu"') : page.index("</nav>")]
    return re.findall(r">([^<>]+)</a>", nav)


async def test_a_visitor_sees_the_public_menu_without_the_outbox_or_the_api(api: httpx.AsyncClient) -> None:
    home = (await api.get("/")).text

    assert _menu(home) == ["Layanan kantor", "Portal pemohon", "Masuk"]
    assert "/staff/outbox" not in home and 'href="/docs"' not in home


async def test_each_role_sees_its_own_menu_and_its_office_by_name(api: httpx.AsyncClient, demo_accounts: Any) -> None:
    menus: dict[str, list[str]] = {}
    for role in ("officer", "supervisor", "administrator"):
        account = demo_accounts[("6202", role)]
        await ui_login(api, account.email, account.password)
        page = (await api.get("/staff")).text
        menus[role] = _menu(page)
        assert "BPS Kabupaten Kotawaringin Timur" in page and f"Demo {role} 6202" in page and "Keluar" in page
        assert ">Masuk<" not in page  # signed in: no sign-in link

    assert menus["officer"] == ["Kotak tugas", "Antrean tamu", "Catat pengaduan"]
    assert "Laporan" in menus["supervisor"] and "Administrasi" not in menus["supervisor"]
    assert "Surat keluar" not in menus["supervisor"]
    assert {"Administrasi", "Surat keluar"} <= set(menus["administrator"])


async def test_each_person_lands_where_their_work_is(api: httpx.AsyncClient, demo_accounts: Any) -> None:
    landings = {}
    for role in ("officer", "national_administrator"):
        account = demo_accounts[("6202", role)]
        form = (await api.get("/login")).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf is not None
        signed = await api.post(
            "/login", data={"csrf": csrf.group(1), "email": account.email, "password": account.password}
        )
        landings[role] = signed.headers["location"]

    assert landings == {"officer": "/staff", "national_administrator": "/staff/admin"}
