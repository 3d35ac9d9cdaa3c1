"""``make chaos``: whole online sales while the worker is killed (SIGKILL) and restarted every few seconds.

It starts the bench's stack, drives ``--sales`` online sales through the HTTP API at once, kills the PST worker
every ``--every`` seconds and starts it again, then waits until the outbox is empty and counts, by each mail's
key (``X-PST-Key``), what the SMTP server received: a mail of the outbox never received is lost, one received
twice is doubled. Not a test: it reports, and exits 1 if a mail was lost or more than 1 in 1,000 doubled.
A sale the driver gave up on (it does not retry a 503 "coba lagi" while Temporal retries the workflow task
of a killed worker) is reported, not counted as a mail lost: its mails so far are in the count.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import func, select

from bench import sale_driver
from bench.run import bench_settings, stack
from core.db import create_engine, create_session_factory
from core.enums import MailStatus
from core.models import OutboxMail
from core.settings import Settings
from devstack import runner

DRAIN_TIMEOUT_SECONDS = 300.0


def received_keys(mail_dir: Path) -> Counter[str]:
    """How many times the SMTP server received each mail key."""
    counts: Counter[str] = Counter()
    for folder in (mail_dir / "new", mail_dir / "cur"):
        for path in folder.glob("*") if folder.is_dir() else ():
            message = message_from_bytes(path.read_bytes(), policy=default_policy)
            counts[str(message.get("X-PST-Key", ""))] += 1
    return counts


async def outbox(settings: Settings) -> tuple[list[str], int]:
    """Every key of the outbox, and how many rows are not sent yet."""
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            keys = list((await session.scalars(select(OutboxMail.key))).all())
            pending = int(await session.scalar(select(func.count()).where(OutboxMail.status != MailStatus.SENT)) or 0)
        return keys, pending
    finally:
        await engine.dispose()


async def kill_and_restart(worker: runner.Part, settings: Settings, every: float, done: threading.Event) -> int:
    """Kill the worker every ``every`` seconds and start it again, until ``done``; how many times."""
    kills = 0
    while not done.is_set():
        await asyncio.sleep(every)
        if done.is_set() or worker.process is None:
            break
        worker.process.kill()
        await worker.process.wait()
        kills += 1
        runner.say("chaos", f"worker killed ({kills})")
        await runner.start_part(worker, settings)
    return kills


async def chaos(sales: int, every: float) -> int:
    """Run the sales under worker kills; print what was lost or doubled; 1 when over the limits."""
    with tempfile.TemporaryDirectory(prefix="pst-chaos-") as folder:
        settings = bench_settings(Path(folder))
        async with stack(settings) as parts:
            worker = next(part for part in parts if part.name == "worker")
            mail = sale_driver.MailReader(settings.mail_sink_dir)
            base = f"http://127.0.0.1:{settings.api_port}"
            done = threading.Event()
            driving = asyncio.get_running_loop().run_in_executor(
                None, sale_driver.run_sales, base, settings, mail, sales, sales
            )
            killer = asyncio.create_task(kill_and_restart(worker, settings, every, done))
            result = await driving
            done.set()
            kills = await killer
            deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
            keys, pending = await outbox(settings)
            while pending and time.monotonic() < deadline:
                await asyncio.sleep(1)
                keys, pending = await outbox(settings)
            await asyncio.sleep(2)  # the last accepted mails reach the Maildir
            counts = received_keys(settings.mail_sink_dir)
    lost = [key for key in keys if counts[key] == 0]
    doubled = [key for key in keys if counts[key] > 1]
    print(f"sales completed {len(result.durations)} of {sales} ({len(result.failures)} failed); worker killed {kills}x")
    print(f"mails in the outbox {len(keys)}, still pending {pending}, lost {len(lost)}, doubled {len(doubled)}")
    for key in (lost + doubled)[:10]:
        print(f"  {key}: received {counts[key]}x")
    for failure in result.failures[:3]:  # e.g. a 503 "coba lagi" while Temporal retries a killed workflow task
        print(f"  failed sale (the driver does not retry): {failure}")
    too_many_doubles = len(doubled) * 1000 > max(len(keys), 1)
    return 1 if lost or too_many_doubles else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.chaos``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sales", type=int, default=50, help="online sales at once (default 50)")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between worker kills (default 10)")
    options = parser.parse_args(argv)
    return asyncio.run(chaos(options.sales, options.every))


if __name__ == "__main__":
    sys.exit(main())
