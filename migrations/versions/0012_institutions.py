"""institutions as records: applicants and cases linked to an institution row; Rp0 grants keyed on its id

Existing grants (keyed on their free-text name) are moved onto institution rows by the same key the application
uses (``core.institutions``); where two old grants turn out to be one institution and dataset (the leak this closes),
the first is kept. Applicants and cases are linked when they next need it (registration, a request, the offer form).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.institutions import dataset_key, institution_key, kind_of

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("npwp", sa.String(length=32), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "npwp"),
    )
    op.create_index(
        "ux_institutions_npwp",
        "institutions",
        ["npwp"],
        unique=True,
        sqlite_where=sa.text("npwp <> ''"),
        postgresql_where=sa.text("npwp <> ''"),
    )
    bind = op.get_bind()
    for table in ("cases", "applicants"):
        if bind.dialect.name == "sqlite":  # no copy (and drop) of a table that others refer to
            op.execute(f"ALTER TABLE {table} ADD COLUMN institution_id INTEGER REFERENCES institutions (id)")
        else:
            foreign_key = sa.ForeignKey("institutions.id", name=f"fk_{table}_institution_id")
            op.add_column(table, sa.Column("institution_id", sa.Integer(), foreign_key, nullable=True))

    old = bind.execute(
        sa.text(
            "SELECT g.institution, g.dataset, g.case_id, g.granted_by, g.granted_at, c.segment, "
            "c.applicant_institution FROM zero_rupiah_grants g JOIN cases c ON c.id = g.case_id ORDER BY g.id"
        ).columns(granted_at=sa.DateTime(timezone=True))
    ).all()
    op.drop_table("zero_rupiah_grants")
    grants = op.create_table(
        "zero_rupiah_grants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=200), nullable=False),
        sa.Column("dataset_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("institution_id", "dataset"),
    )
    institutions = sa.table(
        "institutions",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("name", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("npwp", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    ids: dict[str, int] = {}
    kept: set[tuple[int, str]] = set()
    for folded, dataset, case_id, granted_by, granted_at, segment, entered in old:
        name = entered or folded  # the grant kept the name folded; the case has it as entered
        key = institution_key(name)
        if key not in ids:
            kind = kind_of(segment) or "government"
            bind.execute(institutions.insert().values(key=key, name=name, kind=kind, npwp="", created_at=granted_at))
            ids[key] = int(bind.scalar(sa.select(institutions.c.id).where(institutions.c.key == key)))
        pair = (ids[key], dataset_key(dataset))
        if pair in kept:
            continue
        kept.add(pair)
        bind.execute(
            grants.insert().values(
                institution_id=pair[0],
                dataset=pair[1],
                dataset_name=dataset,
                case_id=case_id,
                granted_by=granted_by,
                granted_at=granted_at,
            )
        )


def downgrade() -> None:
    op.drop_table("zero_rupiah_grants")
    op.create_table(
        "zero_rupiah_grants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("dataset", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("institution", "dataset"),
    )
    for table in ("applicants", "cases"):
        with op.batch_alter_table(table) as batch_op:
            if op.get_bind().dialect.name != "sqlite":
                batch_op.drop_constraint(f"fk_{table}_institution_id", type_="foreignkey")
            batch_op.drop_column("institution_id")
    op.drop_index("ux_institutions_npwp", table_name="institutions")
    op.drop_table("institutions")
