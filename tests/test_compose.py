"""The production shape (docker-compose.yml, Dockerfile) checked without a Docker engine."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from functools import cache
from typing import Any

import pytest
import yaml

from core.settings import PROJECT_ROOT, Settings, UnsafeSettings

APP_SERVICES = ("migrate", "api", "worker")
ESSENTIAL_ENV = {
    "PST_DATABASE_URL",
    "PST_TEMPORAL_ADDRESS",
    "PST_SMTP_HOST",
    "PST_SECRET_KEY",
    "PST_SIMPONI_WEBHOOK_SECRET",
}
REQUIRED_VAR = re.compile(r"\$\{(\w+):\?[^}]+\}")
FALLBACK_SEARCH_ATTRIBUTES = {
    "PstOfficeCode": "Keyword",
    "PstService": "Keyword",
    "PstStep": "Keyword",
    "PstSlaDeadline": "Datetime",
}


@cache
def compose() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())


def service(name: str) -> dict[str, Any]:
    return compose()["services"][name]


def environment(name: str) -> dict[str, str]:
    env = service(name).get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def published_ports(name: str) -> set[int]:
    return {int(str(port).split(":")[-2]) for port in service(name).get("ports", [])}


def expected_search_attributes() -> dict[str, str]:
    try:
        from core.search_attributes import ALL_KEYS
    except ImportError:
        return FALLBACK_SEARCH_ATTRIBUTES
    return {key.name: key.indexed_value_type.name.title() for key in ALL_KEYS}


def test_required_services_exist() -> None:
    required = {"postgres", "temporal-schema", "temporal", "temporal-ui", "temporal-setup", "mailpit", "proxy"}
    required |= set(APP_SERVICES)
    assert required <= compose()["services"].keys()


def test_published_ports() -> None:
    assert 8000 in published_ports("proxy")
    assert 8233 in published_ports("temporal-ui")
    assert 8025 in published_ports("mailpit")


def test_app_environment_keys_are_settings_fields() -> None:
    fields = {f"PST_{name.upper()}" for name in Settings.model_fields}
    for name in APP_SERVICES:
        keys = {key for key in environment(name) if key.startswith("PST_")}
        assert keys <= fields, f"{name}: unknown settings {keys - fields}"
        assert ESSENTIAL_ENV <= keys, f"{name}: missing {ESSENTIAL_ENV - keys}"


def test_app_services_share_one_environment() -> None:
    assert environment("api") == environment("worker") == environment("migrate")
    assert environment("api")["PST_TEMPORAL_ADDRESS"] == "temporal:7233"
    assert environment("api")["PST_SHOW_OUTBOX"] == "false"
    assert environment("api")["PST_ENVIRONMENT"] == "production"


def test_secrets_are_required_variables() -> None:
    for name in compose()["services"]:
        for key, value in environment(name).items():
            if "PASSWORD" in key or "SECRET" in key or "PWD" in key:
                assert REQUIRED_VAR.search(value), f"{name}.{key} must be ${{VAR:?message}}"
    assert ":${POSTGRES_PASSWORD:?" in environment("api")["PST_DATABASE_URL"]


def test_healthchecks() -> None:
    for name in ("api", "postgres", "temporal", "mailpit"):
        healthcheck = service(name)["healthcheck"]
        assert healthcheck["test"] and not healthcheck.get("disable"), name
    assert "/healthz" in " ".join(service("api")["healthcheck"]["test"])
    # The worker serves no port: no probe, but it restarts when it dies.
    assert service("worker")["healthcheck"] == {"disable": True}
    assert service("worker")["restart"] == "unless-stopped"


def test_app_start_order_and_replicas() -> None:
    for name in ("api", "worker"):
        depends_on = service(name)["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        assert depends_on["temporal-setup"]["condition"] == "service_completed_successfully"
        assert depends_on["temporal"]["condition"] == "service_healthy"
    assert service("worker")["deploy"]["replicas"] >= 2
    assert service("worker")["command"] == ["python", "worker.py"]
    assert service("migrate")["command"] == ["pst", "migrate"]


def test_temporal_setup_registers_the_search_attributes() -> None:
    script = " ".join(service("temporal-setup")["command"])
    registered = dict(re.findall(r"--name (\w+) --type (\w+)", script))
    assert registered == expected_search_attributes()


def test_dockerfile_is_python_311_and_non_root() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", dockerfile, re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


def _dockerfile() -> str:
    return (PROJECT_ROOT / "Dockerfile").read_text()


def test_the_api_replicas_share_one_published_port() -> None:
    """Two replicas cannot both publish 8000: they publish nothing, and the proxy reaches every one of them by name."""
    assert published_ports("api") == set() and "8000" in [str(port) for port in service("api")["expose"]]
    assert service("api")["deploy"]["replicas"] >= 2
    assert service("proxy")["depends_on"]["api"]["condition"] == "service_healthy"
    caddyfile = compose()["configs"]["caddyfile"]["content"]
    assert re.search(r"dynamic a api 8000", caddyfile)  # every replica's address, looked up again and again
    assert {"source": "caddyfile", "target": "/etc/caddy/Caddyfile"} in service("proxy")["configs"]
    # Behind the proxy, each person's own address (sign-in throttling counts per address) comes from the proxy.
    assert "--proxy-headers" in service("api")["command"] and "/healthz" in " ".join(
        service("proxy")["healthcheck"]["test"]
    )
    for name in compose()["services"]:
        if name != "proxy":
            assert 8000 not in published_ports(name), name


def test_temporal_runs_on_maintained_images_with_a_one_shot_schema_job() -> None:
    images = {name: definition.get("image", "") for name, definition in compose()["services"].items()}
    assert not any("auto-setup" in image for image in images.values()), images
    assert images["temporal"].startswith("temporalio/server:")
    assert images["temporal-schema"].startswith("temporalio/admin-tools:")
    assert images["temporal-setup"].startswith("temporalio/admin-tools:")
    assert service("temporal")["depends_on"]["temporal-schema"]["condition"] == "service_completed_successfully"
    assert service("temporal-schema")["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert service("temporal-schema")["restart"].startswith("on-failure")
    script = " ".join(service("temporal-schema")["command"])
    for step in ("create", "setup-schema -v 0.0", "update-schema -d"):
        assert f'temporal-sql-tool --db "$$db" {step}' in script, step
    assert "for db in temporal temporal_visibility" in script
    assert "/postgresql/v12" in script and environment("temporal-schema")["SQL_PLUGIN"] == environment("temporal")["DB"]
    version = images["temporal"].split(":")[1]
    assert images["temporal-schema"].split(":")[1].startswith(version)  # the schema of the server that runs on it
    assert "namespace create --namespace default" in " ".join(service("temporal-setup")["command"])


def test_production_settings_refuse_the_defaults_compose_would_not_set(monkeypatch: Any) -> None:
    env = {key: value for key, value in environment("api").items() if "${" not in value}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PST_SECRET_KEY", "short")
    with pytest.raises(UnsafeSettings, match="PST_SECRET_KEY"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_image_installs_the_locked_dependencies_in_their_own_layer() -> None:
    dockerfile = _dockerfile()
    lock_install = dockerfile.index("RUN pip install --no-deps -r requirements.lock")
    assert dockerfile.index("COPY requirements.lock ./") < lock_install < dockerfile.index("COPY core ./core")
    assert re.search(r"RUN pip install --no-deps \. ", dockerfile)  # the project adds no package of its own
    lines = [
        line for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines() if line[:1] not in ("#", "")
    ]
    pinned = dict(line.split("==") for line in lines)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", name) and version for name, version in pinned.items()), lines
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name, _, version = requirement.partition("==")
        name = re.sub(r"\[.*\]", "", name).lower().replace("_", "-")
        assert pinned.get(name) == version, f"requirements.lock: {name} is not pinned at {version}: regenerate it"


def test_the_lock_file_is_what_the_tested_virtualenv_runs() -> None:
    written = subprocess.run(
        [sys.executable, "-m", "devstack.lockfile"], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    ).stdout
    assert written == (PROJECT_ROOT / "requirements.lock").read_text(), (
        "run: python -m devstack.lockfile > requirements.lock"
    )


def test_the_image_holds_every_package_and_nothing_local() -> None:
    dockerfile = _dockerfile()
    for package in ("core", "contracts", "workflows", "activities", "api", "devstack", "migrations"):
        assert f"COPY {package} ./{package}" in dockerfile, package
    ignored = set((PROJECT_ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", ".env", "tests"} <= ignored
