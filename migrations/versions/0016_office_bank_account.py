"""office bank account: where an applicant abroad transfers the fee (the portal's payment step shows it); the four
seeded offices get their demo account, to be replaced by an administrator.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COLUMNS = (("bank_name", 200), ("bank_account_number", 64), ("bank_account_holder", 200), ("bank_swift", 16))
SEEDED = (
    ("6202", "0072-01-000620-30-2", "BPS Kabupaten Kotawaringin Timur"),
    ("6302", "0093-01-000630-30-9", "BPS Kabupaten Kotabaru"),
    ("1906", "0361-01-000190-30-6", "BPS Kabupaten Belitung Timur"),
    ("3304", "0074-01-000330-30-4", "BPS Kabupaten Banjarnegara"),
)


def upgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
    for code, number, name in SEEDED:
        op.execute(
            sa.text(
                "UPDATE offices SET bank_name = 'Bank Rakyat Indonesia (BRI)', bank_account_number = :number, "
                "bank_account_holder = :holder, bank_swift = 'BRINIDJA' WHERE code = :code"
            ).bindparams(number=number, holder=f"Bendahara Penerimaan {name}", code=code)
        )


def downgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        for name, _length in reversed(COLUMNS):
            batch.drop_column(name)
