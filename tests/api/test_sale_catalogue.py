"""The office's catalogue: an administrator keeps it, an applicant orders from it (JSON and the portal's form with its
check-your-answers page and price estimate), and the one revision replaces the items the next offer lists."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import httpx
from pypdf import PdfReader
from sqlalchemy import select, update
from temporalio.testing import WorkflowEnvironment

from api.services.offer_draft import offer_values
from core.case_details import sale_details
from core.catalogue import dataset_bytes
from core.db import SessionFactory
from core.enums import SaleStep
from core.models import CatalogueDataset, CatalogueMap, CataloguePublication, Document, Tariff
from core.seeding import DemoAccount
from core.settings import Settings
from tests.api.conftest import PDF, form_csrf, ui_login
from tests.helpers import TokenAuth, make_applicant, read_case_row, wait_for_step

ABSTRACT = "Skripsi tentang kemiskinan rumah tangga di Kotawaringin Timur tahun 2025."


async def _dataset(session_factory: SessionFactory, office: str, survey: str) -> CatalogueDataset:
    async with session_factory() as session:
        found = await session.scalar(
            select(CatalogueDataset).where(CatalogueDataset.office_code == office, CatalogueDataset.survey == survey)
        )
    assert found is not None
    return found


async def _map(session_factory: SessionFactory, office: str, area: str) -> CatalogueMap:
    async with session_factory() as session:
        found = await session.scalar(
            select(CatalogueMap).where(CatalogueMap.office_code == office, CatalogueMap.area == area)
        )
    assert found is not None
    return found


async def _publication(session_factory: SessionFactory, office: str) -> CataloguePublication:
    async with session_factory() as session:
        found = await session.scalar(
            select(CataloguePublication).where(CataloguePublication.office_code == office).limit(1)
        )
    assert found is not None
    return found


def _request(*items: dict[str, Any]) -> dict[str, Any]:
    return {"office_code": "6202", "channel": "online", "items": list(items), "abstract": ABSTRACT}


async def test_the_json_api_orders_from_the_offices_catalogue_and_refuses_what_is_not_in_it_on_the_field(
    api: httpx.AsyncClient, applicant_auth: TokenAuth, session_factory: SessionFactory
) -> None:
    susenas = await _dataset(session_factory, "6202", "Susenas Maret")
    elsewhere = await _dataset(session_factory, "3304", "Susenas Maret")
    baamang = await _map(session_factory, "6202", "Kecamatan Baamang")
    chosen = {"kind": "microdata", "dataset_id": susenas.id, "variables": ["R405", "R407", "R614"]}

    other_office = await api.post(
        "/api/v1/sales", json=_request({"kind": "microdata", "dataset_id": elsewhere.id}), auth=applicant_auth
    )
    unknown = await api.post(
        "/api/v1/sales", json=_request({**chosen, "variables": ["R405", "ZZ9"]}), auth=applicant_auth
    )
    wrong_id = await api.post(
        "/api/v1/sales", json=_request({"kind": "map", "dataset_id": susenas.id, "level": "desa"}), auth=applicant_auth
    )
    ordered = await api.post(
        "/api/v1/sales",
        json=_request(chosen, {"kind": "map", "map_id": baamang.id, "level": "desa"}),
        auth=applicant_auth,
    )

    assert other_office.status_code == 422
    assert other_office.json()["errors"][0]["field"] == "items.0.dataset_id"
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "items.0.variables"
    assert "ZZ9" in unknown.json()["detail"]
    assert unknown.json()["errors"][0]["message_en"].startswith("Variables ZZ9 are not in the dataset Susenas Maret")
    assert wrong_id.status_code == 422
    assert ordered.status_code == 201, ordered.text
    case = await read_case_row(session_factory, ordered.json()["id"])
    items = sale_details(case).items
    assert [item.label() for item in items] == [
        "Data mikro Susenas Maret 2024 (level kabupaten) (variabel: R405, R407, R614)",
        "Peta digital wilkerstat Kecamatan Baamang 2024 (per desa)",
    ]
    assert items[0].quantity == dataset_bytes(susenas, ["R405", "R407", "R614"]) and items[1].quantity == 1


async def test_an_applicant_picks_from_the_catalogue_checks_the_estimate_and_submits(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory))
    susenas = await _dataset(session_factory, "6202", "Susenas Maret")
    podes = await _dataset(session_factory, "6202", "Podes")
    baamang = await _map(session_factory, "6202", "Kecamatan Baamang")
    publication = await _publication(session_factory, "6202")

    offices = await api.get("/portal/new")
    assert "BPS Kabupaten Banjarnegara" in offices.text and 'name="office"' in offices.text
    page = await api.get("/portal/new?office=6202")
    assert "Susenas Maret 2024 (level kabupaten)" in page.text and "Jenis kelamin" in page.text
    assert "data mikro hanya dijual lengkap (fullset)" in page.text  # the walk-in restriction, where it applies
    csrf = form_csrf(page.text)
    nothing = await api.post("/portal/new/check", data={"csrf": csrf, "office_code": "6202", "abstract": "pendek"})
    choices = {
        "csrf": csrf,
        "office_code": "6202",
        f"var-{susenas.id}-R405": "1",
        f"var-{susenas.id}-R407": "1",
        f"dataset-{podes.id}": "full",
        f"map-{baamang.id}": "desa",
        f"publication-{publication.id}": "1",
        "abstract": ABSTRACT,
    }
    check = await api.post("/portal/new/check", data=choices)
    bad_level = await api.post("/portal/new/check", data={**choices, f"map-{baamang.id}": "provinsi"})

    assert nothing.status_code == 422
    assert "Pilih paling sedikit satu dataset, peta atau publikasi." in html.unescape(nothing.text)
    assert 'href="#abstract"' in nothing.text and "pendek" in nothing.text  # input kept
    assert bad_level.status_code == 422 and f'href="#map-{baamang.id}"' in bad_level.text
    assert check.status_code == 200, check.text
    text = html.unescape(check.text)
    # Susenas (2 of 13 variables, under 1 MB) Rp20.000; Podes whole (0,9 MB) Rp20.000; a map by desa Rp70.000;
    # a 318-page publication: Rp50.000 + 6 × Rp15.000 = Rp140.000.
    for amount in ("Rp20.000", "Rp70.000", "Rp140.000", "Rp250.000"):
        assert amount in text, amount
    assert "variabel: R405, R407" in text
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', check.text))
    assert kept[f"map-{baamang.id}"] == "desa" and "idempotency_key" in kept

    sent = await api.post("/portal/new", data=kept, files={"file": ("abstraksi.pdf", PDF, "application/pdf")})
    assert sent.status_code == 303, sent.text
    case_id = sent.headers["location"].split("/portal/cases/")[1].split("?")[0]
    again = await api.post("/portal/new", data=kept)  # sent twice: the same request
    assert again.headers["location"].startswith(f"/portal/cases/{case_id}")
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)
    items = sale_details(await read_case_row(session_factory, case_id)).items
    assert [item.kind for item in items] == ["microdata", "microdata", "map", "publication"]


async def test_the_one_revision_replaces_the_items_and_the_next_offer_lists_them(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    session_factory: SessionFactory,
    settings: Settings,
) -> None:
    email, password = await make_applicant(session_factory)
    auth = TokenAuth(email, password)
    susenas = await _dataset(session_factory, "6202", "Susenas Maret")
    sakernas = await _dataset(session_factory, "6202", "Sakernas Agustus")
    baamang = await _map(session_factory, "6202", "Kecamatan Baamang")
    created = await api.post("/api/v1/sales", json=_request({"kind": "microdata", "dataset_id": susenas.id}), auth=auth)
    case_id = created.json()["id"]
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)
    await api.post(
        f"/api/v1/sales/{case_id}/documents", params={"kind": "abstract"}, files={"file": ("a.pdf", PDF)}, auth=auth
    )
    officer = login("6202", "officer")
    await api.post(f"/api/v1/sales/{case_id}/completeness", json={"complete": True}, auth=officer)
    await api.post(f"/api/v1/sales/{case_id}/abstract-review", json={"decision": "approve"}, auth=officer)
    sample = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "sample"},
        files={"file": ("s.csv", b"a\n1")},
        auth=officer,
    )
    line = {"item": "Susenas", "tariff_code": "microdata", "quantity": 4_200_000}
    offered = await api.post(
        f"/api/v1/sales/{case_id}/offer",
        json={"lines": [line], "sample_document_id": sample.json()["id"]},
        auth=officer,
    )
    assert offered.status_code == 200, offered.text
    await wait_for_step(dev_env.client, case_id, SaleStep.SAMPLE_REVIEW)

    await ui_login(api, email, password)
    case_page = await api.get(f"/portal/cases/{case_id}")
    assert f"/portal/cases/{case_id}/revision" in case_page.text
    editor = await api.get(f"/portal/cases/{case_id}/revision")
    assert f'name="dataset-{susenas.id}" value="full" data-select-all checked' in editor.text  # starts from today's
    csrf = form_csrf(editor.text)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', editor.text)
    assert key is not None
    revised = {
        "csrf": csrf,
        "idempotency_key": key.group(1),
        f"var-{sakernas.id}-DK4": "1",
        f"var-{sakernas.id}-R25": "1",
        f"map-{baamang.id}": "kecamatan",
        "revision": "Contoh Susenas tidak memuat upah; saya perlu Sakernas.",
    }
    wrong = await api.post(f"/portal/cases/{case_id}/revision", data={**revised, f"var-{sakernas.id}-NOPE": "1"})
    sent = await api.post(f"/portal/cases/{case_id}/revision", data=revised)

    assert wrong.status_code == 422 and f'href="#dataset-{sakernas.id}"' in wrong.text
    assert sent.status_code == 303, sent.text
    await wait_for_step(dev_env.client, case_id, SaleStep.OFFER)
    labels = [item.label() for item in sale_details(await read_case_row(session_factory, case_id)).items]
    assert labels == [
        "Data mikro Sakernas Agustus 2024 (level kabupaten) (variabel: DK4, R25)",
        "Peta digital wilkerstat Kecamatan Baamang 2024 (per kecamatan)",
    ]
    staff_page = html.unescape((await api.get(f"/staff/cases/{case_id}", auth=officer)).text)
    assert labels[0] in staff_page and labels[1] in staff_page  # the officer's next offer is drafted from them

    drafted = offer_values(await read_case_row(session_factory, case_id))  # what the officer's offer form holds
    for_abroad = offer_values(await read_case_row(session_factory, case_id), "en")  # an applicant writing in English
    assert for_abroad["lines.0.item"].startswith("Microdata Sakernas Agustus 2024"), for_abroad
    assert for_abroad["lines.0.tariff_code"] == drafted["lines.0.tariff_code"]
    lines = [
        {key: drafted[f"lines.{index}.{key}"] for key in ("item", "tariff_code", "quantity")} for index in range(2)
    ]
    sample = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "sample"},
        files={"file": ("s2.csv", b"DK4,R25\n1,2500000")},
        auth=officer,
    )
    second = await api.post(
        f"/api/v1/sales/{case_id}/offer", json={"lines": lines, "sample_document_id": sample.json()["id"]}, auth=officer
    )
    assert second.status_code == 200, second.text
    invoice, sppd = [await _newest_pdf(session_factory, settings, case_id, kind) for kind in ("invoice", "sppd_draft")]
    for text in (invoice, sppd):
        assert "Sakernas Agustus 2024" in text and "Kecamatan Baamang 2024" in text and "Susenas" not in text
    twice = await api.post(
        f"/api/v1/sales/{case_id}/sample-review", json={"accept": False, "revision": "lagi"}, auth=auth
    )
    assert twice.status_code == 409 and "satu kali" in twice.json()["detail"]


async def _newest_pdf(session_factory: SessionFactory, settings: Settings, case_id: str, kind: str) -> str:
    """The text of the case's newest document of ``kind``, whitespace folded."""
    async with session_factory() as session:
        document = await session.scalar(
            select(Document).where(Document.case_id == case_id, Document.kind == kind).order_by(Document.id.desc())
        )
    assert document is not None
    reader = PdfReader(io.BytesIO((settings.storage_dir / document.path).read_bytes()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def _admin(api: httpx.AsyncClient, demo_accounts: dict[tuple[str, str], DemoAccount], office: str) -> str:
    account = demo_accounts[(office, "administrator")]
    await ui_login(api, account.email, account.password)
    return form_csrf((await api.get("/staff/admin/catalogue")).text)


async def test_an_administrator_keeps_the_catalogue_an_applicant_orders_from(
    api: httpx.AsyncClient, demo_accounts: dict[tuple[str, str], DemoAccount], session_factory: SessionFactory
) -> None:
    csrf = await _admin(api, demo_accounts, "6202")
    index = await api.get("/staff/admin")
    listing = await api.get("/staff/admin/catalogue")
    assert "/staff/admin/catalogue" in index.text
    assert "Susenas Maret 2024 (level kabupaten)" in listing.text and "Kecamatan Baamang" in listing.text

    dataset = {
        "csrf": csrf,
        "survey": "Survei Ubinan",
        "year": "2024",
        "level": "kabupaten",
        "size_bytes": "350000",
        "variables": "KOMODITAS Komoditas\nLUAS Luas panen (ha)\nLUAS Hasil per hektare",
        "active": "1",
    }
    twice = await api.post("/staff/admin/catalogue/datasets/new", data=dataset)
    bad_line = await api.post("/staff/admin/catalogue/datasets/new", data={**dataset, "variables": "Luas-panen (ha)"})
    added = await api.post(
        "/staff/admin/catalogue/datasets/new", data={**dataset, "variables": "KOMODITAS Komoditas\nLUAS Luas panen"}
    )

    assert twice.status_code == 422 and "LUAS tercantum lebih dari sekali" in html.unescape(twice.text)
    assert 'id="admin-variables-error"' in twice.text and "Survei Ubinan" in twice.text  # input kept
    assert bad_line.status_code == 422 and "baris 1" in bad_line.text
    assert added.status_code == 303
    ubinan = await _dataset(session_factory, "6202", "Survei Ubinan")
    assert ubinan.variables == [{"code": "KOMODITAS", "label": "Komoditas"}, {"code": "LUAS", "label": "Luas panen"}]
    baamang = await _map(session_factory, "6202", "Kecamatan Baamang")
    closed = await api.post(
        f"/staff/admin/catalogue/maps/{baamang.id}", data={"csrf": csrf, "area": "Kecamatan Baamang", "year": "2024"}
    )
    assert closed.status_code == 303
    other_office = await _dataset(session_factory, "3304", "Podes")
    assert (await api.get(f"/staff/admin/catalogue/datasets/{other_office.id}")).status_code == 404

    await ui_login(api, *await make_applicant(session_factory))
    form = await api.get("/portal/new?office=6202")
    assert "Survei Ubinan 2024 (level kabupaten)" in form.text  # offered at once
    assert f'name="map-{baamang.id}"' not in form.text  # inactive: no longer offered


async def test_only_the_offices_administrator_opens_its_catalogue(
    api: httpx.AsyncClient, demo_accounts: dict[tuple[str, str], DemoAccount]
) -> None:
    for role in ("officer", "national_administrator"):
        account = demo_accounts[("6202", role)]
        await ui_login(api, account.email, account.password)
        assert (await api.get("/staff/admin/catalogue")).status_code == 403


async def test_the_catalogue_is_readable_to_compose_a_request(api: httpx.AsyncClient) -> None:
    read = await api.get("/api/v1/offices/6202/catalogue")
    unknown = await api.get("/api/v1/offices/9999/catalogue")

    assert read.status_code == 200
    body = read.json()
    susenas = next(dataset for dataset in body["datasets"] if dataset["survey"] == "Susenas Maret")
    assert {"code": "R405", "label": "Jenis kelamin"} in susenas["variables"]
    assert any(area["area"] == "Kecamatan Baamang" and area["levels"] == ["kecamatan", "desa"] for area in body["maps"])
    assert body["publications"] and unknown.status_code == 404


async def test_the_request_form_and_its_check_page_read_in_english(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory))
    api.cookies.set("lang", "en")
    page = await api.get("/portal/new?office=6202")
    baamang = await _map(session_factory, "6202", "Kecamatan Baamang")
    check = await api.post(
        "/portal/new/check",
        data={"csrf": form_csrf(page.text), "office_code": "6202", f"map-{baamang.id}": "desa", "abstract": ABSTRACT},
    )

    text = html.unescape(page.text)
    assert "What data are you asking for?" in text and "Every variable (full set)" in text
    assert "At the PST desk (walk-in service) microdata is sold as the full set only." in text
    assert "Seluruh variabel" not in text and "Tidak dipesan" not in text
    checked = html.unescape(check.text)
    assert "Check your request before sending it" in checked and "Estimated total" in checked
    assert "Rp70,000" in checked and "Perkiraan" not in checked


async def test_an_item_whose_tariff_is_not_in_force_is_refused_with_why_before_anything_is_sent(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(api, *await make_applicant(session_factory))
    podes = await _dataset(session_factory, "6202", "Podes")
    async with session_factory() as session, session.begin():
        await session.execute(update(Tariff).where(Tariff.code == "microdata").values(active=False))
    page = await api.get("/portal/new?office=6202")
    form = {"csrf": form_csrf(page.text), "office_code": "6202", f"dataset-{podes.id}": "full", "abstract": ABSTRACT}

    try:
        check = await api.post("/portal/new/check", data=form)
        sent = await api.post("/portal/new", data=form)
    finally:  # the seed's tariffs carry no "active": the restore after each test would leave it off
        async with session_factory() as session, session.begin():
            await session.execute(update(Tariff).where(Tariff.code == "microdata").values(active=True))

    assert check.status_code == 422 and sent.status_code == 422
    assert "tarifnya sedang tidak berlaku" in html.unescape(check.text) and 'href="#items"' in check.text
    assert "api/v1" not in check.text  # no address of the JSON API for an applicant to read
