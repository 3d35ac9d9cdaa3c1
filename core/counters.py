"""Gapless sequence numbers per office, series and year (business ids, receipts, letters)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import CaseCounter


async def next_number(session: AsyncSession, *, office_code: str, series: str, year: int) -> int:
    """The next number of ``series`` at the office in ``year`` (inside the caller's transaction)."""
    try:
        async with session.begin_nested():
            session.add(CaseCounter(office_code=office_code, service=series, year=year, last=0))
    except IntegrityError:
        pass
    number = await session.scalar(
        update(CaseCounter)
        .where(CaseCounter.office_code == office_code, CaseCounter.service == series, CaseCounter.year == year)
        .values(last=CaseCounter.last + 1)
        .returning(CaseCounter.last)
    )
    assert number is not None
    return int(number)
