"""The prefilter index per person: two derived dates on `person`; the family's pair now covers its plan only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

See kasse/deadline_index.py for what the columns mean. The head revision,
which always follows, fills them in for every family and person (this one
once did, with the reader and engine of its day).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Written out, not imported: a revision keeps the names it created.
FIRST_UNMET_DUE = "index_first_unmet_due"
CLOSED_FROM = "index_closed_from"


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column(FIRST_UNMET_DUE, sa.Date(), nullable=True))
        batch.add_column(sa.Column(CLOSED_FROM, sa.Date(), nullable=True))
        batch.create_index("ix_person_index_first_unmet_due", [FIRST_UNMET_DUE])


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_index("ix_person_index_first_unmet_due")
        batch.drop_column(CLOSED_FROM)
        batch.drop_column(FIRST_UNMET_DUE)

