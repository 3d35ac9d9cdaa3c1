"""clean upload names: documents stored before uploads' names were cleaned get the name a new upload would get
(no path parts, no control or bidi characters, at most 120 characters), so no page shows ``../../evil.pdf``

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.text import clean_filename

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

DOCUMENTS = sa.table(
    "documents", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("filename", sa.String)
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(DOCUMENTS.c.id, DOCUMENTS.c.kind, DOCUMENTS.c.filename)).all()
    for document_id, kind, filename in rows:
        cleaned = clean_filename(filename or "", f"{kind}.bin")
        if cleaned != filename:
            connection.execute(DOCUMENTS.update().where(DOCUMENTS.c.id == document_id).values(filename=cleaned))


def downgrade() -> None:
    """The raw names are not kept: nothing to undo."""
