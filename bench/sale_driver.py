"""The sale side of ``make bench``: the whole online sale of ``pst demo sale`` through the HTTP API, timed.

Each driver thread plays one sale with :class:`devstack.demo.SaleDemo` (applicant, officer, treasurer,
SIMPONI) and records how long each HTTP action took. Two things differ from the demo, both on the client
side: people sign in through :func:`sign_in` (once per person and sale), and mail is read straight from the
local SMTP server's Maildir instead of the ``/staff/outbox`` page, which parses every kept mail on each
call and would make the bench measure that page rather than the system.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import httpx

from core.settings import Settings
from devstack.demo import WAIT_SECONDS, DemoError, SaleDemo

MAIL_POLL_SECONDS = 0.1
MTIME_TICK_NS = 100_000_000  # coarser than any file system's mtime resolution
# The demo gives up on a call after 30 s; the bench measures slow answers instead of failing them.
HTTP_TIMEOUT_SECONDS = 120.0


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` on every request."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def sign_in(http: httpx.Client, email: str, password: str) -> httpx.Auth:
    """How the bench signs a person in (OAuth2 password flow): every credential of the bench goes through here."""
    signed_in = http.post("/api/v1/auth/token", data={"username": email, "password": password})
    signed_in.raise_for_status()
    return BearerAuth(str(signed_in.json()["access_token"]))


class StaffTokens:
    """The staff's bearer tokens, shared by every sale of a run: a script signs in once, not per case."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: dict[tuple[str, str], httpx.Auth] = {}

    def get(self, http: httpx.Client, who: tuple[str, str]) -> tuple[httpx.Auth, bool]:
        """The token of ``who`` and whether it was signed in for just now."""
        with self.lock:
            if who in self.tokens:
                return self.tokens[who], False
            self.tokens[who] = sign_in(http, *who)
            return self.tokens[who], True


STAFF_TOKENS = StaffTokens()


class MailReader:
    """The mail kept by the local SMTP server (a Maildir), shared by the driver threads. A file is read once and
    filed under its recipient; only the mail of someone waiting for one is decoded, once (the sink keeps
    every staff mail of the run too, and decoding them all would make the bench measure its own parser)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.lock = threading.Lock()
        self.seen: set[str] = set()
        self.raw_by_recipient: dict[str, list[bytes]] = {}
        self.text_by_recipient: dict[str, list[str]] = {}
        self.listed: dict[Path, int] = {}  # a folder's mtime when it was last listed well after that mtime

    def _scan(self) -> None:
        for folder in (self.directory / "new", self.directory / "cur"):
            try:
                changed = folder.stat().st_mtime_ns
            except FileNotFoundError:
                continue
            if self.listed.get(folder) == changed:
                continue  # no mail arrived since a listing that began after the folder last changed
            if time.time_ns() - changed > MTIME_TICK_NS:  # a later arrival in the same clock tick would not show
                self.listed[folder] = changed
            for path in folder.iterdir():
                key = path.name.split(":", 1)[0]
                if key in self.seen:
                    continue
                try:
                    raw = path.read_bytes()
                except FileNotFoundError:
                    continue  # moved from new/ to cur/ meanwhile: the next scan finds it
                self.seen.add(key)
                to = _RECIPIENT.search(raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0])
                recipient = to.group(1).decode().strip().lower() if to else ""
                self.raw_by_recipient.setdefault(recipient, []).append(raw)

    def _texts(self, recipient: str) -> list[str]:
        """Subject and plain text of every mail to ``recipient`` read so far, decoded once each."""
        raws, texts = self.raw_by_recipient.get(recipient, []), self.text_by_recipient.setdefault(recipient, [])
        texts.extend(_subject_and_text(raw) for raw in raws[len(texts) :])
        return texts

    def find(self, pattern: str, to: str) -> str:
        """The first match of ``pattern`` in a mail to ``to``, waiting for it to arrive."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            with self.lock:
                self._scan()
                for text in self._texts(to.lower()):
                    found = re.search(pattern, text)
                    if found:
                        return found.group(1)
            time.sleep(MAIL_POLL_SECONDS)
        raise DemoError(f"no mail to {to} matching {pattern!r} in {WAIT_SECONDS:.0f}s")


_RECIPIENT = re.compile(rb"^To: *(.*)$", re.MULTILINE | re.IGNORECASE)


