"""``make bench``: whole online sales through the HTTP API beside a bare Temporal workflow, on one dev server.

The bench starts its own stack on free ports in a temporary folder, the way ``make dev`` does (devstack
runner: Temporal dev server on a SQLite file, SMTP sink, PST worker, uvicorn API; SQLite app database), plus
the worker of the bare anchor workflow on its own task queue. Then, in order:

1. warm-up: one sale and one bare lifecycle alone; their histories give the per-lifecycle counts;
2. ``--sales`` bare lifecycles, ``--concurrency`` at a time, through the Temporal client;
3. ``--sales`` whole online sales, ``--concurrency`` at a time, through the HTTP API;
4. ``--burst`` bare workflows waiting, then one Update to each at the same moment;
5. ``--burst`` sales waiting on the officer, then every completeness check at the same moment.

It is a benchmark, not a test: it is not part of ``make test`` and asserts nothing but that the sales
went through.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from temporalio.client import Client, WorkflowHistory

from bench import bare, sale_driver
from bench.report import activity_types, by_step, count_events, ratio, render, spread
from core.security import hash_password, verify_password
from core.settings import Settings
from devstack import runner

SETTLE_SECONDS = 3.0
HEALTH_TIMEOUT_SECONDS = 120.0
IDLE_TIMEOUT_SECONDS = 30.0
BARE_TASK_QUEUE = "pst-bench-bare"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _free_temporal_port() -> int:
    """A free port P whose P + 1000 (the Temporal UI of the dev server) is free too."""
    while True:
        port = free_port()
        if port + 1000 < 65535 and not runner._port_in_use(port + 1000):
            return port


def bench_settings(folder: Path) -> Settings:
    """The settings of a make-dev stack in ``folder`` on free ports, logging warnings only."""
    api_port = free_port()
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{folder / 'pst.db'}",
        temporal_address=f"127.0.0.1:{_free_temporal_port()}",
        temporal_namespace="default",
        task_queue="pst-flow",
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        api_host="127.0.0.1",
        api_port=api_port,
        public_base_url=f"http://127.0.0.1:{api_port}",
        mail_sink_dir=folder / "mail",
        storage_dir=folder / "files",
        temporal_dev_db=folder / "temporal.db",
        secret_key=SecretStr("pst-bench"),
        log_level="WARNING",
    )


@asynccontextmanager
async def stack(settings: Settings) -> AsyncIterator[list[runner.Part]]:
    """The four parts of make dev and the bare worker, up and healthy until the block ends."""
    bare_worker = runner.Part(
        "bare",
        [
            sys.executable,
            "-m",
            "bench.bare",
            "--address",
            settings.temporal_address,
            "--namespace",
            settings.temporal_namespace,
            "--task-queue",
            BARE_TASK_QUEUE,
        ],
    )
    parts = [*runner.build_parts(settings), bare_worker]
    runner.check_ports(parts)
    await runner.prepare_database(settings)
    try:
        for part in parts:
            await runner.start_part(part, settings)
        await _healthy(f"http://127.0.0.1:{settings.api_port}/healthz")
        yield parts
    finally:
        await runner.stop_parts(parts)


async def _healthy(url: str) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise runner.StartFailure(f"{url} did not answer 200 in {HEALTH_TIMEOUT_SECONDS:.0f}s")


async def _idle_history(client: Client, workflow_id: str) -> WorkflowHistory:
    """The history of a workflow once it has no activity pending (the mails of its last step sent)."""
    handle = client.get_workflow_handle(workflow_id)
    deadline = time.monotonic() + IDLE_TIMEOUT_SECONDS
    while (await handle.describe()).raw_description.pending_activities and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return await handle.fetch_history()


def password_check_seconds(rounds: int = 5) -> float:
    """What one argon2 password check costs in this process (paid at registration and at sign-in)."""
    password_hash = hash_password("pst-bench")
    started = time.perf_counter()
    for _ in range(rounds):
        verify_password(password_hash, "pst-bench")
    return (time.perf_counter() - started) / rounds


async def _bare_lifecycles(client: Client, count: int, concurrency: int) -> tuple[dict[str, Any], list[Any]]:
    timings: list[tuple[str, float]] = []
    durations: list[float] = []
    failures: list[str] = []
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            started = time.perf_counter()
            try:
                await bare.bare_lifecycle(client, BARE_TASK_QUEUE, lambda name, s: timings.append((name, s)))
            except Exception as error:  # counted and reported: the bench goes on
                failures.append(repr(error))
                return
            durations.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count)))
    wall = time.perf_counter() - started
    return _lifecycles(count, concurrency, wall, durations, failures), timings


def _lifecycles(
    count: int, concurrency: int, wall: float, durations: list[float], failures: list[str]
) -> dict[str, Any]:
    lifetimes = spread(durations)
    return {
        "count": count,
        "completed": len(durations),
        "concurrency": concurrency,
        "wall_seconds": round(wall, 2),
        "per_second": round(len(durations) / wall, 3) if wall else 0.0,
        "p50_ms": lifetimes["p50_ms"],
        "p95_ms": lifetimes["p95_ms"],
        "failures": failures,
    }


class CpuMeter:
    """CPU seconds (user + system) used so far by each process of the stack and by the bench driver itself."""

    def __init__(self, parts: list[runner.Part]) -> None:
        self.pids = {part.name: part.process.pid for part in parts if part.process is not None}
        self.ticks = os.sysconf("SC_CLK_TCK")

    def _seconds(self, pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0  # not Linux, or the process is gone: the row shows 0
        return (int(fields[11]) + int(fields[12])) / self.ticks  # utime, stime

    def _machine_busy(self) -> float:
        try:
            jiffies = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        except OSError:
            return 0.0
        return (sum(jiffies[:8]) - jiffies[3] - jiffies[4]) / self.ticks  # all but idle and iowait

    def read(self) -> dict[str, float]:
        """Seconds per part, ``bench`` for this process (driver threads and Temporal client) and ``others``: what
        every other process of the machine used meanwhile (other people's work on a shared machine)."""
        used = {name: self._seconds(pid) for name, pid in self.pids.items()}
        own = os.times()
        used["bench"] = own.user + own.system
        used["others"] = self._machine_busy() - sum(used.values())
        return used

    @staticmethod
    def per_lifecycle(before: dict[str, float], after: dict[str, float], lifecycles: int) -> dict[str, float]:
        """Milliseconds of CPU per lifecycle of each part between two readings."""
        return {name: round((after[name] - before[name]) * 1000 / max(lifecycles, 1), 1) for name in after}


def _machine_load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


async def measure(
    settings: Settings, parts: list[runner.Part], sales: int, concurrency: int, burst: int
) -> dict[str, Any]:
    """Every number of the bench, on a stack that is up."""
    cpu = CpuMeter(parts)
    base_url = f"http://127.0.0.1:{settings.api_port}"
    mail = sale_driver.MailReader(settings.mail_sink_dir)
    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)

    runner.say("bench", "warm-up: one sale and one bare lifecycle alone (their histories are counted)")
    warm_sale = await asyncio.to_thread(sale_driver.one_sale, base_url, settings, mail)
    warm_bare = await bare.bare_lifecycle(client, BARE_TASK_QUEUE, lambda _name, _seconds: None)
    sale_history = await _idle_history(client, warm_sale.case_id)
    history = {"sale": count_events(sale_history), "bare": count_events(await _idle_history(client, warm_bare))}

    runner.say("bench", f"{sales} bare lifecycles, {concurrency} at a time")
    before = cpu.read()
    bare_run, bare_timings = await _bare_lifecycles(client, sales, concurrency)
    bare_cpu = cpu.per_lifecycle(before, cpu.read(), bare_run["completed"])

    runner.say("bench", f"{sales} online sales through the HTTP API, {concurrency} at a time")
    before = cpu.read()
    sale_run = await asyncio.to_thread(sale_driver.run_sales, base_url, settings, mail, sales, concurrency)
    sale_cpu = cpu.per_lifecycle(before, cpu.read(), len(sale_run.durations))

    runner.say("bench", f"{burst} bare Updates at the same moment")
    parked_bare = await bare.park_bare(client, BARE_TASK_QUEUE, burst)
    await asyncio.sleep(SETTLE_SECONDS)
    bare_burst = await bare.bare_burst(client, parked_bare)

    runner.say("bench", f"{burst} officer completeness checks at the same moment")
    parked = await asyncio.to_thread(sale_driver.park_sales, base_url, settings, mail, burst, concurrency)
    await asyncio.sleep(SETTLE_SECONDS)
    officer_burst = await asyncio.to_thread(sale_driver.officer_burst, parked)

    sales_numbers = _lifecycles(
        sale_run.count, concurrency, sale_run.wall_seconds, sale_run.durations, sale_run.failures
    )
    officer_spread, bare_spread = spread(officer_burst), spread(bare_burst)
    burst_numbers = {
        "size": burst,
        "officer": officer_spread,
        "bare": bare_spread,
        "p95_ratio": ratio(officer_spread["p95_ms"], bare_spread["p95_ms"]),
    }
    return {
        "sales": sales_numbers,
        "bare": bare_run,
        "sale_to_bare": ratio(sales_numbers["per_second"], bare_run["per_second"]),
        "sale_steps": by_step(sale_run.steps),
        "bare_steps": by_step(bare_timings),
        "history": history,
        "sale_activity_types": activity_types(sale_history),
        "cpu_ms_per_lifecycle": {"sale": sale_cpu, "bare": bare_cpu},
        "burst": burst_numbers,
    }


