"""The ``pst`` command: migrate, seed, dev, calendar, schedules sync, skm, demo sale|recommendation."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from core.calendar import OfficeCalendar
from core.db import create_engine, create_session_factory
from core.ikm import compute_answers, read_csv
from core.logs import configure_logging
from core.models import Office, SurveyResponse
from core.office_calendars import load_office_calendar, reference_calendar
from core.reference import OFFICES
from core.seeding import seed_reference_data
from core.settings import Settings, get_settings
from migrations import upgrade_database


class CommandError(Exception):
    """A mistake in what was typed; the message says what to type instead."""


async def _migrate(settings: Settings, seed: bool) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
        print("database is at the latest migration")
        if seed:
            accounts = await seed_reference_data(
                create_session_factory(engine), secret_key=settings.secret_key.get_secret_value()
            )
            for account in accounts:
                print(f"{account.email}\t{account.password}\t{account.role}\t{account.office_code}")
    finally:
        await engine.dispose()


async def _office_calendar(settings: Settings, office_code: str, around: datetime) -> OfficeCalendar:
    """The office's calendar from the database; the seed data when the database has no such office yet."""
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            found = await load_office_calendar(session, office_code, around)
    except DBAPIError:
        found = None  # not migrated yet: fall back to the seed offices
    finally:
        await engine.dispose()
    if found is not None:
        return found[1]
    calendar = reference_calendar(office_code, around)
    if calendar is None:
        known = ", ".join(office["code"] for office in OFFICES)
        raise CommandError(f"Kantor {office_code} tidak dikenal. Kode kantor yang tersedia: {known}.")
    return calendar


def parse_start(text: str) -> datetime:
    """An ISO date (its 00:00) or date-time; without an offset it is read later as office time."""
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"START '{text}' tidak dikenali: tulis tanggal ISO (2026-03-16) atau tanggal-waktu (2026-03-16T09:00)."
        ) from error


async def _holidays(settings: Settings, office_code: str, year: int) -> None:
    if not 2000 <= year <= 2100:
        raise CommandError("YEAR harus antara 2000 dan 2100.")
    calendar = await _office_calendar(settings, office_code, datetime(year, 7, 1, tzinfo=UTC))
    for day, name in calendar.non_working_weekdays(year):
        print(f"{day.isoformat()} {name}")


async def _add_working_days(settings: Settings, office_code: str, start: str, count: int) -> None:
    if count < 0:
        raise CommandError("N harus bilangan bulat 0 atau lebih.")
    moment = parse_start(start)
    calendar = await _office_calendar(settings, office_code, moment.replace(tzinfo=moment.tzinfo or UTC))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=calendar.zone)
    print(calendar.add_working_days(moment, count).isoformat())


def _skm_report(path: str) -> None:
    try:
        result = compute_answers(read_csv(Path(path)))
    except (ValueError, OSError) as error:
        raise CommandError(f"{path}: {error}") from error
    print("\n".join(result.lines()))


async def _skm_import(settings: Settings, office_code: str, path: str) -> None:
    try:
        answers = read_csv(Path(path))
    except (ValueError, OSError) as error:
        raise CommandError(f"{path}: {error}") from error
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            if await session.get(Office, office_code) is None:
                raise CommandError(f"Kantor {office_code} tidak ada di basis data; jalankan `pst seed` dulu.")
            session.add_all(
                SurveyResponse(
                    office_code=office_code,
                    service=answer.service,
                    day=answer.day,
                    scores=list(answer.scores),
                    source="paper",
                )
                for answer in answers
            )
    finally:
        await engine.dispose()
    print(f"{len(answers)} jawaban survei kertas disimpan untuk kantor {office_code}")
    print("\n".join(compute_answers(answers).lines()))


async def _sync_schedules(settings: Settings) -> None:
    from temporalio.client import Client

    from api.services.schedules import sync_digest_schedules

    engine = create_engine(settings.database_url)
    try:
        client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
        async with create_session_factory(engine)() as session:
            for schedule_id in await sync_digest_schedules(session=session, temporal=client, settings=settings):
                print(f"schedule {schedule_id} is up to date")
    finally:
        await engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pst", description="PST Flow command line")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the database to the latest migration")
    commands.add_parser("seed", help="migrate, load the offices and print the demo staff accounts")
    commands.add_parser("dev", help="run the whole system in the foreground (what `make dev` runs)")
    calendar = commands.add_parser("calendar", help="an office's working-day calendar").add_subparsers(
        dest="calendar_command", required=True
    )
    holidays = calendar.add_parser("holidays", help="the office's non-working weekdays of a year, with names")
    holidays.add_argument("office", help="4-digit BPS office code, e.g. 6202")
    holidays.add_argument("year", type=int)
    add = calendar.add_parser("add-working-days", help="the deadline N working days after START (office time)")
    add.add_argument("office", help="4-digit BPS office code, e.g. 6202")
    add.add_argument("start", help="ISO date (00:00 office time) or date-time, e.g. 2026-03-16 or 2026-03-16T09:00")
    add.add_argument("n", type=int, help="number of working days")
    schedules = commands.add_parser("schedules", help="Temporal Schedules").add_subparsers(
        dest="schedules_command", required=True
    )
    schedules.add_parser("sync", help="create or update every office's daily digest schedule")
    skm = commands.add_parser("skm", help="satisfaction survey (SKM) answers and the IKM").add_subparsers(
        dest="skm_command", required=True
    )
    skm_import = skm.add_parser("import", help="store paper answers (CSV: service,date,u1..u9) and print the IKM")
    skm_import.add_argument("office", help="4-digit BPS office code")
    skm_import.add_argument("file", help="CSV file with a header row")
    skm_report = skm.add_parser("report", help="each element's NRR and the IKM of a CSV file, without storing it")
    skm_report.add_argument("--csv", required=True, dest="file", help="CSV file with a header row")
    demo = commands.add_parser("demo", help="drive a whole service through the HTTP API of a running make dev")
    demo_services = demo.add_subparsers(dest="demo_command", required=True)
    sale = demo_services.add_parser("sale", help="one online sale: applicant, officer, treasurer, SIMPONI")
    recommendation = demo_services.add_parser("recommendation", help="one FS3 with a revision round")
    for demo_parser in (sale, recommendation):
        demo_parser.add_argument("--office", default="6202", help="4-digit BPS office code (default 6202)")
        demo_parser.add_argument("--base-url", default="", help="the API (default: PST_PUBLIC_BASE_URL)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; the process exit code."""
    args = _parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level, prefix="[dev     ] " if args.command == "dev" else "")
    try:
        if args.command == "dev":
            from devstack.runner import main as run_dev

            return run_dev(settings)
        if args.command == "calendar" and args.calendar_command == "holidays":
            asyncio.run(_holidays(settings, args.office, args.year))
        elif args.command == "calendar":
            asyncio.run(_add_working_days(settings, args.office, args.start, args.n))
        elif args.command == "schedules":
            asyncio.run(_sync_schedules(settings))
        elif args.command == "skm" and args.skm_command == "report":
            _skm_report(args.file)
        elif args.command == "skm":
            asyncio.run(_skm_import(settings, args.office, args.file))
        elif args.command == "demo":
            from devstack.demo import run_demo

            return run_demo(args.demo_command, args.base_url or settings.public_base_url, args.office, settings)
        else:
            asyncio.run(_migrate(settings, seed=args.command == "seed"))
    except CommandError as error:
        print(f"pst: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
