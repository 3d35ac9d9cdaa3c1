"""Language: Bahasa Indonesia first, English second, through gettext catalogs read with Babel.

Text is written in Indonesian where it is used and marked for translation: ``_("...")`` in Python and
templates, ``N_("...")`` for a constant defined at import time (a label in a dict) that is translated when
read. ``make messages`` extracts every marked text with ``pybabel extract`` (``babel.cfg``) into
``core/locales/messages.pot`` and updates the English catalog ``core/locales/en/LC_MESSAGES/messages.po``.

The language of the moment is a context variable: the web middleware sets it from the visitor's choice for
the whole request, an activity sets it from the recipient's language with ``using_language``. Catalogs are
compiled from the ``.po`` files in memory on first use, so there is no compiled file to keep in step.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

INDONESIAN = "id"
ENGLISH = "en"
LANGUAGES = (INDONESIAN, ENGLISH)
LANGUAGE_NAMES = {INDONESIAN: "Bahasa Indonesia", ENGLISH: "English"}
LOCALES = Path(__file__).resolve().parent / "locales"

_language: ContextVar[str] = ContextVar("pst_language", default=INDONESIAN)


def language_of(value: str | None) -> str:
    """A supported language code for ``value`` (``"en"``, ``"en-GB"``…), Indonesian for anything else."""
    code = (value or "").strip().lower()[:2]
    return code if code in LANGUAGES else INDONESIAN


def current_language() -> str:
    """The language text is being written in right now (``id`` unless a request or an activity set it)."""
    return _language.get()


def set_language(language: str) -> None:
    """Make ``language`` the language of the current context (a request, a task)."""
    _language.set(language_of(language))


@contextmanager
def using_language(language: str | None) -> Iterator[None]:
    """Write in ``language`` inside the block (a mail or a document for one recipient), then go back."""
    token = _language.set(language_of(language))
    try:
        yield
    finally:
        _language.reset(token)


@functools.cache
def translations(language: str) -> _gettext.NullTranslations:
    """The merged catalog of ``language``: Indonesian is the source text, so it has none."""
    if language == INDONESIAN:
        return _gettext.NullTranslations()
    merged = Translations()
    for po_file in sorted((LOCALES / language / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as source:
            catalog = read_po(source, locale=language)
        compiled = BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        merged.merge(Translations(compiled))
    return merged


def gettext(message: str) -> str:
    """``message`` (Indonesian) in the current language."""
    if not message:
        return message
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the current language."""
    return translations(current_language()).ngettext(singular, plural, count)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext convention's name
    """Mark ``message`` for extraction without translating it now (it is translated when read)."""
    return message


K = TypeVar("K")


class Labels(Mapping[K, str]):
    """A closed set's words for people (``STEP_LABELS[step]``), read in the current language.

    The values are written in Indonesian with ``N_`` and translated on every read, so one constant serves a
    page in either language, a mail to an applicant abroad and a CSV export alike.
    """

    def __init__(self, words: Mapping[K, str]) -> None:
        self._words = dict(words)

    def __getitem__(self, key: K) -> str:
        return gettext(self._words[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def source(self, key: K) -> str:
        """The Indonesian text of ``key``, whatever the current language (a stored report, a msgid)."""
        return self._words[key]
