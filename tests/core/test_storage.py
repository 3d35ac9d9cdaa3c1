"""Uploaded PDFs are checked with a message that says what to do; files are stored atomically and once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.storage import StoredFile, check_pdf, resolve, safe_filename, store

PDF_BYTES = b"%PDF-1.7\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_small_pdf_passes() -> None:
    check_pdf(PDF_BYTES, max_bytes=1_000)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValueError, match="Berkas kosong") as refused:
        check_pdf(b"", max_bytes=1_000)
    assert "unggah lagi" in str(refused.value)


def test_a_file_over_the_limit_names_the_limit_in_mb() -> None:
    with pytest.raises(ValueError, match="terlalu besar") as refused:
        check_pdf(PDF_BYTES + b"x" * 20_000_000, max_bytes=20_000_000)
    assert "batasnya 20 MB" in str(refused.value) and "Perkecil" in str(refused.value)


def test_a_limit_of_a_fraction_of_a_megabyte_is_shown_with_a_decimal_comma() -> None:
    with pytest.raises(ValueError, match="batasnya 2,5 MB"):
        check_pdf(PDF_BYTES + b"x" * 2_600_000, max_bytes=2_500_000)


def test_a_file_that_is_not_a_pdf_is_refused() -> None:
    with pytest.raises(ValueError, match="bukan PDF") as refused:
        check_pdf(b"PK\x03\x04 a zip file", max_bytes=1_000)
    assert "%PDF-" in str(refused.value)


def test_store_writes_under_the_case_with_kind_hash_and_safe_name(tmp_path: Path) -> None:
    stored = store(tmp_path, "sale-6202-2026-000001", "abstract", "Abstraksi Skripsi (final).pdf", PDF_BYTES)

    assert isinstance(stored, StoredFile) and stored.size == len(PDF_BYTES)
    assert len(stored.sha256) == 64
    assert stored.path == f"sale-6202-2026-000001/abstract-{stored.sha256[:12]}-Abstraksi_Skripsi_final_.pdf"
    assert (tmp_path / stored.path).read_bytes() == PDF_BYTES
    assert resolve(tmp_path, stored.path) == (tmp_path / stored.path).resolve()
    assert not [name for name in os.listdir(tmp_path / "sale-6202-2026-000001") if name.endswith(".tmp")]


def test_store_is_idempotent_for_the_same_content(tmp_path: Path) -> None:
    first = store(tmp_path, "sale-6202-2026-000001", "invoice", "invoice.pdf", PDF_BYTES)
    modified = (tmp_path / first.path).stat().st_mtime_ns
    second = store(tmp_path, "sale-6202-2026-000001", "invoice", "invoice.pdf", PDF_BYTES)
    other = store(tmp_path, "sale-6202-2026-000001", "invoice", "invoice.pdf", PDF_BYTES + b"\n")

    assert second == first
    assert (tmp_path / first.path).stat().st_mtime_ns == modified
    assert other.path != first.path
    assert sorted(os.listdir(tmp_path / "sale-6202-2026-000001")) == sorted(
        [Path(first.path).name, Path(other.path).name]
    )


def test_a_damaged_file_is_rewritten(tmp_path: Path) -> None:
    first = store(tmp_path, "sale-6202-2026-000001", "invoice", "invoice.pdf", PDF_BYTES)
    (tmp_path / first.path).write_bytes(b"%PDF-damaged")
    store(tmp_path, "sale-6202-2026-000001", "invoice", "invoice.pdf", PDF_BYTES)
    assert (tmp_path / first.path).read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\siti\\SPPD bertanda tangan.pdf", "SPPD_bertanda_tangan.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("Ringkasan—penelitian é.pdf", "Ringkasan_penelitian_.pdf"),
        ("", "berkas"),
        ("...", "berkas"),
    ],
)
def test_filenames_keep_only_safe_characters(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


def test_long_filenames_are_cut_to_100_characters_keeping_the_extension() -> None:
    name = safe_filename("a" * 300 + ".pdf")
    assert len(name) == 100 and name.endswith(".pdf")
    assert len(safe_filename("b" * 300)) == 100


@pytest.mark.parametrize(("case_id", "kind"), [("../other", "invoice"), ("sale-6202-2026-000001", "../x"), ("", "a")])
def test_a_case_id_or_kind_that_would_leave_the_folder_is_refused(tmp_path: Path, case_id: str, kind: str) -> None:
    with pytest.raises(ValueError, match="tidak boleh"):
        store(tmp_path, case_id, kind, "x.pdf", PDF_BYTES)


def test_resolve_refuses_a_path_outside_the_storage(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="di luar folder"):
        resolve(tmp_path / "files", "../secret.txt")
