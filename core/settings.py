"""One settings class for the API, the worker and the CLI (environment prefix ``PST_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRETS = frozenset({"dev-only-change-me", "dev-only-simponi"})
MIN_SECRET_LENGTH = 32
# The secrets a deployment must choose itself (fields of Settings; PST_<FIELD> in the environment).
CHOSEN_SECRETS = ("secret_key", "simponi_webhook_secret")


class UnsafeSettings(RuntimeError):
    """The settings would run a deployment on a secret anyone can read in the source (or guess)."""


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``PST_<FIELD>`` or in ``.env``."""

    model_config = SettingsConfigDict(env_prefix="PST_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="development",
        description="development (make dev, tests: default secrets accepted) or production (chosen secrets only)",
    )

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'pst.db'}",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///... or postgresql+asyncpg://...",
    )
    temporal_address: str = Field(default="localhost:7233", description="Temporal frontend host:port")
    temporal_namespace: str = Field(default="default", description="Temporal namespace")
    temporal_ui_url: str = Field(default="http://localhost:8233", description="Temporal Web UI base URL")
    task_queue: str = Field(default="pst-flow", description="Temporal task queue of the worker")
    smtp_host: str = Field(default="localhost", description="SMTP server host")
    smtp_port: int = Field(default=1025, description="SMTP server port")
    smtp_user: str = Field(default="", description="SMTP user name (empty: no login)")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password")
    smtp_tls: bool = Field(default=False, description="Use implicit TLS for SMTP")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection with STARTTLS")
    mail_from: str = Field(default="PST Flow <pst-noreply@bps.go.id>", description="Sender of every mail")
    public_base_url: str = Field(default="http://localhost:8000", description="Base URL in links in mail")
    storage_dir: Path = Field(default=PROJECT_ROOT / "var" / "files", description="Uploaded/generated files")
    mail_sink_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "mail",
        description="Where the local SMTP server of make dev keeps mail (shown on /staff/outbox)",
    )
    temporal_dev_db: Path = Field(
        default=PROJECT_ROOT / "var" / "temporal.db", description="State file of the Temporal dev server (make dev)"
    )
    secret_key: SecretStr = Field(
        default=SecretStr("dev-only-change-me"), description="Signs sessions and download links"
    )
    simponi_webhook_secret: SecretStr = Field(
        default=SecretStr("dev-only-simponi"), description="Shared secret of the SIMPONI payment webhook"
    )
    billing_code_days: int = Field(default=7, description="Days a SIMPONI billing code stays valid")
    download_link_days: int = Field(default=7, description="Days a data download link stays valid")
    download_limit: int = Field(default=5, description="Downloads allowed per link")
    support_window_days: int = Field(default=30, description="Days after a sale in which a new link is served")
    max_upload_bytes: int = Field(default=20_000_000, description="Largest accepted upload (PDF)")
    show_outbox: bool = Field(
        default=False, description="Serve the mail outbox page to the office's administrator (make dev turns it on)"
    )
    api_host: str = Field(default="127.0.0.1", description="Address the API binds to")
    api_port: int = Field(default=8000, description="Port of the API and UI")
    api_token_minutes: int = Field(
        default=60, ge=1, description="Minutes a bearer token of the JSON API stays valid (sign in again after)"
    )
    log_level: str = Field(default="INFO", description="Log level of every process")

    @model_validator(mode="after")
    def _chosen_secrets_outside_development(self) -> Settings:
        """Outside development every secret is chosen by the deployment: refuse to start on a default or short one.
        (``UnsafeSettings`` is not a ValueError, so it reaches the operator as it is, not as a validation error.)"""
        if self.environment == "development":
            return self
        for name in CHOSEN_SECRETS:
            value = getattr(self, name).get_secret_value()
            if value in DEFAULT_SECRETS or len(value) < MIN_SECRET_LENGTH:
                problem = "the default" if value in DEFAULT_SECRETS else "too short"
                raise UnsafeSettings(
                    f"PST_{name.upper()} must be set to a random secret of at least {MIN_SECRET_LENGTH} characters "
                    f"when PST_ENVIRONMENT={self.environment} (it is {problem}); generate one with: "
                    "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
                )
        return self

    def as_environment(self) -> dict[str, str]:
        """Every setting as ``PST_<FIELD>`` variables, for the processes make dev starts."""
        environment: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            environment[f"PST_{name.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
        return environment

    @property
    def is_sqlite(self) -> bool:
        """True when the database is SQLite."""
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
