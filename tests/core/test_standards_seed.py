"""The offices' service standards as seed data, and migration 0018 that turned the old lists into items: a seed
office's standard takes its published items, another office keeps its own lines, and a downgrade gives the lists
back."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, text

from core.db import create_engine
from core.standards_seed import SECTIONS, STANDARDS
from migrations import alembic_config, upgrade_database


def test_every_standard_publishes_every_component_with_its_english() -> None:
    for code, standards in STANDARDS.items():
        assert {str(standard["service"]) for standard in standards} >= {"sale", "visit", "complaint"}, code
        for standard in standards:
            sections = {section for section, _channel in standard["items"]}
            assert sections == set(SECTIONS), (code, standard["service"])
            for items in standard["items"].values():
                assert items and all(text.strip() and english.strip() for text, english in items)


def _office(connection: Connection, code: str, channels: list[str]) -> None:
    connection.execute(
        text(
            "INSERT INTO offices (code, name, province, timezone, address, phone, email, website, whatsapp, "
            "close_of_business, cuti_bersama_is_day_off, complaint_channels) VALUES (:code, 'BPS', 'P', "
            "'Asia/Jakarta', 'Jl.', '1', 'a@b.id', '', '', '16:00', true, :channels)"
        ),
        {"code": code, "channels": json.dumps(channels)},
    )
    connection.execute(
        text(
            "INSERT INTO service_standards (office_code, service, title, decree_number, time_limit, time_unit, "
            "time_text, fee_text, requirements, procedure, products, channels) VALUES (:code, 'sale', 'Lama', '', 5, "
            "'minutes', '5 menit', 'Gratis', :requirements, '[\"Datang\"]', '[\"Data\"]', '[]')"
        ),
        {"code": code, "requirements": json.dumps(["Syarat A", "Syarat B"])},
    )


async def test_migration_0018_moves_the_old_lists_into_items_and_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'migration.db'}")
    await upgrade_database(engine, "0016")
    async with engine.begin() as connection:
        await connection.run_sync(_office, "1906", ["Kotak saran"])
        await connection.run_sync(_office, "9999", ["Kotak saran kantor lain"])
    await upgrade_database(engine, "0018")
    query = (
        "SELECT s.office_code, i.section, i.channel, i.text, i.text_en FROM standard_items i "
        "JOIN service_standards s ON s.id = i.standard_id ORDER BY s.office_code, i.section, i.channel, i.position"
    )
    async with engine.connect() as connection:
        items = (await connection.execute(text(query))).all()
        titles: dict[str, str] = dict(
            (await connection.execute(text("SELECT office_code, title_en FROM service_standards"))).all()
        )

    seeded = [row for row in items if row.office_code == "1906"]
    other = [tuple(row) for row in items if row.office_code == "9999"]
    published = next(standard for standard in STANDARDS["1906"] if standard["service"] == "sale")
    assert len(seeded) == sum(len(lines) for lines in published["items"].values())
    assert ("requirement", "walk_in") in {(row.section, row.channel) for row in seeded}
    assert titles == {"1906": "Sale of statistical products", "9999": ""}
    assert other == [
        ("9999", "complaint", "", "Kotak saran kantor lain", ""),
        ("9999", "fee", "", "Gratis", ""),
        ("9999", "procedure", "", "Datang", ""),
        ("9999", "product", "", "Data", ""),
        ("9999", "requirement", "", "Syarat A", ""),
        ("9999", "requirement", "", "Syarat B", ""),
        ("9999", "time", "", "5 menit", ""),
    ]

    def _downgrade(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")

    async with engine.begin() as connection:
        await connection.run_sync(_downgrade)
    async with engine.connect() as connection:
        back = (
            await connection.execute(
                text("SELECT requirements, time_text FROM service_standards WHERE office_code = '9999'")
            )
        ).one()
    assert json.loads(back.requirements) == ["Syarat A", "Syarat B"] and back.time_text == "5 menit"
    await engine.dispose()
