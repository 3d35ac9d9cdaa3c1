"""applicant language: every applicant's mails and documents are written in their language (id or en); an
applicant abroad registered before has English.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applicants") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default="id"))
    op.execute(sa.text("UPDATE applicants SET language = 'en' WHERE abroad"))


def downgrade() -> None:
    with op.batch_alter_table("applicants") as batch:
        batch.drop_column("language")
