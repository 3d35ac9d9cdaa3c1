"""Documents of the sale and the recommendation: the invoice, the SPPD draft, the treasurer's receipt and the
recommendation letter, as PDFs stored with the case.

Each document is written in its applicant's language (``Applicant.language``: English for one abroad who chose
it, Indonesian otherwise and for a walk-in guest without an account), with dates and money by
``core.formatting``. Text is set in DejaVu Sans Condensed, shipped in ``core/fonts`` and embedded as a subset,
so any name prints as written (``Nguyễn Văn Thành``); nothing is read from the system or downloaded at run
time. Each issue is idempotent: a retried activity returns the document already made.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.exceptions import ApplicationError

from contracts.documents import (
    DocumentRef,
    DocumentRequest,
    Invoice,
    InvoiceRequest,
    LetterRef,
    LetterRequest,
    PricedLine,
    ReceiptRef,
    ReceiptRequest,
)
from core.case_details import FeeLine, recommendation_details, sale_details, save_details
from core.counters import next_number
from core.download_code import code_hash, new_code
from core.enums import Segment
from core.formatting import date_in_words, rupiah, time_in_words
from core.formatting import number as grouped
from core.i18n import ENGLISH, INDONESIAN, N_, current_language, using_language
from core.i18n import gettext as _
from core.models import Applicant, Case, Document, DownloadCode, Office, Receipt, utcnow
from core.people import staff_by_ref
from core.pricing import price_lines
from core.settings import Settings
from core.storage import store

log = logging.getLogger(__name__)

PDF = "application/pdf"
SYSTEM = "sistem"
INVOICE = "invoice"
SPPD_DRAFT = "sppd_draft"
RECEIPT = "receipt"
RECEIPT_COUNTER = "receipt"
ZERO_RUPIAH_TEXT = N_("Rp0 — penjualan nol rupiah")
METERAI = 10_000
BLANK_SIGNER = "(..............................)"  # a place to sign and write the name by hand
_SIGNATURE_HEIGHT = 56  # mm: date line, roles, meterai box, name

# The font shipped with the project (its licence beside it); styles used: regular, bold ("B", "BU"), italic.
FONTS = Path(__file__).resolve().parents[1] / "core" / "fonts"
FONT = "DejaVuSansCondensed"
FONT_FILES = {"": f"{FONT}.ttf", "B": f"{FONT}-Bold.ttf", "I": f"{FONT}-Oblique.ttf"}

_SPPD_TERMS = [
    N_("Data hanya digunakan untuk keperluan sebagaimana tercantum dalam abstraksi penggunaan data di atas."),
    N_(
        "Pihak Kedua tidak akan memperbanyak, menjual, menyebarluaskan atau memberikan data, baik seluruhnya maupun "
        "sebagian, kepada pihak lain dalam bentuk apa pun."
    ),
    N_(
        "Setiap publikasi atau karya yang menggunakan data ini mencantumkan Badan Pusat Statistik (BPS) sebagai "
        "sumber data."
    ),
    N_("Pihak Kedua menyampaikan kepada Pihak Pertama salinan publikasi atau hasil karya yang menggunakan data ini."),
    N_(
        "Pelanggaran atas perjanjian ini dikenai sanksi sesuai Undang-Undang Nomor 16 Tahun 1997 tentang Statistik "
        "dan peraturan perundang-undangan lain yang berlaku."
    ),
]


# ---------------------------------------------------------------- amounts in words


_ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]
_SCALES = [(1_000_000_000_000, "triliun"), (1_000_000_000, "miliar"), (1_000_000, "juta")]


def _words(number: int) -> str:
    if number < 12:
        return _ONES[number]
    if number < 20:
        return f"{_ONES[number - 10]} belas"
    if number < 100:
        return f"{_ONES[number // 10]} puluh {_words(number % 10)}"
    if number < 200:
        return f"seratus {_words(number - 100)}"
    if number < 1000:
        return f"{_ONES[number // 100]} ratus {_words(number % 100)}"
    if number < 2000:
        return f"seribu {_words(number - 1000)}"
    if number < 1_000_000:
        return f"{_words(number // 1000)} ribu {_words(number % 1000)}"
    for scale, name in _SCALES:
        if number >= scale:
            return f"{_words(number // scale)} {name} {_words(number % scale)}"
    raise AssertionError(number)  # pragma: no cover - every number ≥ 1.000.000 has a scale


def terbilang(amount: int) -> str:
    """An amount of Rupiah in Indonesian words: ``30000`` → ``Tiga puluh ribu rupiah``."""
    words = " ".join(_words(amount).split()) if amount > 0 else "nol"
    return f"{words} rupiah".capitalize()


_EN_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_SCALES = [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand")]


def _english_words(number: int) -> str:
    if number < 20:
        return _EN_ONES[number]
    if number < 100:
        return _EN_TENS[number // 10] + (f"-{_EN_ONES[number % 10]}" if number % 10 else "")
    for scale, name in [*_EN_SCALES, (100, "hundred")]:
        if number >= scale:
            rest = f" {_english_words(number % scale)}" if number % scale else ""
            return f"{_english_words(number // scale)} {name}{rest}"
    raise AssertionError(number)  # pragma: no cover - every number ≥ 100 has a scale


def in_words(amount: int) -> str:
    """An amount of Rupiah in words in the current language: ``Tiga puluh ribu rupiah``, ``Thirty thousand
    rupiah``."""
    if current_language() == ENGLISH:
        return f"{_english_words(amount)} rupiah".capitalize()
    return terbilang(amount)


# ---------------------------------------------------------------- rendering


class _Pdf(FPDF):
    """An A4 document in the project's Unicode font; text is composed (NFC) first, so a name typed with combining
    marks prints as one letter."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        for style, filename in FONT_FILES.items():
            self.add_font(FONT, style, FONTS / filename)

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class _Signature:
    """A signature place: the role line, the signer's name, and whether it carries the meterai box."""

    role: str
    name: str
    meterai: bool = False


