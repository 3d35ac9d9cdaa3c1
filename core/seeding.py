"""Loads the reference data (offices, service standards), one demo account per office role per office, and one
demo national administrator.

The national administrator (PNBP tariffs are national, PP 13/2024) has no office of its own: BPS RI is not a PST
office of the seeds, and ``StaffAccount.office_code`` must name an office. So the account sits at
``NATIONAL_HOME_OFFICE`` (the first seed office) with the role ``national_administrator``; the role, never the
office, is what lets it change tariffs, and it holds no power over that office (the office's own administrator
keeps its pages). A real deployment creates its national administrators the same way: an account at any office
with that role.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from core.catalogue_seed import seed_catalogue
from core.db import SessionFactory
from core.enums import OFFICE_ROLES, Role
from core.models import Office, ServiceStandard, StaffAccount, StandardItem, Tariff
from core.reference import OFFICES, TARIFFS
from core.security import demo_password, hash_password
from core.standards_seed import STANDARDS, item_rows, standard_fields


@dataclass(frozen=True)
class DemoAccount:
    """A demo login to print at start."""

    office_code: str
    role: str
    email: str
    password: str


NATIONAL_HOME_OFFICE = OFFICES[0]["code"]  # where the national administrator's account sits (6202)


def demo_email(role: str, office_code: str) -> str:
    """The login of the demo account of ``role`` at ``office_code``."""
    return f"{role.replace('_', '-')}.{office_code}@demo.pst-flow.id"


async def seed_reference_data(session_factory: SessionFactory, *, secret_key: str) -> list[DemoAccount]:
    """Insert what is missing (never overwrites an administrator's edits); return the demo logins."""
    accounts: list[DemoAccount] = []
    async with session_factory() as session, session.begin():
        existing_offices = set((await session.scalars(select(Office.code))).all())
        existing_standards = {
            (row.office_code, row.service)
            for row in await session.execute(select(ServiceStandard.office_code, ServiceStandard.service))
        }
        existing_staff = set((await session.scalars(select(StaffAccount.email))).all())
        existing_tariffs = set((await session.scalars(select(Tariff.code))).all())
        session.add_all(Tariff(**tariff) for tariff in TARIFFS if tariff["code"] not in existing_tariffs)
        for data in OFFICES:
            office_fields = dict(data)
            if data["code"] not in existing_offices:
                session.add(Office(**office_fields))
                await session.flush()
            for standard in STANDARDS.get(data["code"], []):
                if (data["code"], str(standard["service"])) not in existing_standards:
                    row = ServiceStandard(office_code=data["code"], **standard_fields(standard))
                    session.add(row)
                    await session.flush()
                    await session.execute(insert(StandardItem), item_rows(row.id, standard))
            national = [Role.NATIONAL_ADMINISTRATOR] if data["code"] == NATIONAL_HOME_OFFICE else []
            for role in [*OFFICE_ROLES, *national]:
                email = demo_email(role, data["code"])
                password = demo_password(secret_key, email)
                if email not in existing_staff:
                    session.add(
                        StaffAccount(
                            email=email,
                            name=f"Demo {role.value} {data['code']}",
                            office_code=data["code"],
                            role=role.value,
                            password_hash=hash_password(password),
                        )
                    )
                accounts.append(DemoAccount(data["code"], role.value, email, password))
        await session.flush()
        await seed_catalogue(session)
    return accounts
