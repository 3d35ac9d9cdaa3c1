"""Migration 0022 on a database with doubled settlements (a cash payment retried): a case keeps its first "paid"
row, billing codes and refused transfers stay, every row gets a unique key, and closed cases get their closing
time; on SQLite and on PostgreSQL (in a schema of its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.db import create_engine
from core.models import Case, Office
from migrations import alembic_config, upgrade_database

SCHEMA = "h11_migration_0022"
OFFICES, CASES = cast(sa.Table, Office.__table__), cast(sa.Table, Case.__table__)
ASKED, DONE = datetime(2026, 10, 20, 2, tzinfo=UTC), datetime(2026, 11, 3, 9, tzinfo=UTC)
_payments = sa.table(
    "payments",
    sa.column("case_id", sa.String()),
    sa.column("method", sa.String()),
    sa.column("amount", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("billing_code", sa.String()),
    sa.column("ntpn", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("recorded_by", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("settled_at", sa.DateTime(timezone=True)),
)


@pytest.fixture
async def empty_database(database_url: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A database with no tables: a SQLite file, or a schema of its own on the test's PostgreSQL."""
    if database_url.startswith("sqlite"):
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'migration.db'}")
        yield engine
        await engine.dispose()
        return
    engine = create_async_engine(database_url, connect_args={"server_settings": {"search_path": SCHEMA}})
    async with engine.begin() as connection:
        await connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        await connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    yield engine
    async with engine.begin() as connection:
        await connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    await engine.dispose()


def _old_rows(connection: Connection) -> None:
    connection.execute(
        sa.insert(OFFICES).values(
            code="9999",
            name="BPS Uji",
            province="Uji",
            timezone="Asia/Jakarta",
            address="Jl. Uji",
            phone="0",
            email="uji@example.id",
            website="uji.example.id",
        )
    )
    for number, status in ((1, "completed"), (2, "open"), (3, "completed")):
        connection.execute(
            sa.insert(CASES).values(
                id=f"sale-9999-2026-00000{number}",
                service="sale",
                office_code="9999",
                channel="online",
                applicant_name="A",
                applicant_email="a@example.id",
                step=status,
                status=status,
                created_at=ASKED,
                updated_at=DONE,
            )
        )
    common = {"amount": 70_000, "ntpn": "", "reason": "", "recorded_by": "t", "created_at": ASKED, "settled_at": DONE}
    first = "sale-9999-2026-000001"
    connection.execute(
        sa.insert(_payments),
        [
            {"case_id": first, "method": "simponi", "status": "void", "billing_code": "800000000000001"} | common,
            {"case_id": first, "method": "cash", "status": "paid", "billing_code": None} | common,
            {"case_id": first, "method": "cash", "status": "paid", "billing_code": None} | common,  # the retry
            {"case_id": first, "method": "cash", "status": "paid", "billing_code": None} | common,  # and another
            {"case_id": "sale-9999-2026-000003", "method": "transfer", "status": "rejected", "billing_code": None}
            | common,
            {"case_id": "sale-9999-2026-000003", "method": "transfer", "status": "rejected", "billing_code": None}
            | common,
            {"case_id": "sale-9999-2026-000003", "method": "transfer", "status": "paid", "billing_code": None} | common,
        ],
    )


async def test_migration_0022_keeps_one_settlement_per_case_and_keys_every_payment(
    empty_database: AsyncEngine,
) -> None:
    engine = empty_database
    await upgrade_database(engine, "0020")
    async with engine.begin() as connection:
        await connection.run_sync(_old_rows)
    await upgrade_database(engine, "0022")

    async with engine.connect() as connection:
        rows = (await connection.execute(sa.text("SELECT id, case_id, method, status, key FROM payments"))).all()
        closed: dict[str, Any] = {
            case_id: at for case_id, at in (await connection.execute(sa.text("SELECT id, closed_at FROM cases"))).all()
        }
    by_case: dict[str, list[tuple[str, str, str]]] = {}
    for _id, case_id, method, status, key in sorted(rows):
        by_case.setdefault(case_id, []).append((method, status, key))
    first, third = by_case["sale-9999-2026-000001"], by_case["sale-9999-2026-000003"]
    assert [(method, status) for method, status, _key in first] == [("simponi", "void"), ("cash", "paid")]
    assert first[1][2] == "sale-9999-2026-000001:paid"
    assert sorted(status for _method, status, _key in third) == ["paid", "rejected", "rejected"]
    assert len({key for *_rest, key in rows}) == len(rows) == 5
    assert closed["sale-9999-2026-000002"] is None
    assert all(closed[f"sale-9999-2026-00000{n}"] is not None for n in (1, 3))

    with pytest.raises(IntegrityError):  # the unique key refuses a second "paid" row of a case
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO payments (key, case_id, method, amount, status, ntpn, reason, recorded_by, "
                    "created_at) VALUES ('sale-9999-2026-000001:paid', 'sale-9999-2026-000001', 'cash', 1, 'paid', "
                    "'', '', 't', :at)"
                ),
                {"at": DONE},
            )

    def _downgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0020")

    def _columns(connection: Connection, table: str) -> set[str]:
        return {column["name"] for column in sa.inspect(connection).get_columns(table)}

    async with engine.begin() as connection:
        await connection.run_sync(_downgrade)
        payments, cases = [await connection.run_sync(_columns, table) for table in ("payments", "cases")]
    assert "key" not in payments and "closed_at" not in cases
