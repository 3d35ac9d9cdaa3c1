"""The IKM of PermenPANRB 14/2017 over a hand-computed example, and its grade boundaries."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.ikm import compute, from_totals, grade, grade_in_words, read_csv

# Four respondents; NRR per element by hand: 3.50 3.50 3.25 2.75 3.75 3.75 4.00 3.25 3.25 (sum 31.00)
# IKM = 31.00 / 9 × 25 = 86.111… → 86.11, grade B.
EXAMPLE = [
    [4, 4, 3, 3, 4, 4, 4, 3, 3],
    [3, 3, 3, 2, 4, 3, 4, 3, 3],
    [4, 3, 4, 3, 4, 4, 4, 4, 3],
    [3, 4, 3, 3, 3, 4, 4, 3, 4],
]


def test_the_worked_example() -> None:
    result = compute(EXAMPLE)
    assert [str(value) for value in result.nrr] == [
        "3.50",
        "3.50",
        "3.25",
        "2.75",
        "3.75",
        "3.75",
        "4.00",
        "3.25",
        "3.25",
    ]
    assert (result.ikm, result.grade, result.respondents) == (Decimal("86.11"), "B", 4)
    assert result.lines()[-1] == "IKM 86.11 B"


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("88.305", "A"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries(value: str, letter: str) -> None:
    assert grade(Decimal(value)) == letter


def test_all_fours_and_all_ones() -> None:
    assert (compute([[4] * 9]).ikm, compute([[4] * 9]).grade) == (Decimal("100.00"), "A")
    assert (compute([[1] * 9]).ikm, compute([[1] * 9]).grade) == (Decimal("25.00"), "D")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("sale,2026-11-02,4,4,3,3,4,4,4,3,", "baris 3: u9 = kosong"),
        ("sale,2026-11-02,4,0,3,3,4,4,4,3,3", "baris 3: u2 = 0"),
        ("sale,02-11-2026,4,4,3,3,4,4,4,3,3", "baris 3: tanggal"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_number(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "skm.csv"
    path.write_text("service,date,u1,u2,u3,u4,u5,u6,u7,u8,u9\nsale,2026-11-01,4,4,4,4,4,4,4,4,4\n" + row + "\n")
    with pytest.raises(ValueError, match=message):
        read_csv(path)


def test_each_element_is_graded_on_the_same_scale_and_said_in_words() -> None:
    result = compute(EXAMPLE)
    elements = result.elements()

    assert [(e.number, e.name) for e in elements][:2] == [(1, "Persyaratan"), (2, "Sistem, mekanisme dan prosedur")]
    assert (elements[3].nrr, elements[3].converted, elements[3].grade_in_words) == (
        Decimal("2.75"),
        Decimal("68.75"),
        "C (Kurang Baik)",
    )
    assert (elements[6].converted, elements[6].grade_in_words) == (Decimal("100.00"), "A (Sangat Baik)")
    assert result.grade_in_words == "B (Baik)"
    assert compute([[1] * 9]).grade_in_words == "D (Tidak Baik)"
    with pytest.raises(ValueError, match="tidak dikenal"):
        grade_in_words("E")


def test_the_sums_a_database_adds_up_give_the_same_index() -> None:
    totals = [sum(answer[index] for answer in EXAMPLE) for index in range(9)]

    assert from_totals(len(EXAMPLE), totals) == compute(EXAMPLE)
    with pytest.raises(ValueError, match="Belum ada jawaban"):
        from_totals(0, [0] * 9)
