"""calendar overrides and sla clock

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_overrides",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("office_code", sa.String(length=4), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_code"],
            ["offices.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_code", "day"),
    )
    with op.batch_alter_table("calendar_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_overrides_office_code"), ["office_code"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_warning_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sla_remaining", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("sla_unit", sa.String(length=16), server_default="", nullable=False))

    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_warning_share", sa.Float(), server_default="0.8", nullable=False))
        batch_op.add_column(sa.Column("escalation_working_days", sa.Integer(), server_default="2", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("escalation_working_days")
        batch_op.drop_column("sla_warning_share")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("sla_unit")
        batch_op.drop_column("sla_remaining")
        batch_op.drop_column("sla_warning_at")

    with op.batch_alter_table("calendar_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_overrides_office_code"))

    op.drop_table("calendar_overrides")
