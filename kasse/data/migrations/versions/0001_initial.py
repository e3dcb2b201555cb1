"""Initial schema: families, persons, their lists, and the audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Enums are VARCHARs holding the enum's value; dates are ISO text (sa.Date).
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("record", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("old_value", sa.String(), nullable=True),
        sa.Column("new_value", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_table_name_record", "audit", ["table_name", "record"])

    op.create_table(
        "family",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("coordinating_department", sa.String(), nullable=True),
        sa.Column("housing", sa.String(length=9), nullable=True),
        sa.Column("housing_since", sa.Date(), nullable=True),
        sa.Column("plan_made_date", sa.Date(), nullable=True),
        sa.Column("plan_followup_months", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family")),
        sa.UniqueConstraint("ref", name=op.f("uq_family_ref")),
    )
    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_followup_family_id_family"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup")),
    )
    op.create_index("ix_followup_family_id_position", "followup", ["family_id", "position"])
    op.create_table(
        "checklist_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=11), nullable=False),
        sa.Column("task", sa.String(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_checklist_item_family_id_family"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_item")),
    )
    op.create_index("ix_checklist_item_family_id_position", "checklist_item", ["family_id", "position"])

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("cpr", sa.String(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=19), nullable=False),
        sa.Column("role", sa.String(length=9), nullable=True),
        sa.Column("nationality", sa.String(), nullable=True),
        sa.Column("takeover_date", sa.Date(), nullable=True),
        sa.Column("left_date", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(), nullable=True),
        sa.Column("programme_exempt_reason", sa.String(length=10), nullable=True),
        sa.Column("programme_start_date", sa.Date(), nullable=True),
        sa.Column("um_decision_date", sa.Date(), nullable=True),
        sa.Column("um_decision_offered", sa.Boolean(), nullable=True),
        sa.Column("contract_signed_date", sa.Date(), nullable=True),
        sa.Column("contract_goal_kind", sa.String(length=10), nullable=True),
        sa.Column("contract_goal", sa.String(), nullable=True),
        sa.Column("danish_start_date", sa.Date(), nullable=True),
        sa.Column("danish_provider", sa.String(), nullable=True),
        sa.Column("danish_track", sa.String(length=3), nullable=True),
        sa.Column("danish_hours_per_week", sa.Float(), nullable=True),
        sa.Column("danish_paused_from", sa.Date(), nullable=True),
        sa.Column("danish_paused_to", sa.Date(), nullable=True),
        sa.Column("danish_passed_date", sa.Date(), nullable=True),
        sa.Column("plan_offered_date", sa.Date(), nullable=True),
        sa.Column("plan_answer", sa.String(length=8), nullable=True),
        sa.Column("health_offered_date", sa.Date(), nullable=True),
        sa.Column("health_declined_date", sa.Date(), nullable=True),
        sa.Column("health_guidance_date", sa.Date(), nullable=True),
        sa.Column("health_consent", sa.Boolean(), nullable=True),
        sa.Column("health_result_received_date", sa.Date(), nullable=True),
        sa.Column("assessment_education", sa.String(), nullable=True),
        sa.Column("assessment_work_experience", sa.String(), nullable=True),
        sa.Column("assessment_languages", sa.String(), nullable=True),
        sa.Column("assessment_literacy", sa.String(), nullable=True),
        sa.Column("assessment_health_summary", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_person_family_id_family"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("ref", name=op.f("uq_person_ref")),
    )
    op.create_index("ix_person_family_id", "person", ["family_id"])
    op.create_index("ix_person_name", "person", ["name"])
    op.create_index("ix_person_cpr", "person", ["cpr"])

    op.create_table(
        "contract_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_contract_activity_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_activity")),
    )
    op.create_index("ix_contract_activity_person_id_position", "contract_activity", ["person_id", "position"])
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=18), nullable=False),
        sa.Column("goal", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_goal_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
    )
    op.create_index("ix_goal_person_id_position", "goal", ["person_id", "position"])
    op.create_table(
        "subgoal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], name=op.f("fk_subgoal_goal_id_goal"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subgoal")),
    )
    op.create_index("ix_subgoal_goal_id_position", "subgoal", ["goal_id", "position"])
    op.create_table(
        "intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_intervention_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention")),
    )
    op.create_index("ix_intervention_goal_id_position", "intervention", ["goal_id", "position"])


def downgrade() -> None:
    for table in (
        "intervention",
        "subgoal",
        "goal",
        "contract_activity",
        "person",
        "checklist_item",
        "followup",
        "family",
        "audit",
    ):
        op.drop_table(table)
