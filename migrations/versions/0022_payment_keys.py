"""payment keys and closing times: every payment row gets a unique ``key`` named by the step that wrote it (a case
is paid once, a billing code once per sequence), so a retried or doubled settlement writes no second row; a case
gets ``closed_at``, the moment it was completed or cancelled, so a monthly report counts completions in the month
they happened.

Rows written twice before (a cash or transfer settlement retried) are reduced to the first: the later "paid" rows
of a case paid in cash or by transfer are deleted, and their number is logged. Existing billing codes keep their
code as key; every other old row a key of its own. A closed case's ``closed_at`` is its last move (``updated_at``).

Revision ID: 0022
Revises: 0020
Create Date: 2026-11-27
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

_payments = sa.table(
    "payments",
    sa.column("id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("case_id", sa.String()),
    sa.column("method", sa.String()),
    sa.column("status", sa.String()),
    sa.column("billing_code", sa.String()),
)
_cases = sa.table(
    "cases",
    sa.column("status", sa.String()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("closed_at", sa.DateTime(timezone=True)),
)
_SETTLED_BY_HAND = ("cash", "transfer")


def _key_payments(bind: sa.Connection) -> None:
    """Delete the doubled "paid" settlements (keep a case's first) and give every row its key."""
    rows = bind.execute(
        sa.select(
            _payments.c.id, _payments.c.case_id, _payments.c.method, _payments.c.status, _payments.c.billing_code
        ).order_by(_payments.c.id)
    ).all()
    paid: set[str] = set()
    doubled: list[int] = []
    keys: dict[int, str] = {}
    for row_id, case_id, method, status, billing_code in rows:
        if billing_code:
            keys[row_id] = f"{case_id}:{billing_code}"
        elif status == "paid" and method in _SETTLED_BY_HAND:
            if case_id in paid:
                doubled.append(row_id)
                continue
            paid.add(case_id)
            keys[row_id] = f"{case_id}:paid"
        else:
            keys[row_id] = f"{case_id}:legacy:{row_id}"
    if doubled:
        log.warning("0022: %d doubled payment settlement(s) deleted (ids %s)", len(doubled), doubled)
        bind.execute(sa.delete(_payments).where(_payments.c.id.in_(doubled)))
    for row_id, key in keys.items():
        bind.execute(sa.update(_payments).where(_payments.c.id == row_id).values(key=key))


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("key", sa.String(200), nullable=True))
    _key_payments(op.get_bind())
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("key", existing_type=sa.String(200), nullable=False)
        batch.create_index("ux_payments_key", ["key"], unique=True)

    # cases is referenced by every case table: no batch copy on SQLite (a nullable column and an index need none)
    op.add_column("cases", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.update(_cases).where(_cases.c.status != "open").values(closed_at=_cases.c.updated_at))
    op.create_index("ix_cases_office_status_closed", "cases", ["office_code", "status", "closed_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_office_status_closed", "cases")
    op.drop_column("cases", "closed_at")
    with op.batch_alter_table("payments") as batch:
        batch.drop_index("ux_payments_key")
        batch.drop_column("key")
