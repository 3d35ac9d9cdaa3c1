"""PNBP tariffs through the API: a public list; only an administrator changes a tariff, with checked values."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from core.db import SessionFactory
from core.models import Tariff
from core.reference import TARIFFS

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


async def test_an_administrator_changes_a_price_and_the_list_shows_it(api: httpx.AsyncClient, login: Any) -> None:
    admin = login("6202", "administrator")

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


async def test_an_administrator_deactivates_a_tariff(api: httpx.AsyncClient, login: Any) -> None:
    body = _body("publication", active=False, name="  Publikasi elektronik (lama)  ")
    changed = await api.put(f"{TARIFFS_URL}/publication", json=body, auth=login("3304", "administrator"))

    assert changed.status_code == 200
    assert (changed.json()["active"], changed.json()["name"]) == (False, "Publikasi elektronik (lama)")
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["publication"]["active"] is False


@pytest.mark.parametrize("role", ["officer", "treasurer", "supervisor"])
async def test_other_roles_may_not_change_a_tariff(api: httpx.AsyncClient, login: Any, role: str) -> None:
    refused = await api.put(f"{TARIFFS_URL}/microdata", json=_body("microdata", base_price=1), auth=login("6202", role))

    assert refused.status_code == 403 and "administrator" in refused.json()["detail"]
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["microdata"]["base_price"] == 20_000


async def test_changing_a_tariff_needs_a_login(api: httpx.AsyncClient) -> None:
    assert (await api.put(f"{TARIFFS_URL}/microdata", json=_body("microdata"))).status_code == 401


async def test_an_unknown_tariff_is_not_found(api: httpx.AsyncClient, login: Any) -> None:
    missing = await api.put(f"{TARIFFS_URL}/cetak_buku", json=_body("microdata"), auth=login("6202", "administrator"))

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
        f"{TARIFFS_URL}/microdata", json=_body("microdata", **changes), auth=login("6202", "administrator")
    )

    assert refused.status_code == 422
    errors = {error["field"]: error["message"] for error in refused.json()["errors"]}
    assert message in errors[field]
    listed = {row["code"]: row for row in (await api.get(TARIFFS_URL)).json()}
    assert listed["microdata"]["base_price"] == 20_000


async def test_a_blank_name_is_refused(api: httpx.AsyncClient, login: Any) -> None:
    refused = await api.put(
        f"{TARIFFS_URL}/microdata", json=_body("microdata", name="   "), auth=login("6202", "administrator")
    )
    assert refused.status_code == 422 and "Nama tarif" in refused.json()["detail"]
