"""The SQLite schema as SQLModel tables: one row per family, person and list item, plus the audit trail.

A person's nested facts (programme, contract, Danish, ...) are flattened into
prefixed columns; every list of kasse/v1 is a child table whose `position`
keeps the order. Dates are SQLAlchemy `Date` (ISO text in SQLite), enums are
stored as their string value, and child rows go with their parent (ON DELETE
CASCADE). Alembic migrations in `migrations/` create exactly this schema.

A family and a person row carry a `version`, raised by one by every save
that changes the record's facts or lists (not its derived index): an edit
made on an older version is refused instead of overwriting the newer one.
A deleted family's or person's ref stays in `retired_ref`, never reused.

Journal notes are append-only and name their family and person by ref, as
the audit trail does; tasks are mutable rows under their family or member.
The notes' full-text index is an FTS5 table that SQLModel cannot describe:
it lives in migration 0006 alone, and comparisons of models with
migrations leave it out (`include_name`).
"""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kasse.domain import (
    Answer,
    Area,
    Category,
    ConversationForm,
    ExemptReason,
    GoalKind,
    Housing,
    InterventionStatus,
    Phase,
    Role,
    Track,
)
from kasse.journal import NoteKind

# Named constraints let later batch migrations (table rebuilds) refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Table(SQLModel, registry=registry(metadata=metadata)):
    """Base of kasse's tables; keeps them out of SQLModel's global metadata."""


def enum_column(kind: type[StrEnum]) -> sa.Enum:
    """A VARCHAR holding the enum's value ("refugee"), mapped to the enum member in Python."""
    return sa.Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=max(len(member.value) for member in kind),
        values_callable=lambda members: [member.value for member in members],
    )


def parent_key(column: str) -> int:
    return Field(foreign_key=column, ondelete="CASCADE")


def version_column() -> int:
    """The record's version: 1 when created, raised by one on every change of its facts or lists."""
    return Field(default=1, sa_column_kwargs={"server_default": sa.text("1")})


class FamilyRow(Table, table=True):
    __tablename__ = "family"

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True)
    coordinating_department: str | None = None
    housing: Housing | None = Field(default=None, sa_type=enum_column(Housing))
    housing_since: date | None = None
    plan_made_date: date | None = None
    plan_followup_months: int | None = None
    version: int = version_column()

    # The prefilter index of kasse/deadline_index.py: derived from the family's
    # plan follow-ups and kept by the store on every write, so never audited.
    index_due_auto: date | None = None
    index_due_2015: date | None = None
    index_due_2016: date | None = None
    index_met_until: date | None = None
    index_milestone_from: date | None = None
    index_milestone_until: date | None = None
    index_closed_from: date | None = None


