"""The community satisfaction index (IKM, PermenPANRB 14/2017): nine elements answered 1–4.

NRR of an element = the mean of its answers; IKM = the mean of the nine NRR × 25 (each element weighs 1/9).
Grades (mutu pelayanan, on a value × 25): A 88.31–100 (Sangat Baik), B 76.61–88.30 (Baik), C 65.00–76.60 (Kurang
Baik), D 25.00–64.99 (Tidak Baik).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ELEMENTS = (
    "Persyaratan",
    "Sistem, mekanisme dan prosedur",
    "Waktu penyelesaian",
    "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan",
    "Kompetensi pelaksana",
    "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan",
    "Sarana dan prasarana",
)
GRADES = (
    ("A", Decimal("88.31"), "Sangat Baik"),
    ("B", Decimal("76.61"), "Baik"),
    ("C", Decimal("65.00"), "Kurang Baik"),
    ("D", Decimal("25.00"), "Tidak Baik"),
)
CONVERSION = Decimal(25)  # an NRR (1–4) on the 25–100 scale of the grades
COLUMNS = ("service", "date", *(f"u{index}" for index in range(1, 10)))


@dataclass(frozen=True)
class Answer:
    """One respondent's nine answers, for a service on a date."""

    service: str
    day: date
    scores: tuple[int, ...]


@dataclass(frozen=True)
class ElementScore:
    """One element (unsur) of the survey: its NRR, that value on the 25–100 scale, and its grade."""

    number: int
    name: str
    nrr: Decimal
    converted: Decimal
    grade: str

    @property
    def grade_in_words(self) -> str:
        """E.g. ``B (Baik)``."""
        return grade_in_words(self.grade)


@dataclass(frozen=True)
class IkmResult:
    """Each element's NRR, the IKM and its grade."""

    respondents: int
    nrr: tuple[Decimal, ...]
    ikm: Decimal
    grade: str

    def lines(self) -> list[str]:
        """The report: one line per element, then ``IKM <value> <grade>``."""
        rows = [f"U{index} {value:.2f} {ELEMENTS[index - 1]}" for index, value in enumerate(self.nrr, start=1)]
        return [*rows, f"IKM {self.ikm:.2f} {self.grade}"]

    @property
    def grade_in_words(self) -> str:
        """The IKM's grade with its meaning, e.g. ``A (Sangat Baik)``."""
        return grade_in_words(self.grade)

    def elements(self) -> list[ElementScore]:
        """Each element's NRR (nilai rata-rata per unsur), converted to 25–100 and graded."""
        return [
            ElementScore(number, ELEMENTS[number - 1], value, _two(value * CONVERSION), grade(value * CONVERSION))
            for number, value in enumerate(self.nrr, start=1)
        ]


def _two(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade(ikm: Decimal) -> str:
    """The letter of an IKM value (rounded to two decimals first)."""
    value = _two(ikm)
    for letter, lowest, _label in GRADES:
        if value >= lowest:
            return letter
    raise ValueError(f"IKM {value} di bawah 25,00: jawaban harus 1 sampai 4")


def grade_in_words(letter: str) -> str:
    """``B`` → ``B (Baik)``: the letter with the performance it stands for (PermenPANRB 14/2017)."""
    for known, _lowest, label in GRADES:
        if known == letter:
            return f"{letter} ({label})"
    raise ValueError(f"mutu {letter!r} tidak dikenal: A, B, C atau D")


def compute(answers: Sequence[Sequence[int]]) -> IkmResult:
    """NRR per element, IKM and grade of some respondents' answers (each nine values 1–4)."""
    if not answers:
        raise ValueError("Belum ada jawaban survei untuk dihitung.")
    for answer in answers:
        if len(answer) != 9 or any(score not in (1, 2, 3, 4) for score in answer):
            raise ValueError("Setiap responden menjawab sembilan unsur dengan nilai 1 sampai 4.")
    return from_totals(len(answers), [sum(answer[index] for answer in answers) for index in range(9)])


def from_totals(respondents: int, totals: Sequence[int]) -> IkmResult:
    """The IKM of ``respondents`` valid answers (each checked when it was stored) from each element's sum of
    scores, as a database adds them up: NRR = sum / respondents."""
    if respondents < 1 or len(totals) != 9:
        raise ValueError("Belum ada jawaban survei untuk dihitung.")
    count = Decimal(respondents)
    nrr = tuple(Decimal(total) / count for total in totals)
    ikm = sum(nrr, Decimal(0)) / Decimal(9) * CONVERSION
    return IkmResult(respondents=respondents, nrr=tuple(_two(value) for value in nrr), ikm=_two(ikm), grade=grade(ikm))


def read_csv(path: Path) -> list[Answer]:
    """Answers typed from paper: a header row, then ``service,date,u1..u9`` per respondent.

    A row with a missing or out-of-range answer is refused with its line number (ValueError)."""
    answers: list[Answer] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"baris 1: kolom {', '.join(missing)} tidak ada; kolom: {','.join(COLUMNS)}")
        for row in reader:
            line = reader.line_num
            try:
                day = date.fromisoformat((row.get("date") or "").strip())
            except ValueError as error:
                raise ValueError(f"baris {line}: tanggal harus YYYY-MM-DD") from error
            scores: list[int] = []
            for column in COLUMNS[2:]:
                text = (row.get(column) or "").strip()
                if text not in ("1", "2", "3", "4"):
                    shown = text or "kosong"
                    raise ValueError(f"baris {line}: {column} = {shown}; jawaban harus 1, 2, 3 atau 4")
                scores.append(int(text))
            service = (row.get("service") or "").strip()
            if not service:
                raise ValueError(f"baris {line}: kolom service kosong")
            answers.append(Answer(service=service, day=day, scores=tuple(scores)))
    if not answers:
        raise ValueError("berkas tidak berisi jawaban")
    return answers


def compute_answers(answers: Iterable[Answer]) -> IkmResult:
    """The IKM of parsed answers."""
    return compute([answer.scores for answer in answers])
