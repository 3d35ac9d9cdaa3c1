"""Institutions as records: the key a name is known by, resolving a name to its row, and the Rp0 rule.

An institution's key folds case, accents, punctuation and the common abbreviations ("Kab."/"Kabupaten",
"Prov."/"Provinsi", "Pemkab", "Dis."/"Dinas"), so that "Bappeda Kab. Belitung Timur" and "Bappeda Belitung Timur"
are one institution. "Kabupaten" and "Provinsi" are dropped (a regency's or province's agency is usually named
without them), "Kota" is kept (Kota Bogor is not Kabupaten Bogor). A private company is identified by its NPWP.

Rp0 ("penjualan nol rupiah", PP 13/2024) is for government agencies and state institutions, domestic education
institutions, foreign missions and international institutions, for non-commercial use, on the institution's request
letter; it is granted once per institution and dataset (``ZeroRupiahGrant``, unique on both).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import InstitutionKind, Segment
from core.formatting import date_in_words
from core.models import Case, Document, Institution, Office, ZeroRupiahGrant
from core.people import names

REQUEST_LETTER = "request_letter"  # the document kind of an institution's request letter (a PDF)
ZERO_RUPIAH_KINDS = frozenset({InstitutionKind.GOVERNMENT, InstitutionKind.EDUCATION, InstitutionKind.INTERNATIONAL})
KIND_OF_SEGMENT: dict[str, InstitutionKind] = {
    Segment.GOVERNMENT: InstitutionKind.GOVERNMENT,
    Segment.EDUCATION: InstitutionKind.EDUCATION,
    Segment.PRIVATE: InstitutionKind.PRIVATE,
    Segment.FOREIGN: InstitutionKind.INTERNATIONAL,
}  # an individual (or a student) is no institution

# Phrases written out that are better known by their acronym (matched on the folded words).
_PHRASES = {
    "badan perencanaan pembangunan daerah": "bappeda",
    "badan perencanaan pembangunan penelitian dan pengembangan daerah": "bapperida",
    "badan pusat statistik": "bps",
    "dinas kesehatan": "dinkes",
    "dinas pendidikan": "disdik",
}
# Single words: an abbreviation → its word ("" drops it).
_WORDS = {
    "kab": "",
    "kabupaten": "",
    "prov": "",
    "provinsi": "",
    "propinsi": "",
    "pemkab": "pemerintah",
    "pemprov": "pemerintah",
    "pemda": "pemerintah",
    "pemkot": "pemerintah kota",
    "dis": "dinas",
    "din": "dinas",
    "kec": "kecamatan",
    "univ": "universitas",
    "tbk": "",
    "persero": "",
}
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def institution_key(name: str) -> str:
    """The key an institution's name is known by: folded, abbreviations written out, markers dropped."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    words = [_WORDS.get(word, word) for word in _NOT_WORD.split(plain) if word]
    text = " ".join(word for word in words if word)
    for phrase, short in _PHRASES.items():
        text = re.sub(rf"\b{phrase}\b", short, text)
    return text


