"""indexes of the dashboard and the monthly report: a month costs what it holds, not the office's history

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_entries_office_action_at", "audit_entries", ["office_code", "action", "at", "case_id"])
    op.create_index("ix_audit_entries_case_action", "audit_entries", ["case_id", "action"])
    op.create_index("ix_cases_office_created", "cases", ["office_code", "created_at"])
    op.create_index("ix_payments_status_settled", "payments", ["status", "settled_at"])


def downgrade() -> None:
    op.drop_index("ix_payments_status_settled", table_name="payments")
    op.drop_index("ix_cases_office_created", table_name="cases")
    op.drop_index("ix_audit_entries_case_action", table_name="audit_entries")
    op.drop_index("ix_audit_entries_office_action_at", table_name="audit_entries")
