"""``python -m bench.scale``: the staff pages at a national office's scale, on PostgreSQL (part of ``make bench``).

It makes a PostgreSQL database of its own (``pst_bench_scale`` on 127.0.0.1:5432, user postgres; dropped and
made again), migrates it, seeds the reference data, bulk-inserts ``--cases`` cases (100,000) across the four
offices with their audit entries, payments and survey answers, then drives the real app in-process
(``httpx.ASGITransport`` on ``create_app``; Temporal is not needed to read pages, its client connects lazily)
signed in through the login form, and prints p50/p95 of ``--requests`` calls of each page against the
50 ms target. It is a benchmark, not a test: it asserts only that every page answered 200.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import re
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from api.main import create_app
from bench.report import spread
from bench.scale_data import office_rows
from core.db import create_engine, create_session_factory
from core.models import AuditEntry, Case, Payment, SurveyResponse, utcnow
from core.reference import OFFICES
from core.seeding import DemoAccount, seed_reference_data
from core.settings import Settings
from migrations import upgrade_database

TARGET_MS = 50.0
CHUNK = 5_000
SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
WARM_UP = 5


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases across the four offices (100000)")
    parser.add_argument("--requests", type=int, default=100, help="timed calls of each page (100)")
    parser.add_argument("--office", default="6202", help="the office whose staff is signed in (6202)")
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server, no database ({SERVER})")
    parser.add_argument("--database", default="pst_bench_scale", help="database made for the run (pst_bench_scale)")
    parser.add_argument("--json", type=Path, help="also write the numbers here as JSON")
    parser.add_argument("--reuse", action="store_true", help="measure the data a previous run left (no new data)")
    return parser.parse_args(argv)


async def _fresh_database(server: str, name: str) -> str:
    """Drop and make ``name`` again; its URL."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"database name {name!r}: lower-case letters, digits and _ only")
    admin = create_async_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        await connection.execute(text(f"CREATE DATABASE {name}"))
    await admin.dispose()
    return f"{server}/{name}"


async def _counted(settings: Settings) -> dict[str, Any]:
    """What a previous run left, migrated to this checkout's head."""
    engine = create_engine(settings.database_url)
    await upgrade_database(engine)
    async with engine.begin() as connection:
        counts = {
            name: int(await connection.scalar(text(f"SELECT count(*) FROM {name}")) or 0)
            for name in ("cases", "audit_entries", "payments", "survey_responses")
        }
        await connection.execute(text("ANALYZE"))
    await engine.dispose()
    return {**counts, "seconds": None}


async def _bulk(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await connection.execute(insert(table), rows[start : start + CHUNK])


async def _fill(settings: Settings, cases: int) -> dict[str, Any]:
    """Migrate, seed, insert ``cases`` cases with their rows; what was inserted and how long it took."""
    began = time.perf_counter()
    engine = create_engine(settings.database_url)
    await upgrade_database(engine)
    await seed_reference_data(create_session_factory(engine), secret_key=settings.secret_key.get_secret_value())
    rng, now = random.Random(20261127), utcnow()
    counts = {"cases": 0, "audit_entries": 0, "payments": 0, "survey_responses": 0}
    for office in OFFICES:
        code = str(office["code"])
        rows = office_rows(code, cases // len(OFFICES), now, rng, f"officer.{code}@demo.pst-flow.id")
        async with engine.begin() as connection:
            await _bulk(connection, Case.__table__, rows.cases)
            await _bulk(connection, AuditEntry.__table__, rows.audit)
            await _bulk(connection, Payment.__table__, rows.payments)
            await _bulk(connection, SurveyResponse.__table__, rows.surveys)
        for name, added in zip(counts, (rows.cases, rows.audit, rows.payments, rows.surveys), strict=True):
            counts[name] += len(added)
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))
    await engine.dispose()
    return {**counts, "seconds": round(time.perf_counter() - began, 1)}


@asynccontextmanager
async def _signed_in(app: Any, account: DemoAccount) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the in-process app, signed in as ``account`` through the login form."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://pst.bench") as client:
        form = await client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None, "no CSRF token on the login page"
        fields = {"csrf": token.group(1), "email": account.email, "password": account.password}
        answer = await client.post("/login", data=fields)
        assert answer.status_code == 303, f"sign-in as {account.email} answered {answer.status_code}"
        yield client


