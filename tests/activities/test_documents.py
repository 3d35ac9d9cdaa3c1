"""The documents: invoice, SPPD draft, receipt and recommendation letter PDFs, their rows, idempotent retries, the
shipped Unicode font, and the applicant's language."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, func, select, update
from temporalio.exceptions import ApplicationError

from activities.documents import FONT, FONTS, DocumentWriter, in_words, terbilang
from contracts.documents import (
    DocumentRef,
    DocumentRequest,
    Invoice,
    InvoiceRequest,
    LetterRef,
    LetterRequest,
    PriceLine,
    ReceiptRef,
    ReceiptRequest,
)
from core.case_details import FeeLine, RequestedItem, sale_details
from core.db import SessionFactory
from core.formatting import date_in_words
from core.i18n import using_language
from core.models import Applicant, Case, CaseCounter, Document, Office, Receipt, StaffAccount, Tariff, utcnow
from core.people import staff_ref
from core.settings import Settings
from tests.conftest import make_settings
from tests.helpers import read_case_row, store_sale

LINES = [
    PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000),
    PriceLine(item="Peta Kec. Sampit", tariff_code="map_regency_kecamatan", quantity=3),
]
TREASURER = "treasurer.6202@demo.pst-flow.id"


@pytest.fixture(autouse=True)
async def clean_documents(session_factory: SessionFactory, clean_cases: None) -> AsyncIterator[None]:
    """Documents and receipts go before the cases they belong to; the receipt counter starts afresh."""
    async with session_factory() as session, session.begin():
        await session.execute(delete(CaseCounter).where(CaseCounter.service == "receipt"))
    yield
    async with session_factory() as session, session.begin():
        await session.execute(delete(Document))
        await session.execute(delete(Receipt))
        await session.execute(delete(CaseCounter).where(CaseCounter.service == "receipt"))


@pytest.fixture
def doc_settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, smtp_port=1, task_queue="unused", tmp_path=tmp_path)


class Issuer:
    """The document writer with each call in a transaction of its own, as a step's transaction runs it."""

    def __init__(self, writer: DocumentWriter, session_factory: SessionFactory) -> None:
        self.writer, self._writer, self._sessions = writer, writer, session_factory

    async def issue_invoice(self, request: InvoiceRequest) -> Invoice:
        async with self._sessions() as session, session.begin():
            return await self.writer.invoice(session, request)

    async def issue_sppd_draft(self, request: DocumentRequest) -> DocumentRef:
        async with self._sessions() as session, session.begin():
            return await self.writer.sppd_draft(session, request)

    async def issue_receipt(self, request: ReceiptRequest) -> ReceiptRef:
        async with self._sessions() as session, session.begin():
            return await self.writer.receipt(session, request)

    async def issue_recommendation_letter(self, request: LetterRequest) -> LetterRef:
        async with self._sessions() as session, session.begin():
            return await self.writer.recommendation_letter(session, request)


@pytest.fixture
def documents(doc_settings: Settings, session_factory: SessionFactory) -> Issuer:
    return Issuer(DocumentWriter(doc_settings), session_factory)


async def _document(session_factory: SessionFactory, document_id: int) -> Document:
    async with session_factory() as session:
        document = await session.get(Document, document_id)
        assert document is not None
        return document


async def pdf_reader(session_factory: SessionFactory, settings: Settings, document_id: int) -> PdfReader:
    """A stored PDF, read; checks the file matches its row."""
    document = await _document(session_factory, document_id)
    data = (settings.storage_dir / document.path).read_bytes()
    assert data.startswith(b"%PDF-")
    assert (len(data), hashlib.sha256(data).hexdigest()) == (document.size, document.sha256)
    return PdfReader(io.BytesIO(data))


async def pdf_text(session_factory: SessionFactory, settings: Settings, document_id: int) -> str:
    """The text of a stored PDF, whitespace collapsed."""
    reader = await pdf_reader(session_factory, settings, document_id)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


async def _count(session_factory: SessionFactory, model: Any, case_id: str) -> int:
    async with session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(model.case_id == case_id)) or 0)


async def _set_case(session_factory: SessionFactory, case_id: str, **values: Any) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(update(Case).where(Case.id == case_id).values(**values))


def _office_year() -> int:
    return datetime.now(ZoneInfo("Asia/Pontianak")).year


