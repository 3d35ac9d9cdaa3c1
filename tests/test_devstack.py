"""make dev: the whole stack comes up, answers /healthz, keeps a waiting workflow across a restart."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiosmtplib
import httpx
import pytest

from core.db import create_engine, create_session_factory
from core.security import demo_password
from core.seeding import demo_email
from core.settings import Settings
from devstack import mailsink, runner
from devstack.demo import run_demo
from tests.api.conftest import SALE_REQUEST
from tests.conftest import free_port
from tests.helpers import TokenAuth, make_applicant

STARTUP_TIMEOUT = 120.0


def _free_pair() -> int:
    """A free port P whose P + 1000 (the Temporal UI) is free too."""
    while True:
        port = free_port()
        if port + 1000 < 65535 and not runner._port_in_use(port + 1000):
            return port


def _dev_settings(tmp_path: Path) -> Settings:
    api_port = free_port()
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'pst.db'}",
        temporal_address=f"127.0.0.1:{_free_pair()}",
        task_queue="pst-devstack-test",
        smtp_port=free_port(),
        smtp_host="127.0.0.1",
        api_port=api_port,
        public_base_url=f"http://127.0.0.1:{api_port}",
        mail_sink_dir=tmp_path / "mail",
        storage_dir=tmp_path / "files",
        temporal_dev_db=tmp_path / "temporal.db",
        secret_key="devstack-test",
    )


class Stack:
    """``pst dev`` running in this event loop until ``stop``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stop = asyncio.Event()
        self.task: asyncio.Task[int] | None = None
        self.base = f"http://127.0.0.1:{settings.api_port}"

    async def __aenter__(self) -> Stack:
        self.task = asyncio.create_task(runner.run(self.settings, self.stop))
        deadline = asyncio.get_running_loop().time() + STARTUP_TIMEOUT
        async with httpx.AsyncClient() as client:
            while True:
                assert not self.task.done(), "pst dev ended while starting"
                try:
                    if (await client.get(f"{self.base}/healthz")).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                assert asyncio.get_running_loop().time() < deadline, "/healthz not ok in time"
                await asyncio.sleep(0.5)

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        assert self.task is not None
        assert await self.task == 0


@pytest.fixture
async def dev_settings(tmp_path: Path) -> AsyncIterator[Settings]:
    yield _dev_settings(tmp_path)


async def _step(client: httpx.AsyncClient, base: str, case_id: str, auth: httpx.Auth) -> str:
    for _ in range(100):
        case = (await client.get(f"{base}/api/v1/cases/{case_id}", auth=auth)).json()
        if case["step"] != "submitted":
            return str(case["step"])
        await asyncio.sleep(0.2)
    raise AssertionError(f"{case_id} never left 'submitted'")