def dataset_key(name: str) -> str:
    """A dataset (or map) as the Rp0 rule compares it: case, accents, punctuation and spacing folded."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.split(plain)).strip()


def kind_of(segment: str) -> InstitutionKind | None:
    """The type of institution an applicant of ``segment`` speaks for (None: an individual)."""
    return KIND_OF_SEGMENT.get(segment)


async def resolve_institution(session: AsyncSession, *, name: str, segment: str, npwp: str = "") -> Institution | None:
    """The institution ``name`` is (created the first time, its display name as first entered); a private company
    by its NPWP. None for an individual or an empty name. Flushes; the caller commits."""
    kind = kind_of(segment)
    key = institution_key(name)
    if kind is None or not key:
        return None
    tax_id = "".join(char for char in npwp if char.isdigit()) if kind == InstitutionKind.PRIVATE else ""
    if tax_id:
        found = await session.scalar(select(Institution).where(Institution.npwp == tax_id))
        if found is not None:
            return found
    found = await session.scalar(select(Institution).where(Institution.key == key, Institution.npwp == ""))
    if found is not None:
        if tax_id:  # a company first named without its NPWP: this is it
            found.npwp = tax_id
        return found
    try:
        async with session.begin_nested():
            created = Institution(key=key, name=" ".join(name.split())[:200], kind=kind, npwp=tax_id)
            session.add(created)
        return created
    except IntegrityError:  # another request created it first
        wanted = Institution.npwp == tax_id if tax_id else (Institution.key == key) & (Institution.npwp == "")
        return (await session.scalars(select(Institution).where(wanted))).one()


@dataclass(frozen=True)
class Refusal:
    """Why Rp0 cannot be offered, and the field of the offer the reason belongs beside."""

    field: str
    message: str


async def grants_of(session: AsyncSession, institution_id: int) -> list[ZeroRupiahGrant]:
    """The Rp0 grants an institution received, oldest first."""
    rows = await session.scalars(
        select(ZeroRupiahGrant).where(ZeroRupiahGrant.institution_id == institution_id).order_by(ZeroRupiahGrant.id)
    )
    return list(rows.all())


async def grant_in_words(session: AsyncSession, grant: ZeroRupiahGrant) -> str:
    """An earlier grant as people read it: the dataset, the case, the day and the officer who granted it."""
    granted_by = (await names(session, [grant.granted_by]))[grant.granted_by]
    case = await session.get(Case, grant.case_id)
    office = await session.get(Office, case.office_code) if case is not None else None
    day = date_in_words(grant.granted_at, office.timezone) if office is not None else date_in_words(grant.granted_at)
    return f"{grant.dataset_name} (permintaan {grant.case_id}, {day}, oleh {granted_by})"


async def zero_rupiah_refusal(
    session: AsyncSession,
    *,
    case_id: str,
    institution_id: int | None,
    datasets: Sequence[str],
    request_letter_id: int | None,
) -> Refusal | None:
    """Why ``case_id`` may not be sold at Rp0 to the institution for ``datasets`` (None: it may): an eligible
    institution, its request letter (a PDF of the case) and no earlier grant of a dataset to it for another case."""
    institution = await session.get(Institution, institution_id) if institution_id is not None else None
    if institution is None:
        return Refusal("institution_id", "Pilih instansi pemohon: Rp0 dicatat per instansi dan dataset.")
    if institution.kind not in ZERO_RUPIAH_KINDS:
        return Refusal(
            "institution_id",
            f"{institution.name} tercatat sebagai instansi swasta. Penjualan Rp0 hanya untuk instansi pemerintah, "
            "lembaga pendidikan dalam negeri dan lembaga internasional/perwakilan asing; tagih sesuai tarif.",
        )
    letter = await session.get(Document, request_letter_id) if request_letter_id is not None else None
    if letter is None or letter.case_id != case_id or letter.kind != REQUEST_LETTER:
        return Refusal(
            "request_letter_document_id",
            "Penjualan Rp0 memerlukan surat permohonan dari instansi (PDF). Unggah surat permohonannya, atau "
            "hapus centang Rp0 agar ditagih sesuai tarif.",
        )
    keys = {dataset_key(dataset) for dataset in datasets}
    earlier = [
        grant
        for grant in await grants_of(session, institution.id)
        if grant.dataset in keys and grant.case_id != case_id
    ]
    if earlier:
        listed = "; ".join([await grant_in_words(session, grant) for grant in earlier])
        return Refusal(
            "zero_rupiah",
            f"{institution.name} sudah pernah menerima Rp0 untuk {listed}. Rp0 hanya sekali per instansi dan "
            "dataset; hapus centang Rp0 agar ditagih sesuai tarif.",
        )
    return None


async def record_grants(
    session: AsyncSession, *, case_id: str, institution_id: int, datasets: Sequence[str], granted_by: str
) -> None:
    """The grants of ``case_id``, one per dataset (idempotent); the unique key refuses a second case's grant."""
    have = {grant.dataset for grant in await grants_of(session, institution_id) if grant.case_id == case_id}
    for dataset in datasets:
        key = dataset_key(dataset)
        if key in have:
            continue
        have.add(key)
        session.add(
            ZeroRupiahGrant(
                institution_id=institution_id,
                dataset=key,
                dataset_name=dataset[:200],
                case_id=case_id,
                granted_by=granted_by,
            )
        )