def _subject_and_text(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    return f"{message.get('Subject', '')}\n{body.get_content() if body is not None else ''}"


_CASE_IN_PATH = re.compile(r"^/api/v1(/(?:sales|cases))/[^/]+")


def step_name(method: str, path: str, params: Any = None) -> str:
    """The action of one HTTP call without its case id, e.g. ``POST /sales/{id}/documents?kind=abstract``."""
    name = _CASE_IN_PATH.sub(r"\1/{id}", path).removeprefix("/api/v1")
    if isinstance(params, dict) and "kind" in params:
        name += f"?kind={params['kind']}"
    return f"{method} {name}"


def _mail_name(pattern: str) -> str:
    for word, name in (("verify", "verification link"), ("billing", "billing code")):
        if word in pattern:
            return name
    return "a mail"


def _quiet(_line: str) -> None:
    """The bench prints its table, not the demo's story."""


class TimedSale(SaleDemo):
    """One online sale of the demo whose every step is timed into ``timings`` (step name, seconds)."""

    def __init__(self, base_url: str, office: str, settings: Settings, mail: MailReader) -> None:
        super().__init__(base_url, office, settings, say=_quiet)
        self.http.timeout = httpx.Timeout(HTTP_TIMEOUT_SECONDS)
        self.mail = mail
        self.timings: list[tuple[str, float]] = []
        self.case_id = ""
        self._signed_in: dict[tuple[str, str], httpx.Auth] = {}
        self._in_wait = False

    def credentials(self, who: tuple[str, str]) -> httpx.Auth:
        """``who`` (email, password) signed in: the applicant once per sale, each staff member once per run."""
        started = time.perf_counter()
        if who in self.staff.values():
            token, fresh = STAFF_TOKENS.get(self.http, who)
        elif who in self._signed_in:
            token, fresh = self._signed_in[who], False
        else:
            token, fresh = self._signed_in.setdefault(who, sign_in(self.http, *who)), True
        if fresh:
            self.timings.append(("sign in (once per person)", time.perf_counter() - started))
        return token

    def call(
        self, method: str, path: str, auth: tuple[str, str] | httpx.Auth | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        signed = self.credentials(auth) if isinstance(auth, tuple) else auth
        step = step_name(method, path, kwargs.get("params"))
        started = time.perf_counter()
        try:
            answer = super().call(method, path, auth=signed, **kwargs)
        except httpx.HTTPError as error:
            raise DemoError(f"{step} ({self.case_id or 'no case yet'}): {type(error).__name__} {error}") from error
        if not self._in_wait:
            self.timings.append((step, time.perf_counter() - started))
        return answer

    def wait_for(self, case_id: str, step: str) -> None:
        started = time.perf_counter()
        self._in_wait = True
        try:
            super().wait_for(case_id, step)
        finally:
            self._in_wait = False
        self.timings.append((f"(wait) case reaches {step}", time.perf_counter() - started))

    def from_outbox(self, pattern: str, to: str) -> str:
        started = time.perf_counter()
        found = self.mail.find(pattern, to)
        self.timings.append((f"(wait) mail: {_mail_name(pattern)}", time.perf_counter() - started))
        return found

    def submit(self) -> str:
        self.case_id = super().submit()
        return self.case_id

    def close(self) -> None:
        """Close the HTTP connection."""
        self.http.close()


@dataclass
class Lifecycles:
    """What a run of many lifecycles at a concurrency measured."""

    count: int
    concurrency: int
    wall_seconds: float
    durations: list[float] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        """Completed lifecycles per second of wall time."""
        return len(self.durations) / self.wall_seconds if self.wall_seconds else 0.0


def _pooled(count: int, concurrency: int, one: Callable[[int], TimedSale]) -> tuple[Lifecycles, list[TimedSale]]:
    results = Lifecycles(count=count, concurrency=concurrency, wall_seconds=0.0)
    done: list[TimedSale] = []

    def timed(index: int) -> tuple[float, TimedSale]:
        started = time.perf_counter()
        sale = one(index)
        return time.perf_counter() - started, sale

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sale") as pool:
        futures = [pool.submit(timed, index) for index in range(count)]
        for future in futures:
            try:
                seconds, sale = future.result()
            except (DemoError, httpx.HTTPError) as error:
                results.failures.append(str(error))
                continue
            results.durations.append(seconds)
            results.steps.extend(sale.timings)
            done.append(sale)
    results.wall_seconds = time.perf_counter() - started
    return results, done


def run_sales(base_url: str, settings: Settings, mail: MailReader, count: int, concurrency: int) -> Lifecycles:
    """``count`` whole online sales, ``concurrency`` at a time."""

    return _pooled(count, concurrency, lambda _index: one_sale(base_url, settings, mail))[0]


def one_sale(base_url: str, settings: Settings, mail: MailReader) -> TimedSale:
    """One whole online sale, alone (the warm-up; its history is the one counted)."""
    sale = TimedSale(base_url, "6202", settings, mail)
    try:
        sale.run()
    finally:
        sale.close()
    return sale


def park_sales(base_url: str, settings: Settings, mail: MailReader, count: int, concurrency: int) -> list[TimedSale]:
    """``count`` sales submitted with their abstract, waiting on the officer's completeness check (connections
    kept open)."""

    def one(_index: int) -> TimedSale:
        sale = TimedSale(base_url, "6202", settings, mail)
        sale.register("education", "Universitas Demo")
        sale.submit()
        return sale

    results, parked = _pooled(count, concurrency, one)
    if results.failures:
        for sale in parked:
            sale.close()
        raise DemoError(f"{len(results.failures)} sales could not be parked: {results.failures[0]}")
    return parked


def officer_burst(parked: Sequence[TimedSale]) -> list[float]:
    """Every parked sale's officer finds it complete at the same moment; each answer's seconds."""
    barrier = threading.Barrier(len(parked))

    def act(sale: TimedSale) -> float:
        officer = sale.credentials(sale.staff["officer"])
        barrier.wait()
        started = time.perf_counter()
        sale.call("POST", f"/api/v1/sales/{sale.case_id}/completeness", auth=officer, json={"complete": True})
        return time.perf_counter() - started

    try:
        with ThreadPoolExecutor(max_workers=len(parked), thread_name_prefix="officer") as pool:
            return list(pool.map(act, parked))
    finally:
        for sale in parked:
            sale.close()
