"""Which offices a staff member works on: their own, and for a provincial supervisor every office of the province.

The one place of that rule: the case pages (``cases.ensure_same_office``), the inbox and the hand-over of a task
read it from here.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import Role
from core.models import Office, StaffAccount
from core.reference import OFFICES


@cache
def _reference_provinces() -> dict[str, str]:
    return {str(office["code"]): str(office["province"]) for office in OFFICES}


def province_of(office_code: str) -> str:
    """The province of an office: its ``province`` in the reference data; an office not there belongs to the
    province of the reference offices sharing its first two digits (BPS's province code), else to those digits."""
    provinces = _reference_provinces()
    if office_code in provinces:
        return provinces[office_code]
    prefix = office_code[:2]
    return next((name for code, name in sorted(provinces.items()) if code[:2] == prefix), prefix)


def works_across_province(staff: StaffAccount) -> bool:
    """A provincial supervisor works on every office of their province."""
    return staff.role == Role.PROVINCIAL_SUPERVISOR


def may_open(staff: StaffAccount, office_code: str) -> bool:
    """Whether ``staff`` may read and act on the cases of ``office_code``."""
    if staff.office_code == office_code:
        return True
    return works_across_province(staff) and province_of(office_code) == province_of(staff.office_code)


async def visible_offices(*, session: AsyncSession, staff: StaffAccount) -> list[Office]:
    """The offices whose cases ``staff`` sees, by code: their own, or the province's for a provincial supervisor."""
    if not works_across_province(staff):
        office = await session.get(Office, staff.office_code)
        return [office] if office is not None else []
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    return [office for office in offices if may_open(staff, office.code)]
