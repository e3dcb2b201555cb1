"""The prefilter index per person: two derived dates on `person`; the family's pair now covers its plan only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

See kasse/deadline_index.py for what the columns mean. The backfill reads
the families through today's `kasse.data.reader` and computes the index of
every family and person with today's engine; a later revision that changes
the columns the reader reads must give this one a frozen copy of the
reading it needs.
"""

import sqlalchemy as sa
from alembic import op

from kasse.data.reader import read_families
from kasse.deadline_index import CLOSED_FROM, FIRST_UNMET_DUE, family_index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column(FIRST_UNMET_DUE, sa.Date(), nullable=True))
        batch.add_column(sa.Column(CLOSED_FROM, sa.Date(), nullable=True))
        batch.create_index("ix_person_index_first_unmet_due", [FIRST_UNMET_DUE])
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_index("ix_person_index_first_unmet_due")
        batch.drop_column(CLOSED_FROM)
        batch.drop_column(FIRST_UNMET_DUE)


def _backfill(connection: sa.Connection) -> None:
    families = read_families(connection.connection.driver_connection, full=False)
    family_rows, person_rows = [], []
    for found in families:
        index = family_index(found)
        family_rows.append({"row_ref": found.ref, "due": index.plan.first_unmet_due, "closed": index.plan.closed_from})
        person_rows.extend(
            {"row_ref": ref, "due": dates.first_unmet_due, "closed": dates.closed_from}
            for ref, dates in index.members.items()
        )
    for name, rows in (("family", family_rows), ("person", person_rows)):
        if rows:
            table = sa.table(name, sa.column("ref"), sa.column(FIRST_UNMET_DUE), sa.column(CLOSED_FROM))
            statement = (
                sa.update(table)
                .where(table.c.ref == sa.bindparam("row_ref"))
                .values({FIRST_UNMET_DUE: sa.bindparam("due"), CLOSED_FROM: sa.bindparam("closed")})
            )
            connection.execute(statement, rows)
