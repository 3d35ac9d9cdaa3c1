"""What an administrator sends from the administration pages, each field checked with a message that says what to
type; a refused form names each field it refuses (``FormInvalid``), so the page shows the message beside it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError, field_validator

from api.errors import Invalid, validation_errors
from api.schemas import OfficeSettingsIn, OverrideIn
from core.enums import OFFICE_ROLES, TimeUnit
from core.i18n import N_
from core.i18n import gettext as _
from core.text import CleanLine, CleanLines

FIX_THE_FORM = N_("Ada isian yang belum benar; perbaiki yang ditandai lalu kirim lagi.")
MIN_PASSWORD = 10
M = TypeVar("M", bound=BaseModel)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class FormInvalid(Invalid):
    """A form refused field by field: ``errors`` maps each field's name to what to do about it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()) or _(FIX_THE_FORM))
        self.errors = errors


def parse_form(model: type[M], values: Mapping[str, Any], messages: Mapping[str, str] | None = None) -> M:
    """``values`` as ``model``, or ``FormInvalid`` with the message of each refused field (``messages`` words a
    field's refusal for a form, in place of the model's own)."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as invalid:
        errors = {item["field"]: item["message"] for item in validation_errors(invalid.errors())}
        raise FormInvalid(
            {field: _((messages or {}).get(field, message)) for field, message in errors.items()}
        ) from None


# The tariff form's fields in words (the bounds are TariffUpdate's).
TARIFF_MESSAGES = {
    "name": N_("Isi nama tarif, paling sedikit 2 karakter."),
    "base_price": N_("Isi harga dasar dalam Rupiah tanpa titik, 0 atau lebih, misalnya 50000."),
    "included": N_("Isi jumlah satuan dalam harga dasar, 0 atau lebih, misalnya 1."),
    "extra_price": N_("Isi harga tambahan dalam Rupiah tanpa titik, 0 atau lebih, misalnya 15000."),
    "extra_step": N_("Isi kelipatan harga tambahan, 1 atau lebih, misalnya 50."),
}


def _lines(value: object) -> object:
    """A textarea with one item per line as a list (blank lines dropped); a list stays a list."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


def _required(value: str, message: str) -> str:
    if not value.strip():
        raise ValueError(message)
    return value.strip()


def _whole_number(value: object, message: str, minimum: int, maximum: int | None = None) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+", text) or int(text) < minimum or (maximum is not None and int(text) > maximum):
        raise ValueError(message)
    return int(text)


class OfficeContactsIn(BaseModel):
    """The office's contacts as the public office page shows them, and its complaint channels (one per line)."""

    address: CleanLines
    phone: CleanLine
    email: CleanLine
    website: CleanLine = ""
    whatsapp: CleanLine = ""
    complaint_channels: list[CleanLine]

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        return _required(value, _("Isi alamat kantor."))

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return _required(value, _("Isi nomor telepon kantor, misalnya 053121221."))

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value.strip()):
            raise ValueError(_("Isi email kantor dengan format yang benar, misalnya pst6202@bps.go.id."))
        return value.strip().lower()

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        if value.strip() and not re.match(r"^https?://\S+\.\S+$", value.strip()):
            raise ValueError(_("Isi alamat situs web yang diawali https://, atau kosongkan."))
        return value.strip()

    @field_validator("whatsapp")
    @classmethod
    def _whatsapp(cls, value: str) -> str:
        return value.strip()

    @field_validator("complaint_channels", mode="before")
    @classmethod
    def _channels(cls, value: object) -> object:
        value = _lines(value)
        if not value:
            raise ValueError(_("Isi paling sedikit satu saluran pengaduan, satu per baris."))
        return value


class ServiceStandardIn(BaseModel):
    """A service standard's title (with its English), decree number and time limit; its items (requirements,
    procedure, ...) are lists of their own (``api.services.offices.items_from_form``)."""

    title: CleanLine
    title_en: CleanLine = ""
    decree_number: CleanLine = ""
    time_limit: int
    time_unit: str

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _required(value, _("Isi judul standar pelayanan."))

    @field_validator("title_en", "decree_number")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()

    @field_validator("time_limit", mode="before")
    @classmethod
    def _limit(cls, value: object) -> int:
        return _whole_number(value, _("Jangka waktu minimal 1; isi bilangan bulat, misalnya 10."), 1)

    @field_validator("time_unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        if value not in {unit.value for unit in TimeUnit}:
            raise ValueError(_("Pilih satuan jangka waktu: hari kerja, hari atau menit."))
        return value


def _office_role(value: str) -> str:
    if value not in {role.value for role in OFFICE_ROLES}:
        raise ValueError(_("Pilih peran dari daftar."))
    return value


def _password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise ValueError(_("Isi kata sandi paling sedikit %(count)s karakter.") % {"count": MIN_PASSWORD})
    return value


class StaffCreate(BaseModel):
    """A new staff account of the administrator's office, with an office role and a first password."""

    name: CleanLine
    email: CleanLine
    role: str
    password: str

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value.strip()) < 2:
            raise ValueError(_("Isi nama lengkap staf."))
        return value.strip()

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value.strip()):
            raise ValueError(_("Isi email staf dengan format yang benar, misalnya nama@bps.go.id."))
        return value.strip().lower()

    _role = field_validator("role")(_office_role)
    _checked_password = field_validator("password")(_password)


