"""Who acted, as workflows carry it: an id, never an email or a name (``staff-12``, ``applicant-7``).

Pages, mails and documents turn such a reference back into the person's name here.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Applicant, StaffAccount

STAFF, APPLICANT = "staff-", "applicant-"


def staff_ref(staff_id: int) -> str:
    """The reference of a staff account."""
    return f"{STAFF}{staff_id}"


def applicant_ref(applicant_id: int) -> str:
    """The reference of an applicant account."""
    return f"{APPLICANT}{applicant_id}"


def _id(ref: str, prefix: str) -> int | None:
    number = ref.removeprefix(prefix)
    return int(number) if ref.startswith(prefix) and number.isdigit() else None


async def staff_by_ref(session: AsyncSession, ref: str) -> StaffAccount | None:
    """The staff account of ``ref`` (an older record may hold the email itself), or None."""
    staff_id = _id(ref, STAFF)
    if staff_id is not None:
        return await session.get(StaffAccount, staff_id)
    return await session.scalar(select(StaffAccount).where(StaffAccount.email == ref.strip().lower()))


async def names(session: AsyncSession, refs: Iterable[str]) -> dict[str, str]:
    """Each reference's person by name (a reference that names no account stays as it is, e.g. ``sistem``)."""
    wanted = set(refs)
    staff_ids = {number for ref in wanted if (number := _id(ref, STAFF)) is not None}
    applicant_ids = {number for ref in wanted if (number := _id(ref, APPLICANT)) is not None}
    found: dict[str, str] = {}
    if staff_ids:
        rows = await session.execute(select(StaffAccount.id, StaffAccount.name).where(StaffAccount.id.in_(staff_ids)))
        found |= {staff_ref(number): name for number, name in rows.all()}
    if applicant_ids:
        rows = await session.execute(select(Applicant.id, Applicant.name).where(Applicant.id.in_(applicant_ids)))
        found |= {applicant_ref(number): name for number, name in rows.all()}
    return {ref: found.get(ref, ref) for ref in wanted}
