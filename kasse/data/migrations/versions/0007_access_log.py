"""The access log: who looked at which person or family, when, and with which command.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

- `access_log`: one row per look at a person or a family (`kasse show`,
  `export --person/--family/--subject-access`, `print`, the app opening a
  family). Like the journal it names records by ref, so it outlives them,
  and it is append-only: triggers refuse DELETE, and UPDATE except the one
  change a purge makes - a ref replaced by the anonymised mark, every other
  column as it was (kasse/data/access_log.py `anonymise`).

The prefilter backfill stays with 0006: it reads families and persons,
which this revision leaves as they were, so 0006's reader still fits.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Written out, not imported: a revision keeps the names it created.
TRIGGERS = {
    "access_log_no_update": (
        "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
        "WHEN NOT (new.id = old.id AND new.at = old.at AND new.actor = old.actor AND new.command = old.command "
        "AND new.record_kind = old.record_kind AND new.record_ref IN (old.record_ref, 'anonymiseret') "
        "AND new.family_ref IN (old.family_ref, 'anonymiseret')) "
        "BEGIN SELECT RAISE(ABORT, 'Adgangsloggen kan kun udvides: en logrække kan ikke ændres'); END"
    ),
    "access_log_no_delete": (
        "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
        "BEGIN SELECT RAISE(ABORT, 'Adgangsloggen kan kun udvides: en logrække kan ikke slettes'); END"
    ),
}


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("record_kind", sa.String(length=6), nullable=False),
        sa.Column("record_ref", sa.String(), nullable=False),
        sa.Column("family_ref", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_record_ref_at", "access_log", ["record_ref", "at"])
    op.create_index("ix_access_log_family_ref_at", "access_log", ["family_ref", "at"])
    for trigger in TRIGGERS.values():
        op.execute(trigger)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("access_log")