async def _timed(client: httpx.AsyncClient, path: str, count: int) -> dict[str, float]:
    """p50/p95/max of ``count`` calls of ``path`` after a few untimed ones."""
    seconds: list[float] = []
    for index in range(WARM_UP + count):
        began = time.perf_counter()
        answer = await client.get(path)
        took = time.perf_counter() - began
        assert answer.status_code == 200, f"GET {path} answered {answer.status_code}"
        if index >= WARM_UP:
            seconds.append(took)
    return spread(seconds)


def _last_month(now: datetime) -> str:
    first = now.replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


async def _measure(settings: Settings, office: str, count: int) -> dict[str, dict[str, float]]:
    """Each page, signed in as the office's officer (inbox) and supervisor (the rest)."""
    engine = create_engine(settings.database_url)
    accounts = await seed_reference_data(
        create_session_factory(engine), secret_key=settings.secret_key.get_secret_value()
    )
    await engine.dispose()
    by_role = {(account.office_code, account.role): account for account in accounts}
    month = _last_month(utcnow())
    app = create_app(settings)
    pages = {
        ("officer", "GET /staff (officer's inbox)"): "/staff",
        ("supervisor", "GET /staff (supervisor's inbox)"): "/staff",
        ("supervisor", "GET /staff/dashboard"): "/staff/dashboard",
        ("supervisor", f"GET /staff/reports?month={month}"): f"/staff/reports?month={month}",
        ("supervisor", f"GET /staff/reports/{month}.csv"): f"/staff/reports/{month}.csv",
    }
    numbers: dict[str, dict[str, float]] = {}
    async with app.router.lifespan_context(app):
        for role in ("officer", "supervisor"):
            async with _signed_in(app, by_role[(office, role)]) as client:
                for (who, label), path in pages.items():
                    if who == role:
                        numbers[label] = await _timed(client, path, count)
    return numbers


def _load(averages: Sequence[float]) -> str:
    return " ".join(f"{value:.2f}" for value in averages)


def render(numbers: dict[str, Any]) -> str:
    """The plain-text table of a run."""
    data, machine = numbers["data"], numbers["machine"]
    made = "an earlier run's data" if data["seconds"] is None else f"inserted in {data['seconds']} s"
    lines = [
        f"PST Flow scale bench, {numbers['date']}: office {numbers['office']} of {data['cases']:,} cases "
        f"({data['audit_entries']:,} audit entries, {data['payments']:,} payments, "
        f"{data['survey_responses']:,} survey answers; {made}), PostgreSQL, in-process app",
        f"{machine['cpus']} CPUs, load average (1/5/15 min) {_load(machine['load_start'])} before the requests, "
        f"{_load(machine['load_end'])} after",
        "",
        f"{'page (ms)':<44}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}{'target':>9}  p95 within",
    ]
    for label, spread_ in numbers["pages"].items():
        verdict = "yes" if spread_["p95_ms"] <= TARGET_MS else "NO"
        lines.append(
            f"{label:<44}{spread_['n']:>5}{spread_['p50_ms']:>9.1f}{spread_['p95_ms']:>9.1f}"
            f"{spread_['max_ms']:>9.1f}{TARGET_MS:>9.0f}  {verdict}"
        )
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Make the data, measure the pages; the numbers."""
    url = f"{args.server}/{args.database}" if args.reuse else await _fresh_database(args.server, args.database)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        temporal_address="127.0.0.1:1",  # nobody listens: reading pages must not need Temporal
        secret_key=SecretStr("bench-scale-secret"),
        log_level="WARNING",
    )
    data = await (_counted(settings) if args.reuse else _fill(settings, args.cases))
    load_start = os.getloadavg()
    pages = await _measure(settings, args.office, args.requests)
    return {
        "date": utcnow().strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cpus": os.cpu_count(), "load_start": load_start, "load_end": os.getloadavg()},
        "office": args.office,
        "data": data,
        "pages": pages,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the scale bench; 0 when every page answered (whatever its speed: it is a benchmark)."""
    args = _parse(argv)
    logging.basicConfig(level=logging.WARNING)
    numbers = asyncio.run(run(args))
    sys.stdout.write(render(numbers) + "\n")
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
