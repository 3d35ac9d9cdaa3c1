"""Alembic environment: runs on the connection handed in by ``upgrade_database`` or on PST_DATABASE_URL."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import Connection, DateTime

from core.db import create_engine
from core.models import Base, UTCDateTime
from core.settings import get_settings

target_metadata = Base.metadata


def _render_item(kind: str, item: Any, autogen_context: Any) -> str | bool:
    """Write UTCDateTime columns as plain timezone-aware DateTime, so migrations do not import models."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return repr(DateTime(timezone=True)).replace("DateTime", "sa.DateTime")
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_settings() -> None:
    engine = create_engine(get_settings().database_url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    asyncio.run(_run_with_settings())