LETTERHEAD = [
    "BADAN PUSAT STATISTIK",
    "BPS KABUPATEN KOTAWARINGIN TIMUR",
    "Jl. A.Yani No.5, Sampit",
    "Telp. 053121221",
    "ipds6202@bps.go.id",
    "https://kotimkab.bps.go.id",
]


# ---------------------------------------------------------------- invoice


async def test_the_invoice_prices_each_line_and_records_the_fee(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)

    invoice = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))

    assert invoice.amount == 120_000
    assert [(line.amount, line.unit, line.tariff_name) for line in invoice.lines] == [
        (30_000, "byte", "Data mikro tanpa pengolahan, per dataset"),
        (90_000, "peta", "Peta digital wilkerstat satu kabupaten per kecamatan"),
    ]
    text = await pdf_text(session_factory, doc_settings, invoice.document_id)
    for expected in [
        *LETTERHEAD,
        "INVOICE",
        f"INV-{case.id}-1",
        case.id,
        date_in_words(utcnow(), "Asia/Pontianak"),
        "Siti Aminah",
        "Susenas Maret 2025",
        "1.500.000 byte",
        "3 peta",
        "Rp30.000",
        "Rp90.000",
        "TOTAL Rp120.000",
        "Seratus dua puluh ribu rupiah",
        "SIMPONI",
    ]:
        assert expected in text, expected
    assert "transfer bank" not in text

    document = await _document(session_factory, invoice.document_id)
    assert (document.kind, document.filename, document.content_type, document.created_by) == (
        "invoice",
        f"invoice-{case.id}-v1.pdf",
        "application/pdf",
        "sistem",
    )
    assert document.path.startswith(f"{case.id}/invoice-{document.sha256[:12]}-")
    details = sale_details(await read_case_row(session_factory, case.id))
    assert details.fee == 120_000
    assert details.fee_lines[1] == FeeLine(
        item="Peta Kec. Sampit",
        tariff_code="map_regency_kecamatan",
        tariff_name="Peta digital wilkerstat satu kabupaten per kecamatan",
        quantity=3,
        unit="peta",
        amount=90_000,
    )
    assert details.items == [RequestedItem(kind="microdata", name="Susenas Maret 2025")]  # the request is kept


async def test_a_retried_invoice_returns_the_same_document_and_a_revision_makes_another(
    documents: Issuer, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)

    first = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))
    again = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))
    assert again == first
    assert await _count(session_factory, Document, case.id) == 1

    revised = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES[:1], version=2))
    assert revised.document_id != first.document_id and revised.amount == 30_000
    assert (await _document(session_factory, revised.document_id)).filename == f"invoice-{case.id}-v2.pdf"
    assert (await read_case_row(session_factory, case.id)).details["fee"] == 30_000
    assert await _count(session_factory, Document, case.id) == 2


async def test_a_zero_rupiah_invoice_charges_nothing(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)

    invoice = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES, zero_rupiah=True))

    assert invoice.amount == 0 and [line.amount for line in invoice.lines] == [0, 0]
    text = await pdf_text(session_factory, doc_settings, invoice.document_id)
    assert "Rp0 — penjualan nol rupiah" in text and "TOTAL Rp0" in text
    assert "Rp30.000" not in text and "SIMPONI" not in text
    assert (await read_case_row(session_factory, case.id)).details["fee"] == 0


async def test_an_applicant_abroad_is_told_to_transfer(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    await _set_case(session_factory, case.id, segment="foreign", applicant_institution="University of Leiden")

    invoice = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES[:1]))

    text = await pdf_text(session_factory, doc_settings, invoice.document_id)
    assert "transfer bank" in text and "bukti transfer" in text and "SIMPONI" not in text
    assert "University of Leiden" in text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (PriceLine(item="Buku", tariff_code="no_such_tariff", quantity=1), "tidak dikenal atau tidak aktif"),
        (PriceLine(item="Susenas", tariff_code="microdata", quantity=0), "Jumlah harus minimal 1"),
    ],
)
async def test_an_unknown_tariff_or_a_bad_quantity_is_not_retried(
    documents: Issuer, session_factory: SessionFactory, line: PriceLine, message: str
) -> None:
    case = await store_sale(session_factory)
    with pytest.raises(ApplicationError, match=message) as failure:
        await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=[line]))
    assert failure.value.non_retryable
    assert await _count(session_factory, Document, case.id) == 0
    assert sale_details(await read_case_row(session_factory, case.id)).fee is None


