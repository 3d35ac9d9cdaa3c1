"""Core helpers: money, office-local times, identifiers, settings, reference data and seeding."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from core.db import SessionFactory
from core.enums import OFFICE_ROLES
from core.formatting import local_time, rupiah
from core.ids import CASE_ID_PATTERN, case_id
from core.models import Case, Office, ServiceStandard, StaffAccount
from core.reference import OFFICES
from core.security import demo_password, hash_password, verify_password
from core.seeding import demo_email, seed_reference_data
from core.settings import Settings
from core.validators import validate_npwp
from tests.conftest import TEST_SECRET


@pytest.mark.parametrize(("amount", "text"), [(0, "Rp0"), (10000, "Rp10.000"), (1250000, "Rp1.250.000")])
def test_rupiah(amount: int, text: str) -> None:
    assert rupiah(amount) == text


def test_times_are_shown_in_the_office_zone() -> None:
    moment = datetime(2026, 3, 16, 16, 30, tzinfo=UTC)
    assert local_time(moment, "Asia/Pontianak") == "16 Mar 2026 23.30 WIB"
    assert local_time(moment, "Asia/Makassar") == "17 Mar 2026 00.30 WITA"
    assert local_time(moment, "Asia/Jayapura") == "17 Mar 2026 01.30 WIT"


@pytest.mark.parametrize("number", ["01.312.166.0-091.000", "0013121660091000", "3171011503880001"])
def test_valid_npwp_forms(number: str) -> None:
    assert validate_npwp(number).isdigit()


@pytest.mark.parametrize("number", ["12.345", "01.312.166.1-091.000", "abc"])
def test_invalid_npwp_says_what_to_enter(number: str) -> None:
    with pytest.raises(ValueError, match="NPWP tidak valid: isikan 15 digit"):
        validate_npwp(number)


def test_business_ids() -> None:
    assert case_id("sale", "6202", 2026, 123) == "sale-6202-2026-000123"
    assert CASE_ID_PATTERN.match("recommendation-6202-2026-000001")
    assert not CASE_ID_PATTERN.match("sale-62-2026-1")


def test_passwords() -> None:
    hashed = hash_password("rahasia")
    assert verify_password(hashed, "rahasia") and not verify_password(hashed, "salah")
    assert not verify_password("not-a-hash", "rahasia")
    assert demo_password("k", "a@b") == demo_password("k", "a@b") != demo_password("other", "a@b")


def test_settings_read_the_pst_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PST_SMTP_PORT", "2525")
    monkeypatch.setenv("PST_DATABASE_URL", "postgresql+asyncpg://u@h/db")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.smtp_port == 2525 and not settings.is_sqlite
    assert Settings(_env_file=None, database_url="sqlite+aiosqlite:///x.db").is_sqlite  # type: ignore[call-arg]


def test_each_office_zone_follows_its_province_code() -> None:
    zones = {office["code"]: office["timezone"] for office in OFFICES}
    offsets = {code: datetime(2026, 1, 1, tzinfo=ZoneInfo(zone)).utcoffset() for code, zone in zones.items()}
    assert {code: int(offset.total_seconds() // 3600) for code, offset in offsets.items() if offset} == {
        "6202": 7,
        "6302": 8,
        "1906": 7,
        "3304": 7,
    }


async def test_seeding_is_complete_and_idempotent_and_keeps_edits(
    session_factory: SessionFactory, demo_accounts: object
) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(update(Office).where(Office.code == "6302").values(phone="0811-EDITED"))

    accounts = await seed_reference_data(session_factory, secret_key=TEST_SECRET)

    assert len(accounts) == 4 * len(OFFICE_ROLES) + 1  # and one national administrator
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Office)) == 4
        assert await session.scalar(select(func.count()).select_from(StaffAccount)) == 4 * len(OFFICE_ROLES) + 1
        assert (await session.get(Office, "6302")).phone == "0811-EDITED"  # type: ignore[union-attr]
        sale_6302 = await session.scalar(
            select(ServiceStandard).where(ServiceStandard.office_code == "6302", ServiceStandard.service == "sale")
        )
        assert sale_6302 is not None and sale_6302.decree_number == "Nomor 118 Tahun 2023"
        assert (sale_6302.time_limit, sale_6302.time_unit) == (10, "minutes")
        supervisor = await session.scalar(
            select(StaffAccount).where(StaffAccount.email == demo_email("supervisor", "1906"))
        )
        assert supervisor is not None and supervisor.role == "supervisor"
        assert verify_password(supervisor.password_hash, demo_password(TEST_SECRET, supervisor.email))
    async with session_factory() as session, session.begin():
        await session.execute(update(Office).where(Office.code == "6302").values(phone="08561116302"))


async def test_timestamps_must_be_aware(session_factory: SessionFactory) -> None:
    from sqlalchemy.exc import StatementError

    async with session_factory() as session:
        session.add(
            Case(
                id="sale-6202-2026-777777",
                service="sale",
                office_code="6202",
                channel="online",
                applicant_name="x",
                applicant_email="x@example.com",
                step="submitted",
                status="open",
                created_at=datetime(2026, 1, 1),
                updated_at=datetime(2026, 1, 1),
            )
        )
        with pytest.raises(StatementError, match="naive datetime"):
            await session.commit()
