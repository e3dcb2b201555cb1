"""The prefilter index: two derived dates on `family`, filled in for the families already stored.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

See kasse/deadline_index.py for what the columns mean. The backfill reads
the families through today's `kasse.data.reader` and computes the index with
today's engine; a later revision that changes the columns the reader reads
must give this one a frozen copy of the reading it needs.
"""

import sqlalchemy as sa
from alembic import op

from kasse.data.reader import read_families
from kasse.deadline_index import family_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("family") as batch:
        batch.add_column(sa.Column("index_first_unmet_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("index_closed_from", sa.Date(), nullable=True))
        batch.create_index("ix_family_index_first_unmet_due", ["index_first_unmet_due"])
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("family") as batch:
        batch.drop_index("ix_family_index_first_unmet_due")
        batch.drop_column("index_closed_from")
        batch.drop_column("index_first_unmet_due")


def _backfill(connection: sa.Connection) -> None:
    families = read_families(connection.connection.driver_connection, full=False)
    if not families:
        return
    family = sa.table(
        "family",
        sa.column("ref", sa.String()),
        sa.column("index_first_unmet_due", sa.Date()),
        sa.column("index_closed_from", sa.Date()),
    )
    statement = (
        sa.update(family)
        .where(family.c.ref == sa.bindparam("family_ref"))
        .values(index_first_unmet_due=sa.bindparam("first_unmet_due"), index_closed_from=sa.bindparam("closed_from"))
    )
    rows = []
    for found in families:
        first_unmet_due, closed_from = family_index(found)
        rows.append({"family_ref": found.ref, "first_unmet_due": first_unmet_due, "closed_from": closed_from})
    connection.execute(statement, rows)
