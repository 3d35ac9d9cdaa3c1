"""Validators of Indonesian identifiers, returning the compact form or raising ValueError in plain words."""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.id import npwp as _npwp


def validate_npwp(value: str) -> str:
    """A valid NPWP (15 digits, NPWP16 or NIK) in compact form, or ValueError saying what is wrong."""
    try:
        return str(_npwp.validate(value))
    except ValidationError as error:
        raise ValueError(
            "NPWP tidak valid: isikan 15 digit NPWP lama, 16 digit NPWP16 atau NIK "
            f"(tanda titik dan strip boleh). ({error})"
        ) from error
