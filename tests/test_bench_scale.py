"""The scale bench is a benchmark, not a test: its data and its table are checked here (no PostgreSQL, no app)."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime

from bench.scale import render
from bench.scale_data import office_rows
from core.enums import CaseStatus, ClockAction

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


def test_python_m_bench_scale_help_names_its_options() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.scale", "--help"], capture_output=True, text=True, check=True)
    for option in ("--cases", "--requests", "--office", "--server", "--database", "--json"):
        assert option in done.stdout


def test_an_offices_rows_hang_together() -> None:
    rows = office_rows("6202", 2_000, NOW, random.Random(1), "officer.6202@demo.pst-flow.id")
    cases = {case["id"]: case for case in rows.cases}
    stopped = {entry["case_id"] for entry in rows.audit if entry["action"] == ClockAction.STOPPED}
    finished = {case_id for case_id, case in cases.items() if case["status"] != CaseStatus.OPEN}

    assert len(cases) == 2_000 and all(case["created_at"] <= NOW for case in cases.values())
    assert Counter((entry["case_id"], entry["event_key"]) for entry in rows.audit).most_common(1)[0][1] == 1
    assert stopped == finished  # a clock stops once, when the case ends
    assert {entry["case_id"] for entry in rows.audit} <= set(cases) and all(
        p["case_id"] in cases for p in rows.payments
    )
    assert 0 < sum(case["status"] == CaseStatus.OPEN for case in cases.values()) < 200
    assert all(len(answer["scores"]) == 9 and set(answer["scores"]) <= {1, 2, 3, 4} for answer in rows.surveys)
    assert len({p["billing_code"] for p in rows.payments if p["billing_code"]}) == sum(
        1 for p in rows.payments if p["billing_code"]
    )


def test_the_table_says_which_page_is_within_50_ms_at_p95() -> None:
    numbers = {
        "date": "2026-11-27 16:00 UTC",
        "machine": {"cpus": 2, "load_start": [1.0, 0.5, 0.25], "load_end": [1.5, 0.75, 0.3]},
        "office": "6202",
        "data": {"cases": 100_000, "audit_entries": 710_710, "payments": 21_794, "survey_responses": 28_172}
        | {"seconds": 46.2},
        "pages": {
            "GET /staff/dashboard": {"n": 100, "p50_ms": 12.5, "p95_ms": 20.0, "max_ms": 31.0},
            "GET /staff/reports?month=2026-10": {"n": 100, "p50_ms": 40.0, "p95_ms": 61.2, "max_ms": 80.0},
        },
    }

    table = render(numbers)

    assert "office 6202 of 100,000 cases (710,710 audit entries" in table
    assert "load average (1/5/15 min) 1.00 0.50 0.25 before the requests" in table
    assert "GET /staff/dashboard                          100     12.5     20.0     31.0       50  yes" in table
    assert table.rstrip().endswith("NO")
