"""What a text a person types may hold: no control characters (a multi-line text keeps its line breaks and tabs), no
NUL, no bidirectional overrides that make a name or a file name read differently from what it is; and the one way
an uploaded file's name is cleaned before it is stored or shown."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

from core.i18n import N_
from core.i18n import gettext as _

# U+202A–U+202E (embeddings and overrides) and U+2066–U+2069 (isolates): they reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\t")
MAX_FILENAME_LENGTH = 120

REFUSED_CONTROL = N_(
    "Teks ini memuat karakter kendali yang tidak terlihat (misalnya NUL); ketik ulang teksnya tanpa menyalin "
    "dari sumber lain, lalu kirim lagi."
)
REFUSED_BIDI = N_(
    "Teks ini memuat karakter pembalik arah tulisan (bidi override) yang membuat teks terbaca lain dari isinya; "
    "hapus karakter itu (ketik ulang teksnya), lalu kirim lagi."
)
REFUSED_LINE_BREAK = N_("Isian ini satu baris saja: hapus baris baru atau tab, lalu kirim lagi.")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def check_line(value: str) -> str:
    """A one-line text (a name, a number, a title): no control character at all, no bidi override."""
    if any(char in BIDI_CONTROLS for char in value):
        raise ValueError(_(REFUSED_BIDI))
    if any(char in LINE_BREAKS for char in value):
        raise ValueError(_(REFUSED_LINE_BREAK))
    if any(_is_control(char) for char in value):
        raise ValueError(_(REFUSED_CONTROL))
    return value


def check_lines(value: str) -> str:
    """A multi-line text (an abstract, a note, a complaint): line breaks and tabs, but no other control character
    and no bidi override."""
    if any(char in BIDI_CONTROLS for char in value):
        raise ValueError(_(REFUSED_BIDI))
    if any(_is_control(char) and char not in LINE_BREAKS for char in value):
        raise ValueError(_(REFUSED_CONTROL))
    return value


# The field types of every model that takes text from a person.
CleanLine = Annotated[str, AfterValidator(check_line)]
CleanLines = Annotated[str, AfterValidator(check_lines)]


def clean_filename(name: str, fallback: str) -> str:
    """An uploaded file's name as it is stored and shown: its last path part only (``../../evil.pdf`` → ``evil.pdf``,
    also for Windows paths), without control or bidi characters, without leading dots or spaces, at most
    ``MAX_FILENAME_LENGTH`` characters with its extension kept; ``fallback`` when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        char for char in unicodedata.normalize("NFC", base) if char not in BIDI_CONTROLS and not _is_control(char)
    )
    kept = " ".join(kept.split()).lstrip(". ").rstrip(" ")
    if len(kept) > MAX_FILENAME_LENGTH:
        stem, dot, extension = kept.rpartition(".")
        if dot and 0 < len(extension) <= 10 and stem:
            kept = f"{stem[: MAX_FILENAME_LENGTH - len(extension) - 1].rstrip()}.{extension}"
        else:
            kept = kept[:MAX_FILENAME_LENGTH].rstrip()
    return kept or fallback
