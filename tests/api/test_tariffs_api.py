"""PNBP tariffs: a public list; only the national administrator changes a tariff (through the API or its page), with
checked values; an office's administrator reads them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from core.db import SessionFactory
from core.models import Tariff
from core.reference import TARIFFS
from tests.api.conftest import form_csrf, ui_login

TARIFFS_URL = "/api/v1/tariffs"
SEEDED = {tariff["code"]: tariff for tariff in TARIFFS}
PRICE_FIELDS = ("name", "unit", "base_price", "included", "extra_price", "extra_step")


@pytest.fixture(autouse=True)
async def restore_tariffs(session_factory: SessionFactory) -> AsyncIterator[None]:
    """The test database is shared: every tariff goes back to its seed."""
    yield
    async with session_factory() as session, session.begin():
        for tariff in TARIFFS:
            await session.execute(update(Tariff).where(Tariff.code == tariff["code"]).values(**tariff, active=True))


def _body(code: str, **changes: Any) -> dict[str, Any]:
    seeded = SEEDED[code]
    return {
        "name": seeded["name"],
        "base_price": seeded["base_price"],
        "included": seeded["included"],
        "extra_price": seeded["extra_price"],
        "extra_step": seeded["extra_step"],
        "active": True,
        **changes,
    }


async def test_the_public_list_has_the_seeded_tariffs_with_their_prices(api: httpx.AsyncClient) -> None:
    response = await api.get(TARIFFS_URL)

    assert response.status_code == 200
    listed = {row["code"]: row for row in response.json()}
    assert set(listed) == set(SEEDED) and len(listed) == 7
    for code, seeded in SEEDED.items():
        assert {field: listed[code][field] for field in PRICE_FIELDS} == {
            field: seeded[field] for field in PRICE_FIELDS
        }
        assert listed[code]["active"] is True and listed[code]["legal_basis"] == "PP 13/2024"
    assert listed["publication"]["description"] == "Rp50.000 sampai 50 halaman, lalu Rp15.000 per 50 halaman berikutnya"
    assert listed["microdata"]["description"] == "Rp20.000 sampai 1.000.000 byte, lalu Rp20 per 1.000 byte berikutnya"
    assert listed["map_regency_kecamatan"]["description"] == "Rp30.000 per peta"


async def test_the_national_administrator_changes_a_price_and_the_list_shows_it(
    api: httpx.AsyncClient, login: Any
) -> None:
    admin = login("6202", "national_administrator")

    changed = await api.put(
        f"{TARIFFS_URL}/map_regency_desa", json=_body("map_regency_desa", base_price=75_000), auth=admin
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["base_price"] == 75_000 and changed.json()["description"].startswith("Rp75.000 sampai 1 peta")
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["map_regency_desa"]["base_price"] == 75_000

    restored = await api.put(f"{TARIFFS_URL}/map_regency_desa", json=_body("map_regency_desa"), auth=admin)
    assert restored.status_code == 200 and restored.json()["base_price"] == 70_000
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["map_regency_desa"]["base_price"] == 70_000


async def test_the_national_administrator_deactivates_a_tariff(api: httpx.AsyncClient, login: Any) -> None:
    body = _body("publication", active=False, name="  Publikasi elektronik (lama)  ")
    changed = await api.put(f"{TARIFFS_URL}/publication", json=body, auth=login("6202", "national_administrator"))

    assert changed.status_code == 200
    assert (changed.json()["active"], changed.json()["name"]) == (False, "Publikasi elektronik (lama)")
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["publication"]["active"] is False


@pytest.mark.parametrize(
    ("office", "role"),
    [
        ("6202", "administrator"),
        ("3304", "administrator"),
        ("6202", "officer"),
        ("6202", "treasurer"),
        ("6202", "supervisor"),
    ],
)
async def test_no_office_role_may_change_a_tariff(api: httpx.AsyncClient, login: Any, office: str, role: str) -> None:
    refused = await api.put(f"{TARIFFS_URL}/microdata", json=_body("microdata", base_price=1), auth=login(office, role))

    assert refused.status_code == 403 and "hanya administrator nasional" in refused.json()["detail"]
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["microdata"]["base_price"] == 20_000


async def test_changing_a_tariff_needs_a_login(api: httpx.AsyncClient) -> None:
    assert (await api.put(f"{TARIFFS_URL}/microdata", json=_body("microdata"))).status_code == 401


async def test_an_unknown_tariff_is_not_found(api: httpx.AsyncClient, login: Any) -> None:
    missing = await api.put(
        f"{TARIFFS_URL}/cetak_buku", json=_body("microdata"), auth=login("6202", "national_administrator")
    )

    assert missing.status_code == 404
    assert "cetak_buku" in missing.json()["detail"] and "microdata" in missing.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"base_price": -1}, "base_price", "tidak boleh negatif"),
        ({"extra_price": -20}, "extra_price", "tidak boleh negatif"),
        ({"included": -5}, "included", "tidak boleh negatif"),
        ({"extra_step": 0}, "extra_step", "minimal 1"),
        ({"base_price": "gratis"}, "base_price", "bilangan bulat"),
        ({"name": ""}, "name", "minimal 2"),
    ],
)
async def test_invalid_values_are_refused(
    api: httpx.AsyncClient, login: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    refused = await api.put(
        f"{TARIFFS_URL}/microdata", json=_body("microdata", **changes), auth=login("6202", "national_administrator")
    )

    assert refused.status_code == 422
    errors = {error["field"]: error["message"] for error in refused.json()["errors"]}
    assert message in errors[field]
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["microdata"]["base_price"] == 20_000


async def test_a_blank_name_is_refused(api: httpx.AsyncClient, login: Any) -> None:
    refused = await api.put(
        f"{TARIFFS_URL}/microdata", json=_body("microdata", name="   "), auth=login("6202", "national_administrator")
    )
    assert refused.status_code == 422 and "Nama tarif" in refused.json()["detail"]


PAGE = "/staff/admin/tariffs"


def _form(csrf: str, code: str, **changes: str) -> dict[str, str]:
    seeded = SEEDED[code]
    fields = ("name", "base_price", "included", "extra_price", "extra_step")
    return {"csrf": csrf, **{field: str(seeded[field]) for field in fields}, "active": "1", **changes}


async def test_an_office_administrator_reads_the_tariffs_and_may_not_change_them(
    api: httpx.AsyncClient, demo_accounts: Any
) -> None:
    admin = demo_accounts[("6202", "administrator")]
    await ui_login(api, admin.email, admin.password)

    page = await api.get(PAGE)
    csrf = form_csrf(page.text)
    edit_page = await api.get(f"{PAGE}/microdata")
    posted = await api.post(f"{PAGE}/microdata", data=_form(csrf, "microdata", base_price="1"))

    assert page.status_code == 200
    assert "Rp36.000.000" in page.text and "Rp20.000 sampai 1.000.000 byte" in page.text
    assert "Hanya administrator nasional yang dapat mengubah tarif" in page.text
    assert f'href="{PAGE}/microdata"' not in page.text and "<form" not in page.text.split("<main", 1)[1]
    assert edit_page.status_code == 403 and posted.status_code == 403
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["microdata"]["base_price"] == 20_000


async def test_the_national_administrator_changes_a_tariff_on_its_page(
    api: httpx.AsyncClient, demo_accounts: Any
) -> None:
    national = demo_accounts[("6202", "national_administrator")]
    await ui_login(api, national.email, national.password)
    page = await api.get(PAGE)
    csrf = form_csrf(page.text)

    form = await api.get(f"{PAGE}/map_regency_desa")
    bad = await api.post(f"{PAGE}/map_regency_desa", data=_form(csrf, "map_regency_desa", base_price="-5", name=""))
    saved = await api.post(f"{PAGE}/map_regency_desa", data=_form(csrf, "map_regency_desa", base_price="75000"))
    after = await api.get(saved.headers["location"])

    assert page.status_code == 200 and f'href="{PAGE}/map_regency_desa"' in page.text
    assert form.status_code == 200 and 'value="70000"' in form.text
    assert bad.status_code == 422 and 'value="-5"' in bad.text  # the input kept
    assert re.search(r'id="admin-base_price-error">.*Isi harga dasar dalam Rupiah tanpa titik, 0 atau lebih', bad.text)
    assert re.search(r'id="admin-name-error">.*Isi nama tarif', bad.text)
    assert re.search(r'id="admin-base_price"[^>]*aria-invalid="true"', bad.text)
    assert saved.status_code == 303 and saved.headers["location"] == f"{PAGE}?done=tariff"
    assert "Tarif tersimpan" in after.text and "Rp75.000" in after.text
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["map_regency_desa"]["base_price"] == 75_000
