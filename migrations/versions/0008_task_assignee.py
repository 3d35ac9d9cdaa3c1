"""cases: the staff member a supervisor handed the current task to (valid while the case is at that step)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assigned_step", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key("fk_cases_assignee_id", "staff_accounts", ["assignee_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("fk_cases_assignee_id", type_="foreignkey")
        batch_op.drop_column("assigned_step")
        batch_op.drop_column("assignee_id")
