"""Pydantic schemas of applicant accounts (register, verify, read)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, EmailStr, Field, field_validator, model_validator

from core.enums import Segment
from core.text import CleanLine
from core.validators import validate_npwp

PASSWORD_MIN_LENGTH = 10


class ApplicantRegister(BaseModel):
    """A new applicant account: who, an active email, a password; NPWP for the private segment."""

    name: CleanLine = Field(min_length=2, max_length=200)
    email: EmailStr
    password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=200, description="At least 10 characters")
    institution: CleanLine = Field(default="", max_length=200)
    segment: Segment = Field(
        description="government (instansi pemerintah), education (pendidikan), private (swasta), "
        "individual (perorangan), foreign (asing/internasional)"
    )
    npwp: CleanLine = Field(default="", description="Required for the private segment: 15-digit NPWP, NPWP16 or NIK")
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

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()

    @model_validator(mode="after")
    def _npwp_for_private(self) -> ApplicantRegister:
        if self.segment == Segment.PRIVATE and not self.npwp.strip():
            raise ValueError("NPWP wajib diisi untuk pemohon segmen swasta (private).")
        if self.npwp.strip():
            self.npwp = validate_npwp(self.npwp)
        return self


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

    email: EmailStr


class MessageRead(BaseModel):
    """A message for the person, and nothing else."""

    message: str
