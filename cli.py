"""The ``pst`` command: pst migrate | seed | dev (more commands come with later issues)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from core.db import create_engine, create_session_factory
from core.logs import configure_logging
from core.seeding import seed_reference_data
from core.settings import get_settings
from migrations import upgrade_database


async def _migrate(seed: bool) -> None:
    settings = get_settings()
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


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; the process exit code."""
    parser = argparse.ArgumentParser(prog="pst", description="PST Flow command line")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the database to the latest migration")
    commands.add_parser("seed", help="migrate, load the offices and print the demo staff accounts")
    commands.add_parser("dev", help="run the whole system in the foreground (what `make dev` runs)")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level, prefix="[dev     ] " if args.command == "dev" else "")
    if args.command == "dev":
        from devstack.runner import main as run_dev

        return run_dev(settings)
    asyncio.run(_migrate(seed=args.command == "seed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
