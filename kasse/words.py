"""The Danish words kasse shows for its codes (DOMAIN.md, "Words on screen")."""

from kasse.domain import (
    Answer,
    Area,
    Category,
    ExemptReason,
    GoalKind,
    Housing,
    InterventionStatus,
    Phase,
    Role,
)
from kasse.rules import Status

STATUS = {
    Status.OVERDUE: "Overskredet",
    Status.DUE_SOON: "Snart",
    Status.UPCOMING: "Kommende",
    Status.PAUSED: "Sat i bero",
    Status.MET: "Opfyldt",
    Status.MET_LATE: "Opfyldt for sent",
    Status.CLOSED: "Lukket",
}

CATEGORY = {
    Category.REFUGEE: "Flygtning",
    Category.QUOTA_REFUGEE: "Kvoteflygtning",
    Category.FAMILY_REUNIFIED: "Familiesammenført",
    Category.UNACCOMPANIED_MINOR: "Uledsaget mindreårig",
    Category.RESIDENT_SPOUSE: "Herboende ægtefælle",
}

ROLE = {
    Role.APPLICANT: "Ansøger",
    Role.SPOUSE: "Ægtefælle",
    Role.CHILD: "Barn",
    Role.OTHER: "Andet",
}

HOUSING = {
    Housing.NONE: "Ingen bolig",
    Housing.TEMPORARY: "Midlertidig bolig",
    Housing.PERMANENT: "Permanent bolig",
}

EXEMPT_REASON = {
    ExemptReason.DISABILITY: "Fysisk eller psykisk handicap",
    ExemptReason.TRAUMA: "Tortur eller stærk traumatisering",
    ExemptReason.OTHER: "Anden særlig grund",
}

ANSWER = {Answer.ACCEPTED: "Accepteret", Answer.DECLINED: "Afslået"}

GOAL_KIND = {GoalKind.EMPLOYMENT: "Beskæftigelse", GoalKind.EDUCATION: "Uddannelse"}

AREA = {
    Area.SOCIAL_HEALTH: "Sociale og sundhedsmæssige indsatser",
    Area.SCHOOL_EDUCATION: "Skole og uddannelse",
    Area.DANISH_EMPLOYMENT: "Dansk og beskæftigelse",
    Area.ACTIVE_CITIZENSHIP: "Aktivt medborgerskab",
}

INTERVENTION_STATUS = {
    InterventionStatus.PLANNED: "Planlagt",
    InterventionStatus.ACTIVE: "I gang",
    InterventionStatus.DONE: "Afsluttet",
    InterventionStatus.CANCELLED: "Aflyst",
}

PHASE = {
    Phase.PREPARATION: "Forberedelse",
    Phase.HANDOVER: "Overlevering",
    Phase.ARRIVAL: "Ankomst",
    Phase.RECEPTION: "De første tre måneder",
}