async def test_an_inactive_tariff_is_refused(documents: Issuer, session_factory: SessionFactory) -> None:
    case = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        await session.execute(update(Tariff).where(Tariff.code == "map_regency_kecamatan").values(active=False))
    try:
        with pytest.raises(ApplicationError, match="map_regency_kecamatan") as failure:
            await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))
        assert failure.value.non_retryable
    finally:
        async with session_factory() as session, session.begin():
            await session.execute(update(Tariff).where(Tariff.code == "map_regency_kecamatan").values(active=True))


async def test_the_invoice_uses_the_tariff_in_the_database(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        await session.execute(update(Tariff).where(Tariff.code == "map_regency_kecamatan").values(base_price=35_000))
    try:
        invoice = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES[1:]))
    finally:
        async with session_factory() as session, session.begin():
            await session.execute(
                update(Tariff).where(Tariff.code == "map_regency_kecamatan").values(base_price=30_000)
            )
    assert invoice.amount == 95_000
    assert "Rp95.000" in await pdf_text(session_factory, doc_settings, invoice.document_id)


async def test_an_unknown_case_is_not_retried(documents: Issuer) -> None:
    with pytest.raises(ApplicationError, match="tidak ditemukan") as failure:
        await documents.issue_invoice(InvoiceRequest(case_id="sale-6202-2026-999999", lines=LINES))
    assert failure.value.non_retryable


# ---------------------------------------------------------------- SPPD draft


async def test_the_sppd_draft_names_the_parties_items_abstract_terms_and_meterai(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    abstract = "Skripsi tentang kemiskinan rumah tangga di Kotawaringin Timur tahun 2025."
    await _set_case(
        session_factory,
        case.id,
        details={
            "items": [
                {"kind": "microdata", "name": "Susenas Maret 2025", "variables": ["r101", "r102"], "level": None},
                {"kind": "map", "name": "Sampit", "variables": [], "level": "desa"},
            ],
            "abstract": abstract,
        },
    )

    ref = await documents.issue_sppd_draft(DocumentRequest(case_id=case.id, kind="sppd_draft"))

    assert (ref.kind, ref.filename) == ("sppd_draft", f"sppd-{case.id}-v1.pdf")
    text = await pdf_text(session_factory, doc_settings, ref.document_id)
    for expected in [
        *LETTERHEAD,
        "SURAT PERJANJIAN PENGGUNAAN DATA (SPPD)",
        case.id,
        "Pihak Pertama",
        "Pihak Kedua",
        "Siti Aminah",
        "Data mikro Susenas Maret 2025 (variabel: r101, r102)",
        "Peta digital wilkerstat Sampit (per desa)",
        abstract,
        "hanya digunakan untuk keperluan",
        "tidak akan memperbanyak, menjual, menyebarluaskan",
        "sebagai sumber data",
        "salinan publikasi",
        "Undang-Undang Nomor 16 Tahun 1997",
        "Meterai Rp10.000",
    ]:
        assert expected in text, expected
    document = await _document(session_factory, ref.document_id)
    assert (document.kind, document.created_by, document.content_type) == ("sppd_draft", "sistem", "application/pdf")

    assert await documents.issue_sppd_draft(DocumentRequest(case_id=case.id, kind="sppd_draft")) == ref
    assert await _count(session_factory, Document, case.id) == 1
    second = await documents.issue_sppd_draft(DocumentRequest(case_id=case.id, kind="sppd_draft", version=2))
    assert second.document_id != ref.document_id and second.filename == f"sppd-{case.id}-v2.pdf"


# ---------------------------------------------------------------- receipt


async def test_receipts_are_numbered_per_office_and_year_and_issued_once(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    year = _office_year()
    first_case = await store_sale(session_factory)
    second_case = await store_sale(session_factory)
    await documents.issue_invoice(InvoiceRequest(case_id=first_case.id, lines=LINES))

    first = await documents.issue_receipt(ReceiptRequest(case_id=first_case.id, issued_by=TREASURER))
    again = await documents.issue_receipt(ReceiptRequest(case_id=first_case.id, issued_by="someone.else@bps.go.id"))
    second = await documents.issue_receipt(ReceiptRequest(case_id=second_case.id, issued_by=TREASURER))

    assert (first.number, first.amount) == (f"KW-6202-{year}-00001", 120_000)
    assert again == first
    assert (second.number, second.amount) == (f"KW-6202-{year}-00002", 0)
    assert await _count(session_factory, Receipt, first_case.id) == 1
    assert await _count(session_factory, Document, first_case.id) == 2  # invoice and receipt

    text = await pdf_text(session_factory, doc_settings, first.document_id)
    for expected in [
        *LETTERHEAD,
        "KUITANSI",
        f"KW-6202-{year}-00001",
        "Telah terima dari",
        "Siti Aminah",
        "Rp120.000",
        "Seratus dua puluh ribu rupiah",
        f"Pembelian data mikro/peta digital {first_case.id}",
        "Bendahara Penerimaan",
        "Demo treasurer 6202",
        date_in_words(utcnow(), "Asia/Pontianak"),
    ]:
        assert expected in text, expected
    document = await _document(session_factory, first.document_id)
    assert (document.kind, document.filename) == ("receipt", f"kuitansi-KW-6202-{year}-00001.pdf")
    async with session_factory() as session:
        receipt = await session.get(Receipt, first.number)
        assert receipt is not None
        assert (receipt.case_id, receipt.issued_by) == (first_case.id, TREASURER)
    assert "Rp0 — penjualan nol rupiah" in await pdf_text(session_factory, doc_settings, second.document_id)


async def test_the_receipt_year_is_the_office_local_year(documents: Issuer, session_factory: SessionFactory) -> None:
    new_year_in_sampit = datetime(2030, 12, 31, 17, 30, tzinfo=UTC)  # 1 Jan 2031 00.30 WIB
    async with session_factory() as session, session.begin():
        office = await session.get(Office, "6202")
        assert office is not None
        number = await documents.writer._next_receipt_number(session, office, new_year_in_sampit)
    assert number == "KW-6202-2031-00001"


# ---------------------------------------------------------------- text helpers


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Nol rupiah"),
        (11, "Sebelas rupiah"),
        (15_000, "Lima belas ribu rupiah"),
        (20_020, "Dua puluh ribu dua puluh rupiah"),
        (101_000, "Seratus satu ribu rupiah"),
        (1_250_000, "Satu juta dua ratus lima puluh ribu rupiah"),
        (12_000_000, "Dua belas juta rupiah"),
        (2_001_000_000, "Dua miliar satu juta rupiah"),
    ],
)
def test_amounts_in_words(amount: int, words: str) -> None:
    assert terbilang(amount) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Zero rupiah"),
        (15, "Fifteen rupiah"),
        (20_020, "Twenty thousand twenty rupiah"),
        (120_000, "One hundred twenty thousand rupiah"),
        (1_250_042, "One million two hundred fifty thousand forty-two rupiah"),
        (2_001_000_000, "Two billion one million rupiah"),
    ],
)
def test_amounts_in_english_words(amount: int, words: str) -> None:
    with using_language("en"):
        assert in_words(amount) == words
    assert in_words(amount) == terbilang(amount)


