"""Version counters, retired refs and a sealed, append-only audit trail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

- `family.version` and `person.version` (1 for every existing row): a save
  made on an older version is refused instead of overwriting a newer one.
- `retired_ref`: the refs of deleted families and persons, never reused.
  Seeded from the audit trail's deletion rows (field `*`, new value NULL)
  of refs no family or person holds now.
- `audit.chain`: each row's seal over itself and the row before
  (kasse/data/audit_chain.py), filled in for existing rows in id order;
  then triggers refuse UPDATE and DELETE on `audit`.

The head revision, which always follows, recomputes the prefilter index
(kasse/deadline_index.py) of every family and person (this one once did,
while it was the head: the backfill reads through today's
`kasse.data.reader` and engine, which expect the newest schema).
"""

import sqlalchemy as sa
from alembic import op

from kasse.data.audit_chain import chain_existing_rows

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Written out, not imported: a revision keeps the names it created.
APPEND_ONLY_TRIGGERS = {
    "audit_no_update": (
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'Revisionssporet kan kun udvides: en logrække kan ikke ændres'); END"
    ),
    "audit_no_delete": (
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'Revisionssporet kan kun udvides: en logrække kan ikke slettes'); END"
    ),
}

# The latest deletion of each ref nothing holds now; OR IGNORE keeps the first row of a ref, the latest.
RETIRE_DELETED_REFS = """
INSERT OR IGNORE INTO retired_ref (ref, kind, retired_at)
SELECT record, table_name, at FROM audit
WHERE field = '*' AND new_value IS NULL AND table_name IN ('family', 'person')
  AND record NOT IN (SELECT ref FROM family) AND record NOT IN (SELECT ref FROM person)
ORDER BY id DESC
"""


def upgrade() -> None:
    for table in ("family", "person"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")))
    op.create_table(
        "retired_ref",
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("retired_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_retired_ref")),
    )
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("chain", sa.String(), nullable=True))

    connection = op.get_bind()
    raw = connection.connection.driver_connection
    chain_existing_rows(raw)
    raw.execute(RETIRE_DELETED_REFS)
    for trigger in APPEND_ONLY_TRIGGERS.values():
        op.execute(trigger)


def downgrade() -> None:
    for name in APPEND_ONLY_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("chain")
    op.drop_table("retired_ref")
    for table in ("family", "person"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
