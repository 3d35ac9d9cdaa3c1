"""The production shape (docker-compose.yml, Dockerfile) checked without a Docker engine."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml

from core.settings import PROJECT_ROOT, Settings

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
    required = {"postgres", "temporal", "temporal-ui", "temporal-setup", "mailpit", *APP_SERVICES}
    assert required <= compose()["services"].keys()


def test_published_ports() -> None:
    assert 8000 in published_ports("api")
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
