"""The journal (append-only notes, searchable) and the caseworker's own tasks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27

- `journal_note`: one row per note (kasse/journal.py), named by `uid`,
  which travels with the note through export and import. Its family and
  person are named by ref, not by id as the other child tables do: notes
  are append-only, so they can neither cascade away with a deleted family
  nor be re-pointed when a restore gives families new ids; like the audit
  trail's rows they outlive what they name, whose refs are never reused.
  Triggers refuse UPDATE and DELETE (a correction is a new note).
- `journal_fts`: an FTS5 index of the notes' words, kept by an AFTER INSERT
  trigger. Contentless (`content=''`): the index holds no second copy of
  the text, and being append-only the journal never needs the deletes a
  contentless table cannot do (before SQLite 3.43). The text it indexes is
  the note's with `å` written `aa`, so "Ålborg" and "Aalborg" are one word
  while "får" and "far" stay two; `remove_diacritics 2` lets "cafe" find
  "café" and leaves `æ` and `ø`, which have no accent to remove, alone.
  Snippets are cut from `journal_note.text` (kasse/journal.py), not by
  FTS5, which a contentless table cannot give.
- `task`: a caseworker's own task under its family or one member (exactly
  one of the two), by id with ON DELETE CASCADE like the other child
  tables; a member's task follows the member to another family and goes
  with them. Every change is audited by the data layer. A partial index
  serves "open tasks by due date".

Then, as the head revision, it recomputes the prefilter index
(kasse/deadline_index.py) of every family and person. The backfill reads
through today's `kasse.data.reader` and engine, which expect the newest
schema, so it belongs to the head only: a later revision moves it to its
own end and leaves this one its DDL.
"""

import sqlalchemy as sa
from alembic import op

from kasse.data.reader import read_families
from kasse.deadline_index import family_index

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Written out, not imported: a revision keeps the names it created.
FULL_TEXT_INDEX = (
    "CREATE VIRTUAL TABLE journal_fts USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2')"
)
TRIGGERS = {
    "journal_note_no_update": (
        "CREATE TRIGGER journal_note_no_update BEFORE UPDATE ON journal_note "
        "BEGIN SELECT RAISE(ABORT, 'Journalen kan kun udvides: et notat kan ikke ændres - skriv en rettelse'); END"
    ),
    "journal_note_no_delete": (
        "CREATE TRIGGER journal_note_no_delete BEFORE DELETE ON journal_note "
        "BEGIN SELECT RAISE(ABORT, 'Journalen kan kun udvides: et notat kan ikke slettes'); END"
    ),
    "journal_note_indexed": (
        "CREATE TRIGGER journal_note_indexed AFTER INSERT ON journal_note BEGIN "
        "INSERT INTO journal_fts (rowid, text) VALUES (new.id, replace(replace(new.text, 'å', 'aa'), 'Å', 'Aa')); "
        "END"
    ),
}


def upgrade() -> None:
    op.create_table(
        "journal_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("family_ref", sa.String(), nullable=False),
        sa.Column("person_ref", sa.String(), nullable=True),
        sa.Column("written_at", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("corrects", sa.String(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_note")),
        sa.UniqueConstraint("uid", name=op.f("uq_journal_note_uid")),
    )
    op.create_index("ix_journal_note_family_ref_written_at", "journal_note", ["family_ref", "written_at"])
    op.create_index("ix_journal_note_person_ref_written_at", "journal_note", ["person_ref", "written_at"])
    op.execute(FULL_TEXT_INDEX)
    for trigger in TRIGGERS.values():
        op.execute(trigger)

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done", sa.Date(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_task_family_id_family"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_task_person_id_person"), ondelete="CASCADE"),
        sa.CheckConstraint("(family_id IS NULL) != (person_id IS NULL)", name=op.f("ck_task_family_or_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("uid", name=op.f("uq_task_uid")),
    )
    op.create_index("ix_task_family_id", "task", ["family_id"])
    op.create_index("ix_task_person_id", "task", ["person_id"])
    op.create_index("ix_task_open_due", "task", ["due"], sqlite_where=sa.text("done IS NULL"))

    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("task")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE journal_fts")
    op.drop_table("journal_note")


def _backfill(connection: sa.Connection) -> None:
    """Write every family's and person's index columns, whichever they are, as the store would."""
    updates: dict[str, list[tuple[str, dict]]] = {"family": [], "person": []}
    for found in read_families(connection.connection.driver_connection, full=False):
        index = family_index(found)
        updates["family"].append((found.ref, index.plan.columns()))
        updates["person"].extend((ref, dates.columns()) for ref, dates in index.members.items())
    for name, rows in updates.items():
        if not rows:
            continue
        columns = list(rows[0][1])
        table = sa.table(name, sa.column("ref"), *(sa.column(column) for column in columns))
        statement = (
            sa.update(table)
            .where(table.c.ref == sa.bindparam("row_ref"))
            .values({column: sa.bindparam(f"new_{column}") for column in columns})
        )
        params = [{"row_ref": ref, **{f"new_{column}": day for column, day in values.items()}} for ref, values in rows]
        connection.execute(statement, params)
