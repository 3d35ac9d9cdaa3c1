"""The pst command: migrate and seed a fresh database and print the demo logins."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

import cli
from core.db import create_engine, create_session_factory
from core.models import CalendarOverride, SurveyResponse
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
    assert output.count("@demo.pst-flow.id") == 4 * 7 + 1  # seven office roles per office, one national administrator
    assert "database is at the latest migration" in output


def _pst(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A database that was never migrated: the calendar commands still answer from the seed offices."""
    monkeypatch.setenv("PST_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    cli.get_settings.cache_clear()
    yield
    cli.get_settings.cache_clear()


@pytest.mark.usefixtures("empty_database")
def test_calendar_holidays_lists_weekdays_off_with_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _pst(capsys, "calendar", "holidays", "6202", "2026")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "2026-01-01 Tahun Baru Masehi"
    assert "2026-03-18 Cuti Bersama Hari Suci Nyepi" in lines and "2026-03-19 Hari Suci Nyepi" in lines
    assert not [line for line in lines if line.startswith(("2026-03-21", "2026-03-22"))]  # Idul Fitri on a weekend
    assert lines == sorted(lines)


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(
    ("office", "start", "count", "expected"),
    [
        ("6202", "2026-03-16", "10", "2026-04-07T16:00:00+07:00"),
        ("6302", "2026-03-09T16:30:00+00:00", "1", "2026-03-11T16:00:00+08:00"),
        ("1906", "2026-03-09T16:30:00+00:00", "1", "2026-03-10T16:00:00+07:00"),
        ("6202", "2026-03-17T15:59", "0", "2026-03-17T16:00:00+07:00"),
    ],
)
def test_calendar_add_working_days(
    capsys: pytest.CaptureFixture[str], office: str, start: str, count: str, expected: str
) -> None:
    assert _pst(capsys, "calendar", "add-working-days", office, start, count) == (0, expected + "\n", "")


@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["calendar", "holidays", "9999", "2026"], "Kantor 9999 tidak dikenal"),
        (["calendar", "add-working-days", "6202", "16-03-2026", "1"], "START '16-03-2026' tidak dikenali"),
        (["calendar", "add-working-days", "6202", "2026-03-16", "-1"], "N harus bilangan bulat"),
        (["calendar", "holidays", "6202", "1900"], "YEAR harus antara"),
    ],
)
def test_calendar_mistakes_say_what_to_type(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = _pst(capsys, *argv)
    assert code == 2 and out == "" and message in err


def test_calendar_commands_use_the_office_overrides(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    async def _close(day: date, closed: bool) -> None:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session, session.begin():
            if closed:
                session.add(
                    CalendarOverride(office_code="6202", day=day, closed=True, name="Hari Jadi", created_by="t")
                )
            else:
                await session.execute(delete(CalendarOverride))
        await engine.dispose()

    monkeypatch.setenv("PST_DATABASE_URL", database_url)
    cli.get_settings.cache_clear()
    asyncio.run(_close(date(2026, 3, 17), closed=True))
    try:
        _, holidays, _ = _pst(capsys, "calendar", "holidays", "6202", "2026")
        _, deadline, _ = _pst(capsys, "calendar", "add-working-days", "6202", "2026-03-16", "10")
    finally:
        asyncio.run(_close(date(2026, 3, 17), closed=False))
        cli.get_settings.cache_clear()
    assert "2026-03-17 Hari Jadi" in holidays.splitlines()
    assert deadline == "2026-04-08T16:00:00+07:00\n"


def test_pst_schedules_sync_creates_every_office_digest(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str, dev_env: WorkflowEnvironment
) -> None:
    address = dev_env.client.service_client.config.target_host
    monkeypatch.setenv("PST_DATABASE_URL", database_url)
    monkeypatch.setenv("PST_TEMPORAL_ADDRESS", address)
    cli.get_settings.cache_clear()
    try:
        code, out, _ = _pst(capsys, "schedules", "sync")
        again, _, _ = _pst(capsys, "schedules", "sync")
    finally:
        cli.get_settings.cache_clear()

        async def _delete() -> None:
            client = await Client.connect(address)
            for office in ("1906", "3304", "6202", "6302"):
                await client.get_schedule_handle(f"pst-digest-{office}").delete()

        asyncio.run(_delete())
    assert (code, again) == (0, 0)
    assert out.splitlines() == [
        f"schedule pst-digest-{office} is up to date" for office in ("1906", "3304", "6202", "6302")
    ]


SKM_CSV = "service,date,u1,u2,u3,u4,u5,u6,u7,u8,u9\n" + "\n".join(
    f"sale,2026-11-0{day},{','.join(map(str, row))}"
    for day, row in enumerate(
        [
            [4, 4, 3, 3, 4, 4, 4, 3, 3],
            [3, 3, 3, 2, 4, 3, 4, 3, 3],
            [4, 3, 4, 3, 4, 4, 4, 4, 3],
            [3, 4, 3, 3, 3, 4, 4, 3, 4],
        ],
        start=1,
    )
)


def test_skm_report_from_a_paper_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "skm.csv"
    path.write_text(SKM_CSV + "\n")
    code, out, _ = _pst(capsys, "skm", "report", "--csv", str(path))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 10
    assert lines[0] == "U1 3.50 Persyaratan" and lines[3] == "U4 2.75 Biaya/tarif"
    assert lines[-1] == "IKM 86.11 B"
    path.write_text(SKM_CSV + "\nsale,2026-11-09,4,4,4,4,4,4,4,4,7\n")
    code, out, err = _pst(capsys, "skm", "report", "--csv", str(path))
    assert code == 2 and out == "" and "baris 6: u9 = 7" in err


def test_skm_import_stores_the_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    path = tmp_path / "skm.csv"
    path.write_text(SKM_CSV + "\n")
    monkeypatch.setenv("PST_DATABASE_URL", database_url)
    cli.get_settings.cache_clear()

    async def _stored() -> int:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session, session.begin():
            count = len(
                (await session.scalars(select(SurveyResponse).where(SurveyResponse.office_code == "6302"))).all()
            )
            await session.execute(delete(SurveyResponse))
        await engine.dispose()
        return count

    try:
        code, out, _ = _pst(capsys, "skm", "import", "6302", str(path))
        unknown, _, err = _pst(capsys, "skm", "import", "9999", str(path))
    finally:
        cli.get_settings.cache_clear()
    assert code == 0 and out.splitlines()[0] == "4 jawaban survei kertas disimpan untuk kantor 6302"
    assert out.splitlines()[-1] == "IKM 86.11 B"
    assert unknown == 2 and "Kantor 9999" in err
    assert asyncio.run(_stored()) == 4
