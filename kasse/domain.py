"""The caseload as plain values: families, persons and what was recorded about them.

These frozen dataclasses mirror the `kasse/v1` interchange format field for
field. The deadline engine reads them, the interchange module parses and
writes them, the store persists them and the fast reader builds them from
SQLite rows. Nothing here knows about a database, a screen or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Category(StrEnum):
    REFUGEE = "refugee"
    QUOTA_REFUGEE = "quota_refugee"
    FAMILY_REUNIFIED = "family_reunified"
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    RESIDENT_SPOUSE = "resident_spouse"


class Role(StrEnum):
    APPLICANT = "applicant"
    SPOUSE = "spouse"
    CHILD = "child"
    OTHER = "other"


class Housing(StrEnum):
    NONE = "none"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


class ExemptReason(StrEnum):
    DISABILITY = "disability"
    TRAUMA = "trauma"
    OTHER = "other"


class Answer(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class GoalKind(StrEnum):
    EMPLOYMENT = "employment"
    EDUCATION = "education"


class Track(StrEnum):
    DU1 = "DU1"
    DU2 = "DU2"
    DU3 = "DU3"


class Area(StrEnum):
    SOCIAL_HEALTH = "social_health"
    SCHOOL_EDUCATION = "school_education"
    DANISH_EMPLOYMENT = "danish_employment"
    ACTIVE_CITIZENSHIP = "active_citizenship"


class InterventionStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"


class ConversationForm(StrEnum):
    """How a follow-up conversation on the contract was held (§ 20)."""

    MEETING = "meeting"
    PHONE = "phone"
    VIDEO = "video"


class Phase(StrEnum):
    PREPARATION = "preparation"
    HANDOVER = "handover"
    ARRIVAL = "arrival"
    RECEPTION = "reception"


@dataclass(frozen=True, slots=True)
class Programme:
    exempt_reason: ExemptReason | None = None
    start_date: date | None = None


@dataclass(frozen=True, slots=True)
class UmDecision:
    """The decision (§ 16, stk. 7) whether an unaccompanied minor gets a programme."""

    date: date
    offered: bool


@dataclass(frozen=True, slots=True)
class ContractFollowUp:
    """One follow-up conversation on the contract (integrationsloven § 20: at least 4 in its first 6 months)."""

    date: date
    form: ConversationForm | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    signed_date: date | None = None
    goal_kind: GoalKind | None = None
    goal: str | None = None
    activities: tuple[str, ...] = ()
    followups: tuple[ContractFollowUp, ...] = ()


@dataclass(frozen=True, slots=True)
class Danish:
    start_date: date | None = None
    provider: str | None = None
    track: Track | None = None
    hours_per_week: float | None = None
    paused_from: date | None = None
    paused_to: date | None = None
    passed_date: date | None = None
    referral_date: date | None = None  # henvist (2016: meets danish_start)


@dataclass(frozen=True, slots=True)
class PlanOffer:
    offered_date: date | None = None
    answer: Answer | None = None


@dataclass(frozen=True, slots=True)
class Health:
    offered_date: date | None = None
    declined_date: date | None = None
    guidance_date: date | None = None
    consent: bool | None = None
    result_received_date: date | None = None
    need: bool | None = None  # the municipality's assessment of need (2016, § 15 d); set with need_date
    need_date: date | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """The plan's assessment part for one person (an addition to kasse/v1)."""

    education: str | None = None
    work_experience: str | None = None
    languages: str | None = None
    literacy: str | None = None
    health_summary: str | None = None


@dataclass(frozen=True, slots=True)
class Intervention:
    title: str
    department: str | None = None
    start: date | None = None
    end: date | None = None
    status: InterventionStatus = InterventionStatus.PLANNED


@dataclass(frozen=True, slots=True)
class Goal:
    area: Area
    goal: str
    subgoals: tuple[str, ...] = ()
    interventions: tuple[Intervention, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    ref: str
    name: str
    category: Category
    birth_date: date
    cpr: str | None = None
    role: Role | None = None
    nationality: str | None = None
    takeover_date: date | None = None
    left_date: date | None = None
    left_reason: str | None = None
    programme: Programme = field(default_factory=Programme)
    um_decision: UmDecision | None = None
    contract: Contract = field(default_factory=Contract)
    danish: Danish = field(default_factory=Danish)
    plan_offer: PlanOffer = field(default_factory=PlanOffer)
    health: Health = field(default_factory=Health)
    assessment: Assessment = field(default_factory=Assessment)
    goals: tuple[Goal, ...] = ()

    @property
    def is_covered(self) -> bool:
        """Covered by the Integration Act's deadlines (DOMAIN.md "covered person")."""
        return self.category is not Category.RESIDENT_SPOUSE and self.takeover_date is not None

    def has_left(self, today: date) -> bool:
        return self.left_date is not None and self.left_date <= today


@dataclass(frozen=True, slots=True)
class FollowUp:
    date: date
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FamilyPlan:
    made_date: date | None = None
    followup_months: int | None = None
    followups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    phase: Phase
    task: str
    done_date: date | None = None


@dataclass(frozen=True, slots=True)
class Family:
    ref: str
    members: tuple[Person, ...] = ()
    coordinating_department: str | None = None
    housing: Housing | None = None
    housing_since: date | None = None
    plan: FamilyPlan = field(default_factory=FamilyPlan)
    checklist: tuple[ChecklistItem, ...] = ()

    @property
    def display_name(self) -> str:
        """The name a family is known by: its applicant's, else its first member's."""
        for person in self.members:
            if person.role is Role.APPLICANT:
                return person.name
        return self.members[0].name if self.members else self.ref
