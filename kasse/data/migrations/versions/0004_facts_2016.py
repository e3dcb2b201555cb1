"""The facts of the 2016 law (Danish referral, the assessment of health need, contract follow-up conversations)
and a prefilter index per ruleset.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Adds `person.danish_referral_date`, `person.health_need`,
`person.health_need_date` and the `contract_followup` list; existing rows
keep their data and get the new facts as not recorded.

The prefilter index (kasse/deadline_index.py) of `family` and `person`
becomes one first-unmet due date per ruleset choice (auto, 2015, 2016), the
latest met date (a lookup on an earlier day must read those rows), the
first and last milestone and the closing day, replacing
`index_first_unmet_due`.

The head revision, which always follows, fills the index in for every
family and person (this one once did, while it was the head: the backfill
reads through today's `kasse.data.reader` and engine, which expect the
newest schema).
"""

import sqlalchemy as sa
from alembic import op

# Written out, not imported: a revision keeps the names it created.
INDEX_COLUMNS = (
    "index_due_auto", "index_due_2015", "index_due_2016", "index_met_until", "index_milestone_from",
    "index_milestone_until",
)

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("danish_referral_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("health_need", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("health_need_date", sa.Date(), nullable=True))
    op.create_table(
        "contract_followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("form", sa.String(length=7), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_contract_followup_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_followup")),
    )
    op.create_index("ix_contract_followup_person_id_position", "contract_followup", ["person_id", "position"])
    for table in ("family", "person"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_index_first_unmet_due")
            batch.drop_column("index_first_unmet_due")
            for column in INDEX_COLUMNS:
                batch.add_column(sa.Column(column, sa.Date(), nullable=True))


def downgrade() -> None:
    for table in ("family", "person"):
        with op.batch_alter_table(table) as batch:
            for column in INDEX_COLUMNS:
                batch.drop_column(column)
            batch.add_column(sa.Column("index_first_unmet_due", sa.Date(), nullable=True))
            batch.create_index(f"ix_{table}_index_first_unmet_due", ["index_first_unmet_due"])
    op.drop_index("ix_contract_followup_person_id_position", table_name="contract_followup")
    op.drop_table("contract_followup")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("health_need_date")
        batch.drop_column("health_need")
        batch.drop_column("danish_referral_date")