def _new_pdf(title: str, now: datetime) -> _Pdf:
    pdf = _Pdf()
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(title)
    pdf.set_author("PST Flow - Badan Pusat Statistik")
    pdf.set_lang(current_language())
    pdf.set_creation_date(now)
    pdf.add_page()
    return pdf


def _wrapped(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into lines that fit ``width`` in the current font, word by word (a word longer than a line
    is cut), keeping its own line breaks. fpdf2's multi_cell
    measures its line again for every character, so a paragraph costs it the square of its length; this
    measures each word once."""
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            wide = pdf.get_string_width(word)
            while wide > width and len(word) > 1:  # cut what cannot fit on any line
                if line:
                    lines.append(line)
                    line, used = "", 0.0
                cut = max(1, int(len(word) * width / wide))
                lines.append(word[:cut])
                word = word[cut:]
                wide = pdf.get_string_width(word)
            if line and used + space + wide > width:
                lines.append(line)
                line, used = "", 0.0
            line, used = (f"{line} {word}", used + space + wide) if line else (word, wide)
        lines.append(line)
    return lines


def _text(
    pdf: FPDF,
    text: str,
    *,
    width: float = 0,
    height: float = 5.5,
    align: str = "L",
    new_x: XPos = XPos.LMARGIN,
    new_y: YPos = YPos.NEXT,
) -> None:
    """What ``multi_cell`` draws for plain text, ragged right (easier to read than justified text): a box
    ``width`` wide (0: to the right margin), one cell per line."""
    left = pdf.get_x()
    box = width or pdf.w - pdf.r_margin - left
    lines = _wrapped(pdf, text, box - 2 * pdf.c_margin)
    for number, line in enumerate(lines, start=1):
        last = number == len(lines)
        pdf.set_x(left)
        pdf.cell(box, height, line, align=align, new_x=new_x if last else XPos.LEFT, new_y=new_y if last else YPos.NEXT)


def _line(pdf: FPDF, text: str, *, size: float = 10, style: str = "", align: str = "L", height: float = 5.5) -> None:
    pdf.set_font(FONT, style=style, size=size)
    _text(pdf, text, height=height, align=align)


def _letterhead(pdf: FPDF, office: Office) -> None:
    """The office's letterhead: BPS, office name, address and contacts, then a double rule."""
    _line(pdf, _("BADAN PUSAT STATISTIK"), size=13, style="B", align="C", height=6)
    _line(pdf, office.name.upper(), size=12, style="B", align="C", height=6)
    _line(pdf, office.address, size=8.5, align="C", height=4.2)
    contacts = _("Telp. %(phone)s  |  Email %(email)s  |  %(website)s") % {
        "phone": office.phone,
        "email": office.email,
        "website": office.website,
    }
    _line(pdf, contacts, size=8.5, align="C", height=4.2)
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1, pdf.w - pdf.r_margin, y + 1)
    pdf.set_y(y + 5)