class FollowUpRow(Table, table=True):
    __tablename__ = "followup"
    __table_args__ = (sa.Index("ix_followup_family_id_position", "family_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = parent_key("family.id")
    position: int
    date: date
    note: str | None = None


class ChecklistItemRow(Table, table=True):
    __tablename__ = "checklist_item"
    __table_args__ = (sa.Index("ix_checklist_item_family_id_position", "family_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = parent_key("family.id")
    position: int
    phase: Phase = Field(sa_type=enum_column(Phase))
    task: str
    done_date: date | None = None


class PersonRow(Table, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", ondelete="CASCADE", index=True)
    ref: str = Field(unique=True)
    name: str = Field(index=True)
    cpr: str | None = Field(default=None, index=True)
    birth_date: date
    category: Category = Field(sa_type=enum_column(Category))
    role: Role | None = Field(default=None, sa_type=enum_column(Role))
    nationality: str | None = None
    takeover_date: date | None = None
    left_date: date | None = None
    left_reason: str | None = None

    programme_exempt_reason: ExemptReason | None = Field(default=None, sa_type=enum_column(ExemptReason))
    programme_start_date: date | None = None

    # No decision recorded when the date is NULL; `offered` is then NULL too.
    um_decision_date: date | None = None
    um_decision_offered: bool | None = None

    contract_signed_date: date | None = None
    contract_goal_kind: GoalKind | None = Field(default=None, sa_type=enum_column(GoalKind))
    contract_goal: str | None = None

    danish_start_date: date | None = None
    danish_provider: str | None = None
    danish_track: Track | None = Field(default=None, sa_type=enum_column(Track))
    danish_hours_per_week: float | None = None
    danish_paused_from: date | None = None
    danish_paused_to: date | None = None
    danish_passed_date: date | None = None
    danish_referral_date: date | None = None

    plan_offered_date: date | None = None
    plan_answer: Answer | None = Field(default=None, sa_type=enum_column(Answer))

    health_offered_date: date | None = None
    health_declined_date: date | None = None
    health_guidance_date: date | None = None
    health_consent: bool | None = None
    health_result_received_date: date | None = None
    # The municipality's assessment of need: both NULL (not assessed) or both set.
    health_need: bool | None = None
    health_need_date: date | None = None

    assessment_education: str | None = None
    assessment_work_experience: str | None = None
    assessment_languages: str | None = None
    assessment_literacy: str | None = None
    assessment_health_summary: str | None = None
    version: int = version_column()

    # The prefilter index of kasse/deadline_index.py: derived from the person's
    # deadlines and kept by the store on every write, so never audited.
    index_due_auto: date | None = None
    index_due_2015: date | None = None
    index_due_2016: date | None = None
    index_met_until: date | None = None
    index_milestone_from: date | None = None
    index_milestone_until: date | None = None
    index_closed_from: date | None = None


class ContractActivityRow(Table, table=True):
    __tablename__ = "contract_activity"
    __table_args__ = (sa.Index("ix_contract_activity_person_id_position", "person_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = parent_key("person.id")
    position: int
    text: str


class ContractFollowUpRow(Table, table=True):
    __tablename__ = "contract_followup"
    __table_args__ = (sa.Index("ix_contract_followup_person_id_position", "person_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = parent_key("person.id")
    position: int
    date: date
    form: ConversationForm | None = Field(default=None, sa_type=enum_column(ConversationForm))
    note: str | None = None


class GoalRow(Table, table=True):
    __tablename__ = "goal"
    __table_args__ = (sa.Index("ix_goal_person_id_position", "person_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = parent_key("person.id")
    position: int
    area: Area = Field(sa_type=enum_column(Area))
    goal: str


class SubgoalRow(Table, table=True):
    __tablename__ = "subgoal"
    __table_args__ = (sa.Index("ix_subgoal_goal_id_position", "goal_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = parent_key("goal.id")
    position: int
    text: str


class InterventionRow(Table, table=True):
    __tablename__ = "intervention"
    __table_args__ = (sa.Index("ix_intervention_goal_id_position", "goal_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = parent_key("goal.id")
    position: int
    title: str
    department: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: InterventionStatus = Field(sa_type=enum_column(InterventionStatus))


class AuditRow(Table, table=True):
    """One recorded change: who changed which field of which record, from what to what.

    `record` is the family's or person's ref; `field` is a column name, a list
    name ("goals") or "*" for a whole record created or deleted, whose values
    are then JSON. `chain` seals the row and the one before it
    (kasse/data/audit_chain.py); triggers refuse UPDATE and DELETE.
    """

    __tablename__ = "audit"
    __table_args__ = (sa.Index("ix_audit_table_name_record", "table_name", "record"),)

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(index=True)
    actor: str
    table_name: str
    record: str
    field: str
    old_value: str | None = None
    new_value: str | None = None
    chain: str | None = None


class RetiredRefRow(Table, table=True):
    """The ref of a deleted family or person: never given to a new record, whose audit trail would mix with it."""

    __tablename__ = "retired_ref"

    ref: str = Field(primary_key=True)
    kind: str  # "family" or "person", as audit.table_name
    retired_at: str


class JournalNoteRow(Table, table=True):
    """One journal note (kasse/journal.py). Triggers refuse UPDATE and DELETE: a correction is a new note.

    The family and person are named by ref, not id: a note outlives the
    rows it names (a deleted family's journal stays, under its retired ref),
    and keeps its meaning when a restore gives families new ids.
    `written_at` is local ISO text to the second ("2025-03-01T14:30:00").
    """

    __tablename__ = "journal_note"
    __table_args__ = (
        sa.Index("ix_journal_note_family_ref_written_at", "family_ref", "written_at"),
        sa.Index("ix_journal_note_person_ref_written_at", "person_ref", "written_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    family_ref: str
    person_ref: str | None = None
    written_at: str
    author: str
    kind: NoteKind = Field(sa_type=enum_column(NoteKind))
    corrects: str | None = None  # the uid of the note this one corrects
    text: str  # last: a read that stops before it leaves a long text's overflow pages unread


class TaskRow(Table, table=True):
    """One of the caseworker's own tasks; every change is audited (table_name "task", record = uid).

    A task belongs to a family or to one member (exactly one of the two ids
    is set): a member's task follows them to another family and goes with them.
    """

    __tablename__ = "task"
    __table_args__ = (
        sa.Index("ix_task_open_due", "due", sqlite_where=sa.text("done IS NULL")),
        sa.CheckConstraint("(family_id IS NULL) != (person_id IS NULL)", name="family_or_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    family_id: int | None = Field(default=None, foreign_key="family.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE", index=True)
    title: str
    due: date
    done: date | None = None
    created_at: str
    author: str



class AccessLogRow(Table, table=True):
    """One look at a person or family (migration 0007): who, when, with which command. Append-only: triggers
    refuse DELETE, and UPDATE but a purge's anonymising of a ref (kasse/data/access_log.py)."""

    __tablename__ = "access_log"
    __table_args__ = (
        sa.Index("ix_access_log_record_ref_at", "record_ref", "at"),
        sa.Index("ix_access_log_family_ref_at", "family_ref", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: str  # UTC ISO, milliseconds
    actor: str
    command: str  # "show", "export", "export subject-access", "print contract", "app", ...
    record_kind: str = Field(sa_type=sa.String(length=6))  # "person" or "family"
    record_ref: str
    family_ref: str

# The notes' full-text index (migration 0006): the FTS5 table and the shadow tables SQLite keeps for it.
FULL_TEXT_TABLES = frozenset(
    {"journal_fts", "journal_fts_data", "journal_fts_idx", "journal_fts_docsize", "journal_fts_config"}
)


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's filter for comparing models with a database: everything but the full-text index."""
    return not (type_ == "table" and name in FULL_TEXT_TABLES)