# ---------------------------------------------------------------- any name, as written (the embedded font)


def _fonts(reader: PdfReader) -> list[Any]:
    """Every font the pages of ``reader`` use."""
    fonts: list[Any] = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts += [font.get_object() for font in resources["/Font"].values()]
    return fonts


FOREIGN_NAMES = ["Nguyễn Văn Thành", "Łukasz Żółć", "Zoë O’Brien", "Ömer Çelik"]


@pytest.mark.parametrize("name", FOREIGN_NAMES)
async def test_an_applicants_name_prints_as_written_in_an_embedded_font(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory, name: str
) -> None:
    case = await store_sale(session_factory)
    await _set_case(session_factory, case.id, applicant_name=name, applicant_institution="Université de Genève")

    refs = [
        (await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))).document_id,
        (await documents.issue_sppd_draft(DocumentRequest(case_id=case.id, kind="sppd_draft"))).document_id,
        (await documents.issue_receipt(ReceiptRequest(case_id=case.id, issued_by=TREASURER))).document_id,
    ]
    for document_id in refs:
        text = await pdf_text(session_factory, doc_settings, document_id)
        assert name in text and "Université de Genève" in text and "?" not in text.replace(name, "")
        reader = await pdf_reader(session_factory, doc_settings, document_id)
        fonts = _fonts(reader)
        assert fonts
        for font in fonts:  # every font is the shipped one, embedded (a subset), none a reader's built-in font
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            assert re.fullmatch(rf"/[A-Z]{{6}}\+{FONT}(Bold|Oblique)?", str(font["/BaseFont"])), font["/BaseFont"]


