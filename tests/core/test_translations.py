"""Every text people read is in the English catalog, with the same placeholders, and is read in the language
of the moment."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from core import i18n
from core.enums import STEP_LABELS, SaleStep
from core.formatting import rupiah, time_in_words

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _extracted() -> dict[str, str]:
    """msgid → where it was found, as ``make messages`` extracts them (babel.cfg, keyword N_)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found: dict[str, str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                found.setdefault(msgid, filename)
    return found


def _english_catalog() -> dict[str, str]:
    """msgid → msgstr of every entry of the English ``.po`` files (an entry may read the same: "Email")."""
    entries: dict[str, str] = {}
    for po_file in sorted((i18n.LOCALES / i18n.ENGLISH / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as source:
            entries |= {str(m.id): str(m.string) for m in read_po(source) if m.id and m.string and not m.fuzzy}
    return entries


def test_every_marked_text_has_an_english_translation_with_the_same_placeholders() -> None:
    english = _english_catalog()
    extracted = _extracted()
    assert len(extracted) > 100
    untranslated = sorted(f"{where}: {msgid!r}" for msgid, where in extracted.items() if msgid not in english)
    assert not untranslated, "Not in the English catalog (core/locales/en/LC_MESSAGES):\n" + "\n".join(untranslated)
    mismatched = sorted(
        msgid for msgid in extracted if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(english[msgid]))
    )
    assert not mismatched, f"Placeholders differ between Indonesian and English: {mismatched}"


def test_labels_and_times_follow_the_language_of_the_moment() -> None:
    moment = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    assert STEP_LABELS[SaleStep.PAYMENT] == "Menunggu pembayaran"
    assert time_in_words(moment, "Asia/Jakarta") == "4 Desember 2026 pukul 16.00 WIB"
    assert rupiah(1_250_000) == "Rp1.250.000"
    with i18n.using_language("en"):
        assert STEP_LABELS[SaleStep.PAYMENT] == "Waiting for payment"
        assert time_in_words(moment, "Asia/Makassar") == "4 December 2026 at 17:00 WITA"
        assert rupiah(1_250_000) == "Rp1,250,000"
    assert i18n.current_language() == "id"


def test_a_workflows_refusal_reads_in_the_visitors_language() -> None:
    """A workflow refuses in Indonesian (marked N_); the page or the API answer gives it in the visitor's language,
    and a refusal that carries values (not in the catalog) stays as written rather than vanish."""
    from temporalio.client import WorkflowUpdateFailedError
    from temporalio.exceptions import ApplicationError

    from api.errors import update_failure_message

    used = WorkflowUpdateFailedError(ApplicationError("Penilaian untuk transaksi ini sudah diberikan; terima kasih."))
    assert update_failure_message(used) == "Penilaian untuk transaksi ini sudah diberikan; terima kasih."
    with i18n.using_language("en"):
        assert update_failure_message(used) == "This transaction has already been rated; thank you."
        moved = WorkflowUpdateFailedError(ApplicationError("Permintaan sale-6202-2026-000001 sudah pindah ke tahap X."))
        assert "sale-6202-2026-000001" in update_failure_message(moved)


def test_a_notes_dates_read_in_words_in_the_language_of_the_moment() -> None:
    from core.formatting import dates_in_words

    note = "Permintaan ditutup 2026-12-18 bila pemohon tidak menanggapi (sale-6202-2026-000123, 2026-13-40)"
    assert dates_in_words(note) == (
        "Permintaan ditutup 18 Desember 2026 bila pemohon tidak menanggapi (sale-6202-2026-000123, 2026-13-40)"
    )
    with i18n.using_language("en"):
        assert "18 December 2026" in dates_in_words(note)
