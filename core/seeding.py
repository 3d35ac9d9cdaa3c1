"""Loads the reference data (offices, service standards) and one demo account per role per office."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.db import SessionFactory
from core.enums import Role
from core.models import Office, ServiceStandard, StaffAccount, Tariff
from core.reference import OFFICES, TARIFFS
from core.security import demo_password, hash_password


@dataclass(frozen=True)
class DemoAccount:
    """A demo login to print at start."""

    office_code: str
    role: str
    email: str
    password: str


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
            office_fields = {k: v for k, v in data.items() if k != "standards"}
            if data["code"] not in existing_offices:
                session.add(Office(**office_fields))
                await session.flush()
            for standard in data["standards"]:
                if (data["code"], str(standard["service"])) not in existing_standards:
                    session.add(ServiceStandard(office_code=data["code"], **standard))
            for role in Role:
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
    return accounts
