"""An FS3 (Formulir Pemberitahuan Survei Statistik Sektoral) as submitted, in the form's blocks and in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.formatting import date_in_words
from core.i18n import N_
from core.i18n import gettext as _

OCCURRENCE = {"one_off": N_("Sekali (tidak berulang)"), "repeated": N_("Berulang")}
COLLECTION = {"longitudinal": N_("Longitudinal"), "cross_sectional": "Cross-sectional", "both": N_("Keduanya")}
METHOD = {"census": N_("Sensus"), "survey": N_("Survei"), "administrative_records": N_("Kompilasi produk administrasi")}


@dataclass(frozen=True)
class Fs3Block:
    """One block of the FS3: its title, its answers (label, value), and for the variables block, the table."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    variables: list[dict[str, str]] = field(default_factory=list)


def _person(person: dict[str, Any] | None) -> str:
    if not person:
        return "-"
    parts = [person.get("name", ""), person.get("position", ""), person.get("phone", ""), person.get("email", "")]
    return " · ".join(part for part in parts if part)


def _day(value: Any) -> str:
    try:
        return date_in_words(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "-")


def fs3_blocks(fs3: dict[str, Any]) -> list[Fs3Block]:
    """The FS3's answers as the form's blocks: the activity, the people, the design, the variables."""
    schedule = _("%(start)s sampai %(end)s") % {
        "start": _day(fs3.get("schedule_start")),
        "end": _day(fs3.get("schedule_end")),
    }
    return [
        Fs3Block(
            _("Blok I. Penyelenggara dan judul kegiatan"),
            [
                (_("Judul kegiatan"), str(fs3.get("title", "-"))),
                (_("Tahun"), str(fs3.get("year", "-"))),
                (_("Unit eselon II penyelenggara"), str(fs3.get("organiser_unit", "-"))),
                (_("Alamat"), str(fs3.get("organiser_address", "-"))),
                (_("Telepon"), str(fs3.get("organiser_phone", "-"))),
                (_("Email"), str(fs3.get("organiser_email", "-"))),
                (_("Wilayah"), f"{fs3.get('regency', '-')}, {fs3.get('province', '-')}"),
            ],
        ),
        Fs3Block(
            _("Blok II. Penanggung jawab"),
            [
                (_("Narahubung"), _person(fs3.get("contact_person"))),
                (_("Penanggung jawab kegiatan"), _person(fs3.get("survey_manager"))),
            ],
        ),
        Fs3Block(
            _("Blok III. Rancangan kegiatan"),
            [
                (_("Penyelenggaraan"), _(OCCURRENCE.get(str(fs3.get("occurrence")), "-"))),
                (_("Frekuensi"), str(fs3.get("frequency") or "-")),
                (_("Tipe pengumpulan data"), _(COLLECTION.get(str(fs3.get("collection_type")), "-"))),
                (_("Cara pengumpulan data"), _(METHOD.get(str(fs3.get("method")), "-"))),
                (_("Sektor"), str(fs3.get("sector", "-"))),
                (_("Tujuan kegiatan"), str(fs3.get("objectives", "-"))),
                (_("Jadwal"), schedule),
            ],
        ),
        Fs3Block(
            _("Blok IV. Variabel"),
            variables=[
                {
                    "name": str(variable.get("name", "")),
                    "concept": str(variable.get("concept", "")),
                    "definition": str(variable.get("definition", "")),
                    "period": str(variable.get("reference_period", "")),
                }
                for variable in fs3.get("variables", [])
            ],
        ),
    ]
