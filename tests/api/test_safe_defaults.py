"""Safe defaults: no start on a known secret outside development, the outbox page off unless asked for, security
headers on every answer, and cookies that a page script cannot read and that never travel in clear text over https."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from api.security_headers import SECURITY_HEADERS
from core.settings import PROJECT_ROOT, Settings, UnsafeSettings
from devstack.runner import dev_settings
from tests.conftest import SmtpSink, make_settings

LONG_SECRET = "k" * 40


# ---------------------------------------------------------------- secrets


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({}, "PST_SECRET_KEY"),  # nothing chosen: the default secret of the source code
        ({"secret_key": "short-but-not-default"}, "PST_SECRET_KEY"),
        ({"secret_key": LONG_SECRET}, "PST_SIMPONI_WEBHOOK_SECRET"),  # the webhook's default secret
        ({"secret_key": LONG_SECRET, "simponi_webhook_secret": "x" * 31}, "PST_SIMPONI_WEBHOOK_SECRET"),
    ],
)
def test_production_refuses_a_default_or_short_secret(changes: dict[str, str], variable: str) -> None:
    with pytest.raises(UnsafeSettings, match=f"^{variable} must be set .* at least 32 characters"):
        Settings(_env_file=None, environment="production", **changes)  # type: ignore[call-arg,arg-type]


def test_production_refuses_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PST_ENVIRONMENT", "production")
    monkeypatch.setenv("PST_SECRET_KEY", "dev-only-change-me")
    with pytest.raises(UnsafeSettings, match="PST_SECRET_KEY"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("PST_SECRET_KEY", LONG_SECRET)
    monkeypatch.setenv("PST_SIMPONI_WEBHOOK_SECRET", LONG_SECRET + "w")
    assert Settings(_env_file=None).environment == "production"  # type: ignore[call-arg]


def test_development_keeps_working_on_the_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.environment == "development"
    assert settings.secret_key.get_secret_value() == "dev-only-change-me"


# ---------------------------------------------------------------- the outbox page


def test_the_outbox_page_is_off_unless_development_turns_it_on() -> None:
    assert Settings(_env_file=None).show_outbox is False  # type: ignore[call-arg]
    assert dev_settings(Settings(_env_file=None)).show_outbox is True  # type: ignore[call-arg]
    assert dev_settings(Settings(_env_file=None, show_outbox=False)).show_outbox is False  # type: ignore[call-arg]


async def _app_client(settings: Settings, base_url: str = "http://pst.test") -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


async def test_the_outbox_page_is_not_served_by_default(
    database_url: str, smtp: SmtpSink, task_queue: str, tmp_path: Path, dev_env: WorkflowEnvironment, login: Any
) -> None:
    target = dev_env.client.service_client.config.target_host
    settings = make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=target)
    settings = Settings(_env_file=None, **settings.model_dump(exclude={"show_outbox"}))  # type: ignore[call-arg]
    async for client in _app_client(settings):
        anonymous = await client.get("/staff/outbox")
        administrator = await client.get("/staff/outbox", auth=login("6202", "administrator"))
    assert anonymous.status_code in (303, 404) and "verify-email" not in anonymous.text
    assert administrator.status_code == 404 and "verify-email" not in administrator.text


# ---------------------------------------------------------------- security headers


def _assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{response.request.url}: {name}"
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"  # no inline, no eval
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")


async def test_security_headers_on_a_page_an_api_answer_and_errors(api: httpx.AsyncClient, login: Any) -> None:
    page = await api.get("/login")
    answer = await api.get("/api/v1/tariffs", auth=login("6202", "officer"))
    static = await api.get("/static/pst.css")
    missing_page = await api.get("/staff/cases/no-such-case", headers={"Accept": "text/html"})
    missing_api = await api.get("/api/v1/no-such-thing")
    invalid = await api.post("/api/v1/sales", json={"office_code": "x"}, auth=login("6202", "officer"))
    unauthorised = await api.get("/api/v1/inbox")

    assert page.status_code == 200 and answer.status_code == 200 and static.status_code == 200
    assert missing_api.status_code == 404 and invalid.status_code == 422 and unauthorised.status_code == 401
    for response in (page, answer, static, missing_page, missing_api, invalid, unauthorised):
        _assert_security_headers(response)


async def test_security_headers_on_an_unexpected_error(
    database_url: str, smtp: SmtpSink, task_queue: str, tmp_path: Path, dev_env: WorkflowEnvironment
) -> None:
    """A crash is answered by Starlette's outermost middleware: the headers are set outside even that."""
    target = dev_env.client.service_client.config.target_host
    app = create_app(make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=target))

    async def crash() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/crash", crash)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://pst.test") as client:
            api_error = await client.get("/crash")
            page_error = await client.get("/crash", headers={"Accept": "text/html"})
    assert api_error.status_code == page_error.status_code == 500
    _assert_security_headers(api_error)
    _assert_security_headers(page_error)