class StaffRoleIn(BaseModel):
    """A staff account's new office role."""

    role: str

    _role = field_validator("role")(_office_role)


class PasswordResetIn(BaseModel):
    """A staff account's new password, set by the administrator and told to its owner."""

    password: str

    _checked_password = field_validator("password")(_password)


# The settings form asks for the warning share in percent; each field's message says what to type.
SETTINGS_MESSAGES = {
    "close_of_business": N_("Isi jam tutup layanan dengan format JJ:MM, misalnya 16:00."),
    "sla_warning_percent": N_("Isi persentase lebih dari 0 dan kurang dari 100, misalnya 80."),
    "escalation_working_days": N_("Isi jumlah hari kerja dari 0 sampai 30, misalnya 2."),
    "cuti_bersama_is_day_off": N_("Centang atau kosongkan pilihan cuti bersama."),
    "wait_returned_days": N_("Isi jumlah hari dari 1 sampai 365, misalnya 14."),
    "wait_sample_review_days": N_("Isi jumlah hari dari 1 sampai 365, misalnya 7."),
    "wait_payment_days": N_("Isi jumlah hari dari 1 sampai 365, misalnya 14."),
    "wait_sppd_days": N_("Isi jumlah hari dari 1 sampai 365, misalnya 30."),
    "wait_reminder_days": N_("Isi jumlah hari dari 0 sampai 30, misalnya 3."),
    "billing_code_limit": N_("Isi jumlah kode billing dari 1 sampai 12, misalnya 3."),
}
# The applicant waits of a sale (issue 14): a form that leaves one out leaves it as it is.
WAIT_FIELDS = (
    "wait_returned_days",
    "wait_sample_review_days",
    "wait_payment_days",
    "wait_sppd_days",
    "wait_reminder_days",
    "billing_code_limit",
)


def office_settings_from_form(values: Mapping[str, str]) -> OfficeSettingsIn:
    """The settings form (a checkbox, a time, a percentage, a number of days) as the JSON API's settings; the
    bounds are ``OfficeSettingsIn``'s, the messages the form's."""
    percent = values.get("sla_warning_percent", "").strip().replace(",", ".")
    try:
        share: object = float(percent) / 100
    except ValueError:
        share = percent
    body = {
        "cuti_bersama_is_day_off": values.get("cuti_bersama_is_day_off") == "true",
        "close_of_business": values.get("close_of_business", "").strip(),
        "sla_warning_share": share,
        "escalation_working_days": values.get("escalation_working_days", "").strip(),
        **{name: values[name].strip() for name in WAIT_FIELDS if name in values},
    }
    try:
        return OfficeSettingsIn.model_validate(body)
    except ValidationError as invalid:
        fields = {item["field"] for item in validation_errors(invalid.errors())}
        names = {"sla_warning_share": "sla_warning_percent"}
        errors = {names.get(field, field): _(SETTINGS_MESSAGES[names.get(field, field)]) for field in fields}
        raise FormInvalid(errors) from None


# The calendar form: a day (the date picker's YYYY-MM-DD), closed or worked, a description.
OVERRIDE_MESSAGES = {
    "day": N_("Isi tanggal yang benar; pilih dari kalender pada kolom tanggal."),
    "closed": N_("Pilih jenis perubahan: libur kantor, atau masuk kerja pada hari libur."),
    "name": N_("Keterangan paling panjang 200 karakter; singkatkan."),
}


def override_from_form(values: Mapping[str, str]) -> OverrideIn:
    """The calendar form as the JSON API's override; each refused field with what to do about it."""
    closed = values.get("closed", "")
    errors = {} if closed in ("true", "false") else {"closed": _(OVERRIDE_MESSAGES["closed"])}
    try:
        override = OverrideIn.model_validate(
            {"day": values.get("day", "").strip(), "closed": closed == "true", "name": values.get("name", "")}
        )
    except ValidationError as invalid:
        fields = {item["field"] for item in validation_errors(invalid.errors())}
        raise FormInvalid({**{field: _(OVERRIDE_MESSAGES[field]) for field in fields}, **errors}) from None
    if errors:
        raise FormInvalid(errors)
    return override
