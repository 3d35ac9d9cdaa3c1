"""A complaint as staff or an applicant give it, and the rules of each field: the channel, the text, the day it was
received (at the office, never in the future), the complainant's name and contact unless anonymous, and the
SP4N-LAPOR! tracking number. Rules that need the office's today or who records it read a ``ComplaintRules`` context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator, validate_email
from pydantic_core import PydanticCustomError

from core.enums import ComplaintChannel
from core.formatting import date_in_words
from core.i18n import gettext as _
from core.text import CleanLine, CleanLines

DESK_CHANNELS = tuple(channel for channel in ComplaintChannel if channel is not ComplaintChannel.PORTAL)
OLDEST_RECEIPT = timedelta(days=366)  # a complaint received longer ago is a typo in the year
_PHONE = re.compile(r"\+?[0-9 ().-]+")
_PHONE_DIGITS = (8, 15)
_LAPOR_NUMBER = re.compile(r"[A-Za-z0-9#/-]{3,40}")


@dataclass(frozen=True)
class ComplaintRules:
    """What a complaint's rules need beyond its fields: the office's today and whether staff record it (the
    complainant's name and contact are then asked; an applicant's come from the account)."""

    today: date
    desk: bool


def _rules(info: ValidationInfo) -> ComplaintRules | None:
    return info.context if isinstance(info.context, ComplaintRules) else None


def _problem(message: str) -> PydanticCustomError:
    """A field's message as people read it (``api.errors`` passes value errors through as they are)."""
    return PydanticCustomError("value_error", message)


class ComplaintCreate(BaseModel):
    """A complaint: the channel it came by, what happened, when it was received, the case it is about, and the
    complainant (name and a phone number and/or email) unless anonymous; for SP4N-LAPOR! the report's number."""

    office_code: str = Field(pattern=r"^\d{4}$")
    channel: ComplaintChannel = Field(description="How it reached the office; `portal` is the applicant's own")
    text: CleanLines = Field(min_length=10, max_length=5000)
    received_on: date | None = Field(
        default=None, validate_default=True, description="Office-local day it was received; default today"
    )
    case_id: CleanLine = Field(default="", max_length=64, description="The case it is about, if any")
    anonymous: bool = Field(default=False, description="No name and no contact: nothing is mailed")
    name: CleanLine = Field(default="", max_length=200, validate_default=True)
    email: CleanLine = Field(default="", max_length=200, validate_default=True)
    phone: CleanLine = Field(default="", max_length=32, validate_default=True)
    lapor_number: CleanLine = Field(default="", max_length=40, validate_default=True, description="SP4N-LAPOR! only")

    @field_validator("channel", mode="before")
    @classmethod
    def _channel_chosen(cls, value: Any) -> Any:
        if value in ("", None):
            raise _problem(_("Pilih kanal tempat pengaduan diterima."))
        return value

    @field_validator("channel")
    @classmethod
    def _channel_of_the_desk(cls, value: ComplaintChannel, info: ValidationInfo) -> ComplaintChannel:
        rules = _rules(info)
        if rules is not None and rules.desk and value is ComplaintChannel.PORTAL:
            raise _problem(_("Pengaduan lewat portal diajukan pemohon sendiri; pilih kanal tempat pengaduan diterima."))
        return value

    @field_validator("text", mode="before")
    @classmethod
    def _text_written(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if len(value) < 10:
                raise _problem(_("Tuliskan isi pengaduan, paling sedikit 10 karakter."))
        return value

    @field_validator("received_on", mode="before")
    @classmethod
    def _received_on_read(cls, value: Any) -> Any:
        if value in ("", None):
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise _problem(_("Tulis tanggal pengaduan diterima yang benar, misalnya 27-11-2026.")) from None
        return value

    @field_validator("received_on")
    @classmethod
    def _received_on_past(cls, value: date | None, info: ValidationInfo) -> date | None:
        rules = _rules(info)
        if rules is None:
            return value
        day = value or rules.today
        if day > rules.today:
            raise _problem(
                _("Tanggal diterima tidak boleh setelah hari ini (%(today)s); periksa tanggalnya.")
                % {"today": date_in_words(rules.today)}
            )
        if day < rules.today - OLDEST_RECEIPT:
            raise _problem(_("Tanggal diterima lebih dari setahun yang lalu; periksa tahunnya."))
        return day

    @field_validator("case_id", "lapor_number", mode="before")
    @classmethod
    def _stripped(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("name", mode="before")
    @classmethod
    def _name_given(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("anonymous"):
            return ""
        value = (value or "").strip() if isinstance(value, str | None) else value
        rules = _rules(info)
        if rules is not None and rules.desk and not value:
            raise _problem(_("Tulis nama pelapor, atau pilih Anonim bila pelapor tidak menyebutkan nama."))
        return value

    @field_validator("email", mode="before")
    @classmethod
    def _email_valid(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("anonymous") or value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            return value
        try:
            return validate_email(value.strip())[1].lower()
        except PydanticCustomError:
            raise _problem(_("Tulis alamat email yang benar, misalnya nama@contoh.id.")) from None

    @field_validator("phone", mode="before")
    @classmethod
    def _contact_given(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("anonymous"):
            return ""
        value = (value or "").strip() if isinstance(value, str | None) else value
        if isinstance(value, str) and value:
            digits = sum(char.isdigit() for char in value)
            if not _PHONE.fullmatch(value) or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
                raise _problem(
                    _("Tulis nomor telepon atau WhatsApp yang benar: 8 sampai 15 angka, misalnya 0812 3456 7890.")
                )
        rules = _rules(info)
        email_checked = "email" in info.data  # an invalid email has its own message already
        if rules is not None and rules.desk and not value and email_checked and not info.data["email"]:
            raise _problem(_("Tulis nomor telepon/WhatsApp atau email pelapor, atau pilih Anonim."))
        return value

    @field_validator("lapor_number")
    @classmethod
    def _lapor_number(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("channel") != ComplaintChannel.LAPOR:
            return ""
        if not value:
            raise _problem(_("Tulis nomor pelacakan laporan SP4N-LAPOR! (tertera pada laporan di lapor.go.id)."))
        if not _LAPOR_NUMBER.fullmatch(value):
            raise _problem(_("Nomor pelacakan LAPOR! hanya berisi huruf, angka dan tanda #, / atau -."))
        return value