async def test_a_name_typed_with_combining_marks_prints_as_one_letter_each(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)
    await _set_case(session_factory, case.id, applicant_name=unicodedata.normalize("NFD", "Nguyễn Văn Thành"))

    ref = await documents.issue_sppd_draft(DocumentRequest(case_id=case.id, kind="sppd_draft"))

    assert "Nguyễn Văn Thành" in await pdf_text(session_factory, doc_settings, ref.document_id)


def test_the_font_ships_with_the_project_and_its_licence() -> None:
    assert FONTS.is_relative_to(Path(__file__).resolve().parents[2])
    assert {path.name for path in FONTS.iterdir()} >= {
        f"{FONT}.ttf",
        f"{FONT}-Bold.ttf",
        f"{FONT}-Oblique.ttf",
        "LICENSE.txt",  # package-data takes *.txt: the licence ships with the fonts
    }


# ---------------------------------------------------------------- the applicant's language

INDONESIAN_WORDS = [
    "BADAN PUSAT STATISTIK",
    "Nomor",
    "Tanggal",
    "Nama pemohon",
    "Instansi",
    "Terbilang",
    "Cara pembayaran",
    "Tarif",
    "Banyaknya",
    "Biaya",
    "transfer bank",
    "rupiah yang",
    "pemohon",
    "Pemohon",
    "peta ",
    "halaman",
    "Data mikro tanpa",
    "Pihak",
    "Telah terima",
    "Bendahara",
    "Dokumen ini dibuat",
    "pukul",
    "hari",
]
ENGLISH_MONTH_DAY = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b"
)


@pytest.fixture
async def abroad_applicant(session_factory: SessionFactory) -> AsyncIterator[int]:
    """A registered applicant abroad who reads English."""
    async with session_factory() as session, session.begin():
        applicant = Applicant(
            email="zoe.obrien@uni-leiden.example",
            name="Zoë O’Brien",
            institution="Leiden University",
            segment="foreign",
            abroad=True,
            language="en",
            password_hash="-",
        )
        session.add(applicant)
        await session.flush()
        applicant_id = applicant.id
    yield applicant_id
    async with session_factory() as session, session.begin():
        await session.execute(update(Case).where(Case.applicant_id == applicant_id).values(applicant_id=None))
        await session.execute(delete(Applicant).where(Applicant.id == applicant_id))


async def _english_case(session_factory: SessionFactory, applicant_id: int) -> Case:
    case = await store_sale(session_factory, segment="foreign", institution="Leiden University", abroad=True)
    await _set_case(session_factory, case.id, applicant_id=applicant_id, applicant_name="Zoë O’Brien")
    return case


async def test_the_invoice_of_an_applicant_abroad_reads_in_english(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory, abroad_applicant: int
) -> None:
    case = await _english_case(session_factory, abroad_applicant)

    invoice = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))

    text = await pdf_text(session_factory, doc_settings, invoice.document_id)
    with using_language("en"):
        today = date_in_words(utcnow(), "Asia/Pontianak")
    for expected in [
        "BPS-STATISTICS INDONESIA",
        "BPS KABUPATEN KOTAWARINGIN TIMUR",
        "INVOICE",
        f"Invoice number : INV-{case.id}-1",
        f"Request number : {case.id}",
        f"Date : {today}",
        "Applicant : Zoë O’Brien",
        "Institution : Leiden University",
        "Item Tariff Quantity Fee",
        "Microdata without processing, per dataset",
        "1,500,000 bytes",
        "3 maps",
        "Rp30,000",
        "TOTAL Rp120,000",
        "In words: One hundred twenty thousand rupiah",
        "How to pay",
        "An applicant abroad pays Rp120,000 by bank transfer",
        "uploads the proof of transfer",
        "This document was made by PST Flow on",
    ]:
        assert expected in text, expected
    assert ENGLISH_MONTH_DAY.search(text) and re.search(r"on .*\d{4} at \d\d:\d\d WIB", text)
    for indonesian in INDONESIAN_WORDS:
        assert not re.search(rf"\b{indonesian}\b", text), indonesian


