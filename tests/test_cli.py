"""The pst command: migrate and seed a fresh database and print the demo logins."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli
from core.security import demo_password


def test_pst_seed_migrates_a_fresh_database_and_prints_the_demo_logins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PST_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
    monkeypatch.setenv("PST_SECRET_KEY", "cli-test")
    cli.get_settings.cache_clear()
    try:
        assert cli.main(["seed"]) == 0
        assert cli.main(["migrate"]) == 0
    finally:
        cli.get_settings.cache_clear()

    output = capsys.readouterr().out
    email = "officer.6202@demo.pst-flow.id"
    assert f"{email}\t{demo_password('cli-test', email)}\tofficer\t6202" in output
    assert output.count("@demo.pst-flow.id") == 28
    assert "database is at the latest migration" in output
