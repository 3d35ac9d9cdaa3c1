"""Browser tests: the real app served by uvicorn in the test loop, driven by Debian's Chromium via Playwright.

Playwright never downloads a browser here (no ``playwright install``): it launches /usr/bin/chromium, which
.ci/run installs from Debian. Without it the UI tests are skipped, so the rest of the suite stays green.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from core.db import SessionFactory
from core.seeding import DemoAccount
from core.settings import Settings
from tests.conftest import SmtpSink, free_port, make_settings
from worker import build_worker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
STARTUP_TIMEOUT_SECONDS = 20.0
PAGE_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class LiveServer:
    """The app listening on 127.0.0.1, with its settings (database, SMTP sink, task queue of its worker)."""

    base_url: str
    settings: Settings


class _InLoopServer(uvicorn.Server):
    """uvicorn in the test's event loop; it leaves signal handling (Ctrl-C) to pytest."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@pytest.fixture(scope="session", autouse=True)
def _chromium_required() -> None:
    """Skip every UI test, before any server starts, when Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the UI tests")


@pytest.fixture(scope="session")
def live_settings(
    database_url: str,
    smtp_server: SmtpSink,
    dev_env: WorkflowEnvironment,
    tmp_path_factory: pytest.TempPathFactory,
) -> Settings:
    """Settings of the live server: the session's database and SMTP sink, the dev server, its own task queue."""
    return make_settings(
        database_url,
        smtp_server.port,
        f"pst-ui-{uuid.uuid4()}",
        tmp_path_factory.mktemp("ui"),
        temporal_address=dev_env.client.service_client.config.target_host,
    )


@pytest.fixture(scope="session")
async def live_server(
    live_settings: Settings,
    dev_env: WorkflowEnvironment,
    session_factory: SessionFactory,
    demo_accounts: Any,
) -> AsyncIterator[LiveServer]:
    """The real app (its lifespan runs) on a free port of 127.0.0.1, with a worker on the dev server."""
    async with build_worker(dev_env.client, live_settings, session_factory):
        port = free_port()
        config = uvicorn.Config(
            create_app(live_settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        server = _InLoopServer(config)
        serving = asyncio.create_task(server.serve())
        try:
            async with asyncio.timeout(STARTUP_TIMEOUT_SECONDS):
                while not server.started:
                    if serving.done():
                        serving.result()  # a startup error surfaces here
                        raise RuntimeError("uvicorn stopped before it started serving")
                    await asyncio.sleep(0.05)
            yield LiveServer(base_url=f"http://127.0.0.1:{port}", settings=live_settings)
        finally:
            server.should_exit = True
            await serving


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless, with nothing of its own going to the network."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the UI tests")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser, live_server: LiveServer) -> AsyncIterator[Page]:
    """A fresh browser context (1280×800, id-ID) on the live server: ``page.goto("/")`` opens the home page."""
    context = await browser.new_context(
        base_url=live_server.base_url, viewport={"width": 1280, "height": 800}, locale="id-ID"
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    opened = await context.new_page()
    yield opened
    await context.close()


async def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG as test-artifacts/screenshots/<name>.png (the CI's artifacts) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


SERIOUS = ("serious", "critical")


async def assert_accessible(page: Page, name: str) -> None:
    """axe-core (shipped inside axe-playwright-python, nothing fetched) finds no serious or critical violation on the
    page as it stands; the screenshot is kept under ``name`` either way."""
    await screenshot(page, name)
    results = await Axe().run(page)
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert not found, f"{page.url}: " + "; ".join(found)


@pytest.fixture
async def people(browser: Browser, live_server: LiveServer) -> AsyncIterator[list[BrowserContext]]:
    """Separate browsers (cookie jars) for the people of a test; all closed at its end."""
    contexts: list[BrowserContext] = []
    yield contexts
    for context in contexts:
        await context.close()


async def signed_in(
    browser: Browser,
    server: LiveServer,
    people: list[BrowserContext],
    email: str,
    password: str,
    *,
    width: int = 1280,
) -> Page:
    """A browser of its own, signed in through the login form as ``email``."""
    context = await browser.new_context(base_url=server.base_url, viewport={"width": width, "height": 800})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    people.append(context)
    page = await context.new_page()
    await page.goto("/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", password)
    await page.click("form[action='/login'] button")
    await page.wait_for_load_state()
    return page


async def staff_page(
    browser: Browser,
    server: LiveServer,
    people: list[BrowserContext],
    accounts: dict[tuple[str, str], DemoAccount],
    role: str,
    office: str = "6202",
    *,
    width: int = 1280,
) -> Page:
    """A browser signed in as the demo account of ``role`` at ``office``."""
    account = accounts[(office, role)]
    return await signed_in(browser, server, people, account.email, account.password, width=width)