async def test_make_dev_runs_everything_and_resumes_after_ctrl_c(
    dev_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    email = demo_email("officer", "6202")
    password = demo_password("devstack-test", email)
    auth = TokenAuth(email, password)  # signs in once; the token outlives the restart (same secret key)
    administrator = demo_email("administrator", "6202")
    admin_auth = TokenAuth(administrator, demo_password("devstack-test", administrator))  # reads the outbox page
    async with Stack(dev_settings) as stack, httpx.AsyncClient() as client:
        health = (await client.get(f"{stack.base}/healthz")).json()
        assert health == {"status": "ok", "database": "ok", "temporal": "ok", "smtp": "ok"}
        with pytest.raises(
            runner.StartFailure,
            match=f"temporal: port {dev_settings.temporal_address.rsplit(':', 1)[1]} is already in use",
        ):
            runner.check_ports(runner.build_parts(dev_settings))
        engine = create_engine(dev_settings.database_url)
        applicant = TokenAuth(*await make_applicant(create_session_factory(engine)))
        await engine.dispose()
        case_id = (await client.post(f"{stack.base}/api/v1/sales", json=SALE_REQUEST, auth=applicant)).json()["id"]
        assert await _step(client, stack.base, case_id, auth) == "completeness"

    output = capsys.readouterr().out
    assert "[temporal]" in output and "[worker  ]" in output and "[api     ]" in output and "[smtp    ]" in output
    assert email in output and password in output  # demo logins printed at start
    assert "[api     ] stopped" in output

    async with Stack(dev_settings) as stack, httpx.AsyncClient() as client:
        assert await _step(client, stack.base, case_id, auth) == "completeness"
        returned = await client.post(
            f"{stack.base}/api/v1/sales/{case_id}/completeness",
            json={"complete": False, "missing": "Unggah abstraksi (PDF)"},
            auth=auth,
        )
        assert returned.status_code == 200 and returned.json()["step"] == "returned"
        for _ in range(100):
            outbox = (await client.get(f"{stack.base}/staff/outbox", auth=admin_auth)).text
            if f"Permintaan {case_id}: Menunggu pemohon melengkapi permintaan" in outbox:
                break
            await asyncio.sleep(0.2)
        assert f"Permintaan {case_id}: Pemeriksaan kelengkapan permintaan" in outbox
        assert f"Permintaan {case_id}: Menunggu pemohon melengkapi permintaan" in outbox

        said: list[str] = []
        code = await asyncio.to_thread(run_demo, "sale", stack.base, "6202", dev_settings, said.append)
        assert code == 0, said
        assert said[-2].startswith("7. data dikirim: ") and "/api/v1/downloads/" in said[-2]
        downloaded = await client.get(said[-2].removeprefix("7. data dikirim: "))  # the link alone opens nothing
        assert downloaded.status_code == 401 and "Masuk dengan akun pemohon" in downloaded.json()["detail"]
        assert "masa layanan tautan ulang 30 hari" in said[-1]
        told: list[str] = []
        code = await asyncio.to_thread(run_demo, "recommendation", stack.base, "6202", dev_settings, told.append)
        assert code == 0, told
        assert told[-1].startswith("6. rekomendasi terbit: REK-6202-")


def test_a_taken_port_names_the_part_and_the_fix(tmp_path: Path) -> None:
    settings = _dev_settings(tmp_path)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", settings.smtp_port))
        squatter.listen()
        with pytest.raises(runner.StartFailure) as failure:
            runner.check_ports(runner.build_parts(settings))
    message = str(failure.value)
    assert message.startswith(f"smtp: port {settings.smtp_port} is already in use")
    assert "PST_SMTP_PORT" in message


def test_temporal_runs_persisted_with_wal_and_search_attributes(tmp_path: Path) -> None:
    settings = _dev_settings(tmp_path)
    temporal = runner.build_parts(settings)[0].command
    assert temporal[1:3] == ["server", "start-dev"]
    joined = " ".join(temporal)
    assert f"--db-filename {tmp_path / 'temporal.db'}" in joined
    assert "--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal" in joined
    for name in ("PstOfficeCode=Keyword", "PstService=Keyword", "PstStep=Keyword", "PstSlaDeadline=Datetime"):
        assert f"--search-attribute {name}" in joined


async def test_the_local_smtp_server_keeps_every_mail(tmp_path: Path) -> None:
    port = free_port()
    controller = mailsink.serve("127.0.0.1", port, tmp_path / "mail")
    try:
        await aiosmtplib.send(
            "Subject: Uji\r\nTo: a@example.com\r\n\r\nIsi surat",
            sender="b@example.com",
            recipients=["a@example.com"],
            hostname="127.0.0.1",
            port=port,
        )
    finally:
        controller.stop()
    from api.services.outbox import list_kept_mail

    settings = Settings(_env_file=None, mail_sink_dir=tmp_path / "mail", show_outbox=True)  # type: ignore[call-arg]
    kept = list_kept_mail(settings=settings)
    assert [(mail.subject, mail.to, mail.text.strip()) for mail in kept] == [("Uji", "a@example.com", "Isi surat")]
