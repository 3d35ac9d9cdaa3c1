"""Health of the parts the API depends on: database, Temporal, SMTP."""

from __future__ import annotations

import asyncio

import aiosmtplib
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.services.cases import release_connection
from core.settings import Settings

CHECK_TIMEOUT_SECONDS = 3.0


async def _database(session: AsyncSession) -> str:
    await session.execute(text("SELECT 1"))
    await release_connection(session=session)  # not held while the Temporal probe may still wait
    return "ok"


async def _temporal(temporal: Client) -> str:
    await temporal.service_client.check_health()
    return "ok"


async def _smtp(settings: Settings) -> str:
    smtp = aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        use_tls=settings.smtp_tls,
        start_tls=False,
        timeout=CHECK_TIMEOUT_SECONDS,
    )
    await smtp.connect()
    await smtp.noop()
    await smtp.quit()
    return "ok"


async def _probe(check: object) -> str:
    try:
        return await asyncio.wait_for(check, CHECK_TIMEOUT_SECONDS)  # type: ignore[arg-type]
    except Exception as error:  # noqa: BLE001 - any failure means the part is down
        return f"down: {type(error).__name__}: {error}".strip()


async def check_health(*, session: AsyncSession, temporal: Client, settings: Settings) -> dict[str, str]:
    """The state of each part: ``ok`` or ``down: <why>``."""
    database, temporal_state, smtp = await asyncio.gather(
        _probe(_database(session)), _probe(_temporal(temporal)), _probe(_smtp(settings))
    )
    return {"database": database, "temporal": temporal_state, "smtp": smtp}
