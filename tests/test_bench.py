"""make bench is a benchmark, not a test: only its command line and its table are checked here (no stack)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.report import percentile, render, spread
from bench.sale_driver import step_name

SMALL_RUN = Path(__file__).parent / "bench_numbers.json"


def test_python_m_bench_help_names_its_options() -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--help"], capture_output=True, text=True, check=True)
    for option in ("--sales", "--concurrency", "--burst", "--json"):
        assert option in done.stdout


def test_percentiles_are_nearest_rank_in_milliseconds() -> None:
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert percentile(values, 50) == 0.05 and percentile(values, 95) == 0.095 and percentile([], 95) == 0.0
    assert spread(values) == {"n": 100, "p50_ms": 50.0, "p95_ms": 95.0, "max_ms": 100.0}


def test_a_step_is_named_without_its_case_id() -> None:
    path = "/api/v1/sales/sale-6202-2026-000007/documents"
    assert step_name("POST", path, {"kind": "abstract"}) == "POST /sales/{id}/documents?kind=abstract"
    assert step_name("GET", "/api/v1/cases/sale-6202-2026-000007") == "GET /cases/{id}"
    assert step_name("POST", "/api/v1/payments/simponi/notify") == "POST /payments/simponi/notify"


def test_the_table_shows_both_rates_their_ratio_the_counts_and_the_load() -> None:
    table = render(json.loads(SMALL_RUN.read_text()))
    assert "online sale via HTTP API" in table and "bare workflow (anchor)" in table
    assert "sale / bare lifecycles per second: 0.051" in table
    assert "activities scheduled                              62      10" in table
    assert "officer / bare p95: 13.2x" in table
    assert "load average (1/5/15 min) 1.36 0.94 0.45 at start, 3.44 1.48 0.65 at end" in table
    assert (
        "CPU ms per lifecycle, by process    temporal      smtp    worker       api      bare     bench    others"
        in table
    )
