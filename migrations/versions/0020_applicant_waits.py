"""applicant waits: per office, how many days a sale waits on the applicant in each step (returned request, sample
review, payment, SPPD by post) before it closes, the reminder's lead, and how many billing codes an unpaid sale gets.

Revision ID: 0020
Revises: 0018
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None

COLUMNS = (
    ("wait_returned_days", "14"),
    ("wait_sample_review_days", "7"),
    ("wait_payment_days", "14"),
    ("wait_sppd_days", "30"),
    ("wait_reminder_days", "3"),
    ("billing_code_limit", "3"),
)


def upgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        for name, default in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default=default))


def downgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        for name, _default in reversed(COLUMNS):
            batch.drop_column(name)
