"""the office's catalogue: the microdata datasets (with their variables), the wilkerstat maps and the publications an
administrator maintains and an applicant chooses from.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _common() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False, primary_key=True),
        sa.Column("office_code", sa.String(4), sa.ForeignKey("offices.code"), nullable=False, index=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    ]


def upgrade() -> None:
    op.create_table(
        "catalogue_datasets",
        *_common(),
        sa.Column("survey", sa.String(100), nullable=False),
        sa.Column("level", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False, server_default="1000000"),
        sa.Column("variables", sa.JSON(), nullable=False),
    )
    op.create_table("catalogue_maps", *_common(), sa.Column("area", sa.String(200), nullable=False))
    op.create_table(
        "catalogue_publications",
        *_common(),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False, server_default="1"),
    )


def downgrade() -> None:
    for table in ("catalogue_publications", "catalogue_maps", "catalogue_datasets"):
        op.drop_table(table)
