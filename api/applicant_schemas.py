"""Pydantic schemas of applicant accounts (register, verify, read, a new password by mail)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator, validate_email
from pydantic_core import PydanticCustomError

from core.enums import Segment
from core.i18n import gettext as _
from core.text import CleanLine
from core.validators import validate_npwp

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 200


def _email_address(value: str) -> str:
    """An email address in lower case, or an error in the reader's language (pydantic's own is English)."""
    try:
        return validate_email(value.strip())[1].lower()
    except Exception as error:  # pydantic's PydanticCustomError, whatever email_validator found wrong
        raise PydanticCustomError(
            "email_invalid", _("Isi alamat email yang benar, misalnya nama@contoh.id.")
        ) from error


EmailAddress = Annotated[
    str, Field(max_length=200, json_schema_extra={"format": "email"}), AfterValidator(_email_address)
]


class ApplicantRegister(BaseModel):
    """A new applicant account: who, an active email, a password; NPWP for the private segment."""

    name: CleanLine = Field(min_length=2, max_length=200)
    email: EmailAddress
    password: str = Field(
        min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH, description="At least 10 characters"
    )
    institution: CleanLine = Field(default="", max_length=200)
    segment: Segment = Field(
        description="government (instansi pemerintah), education (pendidikan), private (swasta), "
        "individual (perorangan), foreign (asing/internasional)"
    )
    npwp: CleanLine = Field(
        default="", validate_default=True, description="Required for the private segment: 15-digit NPWP, NPWP16 or NIK"
    )
    abroad: bool = Field(default=False, description="The applicant lives abroad (pays by transfer, not SIMPONI)")
    language: Literal["id", "en"] | None = Field(
        default=None,
        description="Language of their mails and documents: id (Bahasa Indonesia) or en (English); "
        "by default the language they registered in, English for one abroad",
    )

    @field_validator("name", "institution")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("npwp")
    @classmethod
    def _npwp_for_private(cls, value: str, info: ValidationInfo) -> str:
        """The NPWP, checked; required for the private segment (the error is the npwp field's)."""
        if not value.strip():
            if info.data.get("segment") == Segment.PRIVATE:
                raise ValueError(_("NPWP wajib diisi untuk pemohon swasta."))
            return ""
        return validate_npwp(value)


class ApplicantRead(BaseModel):
    """An applicant account as the applicant sees it (never the password hash)."""

    id: int
    email: str
    name: str
    institution: str
    segment: str
    npwp: str
    abroad: bool
    verified: bool
    email_verified_at: datetime | None
    created_at: datetime
    message: str = ""


class VerifyIn(BaseModel):
    """The token of the verification link."""

    token: str = Field(min_length=1, max_length=1000)


class ResendIn(BaseModel):
    """Where to send a new verification link."""

    email: EmailAddress


class PasswordResetIn(BaseModel):
    """Where to send a link to set a new password."""

    email: EmailAddress


class MessageRead(BaseModel):
    """A message for the person, and nothing else."""

    message: str