async def test_the_sppd_and_receipt_of_an_applicant_abroad_read_in_english(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory, abroad_applicant: int
) -> None:
    case = await _english_case(session_factory, abroad_applicant)
    await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))

    sppd = await documents.issue_sppd_draft(DocumentRequest(case_id=case.id, kind="sppd_draft"))
    receipt = await documents.issue_receipt(ReceiptRequest(case_id=case.id, issued_by=TREASURER))

    sppd_text = await pdf_text(session_factory, doc_settings, sppd.document_id)
    for expected in [
        "DATA USE AGREEMENT (SPPD)",
        f"Request number {case.id} - version 1",
        "First Party",
        "Represented by : Head of BPS Kabupaten Kotawaringin Timur",
        "Second Party",
        "The First Party provides the Second Party with the following data: 1. Microdata Susenas Maret 2025 (all "
        "variables, full set)",
        "Data use abstract",
        "The Second Party will not copy, sell, distribute",
        "Law Number 16 of 1997 on Statistics",
        "Duty stamp (meterai) Rp10,000",
        "Second Party, Data user",
    ]:
        assert expected in sppd_text, expected
    receipt_text = await pdf_text(session_factory, doc_settings, receipt.document_id)
    for expected in [
        "RECEIPT",
        "Received from : Zoë O’Brien (Leiden University)",
        "The sum of : Rp120,000",
        "In words : One hundred twenty thousand rupiah",
        f"Purchase of microdata/digital maps {case.id}",
        "Revenue Treasurer",
        "Demo treasurer 6202",
    ]:
        assert expected in receipt_text, expected
    for indonesian in [
        "Pihak",
        "Ketentuan",
        "Meterai Rp",
        "Kuitansi",
        "KUITANSI",
        "Telah terima",
        "Terbilang",
        "pukul",
    ]:
        assert indonesian not in sppd_text + receipt_text, indonesian


async def test_a_domestic_applicants_invoice_stays_in_indonesian(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await store_sale(session_factory)

    invoice = await documents.issue_invoice(InvoiceRequest(case_id=case.id, lines=LINES))

    text = await pdf_text(session_factory, doc_settings, invoice.document_id)
    assert "Item Tarif Banyaknya Biaya" in text and "Cara pembayaran" in text and "pukul" in text
    assert "Terbilang: Seratus dua puluh ribu rupiah" in text
    assert "How to pay" not in text and "Microdata" not in text


# ---------------------------------------------------------------- the recommendation letter's signer


async def _examiner(session_factory: SessionFactory) -> StaffAccount:
    async with session_factory() as session:
        examiner = await session.scalar(
            select(StaffAccount).where(StaffAccount.email == "examiner.6202@demo.pst-flow.id")
        )
        assert examiner is not None
        return examiner


async def _recommendation(session_factory: SessionFactory) -> Case:
    case = await store_sale(session_factory, institution="Dinas Kesehatan Kabupaten Kotawaringin Timur")
    await _set_case(
        session_factory,
        case.id,
        service="recommendation",
        details={"title": "Survei Gizi Balita 2027", "fs3": {"title": "Survei Gizi Balita 2027", "year": 2027}},
    )
    return case


@pytest.mark.parametrize("held_as", ["reference", "email"])
async def test_the_recommendation_letter_is_signed_with_the_examiners_name(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory, held_as: str
) -> None:
    examiner = await _examiner(session_factory)
    case = await _recommendation(session_factory)
    ref = staff_ref(examiner.id) if held_as == "reference" else examiner.email  # runs before references held emails

    letter = await documents.issue_recommendation_letter(
        LetterRequest(case_id=case.id, examiner=ref, notes="Sampel cukup.", round=1)
    )

    text = await pdf_text(session_factory, doc_settings, letter.document_id)
    for expected in [
        "SURAT REKOMENDASI KEGIATAN STATISTIK",
        letter.number,
        "Dinas Kesehatan Kabupaten Kotawaringin Timur",
        "Survei Gizi Balita 2027",
        "Catatan pemeriksa: Sampel cukup.",
        f"Pemeriksa, {examiner.name}",
    ]:
        assert expected in text, expected
    assert examiner.email not in text and "staff-" not in text


async def test_a_letter_whose_examiner_has_no_account_leaves_a_line_to_sign_not_an_email(
    documents: Issuer, doc_settings: Settings, session_factory: SessionFactory
) -> None:
    case = await _recommendation(session_factory)

    letter = await documents.issue_recommendation_letter(
        LetterRequest(case_id=case.id, examiner="examiner.gone@bps.go.id", notes="", round=1)
    )

    text = await pdf_text(session_factory, doc_settings, letter.document_id)
    assert "examiner.gone" not in text and "Pemeriksa," in text and "(......" in text
