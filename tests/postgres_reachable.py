"""``python -m tests.postgres_reachable URL``: exit 0 when the PostgreSQL at URL answers, 1 otherwise."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text

from core.db import create_engine


async def _reachable(url: str) -> bool:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await asyncio.wait_for(connection.execute(text("SELECT 1")), 5)
        return True
    except Exception:  # noqa: BLE001 - any failure means not reachable
        return False
    finally:
        await engine.dispose()


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(_reachable(sys.argv[1])) else 1)