async def bench(sales: int, concurrency: int, burst: int) -> dict[str, Any]:
    """Start the stack in a temporary folder, measure, stop it; the numbers with the machine's load."""
    numbers: dict[str, Any] = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_start": _machine_load()},
        "password_check_ms": round(password_check_seconds() * 1000, 1),
    }
    with tempfile.TemporaryDirectory(prefix="pst-bench-") as folder:
        settings = bench_settings(Path(folder))
        async with stack(settings) as parts:
            numbers.update(await measure(settings, parts, sales, concurrency, burst))
    numbers["machine"]["load_end"] = _machine_load()
    return numbers


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options of ``python -m bench``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Whole online sales through the HTTP API beside a bare Temporal workflow with the same "
        "human steps, on one Temporal dev server started for the run.",
    )
    parser.add_argument("--sales", type=int, default=40, help="lifecycles of each kind (default 40)")
    parser.add_argument("--concurrency", type=int, default=20, help="lifecycles at a time (default 20)")
    parser.add_argument("--burst", type=int, default=20, help="simultaneous officer actions and bare Updates (20)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    for name in ("sales", "concurrency", "burst"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench``: 0 when every lifecycle went through."""
    args = parse_args(argv)
    try:
        numbers = asyncio.run(bench(args.sales, args.concurrency, args.burst))
    except runner.StartFailure as failure:
        runner.say("bench", str(failure))
        return 1
    print(render(numbers), flush=True)
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2) + "\n")
    return 1 if numbers["sales"]["failures"] or numbers["bare"]["failures"] else 0
