"""Files of cases on disk: checks of uploaded PDFs and atomic, content-addressed storage."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

PDF_MAGIC = b"%PDF-"
MAX_FILENAME_CHARS = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class StoredFile:
    """A stored file: its path relative to the storage directory, its SHA-256 (hex) and its size in bytes."""

    path: str
    sha256: str
    size: int


def _megabytes(size: int) -> str:
    text = f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def check_pdf(data: bytes, max_bytes: int) -> None:
    """Accept ``data`` as an uploaded PDF of at most ``max_bytes``, or raise ValueError saying what to do."""
    if not data:
        raise ValueError("Berkas kosong (0 byte). Pilih berkas PDF yang berisi dokumen lalu unggah lagi.")
    if len(data) > max_bytes:
        raise ValueError(
            f"Berkas terlalu besar ({_megabytes(len(data))} MB); batasnya {_megabytes(max_bytes)} MB. "
            "Perkecil berkas (misalnya pindai dengan resolusi lebih rendah) lalu unggah lagi."
        )
    if not data.startswith(PDF_MAGIC):
        raise ValueError(
            "Berkas bukan PDF (tidak diawali %PDF-). Simpan atau ekspor dokumen sebagai PDF lalu unggah lagi."
        )


def safe_filename(filename: str) -> str:
    """``filename`` with only ``[A-Za-z0-9._-]`` (others become ``_``), no leading dot, at most 100 characters."""
    name = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).lstrip("._") or "berkas"
    if len(name) <= MAX_FILENAME_CHARS:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return stem[: MAX_FILENAME_CHARS - len(extension) - 1] + "." + extension
    return name[:MAX_FILENAME_CHARS]


def _checked_part(value: str, what: str) -> str:
    if not _SAFE_PART.match(value) or ".." in value:
        raise ValueError(f"{what} '{value}' tidak boleh dipakai sebagai nama folder/berkas.")
    return value


def _write_atomically(target: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store(storage_dir: Path, case_id: str, kind: str, filename: str, data: bytes) -> StoredFile:
    """Write ``data`` to ``<storage_dir>/<case_id>/<kind>-<sha256[:12]>-<safe name>``; same content, same file."""
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(_checked_part(case_id, "Nomor permintaan")) / (
        f"{_checked_part(kind, 'Jenis dokumen')}-{digest[:12]}-{safe_filename(filename)}"
    )
    target = storage_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not (target.is_file() and target.stat().st_size == len(data) and _sha256_of(target) == digest):
        _write_atomically(target, data)
    return StoredFile(path=relative.as_posix(), sha256=digest, size=len(data))


def _sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resolve(storage_dir: Path, relative: str) -> Path:
    """The absolute path of a stored file, refusing a path that leaves ``storage_dir``."""
    root = storage_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"Lokasi berkas '{relative}' berada di luar folder penyimpanan.")
    return path
