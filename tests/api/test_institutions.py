"""Rp0 once per institution and dataset, as the officer meets it: the two spellings of one agency are one
institution, a second Rp0 for the same map is refused naming the first grant, the request letter is asked for
beside its field, two racing offers grant once, and another dataset of the same institution is granted."""

from __future__ import annotations

import asyncio
import html
from typing import Any

import httpx
from sqlalchemy import func, select
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.models import Applicant, Case, Institution, ZeroRupiahGrant
from core.seeding import DemoAccount
from core.settings import Settings
from tests.api.conftest import PDF, WALK_IN_REQUEST, form_csrf, ui_login
from tests.helpers import approved_sale, read_case_row

MAP = {"kind": "map", "name": "Sampit", "level": "desa"}
MAP_LINE = {"item": "Peta Sampit (desa)", "tariff_code": "map_regency_desa", "quantity": 1}
OTHER_MAP_LINE = {"item": "Peta Baamang (desa)", "tariff_code": "map_regency_desa", "quantity": 1}


async def _agency_sale(
    session_factory: SessionFactory, dev_env: WorkflowEnvironment, settings: Settings, name: str
) -> str:
    """A sale of a map to a government agency, waiting for the officer's offer (stored before institutions were
    records: its institution is linked on first need)."""
    case = await approved_sale(
        session_factory, dev_env.client, settings, segment="government", institution=name, items=[MAP]
    )
    return case.id


async def _letter(api: httpx.AsyncClient, case_id: str, officer: Any, data: bytes = PDF) -> httpx.Response:
    return await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "request_letter"},
        files={"file": ("surat-permohonan.pdf", data)},
        auth=officer,
    )


async def _offer(api: httpx.AsyncClient, case_id: str, officer: Any, *lines: dict[str, Any]) -> httpx.Response:
    body = {"lines": list(lines) or [MAP_LINE], "zero_rupiah": True}
    return await api.post(f"/api/v1/sales/{case_id}/offer", json=body, auth=officer)


async def _grants(session_factory: SessionFactory) -> list[tuple[int, str, str]]:
    async with session_factory() as session:
        rows = await session.scalars(select(ZeroRupiahGrant).order_by(ZeroRupiahGrant.id))
        return [(row.institution_id, row.dataset_name, row.case_id) for row in rows]


async def _form_offer(
    api: httpx.AsyncClient, account: DemoAccount, case_id: str, files: dict[str, Any] | None = None
) -> str:
    """The officer's offer form on the case page, sent with Rp0 ticked; the page that answers."""
    await ui_login(api, account.email, account.password)
    page = (await api.get(f"/staff/cases/{case_id}")).text
    form = {
        "csrf": form_csrf(page),
        "lines.0.item": MAP_LINE["item"],
        "lines.0.tariff_code": MAP_LINE["tariff_code"],
        "lines.0.quantity": "1",
        "zero_rupiah": "true",
    }
    answer = await api.post(f"/staff/cases/{case_id}/actions/offer", data=form, files=files or {"none": ("", b"")})
    return html.unescape(answer.text)


async def test_the_two_spellings_are_one_institution_and_a_second_rp0_for_the_map_is_refused_naming_the_first(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    login: Any,
    session_factory: SessionFactory,
    demo_accounts: dict[tuple[str, str], DemoAccount],
) -> None:
    officer = login("6202", "officer")
    first = await _agency_sale(session_factory, dev_env, settings, "Bappeda Belitung Timur")
    second = await _agency_sale(session_factory, dev_env, settings, "Bappeda Kab. Belitung Timur")
    assert (await _letter(api, first, officer)).status_code == 201

    granted = await _offer(api, first, officer)
    assert (await _letter(api, second, officer)).status_code == 201
    refused = await _offer(api, second, officer)
    page = await _form_offer(api, demo_accounts[("6202", "officer")], second)

    assert granted.status_code == 200, granted.text
    assert (await read_case_row(session_factory, first)).details["fee"] == 0
    assert refused.status_code == 422
    message = refused.json()["detail"]
    assert f"Bappeda Belitung Timur sudah pernah menerima Rp0 untuk Peta Sampit (desa) (permintaan {first}" in message
    assert "oleh Demo officer 6202" in message  # by whom, by name
    assert "2026" in message or "2027" in message  # and when, as a date in words
    # the form says it beside the Rp0 field, and the offer form shows the institution and its earlier grant
    beside = page[page.index('id="offer-zero_rupiah-error"') :]
    assert f"permintaan {first}" in beside[: beside.index("</span></span>") if "</span></span>" in beside else 600]
    assert "Instansi pemohon</dt><dd>Bappeda Belitung Timur" in page
    async with session_factory() as session:
        institutions = (await session.scalars(select(Institution))).all()
        linked = {case.institution_id for case in (await session.scalars(select(Case))).all()}
    assert [row.name for row in institutions] == ["Bappeda Belitung Timur"]  # the name as first entered
    assert linked == {institutions[0].id}
    assert await _grants(session_factory) == [(institutions[0].id, "Peta Sampit (desa)", first)]
    assert (await read_case_row(session_factory, second)).step == "offer"  # nothing changed


