"""The prefilter index: two derived dates on `family`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

See kasse/deadline_index.py for what the columns mean. Revision 0003, which
always follows, narrowed them to the family's plan and fills them in (it
once did so here, for the whole family).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("family") as batch:
        batch.add_column(sa.Column("index_first_unmet_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("index_closed_from", sa.Date(), nullable=True))
        batch.create_index("ix_family_index_first_unmet_due", ["index_first_unmet_due"])


def downgrade() -> None:
    with op.batch_alter_table("family") as batch:
        batch.drop_index("ix_family_index_first_unmet_due")
        batch.drop_column("index_closed_from")
        batch.drop_column("index_first_unmet_due")

