"""Validators of Indonesian identifiers, returning the compact form or raising ValueError in plain words."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationInfo
from stdnum.exceptions import ValidationError
from stdnum.id import npwp as _npwp

from core.i18n import gettext as _


def validate_npwp(value: str) -> str:
    """A valid NPWP (15 digits, NPWP16 or NIK) in compact form, or ValueError saying what is wrong."""
    try:
        return str(_npwp.validate(value))
    except ValidationError as error:
        raise ValueError(
            _(
                "NPWP tidak valid: isikan 15 digit NPWP lama, 16 digit NPWP16 atau NIK (tanda titik dan strip "
                "boleh). (%(error)s)"
            )
            % {"error": error}
        ) from error


def validate_billing_code(value: str) -> str:
    """A SIMPONI billing code: exactly 15 digits."""
    compact = value.replace(" ", "").strip()
    if not (len(compact) == 15 and compact.isdigit()):
        raise ValueError(_("Kode billing SIMPONI harus 15 angka, tanpa huruf atau tanda baca."))
    return compact


def validate_ntpn(value: str) -> str:
    """An NTPN: 16 letters or digits, upper case."""
    compact = value.replace(" ", "").strip().upper()
    if not (len(compact) == 16 and compact.isalnum() and compact.isascii()):
        raise ValueError(_("NTPN harus 16 karakter huruf atau angka, seperti tertera pada bukti penerimaan negara."))
    return compact


def required_when(flag: str, value: object, message: str) -> Any:
    """A pydantic field validator (``field_validator(name)(required_when(...))``): the text may be empty unless the
    field ``flag`` declared before it is ``value`` (e.g. a reason when an officer refuses). The field needs
    ``validate_default=True`` so that an absent text is checked too."""

    def check(cls: type, text: str, info: ValidationInfo) -> str:
        if info.data.get(flag) == value and not text.strip():
            raise ValueError(_(message))
        return text

    return classmethod(check)