async def test_no_request_letter_is_refused_beside_the_field_and_a_letter_that_is_no_pdf_too(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    login: Any,
    session_factory: SessionFactory,
    demo_accounts: dict[tuple[str, str], DemoAccount],
) -> None:
    case_id = await _agency_sale(session_factory, dev_env, settings, "Dinas Kesehatan Kotawaringin Timur")
    account = demo_accounts[("6202", "officer")]

    by_api = await _offer(api, case_id, login("6202", "officer"))
    no_letter = await _form_offer(api, account, case_id)
    not_pdf = await _form_offer(
        api, account, case_id, files={"request_letter_document_id": ("surat.docx", b"PK\x03\x04 not a pdf")}
    )

    assert by_api.status_code == 422 and "surat permohonan" in by_api.json()["detail"]
    for page in (no_letter, not_pdf):
        assert 'id="offer-request_letter_document_id-error"' in page
        assert 'aria-describedby="offer-request_letter_document_id-error"' in page
        assert 'href="#offer-request_letter_document_id"' in page  # the error summary links to the field
    assert "surat permohonan dari instansi (PDF)" in no_letter
    assert "PDF" in not_pdf[not_pdf.index('id="offer-request_letter_document_id-error"') :][:400]
    assert await _grants(session_factory) == []
    assert (await read_case_row(session_factory, case_id)).step == "offer"


async def test_two_concurrent_rp0_offers_for_the_same_institution_and_map_grant_once(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    login: Any,
    session_factory: SessionFactory,
) -> None:
    officer = login("6202", "officer")
    cases = [
        await _agency_sale(session_factory, dev_env, settings, name)
        for name in ("Pemkab Kotim", "Pemerintah Kabupaten Kotim")
    ]
    for case_id in cases:
        assert (await _letter(api, case_id, officer)).status_code == 201

    answers = await asyncio.gather(*(_offer(api, case_id, officer) for case_id in cases))

    assert sorted(answer.status_code for answer in answers) == [200, 422], [answer.text for answer in answers]
    refused = next(answer for answer in answers if answer.status_code == 422)
    winner = next(case_id for case_id, answer in zip(cases, answers, strict=True) if answer.status_code == 200)
    assert f"permintaan {winner}" in refused.json()["detail"]
    grants = await _grants(session_factory)
    assert [grant[2] for grant in grants] == [winner]
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Institution)) == 1


async def test_a_different_dataset_for_the_same_institution_is_granted(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    login: Any,
    session_factory: SessionFactory,
) -> None:
    officer = login("6202", "officer")
    first = await _agency_sale(session_factory, dev_env, settings, "Universitas Palangka Raya")
    second = await _agency_sale(session_factory, dev_env, settings, "Univ. Palangka Raya")
    for case_id in (first, second):
        assert (await _letter(api, case_id, officer)).status_code == 201

    granted = await _offer(api, first, officer, MAP_LINE)
    other = await _offer(api, second, officer, OTHER_MAP_LINE)

    assert granted.status_code == 200 and other.status_code == 200, other.text
    assert [(grant[1], grant[2]) for grant in await _grants(session_factory)] == [
        ("Peta Sampit (desa)", first),
        ("Peta Baamang (desa)", second),
    ]
    assert (await read_case_row(session_factory, second)).details["fee"] == 0


async def test_a_registered_agency_and_a_walk_in_of_the_same_agency_are_linked_to_one_institution(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    registration = {
        "name": "Rina Wulandari",
        "email": "bappeda@belitungtimur.example.go.id",
        "password": "rahasia-sekali-123",
        "institution": "Bappeda Belitung Timur",
        "segment": "government",
    }
    walk_in = {
        **WALK_IN_REQUEST,
        "applicant": {"name": "Andi", "email": "andi@example.com", "segment": "government"},
    }
    walk_in["applicant"]["institution"] = "BAPPEDA KAB. BELITUNG TIMUR"

    registered = await api.post("/api/v1/applicants", json=registration)
    recorded = await api.post("/api/v1/sales", json=walk_in, auth=login("6202", "officer"))

    assert registered.status_code == 201 and recorded.status_code == 201, recorded.text
    async with session_factory() as session:
        applicant = await session.scalar(select(Applicant).where(Applicant.email == registration["email"]))
        case = await session.get(Case, recorded.json()["id"])
        institutions = (await session.scalars(select(Institution))).all()
    assert applicant is not None and case is not None
    assert [(row.name, row.kind) for row in institutions] == [("Bappeda Belitung Timur", "government")]
    assert applicant.institution_id == case.institution_id == institutions[0].id
