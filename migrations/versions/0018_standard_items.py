"""service standards item by item: each requirement, procedure step, service time, fee, product and complaint
channel is a row of ``standard_items`` with its English beside it, split into walk-in and online lists where the
office publishes both; a standard's title gets its English. The seed offices' standards take the published items
of their seeds (core.standards_seed: the old lists had drifted from them); any other office's old lists become
items as they were (no English yet). The old list and text columns go.

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-27
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from core.standards_seed import STANDARDS, item_rows

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None

_OLD_LISTS = {"requirements": "requirement", "procedure": "procedure", "products": "product"}
_OLD_TEXTS = {"time_text": "time", "fee_text": "fee"}

_items = sa.table(
    "standard_items",
    sa.column("standard_id", sa.Integer()),
    sa.column("section", sa.String()),
    sa.column("channel", sa.String()),
    sa.column("position", sa.Integer()),
    sa.column("text", sa.Text()),
    sa.column("text_en", sa.Text()),
)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else [value]
    return [str(line) for line in value or [] if str(line).strip()]


def _old_rows(row: Any, complaint_channels: Any) -> list[dict[str, Any]]:
    """An office outside the seeds: its old lists and texts as items, Indonesian only."""
    sections: dict[str, list[str]] = {section: _as_list(getattr(row, column)) for column, section in _OLD_LISTS.items()}
    sections |= {section: _as_list(getattr(row, column) or "") for column, section in _OLD_TEXTS.items()}
    sections["complaint"] = _as_list(complaint_channels)
    return [
        {"standard_id": row.id, "section": section, "channel": "", "position": position, "text": text, "text_en": ""}
        for section, lines in sections.items()
        for position, text in enumerate(lines, start=1)
    ]


def upgrade() -> None:
    # Read the old lists before the table is rebuilt (SQLite's batch copy), and only then make the items: a
    # rebuilt parent table would cascade its deletion onto them.
    bind = op.get_bind()
    standards = bind.execute(
        sa.text(
            "SELECT s.id, s.office_code, s.service, s.requirements, s.procedure, s.products, s.time_text, "
            "s.fee_text, o.complaint_channels FROM service_standards s JOIN offices o ON o.code = s.office_code"
        )
    ).all()
    with op.batch_alter_table("service_standards") as batch:
        batch.add_column(sa.Column("title_en", sa.String(300), nullable=False, server_default=""))
        for column in (*_OLD_LISTS, *_OLD_TEXTS):
            batch.drop_column(column)
    op.create_table(
        "standard_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, primary_key=True),
        sa.Column(
            "standard_id", sa.Integer(), sa.ForeignKey("service_standards.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("section", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False, server_default=""),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_standard_items_standard", "standard_items", ["standard_id", "section", "channel", "position"])
    rows: list[dict[str, Any]] = []
    for row in standards:
        seeded = {str(item["service"]): item for item in STANDARDS.get(row.office_code, [])}.get(row.service)
        if seeded is None:
            rows += _old_rows(row, row.complaint_channels)
            continue
        title, title_en = seeded["title"]
        bind.execute(
            sa.text("UPDATE service_standards SET title = :title, title_en = :title_en WHERE id = :id"),
            {"title": title, "title_en": title_en, "id": row.id},
        )
        rows += item_rows(row.id, seeded)
    if rows:
        op.bulk_insert(_items, rows)


def downgrade() -> None:
    bind = op.get_bind()
    items = bind.execute(
        sa.text(
            "SELECT standard_id, section, text FROM standard_items ORDER BY standard_id, section, channel, position"
        )
    ).all()
    op.drop_index("ix_standard_items_standard", "standard_items")
    op.drop_table("standard_items")
    with op.batch_alter_table("service_standards") as batch:
        batch.drop_column("title_en")
        for column in _OLD_LISTS:
            batch.add_column(sa.Column(column, sa.JSON(), nullable=False, server_default="[]"))
        for column in _OLD_TEXTS:
            batch.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=""))
    gathered: dict[int, dict[str, list[str]]] = {}
    for standard_id, section, text in items:
        gathered.setdefault(standard_id, {}).setdefault(section, []).append(text)
    json_cast = "CAST(:{0} AS JSON)" if bind.dialect.name == "postgresql" else ":{0}"
    for standard_id, sections in gathered.items():
        values: dict[str, Any] = {column: json.dumps(sections.get(s, [])) for column, s in _OLD_LISTS.items()}
        values |= {column: " ".join(sections.get(s, [])) for column, s in _OLD_TEXTS.items()}
        assignments = ", ".join(
            f"{column} = {json_cast.format(column) if column in _OLD_LISTS else ':' + column}" for column in values
        )
        update = sa.text(f"UPDATE service_standards SET {assignments} WHERE id = :id")
        bind.execute(update, {**values, "id": standard_id})
