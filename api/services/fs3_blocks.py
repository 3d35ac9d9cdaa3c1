"""An FS3 (Formulir Pemberitahuan Survei Statistik Sektoral) as submitted, in the form's blocks and in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.formatting import date_in_words

OCCURRENCE = {"one_off": "Sekali (tidak berulang)", "repeated": "Berulang"}
COLLECTION = {"longitudinal": "Longitudinal", "cross_sectional": "Cross-sectional", "both": "Keduanya"}
METHOD = {"census": "Sensus", "survey": "Survei", "administrative_records": "Kompilasi produk administrasi"}


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
    schedule = f"{_day(fs3.get('schedule_start'))} sampai {_day(fs3.get('schedule_end'))}"
    return [
        Fs3Block(
            "Blok I. Penyelenggara dan judul kegiatan",
            [
                ("Judul kegiatan", str(fs3.get("title", "-"))),
                ("Tahun", str(fs3.get("year", "-"))),
                ("Unit eselon II penyelenggara", str(fs3.get("organiser_unit", "-"))),
                ("Alamat", str(fs3.get("organiser_address", "-"))),
                ("Telepon", str(fs3.get("organiser_phone", "-"))),
                ("Email", str(fs3.get("organiser_email", "-"))),
                ("Wilayah", f"{fs3.get('regency', '-')}, {fs3.get('province', '-')}"),
            ],
        ),
        Fs3Block(
            "Blok II. Penanggung jawab",
            [
                ("Narahubung", _person(fs3.get("contact_person"))),
                ("Penanggung jawab kegiatan", _person(fs3.get("survey_manager"))),
            ],
        ),
        Fs3Block(
            "Blok III. Rancangan kegiatan",
            [
                ("Penyelenggaraan", OCCURRENCE.get(str(fs3.get("occurrence")), "-")),
                ("Frekuensi", str(fs3.get("frequency") or "-")),
                ("Tipe pengumpulan data", COLLECTION.get(str(fs3.get("collection_type")), "-")),
                ("Cara pengumpulan data", METHOD.get(str(fs3.get("method")), "-")),
                ("Sektor", str(fs3.get("sector", "-"))),
                ("Tujuan kegiatan", str(fs3.get("objectives", "-"))),
                ("Jadwal", schedule),
            ],
        ),
        Fs3Block(
            "Blok IV. Variabel",
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