async def test_pages_hold_no_inline_script_style_or_handler(api: httpx.AsyncClient) -> None:
    """What the policy forbids is not in the pages either (the browser would refuse it silently)."""
    for path in ("/", "/login", "/register", "/desk/6202", "/docs"):
        text = (await api.get(path)).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{path}: inline <script>"
        assert "<style" not in text and ' style="' not in text, f"{path}: inline style"
        assert not re.search(r"\son[a-z]+=", text), f"{path}: inline event handler"


async def test_swagger_ui_is_served_from_local_files_under_the_same_policy(api: httpx.AsyncClient) -> None:
    docs = await api.get("/docs")
    _assert_security_headers(docs)
    scripts = re.findall(r'<script src="([^"]+)"', docs.text) + re.findall(r'<link[^>]+href="([^"]+)"', docs.text)
    assert "/static/swagger-init.js" in scripts
    for path in scripts:
        assert path.startswith("/static/"), path  # nothing from the network
        assert (await api.get(path)).status_code == 200, path


# ---------------------------------------------------------------- cookies


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


async def test_cookies_are_httponly_lax_and_secure_when_the_public_address_is_https(
    database_url: str,
    smtp: SmtpSink,
    task_queue: str,
    tmp_path: Path,
    dev_env: WorkflowEnvironment,
    demo_accounts: Any,
) -> None:
    target = dev_env.client.service_client.config.target_host
    officer = demo_accounts[("6202", "officer")]
    for base in ("https://pst.test", "http://pst.test"):
        settings = make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=target)
        settings = settings.model_copy(update={"public_base_url": base})
        async for client in _app_client(settings, base_url=base):
            login_page = await client.get("/login")
            csrf = re.search(r'name="csrf" value="([^"]+)"', login_page.text)
            assert csrf is not None
            signed_in = await client.post(
                "/login", data={"email": officer.email, "password": officer.password, "csrf": csrf.group(1)}
            )
            language = await client.get("/lang/en?next=/")
            desk = await client.get("/desk/6202")
        cookies = {**_set_cookies(login_page), **_set_cookies(signed_in), **_set_cookies(language)}
        cookies.update(_set_cookies(desk))
        assert {"pst_login", "pst_session", "lang"} <= cookies.keys(), cookies
        for header in cookies.values():
            attributes = {part.strip().lower() for part in header.split(";")[1:]}
            assert "httponly" in attributes, header
            assert "samesite=lax" in attributes, header
            assert "path=/" in attributes, header
            assert ("secure" in attributes) is base.startswith("https"), f"{base}: {header}"


def test_cookies_are_set_in_one_place() -> None:
    """Every page sets its cookies through api/ui/cookies.py, so none can miss an attribute."""
    raw = re.compile(r"\.(set_cookie|delete_cookie)\(")
    elsewhere = [
        str(path.relative_to(PROJECT_ROOT))
        for path in (PROJECT_ROOT / "api").rglob("*.py")
        if path.name != "cookies.py" and raw.search(path.read_text())
    ]
    assert elsewhere == []


def test_no_template_holds_what_the_policy_refuses() -> None:
    """Every template, including those no test renders: an inline script, style or handler would be refused by the
    browser without a word (the page just stops working)."""
    refused = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    found = [
        f"{path.relative_to(PROJECT_ROOT)}: {match.group(0)}"
        for path in (PROJECT_ROOT / "api" / "ui" / "templates").rglob("*.html")
        for match in refused.finditer(path.read_text())
    ]
    assert found == []
