"""An institution's key folds the ways one body is written, and keeps apart bodies that differ; the grants' unique
key holds when two sessions grant the same institution and dataset at once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db import SessionFactory
from core.institutions import dataset_key, institution_key, record_grants, resolve_institution, zero_rupiah_refusal
from core.models import Institution, ZeroRupiahGrant
from tests.helpers import store_document, store_sale


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bappeda Kab. Belitung Timur", "Bappeda Belitung Timur"),
        ("BAPPEDA KABUPATEN BELITUNG TIMUR", "Badan Perencanaan Pembangunan Daerah Kab Belitung Timur"),
        ("Dinas Kesehatan Prov. Kalimantan Tengah", "Dis. Kesehatan Provinsi Kalimantan Tengah"),
        ("Dinkes Kotawaringin Timur", "Dinas  Kesehatan Kab. Kotawaringin Timur"),
        ("Pemkab Kotawaringin Timur", "Pemerintah Kabupaten Kotawaringin Timur"),
        ("Univ. Palangka Raya", "Universitas Palangka Raya"),
        ("PT Data Nusantara Tbk.", "PT. Data Nusantara"),
    ],
)
def test_spellings_of_one_body_share_a_key(one: str, other: str) -> None:
    assert institution_key(one) == institution_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bappeda Kota Bogor", "Bappeda Kabupaten Bogor"),  # a city is not the regency of the same name
        ("Dinas Kesehatan Kotawaringin Timur", "Dinas Pendidikan Kotawaringin Timur"),
        ("Bappeda Belitung Timur", "Bappeda Belitung"),
    ],
)
def test_different_bodies_keep_different_keys(one: str, other: str) -> None:
    assert institution_key(one) != institution_key(other)


def test_a_dataset_is_compared_without_case_or_punctuation() -> None:
    assert dataset_key("Peta Sampit (desa)") == dataset_key("peta  SAMPIT desa")
    assert dataset_key("Susenas Maret 2024") != dataset_key("Susenas Maret 2025")


async def test_names_resolve_to_one_row_with_the_first_name_and_a_company_by_its_npwp(
    session_factory: SessionFactory,
) -> None:
    async with session_factory() as session, session.begin():
        first = await resolve_institution(session, name="Bappeda Belitung Timur", segment="government")
        again = await resolve_institution(session, name="bappeda kab. belitung timur", segment="government")
        person = await resolve_institution(session, name="Universitas Palangka Raya", segment="individual")
        company = await resolve_institution(
            session, name="PT Data Nusantara", segment="private", npwp="01.234.567.8-901.000"
        )
        renamed = await resolve_institution(
            session, name="PT Data Nusantara Indonesia", segment="private", npwp="012345678901000"
        )
        namesake = await resolve_institution(
            session, name="PT Data Nusantara", segment="private", npwp="019999999901000"
        )
    assert first is not None and again is not None and first.id == again.id
    assert first.name == "Bappeda Belitung Timur" and first.kind == "government"
    assert person is None  # an individual speaks for no institution
    assert company is not None and renamed is not None and namesake is not None
    assert renamed.id == company.id and company.npwp == "012345678901000"
    assert namesake.id != company.id  # another NPWP is another company


async def test_two_sessions_granting_the_same_institution_and_dataset_at_once_grant_once(
    session_factory: SessionFactory,
) -> None:
    cases = [
        await store_sale(session_factory, segment="government", institution="Bappeda Belitung Timur") for _ in "ab"
    ]
    async with session_factory() as session, session.begin():
        institution = await resolve_institution(session, name="Bappeda Belitung Timur", segment="government")
        assert institution is not None

    async def grant(case_id: str) -> bool:
        try:
            async with session_factory() as session, session.begin():
                await record_grants(
                    session,
                    case_id=case_id,
                    institution_id=institution.id,
                    datasets=["Peta Sampit"],
                    granted_by="staff-1",
                )
        except IntegrityError:
            return False
        return True

    outcomes = await asyncio.gather(*(grant(case.id) for case in cases))
    async with session_factory() as session:
        grants = (await session.scalars(select(ZeroRupiahGrant))).all()
        institutions = (await session.scalars(select(Institution))).all()

    assert sorted(outcomes) == [False, True]
    assert len(grants) == 1 and len(institutions) == 1


async def test_the_rule_asks_for_the_case_s_own_letter_and_an_eligible_institution(
    session_factory: SessionFactory,
) -> None:
    case = await store_sale(session_factory, segment="government", institution="Bappeda Belitung Timur")
    other = await store_sale(session_factory, segment="government", institution="Bappeda Belitung Timur")
    letter, others_letter = (
        await store_document(session_factory, case.id, "request_letter"),
        await store_document(session_factory, other.id, "request_letter"),
    )
    abstract = await store_document(session_factory, case.id, "abstract")
    async with session_factory() as session, session.begin():
        agency = await resolve_institution(session, name="Bappeda Belitung Timur", segment="government")
        company = await resolve_institution(
            session, name="PT Data Nusantara", segment="private", npwp="012345678901000"
        )
        assert agency is not None and company is not None

        async def refusal(institution_id: int | None, letter_id: int | None) -> tuple[str, str] | None:
            found = await zero_rupiah_refusal(
                session,
                case_id=case.id,
                institution_id=institution_id,
                datasets=["Peta Sampit"],
                request_letter_id=letter_id,
            )
            return (found.field, found.message) if found else None

        no_letter, borrowed, wrong_kind = [await refusal(agency.id, given) for given in (None, others_letter, abstract)]
        private = await refusal(company.id, letter)
        nobody = await refusal(None, letter)
        allowed = await refusal(agency.id, letter)

    for refused in (no_letter, borrowed, wrong_kind):
        assert refused is not None and refused[0] == "request_letter_document_id" and "surat permohonan" in refused[1]
    assert private is not None and private[0] == "institution_id" and "swasta" in private[1]
    assert nobody is not None and nobody[0] == "institution_id"
    assert allowed is None