def _title(pdf: FPDF, title: str, subtitle: str = "") -> None:
    _line(pdf, title, size=14, style="B", align="C", height=7)
    if subtitle:
        _line(pdf, subtitle, size=10, align="C")
    pdf.ln(3)


def _fields(pdf: FPDF, rows: list[tuple[str, str]], label_width: float = 45) -> None:
    """``label : value`` rows."""
    for label, value in rows:
        pdf.set_font(FONT, size=10)
        pdf.cell(label_width, 5.5, label)
        pdf.cell(4, 5.5, ":")
        _text(pdf, value or "-")
    pdf.ln(2)


def _section(pdf: FPDF, heading: str) -> None:
    pdf.ln(1)
    _line(pdf, heading, size=10.5, style="B")


def _numbered(pdf: FPDF, entries: list[str]) -> None:
    pdf.set_font(FONT, size=10)
    for number, entry in enumerate(entries, start=1):
        pdf.cell(7, 5.5, f"{number}.")
        _text(pdf, entry)


def _signatures(pdf: FPDF, place_and_date: str, left: _Signature, right: _Signature) -> None:
    """Two signature places side by side; a signer with ``meterai`` gets the Rp10.000 meterai box."""
    if pdf.get_y() + _SIGNATURE_HEIGHT > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(4)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.set_font(FONT, size=10)
    pdf.cell(half, 5.5, "")
    pdf.cell(half, 5.5, place_and_date, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y()
    for column, signer in enumerate((left, right)):
        x = pdf.l_margin + column * half
        pdf.set_xy(x, top)
        _text(pdf, signer.role, width=half, align="C", new_x=XPos.LEFT)
        if signer.meterai:
            box_x, box_y = x + half / 2 - 17, pdf.get_y() + 3
            pdf.rect(box_x, box_y, 24, 14)
            pdf.set_font(FONT, size=7.5)
            stamp = _("Meterai %(amount)s") % {"amount": rupiah(METERAI)}
            lines = len(_wrapped(pdf, stamp, 24 - 2 * pdf.c_margin))
            pdf.set_xy(box_x, box_y + (14 - lines * 3.8) / 2)  # in the middle of the box, in either language
            _text(pdf, stamp, width=24, height=3.8, align="C")
            pdf.set_font(FONT, size=10)
        pdf.set_xy(x, top + 34)
        pdf.set_font(FONT, style="BU", size=10)
        _text(pdf, signer.name, width=half, align="C")
        pdf.set_font(FONT, size=10)
    pdf.set_xy(pdf.l_margin, top + 42)


def _footer(pdf: FPDF, office: Office, now: datetime) -> None:
    pdf.ln(4)
    made = _("Dokumen ini dibuat oleh PST Flow pada %(time)s.") % {"time": time_in_words(now, office.timezone)}
    _line(pdf, made, size=7.5, height=4)


def _output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def _applicant_rows(case: Case) -> list[tuple[str, str]]:
    rows = [(_("Nama pemohon"), case.applicant_name)]
    if case.applicant_institution:
        rows.append((_("Instansi"), case.applicant_institution))
    rows.append((_("Email"), case.applicant_email))
    return rows


def _office_head(office: Office) -> str:
    return _("Kepala %(office)s") % {"office": office.name}


def render_invoice(
    *,
    office: Office,
    case: Case,
    number: str,
    lines: list[PricedLine],
    total: int,
    zero_rupiah: bool,
    abroad: bool,
    billing_code_days: int,
    now: datetime,
) -> bytes:
    """The invoice PDF of a sale offer, in the current language."""
    pdf = _new_pdf(_("Invoice %(number)s") % {"number": number}, now)
    _letterhead(pdf, office)
    _title(pdf, _("INVOICE"), number)
    _fields(
        pdf,
        [
            (_("Nomor invoice"), number),
            (_("Nomor permintaan"), case.id),
            (_("Tanggal"), date_in_words(now, office.timezone)),
            *_applicant_rows(case),
        ],
    )
    pdf.set_font(FONT, size=9.5)
    with pdf.table(
        col_widths=(34, 62, 34, 40), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT"), line_height=5.5, padding=1.2
    ) as table:
        table.row([_("Item"), _("Tarif"), _("Banyaknya"), _("Biaya")])
        for line in lines:
            # A tariff's name and unit are data in Indonesian: the seeded ones (core/reference.py) have their English,
            # a name an administrator wrote prints as written.
            quantity = f"{grouped(line.quantity)} {_(line.unit)}"
            table.row([line.item, _(line.tariff_name), quantity, rupiah(line.amount)])
        total_row = table.row()
        total_row.cell(_("TOTAL"), colspan=3, align="RIGHT")
        total_row.cell(rupiah(total), align="RIGHT")
    pdf.ln(3)
    _line(pdf, _("Terbilang: %(words)s") % {"words": in_words(total)}, size=9.5, style="I")
    _section(pdf, _("Cara pembayaran"))
    if zero_rupiah:
        _line(
            pdf,
            _("%(zero)s: tidak ada yang perlu dibayar. Permintaan diproses setelah SPPD ditandatangani.")
            % {"zero": _(ZERO_RUPIAH_TEXT)},
        )
    elif abroad:
        _line(
            pdf,
            _(
                "Pemohon di luar negeri membayar %(amount)s melalui transfer bank ke rekening penerimaan negara "
                "yang diinformasikan petugas PST, lalu mengunggah bukti transfer pada halaman permintaan "
                "%(case)s. Biaya transfer ditanggung pemohon."
            )
            % {"amount": rupiah(total), "case": case.id},
        )
    else:
        _line(
            pdf,
            _(
                "Pembayaran PNBP sebesar %(amount)s menggunakan kode billing SIMPONI yang dikirim petugas PST. "
                "Bayar melalui teller bank/pos persepsi, ATM, internet atau mobile banking sebelum kode billing "
                "kedaluwarsa (%(days)s hari). Simpan bukti bayar yang memuat NTPN."
            )
            % {"amount": rupiah(total), "days": billing_code_days},
        )
    _line(
        pdf,
        _("Tarif PNBP sesuai PP 13/2024 tentang Jenis dan Tarif atas Jenis PNBP yang berlaku pada BPS."),
        size=8.5,
    )
    _footer(pdf, office, now)
    return _output(pdf)


def render_sppd(*, office: Office, case: Case, items: list[str], abstract: str, version: int, now: datetime) -> bytes:
    """The draft of the data use agreement (SPPD) for the applicant to sign over a Rp10.000 meterai."""
    today = date_in_words(now, office.timezone)
    pdf = _new_pdf(_("SPPD %(case)s") % {"case": case.id}, now)
    _letterhead(pdf, office)
    _title(
        pdf,
        _("SURAT PERJANJIAN PENGGUNAAN DATA (SPPD)"),
        _("Nomor permintaan %(case)s - versi %(version)s") % {"case": case.id, "version": version},
    )
    _line(pdf, _("Pada tanggal %(date)s, yang bertanda tangan di bawah ini:") % {"date": today})
    _section(pdf, _("Pihak Pertama"))
    _fields(
        pdf,
        [(_("Nama instansi"), office.name), (_("Alamat"), office.address), (_("Diwakili oleh"), _office_head(office))],
    )
    _section(pdf, _("Pihak Kedua"))
    _fields(pdf, _applicant_rows(case))
    _line(pdf, _("Pihak Pertama menyerahkan kepada Pihak Kedua data berikut:"))
    _numbered(pdf, items or ["-"])
    _section(pdf, _("Abstraksi penggunaan data"))
    _line(pdf, abstract.strip() or "-")
    _section(pdf, _("Ketentuan"))
    _line(pdf, _("Pihak Kedua menyetujui ketentuan berikut:"))
    _numbered(pdf, [_(term) for term in _SPPD_TERMS])
    _line(
        pdf,
        _("Perjanjian ini dibuat rangkap dua, masing-masing bermeterai cukup dan berkekuatan hukum yang sama."),
    )
    _signatures(
        pdf,
        today,
        _Signature(role=_("Pihak Pertama,\n%(head)s") % {"head": _office_head(office)}, name=BLANK_SIGNER),
        _Signature(role=_("Pihak Kedua,\nPengguna data"), name=case.applicant_name, meterai=True),
    )
    _footer(pdf, office, now)
    return _output(pdf)


def render_receipt(
    *,
    office: Office,
    case: Case,
    number: str,
    amount: int,
    treasurer: str,
    now: datetime,
    download_code: str = "",
    download_page: str = "",
) -> bytes:
    """The treasurer's receipt (kuitansi) of a paid sale; a walk-in guest's carries the one-time download code."""
    pdf = _new_pdf(_("Kuitansi %(number)s") % {"number": number}, now)
    _letterhead(pdf, office)
    _title(pdf, _("KUITANSI"), _("Nomor %(number)s") % {"number": number})
    received_from = case.applicant_name + (f" ({case.applicant_institution})" if case.applicant_institution else "")
    _fields(
        pdf,
        [
            (_("Telah terima dari"), received_from),
            (_("Uang sejumlah"), rupiah(amount)),
            (_("Terbilang"), in_words(amount)),
            (_("Untuk pembayaran"), _("Pembelian data mikro/peta digital %(case)s") % {"case": case.id}),
        ],
    )
    if amount == 0:
        _line(pdf, f"{_(ZERO_RUPIAH_TEXT)}.", style="I")
    if download_code:
        _line(pdf, _("Kode unduhan data: %(code)s") % {"code": download_code}, style="B")
        _line(
            pdf,
            _(
                "Unduh data di %(page)s dengan nomor permintaan %(case)s dan kode ini, atau lewat tautan yang "
                "dikirim kepada Anda. Jangan berikan kode ini kepada orang lain."
            )
            % {"page": download_page, "case": case.id},
        )
    _signatures(
        pdf,
        f"{office.name}, {date_in_words(now, office.timezone)}",
        _Signature(role=_("Penyetor,"), name=case.applicant_name),
        _Signature(role=_("Bendahara Penerimaan,"), name=treasurer or BLANK_SIGNER),
    )
    _footer(pdf, office, now)
    return _output(pdf)


def render_recommendation_letter(
    *, office: Office, case: Case, number: str, notes: str, examiner: str, now: datetime
) -> bytes:
    """BPS's recommendation letter on the agency's statistical activity design (FS3), signed by the examiner
    (by name) and the head of the office."""
    details = recommendation_details(case)
    fs3 = details.fs3 or {}
    pdf = _new_pdf(_("Rekomendasi %(number)s") % {"number": number}, now)
    _letterhead(pdf, office)
    _title(pdf, _("SURAT REKOMENDASI KEGIATAN STATISTIK"), _("Nomor %(number)s") % {"number": number})
    _fields(
        pdf,
        [
            (_("Kepada"), case.applicant_institution or case.applicant_name),
            (_("Kegiatan"), str(fs3.get("title", details.title or "-"))),
            (_("Tahun"), str(fs3.get("year", "-"))),
            (_("Nomor permintaan"), case.id),
        ],
    )
    _section(pdf, _("Rekomendasi"))
    _line(
        pdf,
        _(
            "Berdasarkan UU 16/1997 tentang Statistik dan PP 51/1999, BPS telah memeriksa rancangan kegiatan "
            "statistik sektoral tersebut dan menyatakannya layak dilaksanakan. Instansi penyelenggara wajib "
            "menyerahkan hasil kegiatan kepada BPS dan mencantumkan nomor rekomendasi ini pada publikasinya."
        ),
    )
    if notes.strip():
        _line(pdf, _("Catatan pemeriksa: %(notes)s") % {"notes": notes.strip()}, style="I")
    _signatures(
        pdf,
        f"{office.name}, {date_in_words(now, office.timezone)}",
        _Signature(role=_("Pemeriksa,"), name=examiner or BLANK_SIGNER),
        _Signature(role=f"{_office_head(office)},", name=BLANK_SIGNER),
    )
    _footer(pdf, office, now)
    return _output(pdf)


# ---------------------------------------------------------------- activities


class DocumentWriter:
    """Issues a case's documents inside a step's transaction: PDFs under ``settings.storage_dir`` and their
    rows, once per key."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def _case_and_office(self, session: AsyncSession, case_id: str) -> tuple[Case, Office]:
        case = await session.get(Case, case_id)
        if case is None:
            raise ApplicationError(f"Kasus {case_id} tidak ditemukan", non_retryable=True)
        office = await session.get(Office, case.office_code)
        if office is None:
            raise ApplicationError(f"Kantor {case.office_code} tidak dikenal", non_retryable=True)
        return case, office

    async def _existing(self, session: AsyncSession, case_id: str, kind: str, filename: str) -> Document | None:
        return await session.scalar(
            select(Document)
            .where(Document.case_id == case_id, Document.kind == kind, Document.filename == filename)
            .order_by(Document.id)
            .limit(1)
        )

    async def _save(self, session: AsyncSession, case: Case, kind: str, filename: str, data: bytes) -> Document:
        stored = store(self._settings.storage_dir, case.id, kind, filename, data)
        document = Document(
            case_id=case.id,
            kind=kind,
            filename=filename,
            content_type=PDF,
            size=stored.size,
            sha256=stored.sha256,
            path=stored.path,
            created_by=SYSTEM,
        )
        session.add(document)
        await session.flush()
        log.info("issued %s %s", kind, filename, extra={"case_id": case.id})
        return document

    async def _priced_lines(self, session: AsyncSession, request: InvoiceRequest) -> list[PricedLine]:
        try:
            priced = await price_lines(session, request.lines, zero_rupiah=request.zero_rupiah)
        except ValueError as error:
            raise ApplicationError(f"Invoice {request.case_id}: {error}", non_retryable=True) from error
        return [
            PricedLine(
                item=line.item,
                tariff_code=line.tariff_code,
                tariff_name=line.tariff_name,
                quantity=line.quantity,
                unit=line.unit,
                amount=line.amount,
            )
            for line in priced
        ]

    async def _applicant(self, session: AsyncSession, case: Case) -> Applicant | None:
        return None if case.applicant_id is None else await session.get(Applicant, case.applicant_id)

    async def _abroad(self, session: AsyncSession, case: Case) -> bool:
        if case.segment == Segment.FOREIGN or sale_details(case).abroad:
            return True
        applicant = await self._applicant(session, case)
        return applicant is not None and applicant.abroad

    async def _language(self, session: AsyncSession, case: Case) -> str:
        """The language of the case's documents: its applicant's; Indonesian for a guest without an account."""
        applicant = await self._applicant(session, case)
        return applicant.language if applicant is not None else INDONESIAN

    async def invoice(self, session: AsyncSession, request: InvoiceRequest) -> Invoice:
        """Price the offer with the active tariffs, write the invoice PDF and record the fee on the case, once."""
        filename = f"invoice-{request.case_id}-v{request.version}.pdf"
        case, office = await self._case_and_office(session, request.case_id)
        existing = await self._existing(session, case.id, INVOICE, filename)
        if existing is not None:
            details = sale_details(case)
            lines = [PricedLine(**line.model_dump()) for line in details.fee_lines]
            return Invoice(document_id=existing.id, amount=details.fee or 0, lines=lines)
        lines = await self._priced_lines(session, request)
        total = sum(line.amount for line in lines)
        now = utcnow()
        with using_language(await self._language(session, case)):
            data = render_invoice(
                office=office,
                case=case,
                number=f"INV-{case.id}-{request.version}",
                lines=lines,
                total=total,
                zero_rupiah=request.zero_rupiah,
                abroad=await self._abroad(session, case),
                billing_code_days=self._settings.billing_code_days,
                now=now,
            )
        document = await self._save(session, case, INVOICE, filename, data)
        details = sale_details(case)
        details.fee, details.fee_lines = total, [FeeLine(**asdict(line)) for line in lines]
        save_details(case, details)
        return Invoice(document_id=document.id, amount=total, lines=lines)

    async def sppd_draft(self, session: AsyncSession, request: DocumentRequest) -> DocumentRef:
        """Write the SPPD draft (parties, items, abstract, terms, meterai place) of the case, once per version."""
        filename = f"sppd-{request.case_id}-v{request.version}.pdf"
        case, office = await self._case_and_office(session, request.case_id)
        document = await self._existing(session, case.id, SPPD_DRAFT, filename)
        if document is None:
            details = sale_details(case)
            with using_language(await self._language(session, case)):
                items = [item.label() for item in details.items]
                data = render_sppd(
                    office=office,
                    case=case,
                    items=items,
                    abstract=details.abstract,
                    version=request.version,
                    now=utcnow(),
                )
            document = await self._save(session, case, SPPD_DRAFT, filename, data)
        return DocumentRef(document_id=document.id, kind=SPPD_DRAFT, filename=filename)

    async def _next_receipt_number(self, session: AsyncSession, office: Office, now: datetime) -> str:
        """``KW-<office>-<year>-<seq>``: the next receipt number of the office in its local year."""
        year = now.astimezone(ZoneInfo(office.timezone)).year
        sequence = await next_number(session, office_code=office.code, series=RECEIPT_COUNTER, year=year)
        return f"KW-{office.code}-{year}-{sequence:05d}"

    async def _staff_name(self, session: AsyncSession, ref: str) -> str:
        """The name of the staff member ``ref`` (``staff-<id>``, or an email in older records) for a document; empty
        when no account answers to it (the document then leaves a line to sign by hand, never an email)."""
        staff = await staff_by_ref(session, ref)
        return staff.name if staff else ""

    async def receipt(self, session: AsyncSession, request: ReceiptRequest) -> ReceiptRef:
        """Number the receipt of the case (per office and year) and write its PDF; a case has one receipt."""
        case, office = await self._case_and_office(session, request.case_id)
        receipt = await session.scalar(select(Receipt).where(Receipt.case_id == case.id))
        now = utcnow()
        if receipt is None:
            receipt = Receipt(
                number=await self._next_receipt_number(session, office, now),
                case_id=case.id,
                amount=sale_details(case).fee or 0,
                issued_by=request.issued_by,
                issued_at=now,
            )
            session.add(receipt)
            await session.flush()
        filename = f"kuitansi-{receipt.number}.pdf"
        document = await self._existing(session, case.id, RECEIPT, filename)
        if document is None:
            data = await self._receipt_pdf(session, case, office, receipt)
            document = await self._save(session, case, RECEIPT, filename, data)
        return ReceiptRef(number=receipt.number, amount=receipt.amount, document_id=document.id)

    async def _receipt_pdf(self, session: AsyncSession, case: Case, office: Office, receipt: Receipt) -> bytes:
        """The receipt in the applicant's language, with a new download code for a walk-in guest without an
        account (the first receipt and a corrected delivery's reprint alike)."""
        with using_language(await self._language(session, case)):
            return render_receipt(
                office=office,
                case=case,
                number=receipt.number,
                amount=receipt.amount,
                treasurer=await self._staff_name(session, receipt.issued_by),
                now=receipt.issued_at,
                download_code=await self._download_code(session, case),
                download_page=f"{self._settings.public_base_url}/unduh",
            )

    async def _download_code(self, session: AsyncSession, case: Case) -> str:
        """A walk-in guest without an account gets a one-time download code on the receipt; only its hash is
        kept (written in the receipt's transaction, so a retried step prints the code it stores)."""
        if case.applicant_id is not None:
            return ""
        code = new_code()
        stored = await session.get(DownloadCode, case.id)
        if stored is None:
            session.add(DownloadCode(case_id=case.id, code_hash=code_hash(case.id, code)))
        else:
            stored.code_hash, stored.failures, stored.locked_until = code_hash(case.id, code), 0, None
        return code

    async def receipt_with_new_code(self, session: AsyncSession, case_id: str, sequence: int) -> str:
        """For a corrected delivery to a walk-in guest without an account: the receipt reprinted with a new download
        code (the earlier code stops working), once per correction; its file name, or "" when the applicant has an
        account (they download signed in) or the case has no receipt."""
        case, office = await self._case_and_office(session, case_id)
        receipt = await session.scalar(select(Receipt).where(Receipt.case_id == case.id))
        if case.applicant_id is not None or receipt is None:
            return ""
        filename = f"kuitansi-{receipt.number}-kode-baru-{sequence}.pdf"
        if await self._existing(session, case.id, RECEIPT, filename) is None:
            data = await self._receipt_pdf(session, case, office, receipt)
            await self._save(session, case, RECEIPT, filename, data)
        return filename

    async def recommendation_letter(self, session: AsyncSession, request: LetterRequest) -> LetterRef:
        """Number the recommendation letter of an FS3 (per office and year) and write its PDF; once per case."""
        case, office = await self._case_and_office(session, request.case_id)
        details = recommendation_details(case)
        number = details.letter_number
        now = utcnow()
        if not number:
            year = now.astimezone(ZoneInfo(office.timezone)).year
            sequence = await next_number(session, office_code=office.code, series="recommendation_letter", year=year)
            number = f"REK-{office.code}-{year}-{sequence:04d}"
            details.letter_number = number
            save_details(case, details)
        filename = f"rekomendasi-{number}.pdf"
        document = await self._existing(session, case.id, "recommendation_letter", filename)
        if document is None:
            with using_language(await self._language(session, case)):
                data = render_recommendation_letter(
                    office=office,
                    case=case,
                    number=number,
                    notes=request.notes,
                    examiner=await self._staff_name(session, request.examiner),
                    now=now,
                )
            document = await self._save(session, case, "recommendation_letter", filename, data)
        return LetterRef(number=number, document_id=document.id)
