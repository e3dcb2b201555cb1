"""The Danish words kasse shows for its codes (DOMAIN.md, "Words on screen")."""

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
)
from kasse.journal import NoteKind
from kasse.law import Rule, RulesChoice, Ruleset
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

CONVERSATION_FORM = {
    ConversationForm.MEETING: "Møde",
    ConversationForm.PHONE: "Telefon",
    ConversationForm.VIDEO: "Video",
}

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

NOTE_KIND = {
    NoteKind.NOTE: "notat",
    NoteKind.CONVERSATION: "samtale",
    NoteKind.PHONE: "telefon",
    NoteKind.LETTER: "brev",
    NoteKind.MEETING: "møde",
    NoteKind.EMAIL: "e-mail",
}

# A deadline's name where a table has room for a word, not the law's title (the statistics, per rule and ruleset).
RULE_SHORT = {
    Rule.CONTRACT: "Kontrakt",
    Rule.CONTRACT_FOLLOWUP: "Kontraktsamtaler",
    Rule.PROGRAMME_START: "Programstart",
    Rule.DANISH_START: "Danskuddannelse",
    Rule.PLAN_OFFER: "Plantilbud",
    Rule.HEALTH_OFFER: "Helbredstilbud",
    Rule.HEALTH_GUIDANCE: "Helbredsvejledning",
    Rule.UM_DECISION: "Programbeslutning",
    Rule.PLAN_FOLLOWUP: "Planopfølgning",
    Rule.HEALTH_FOLLOWUP: "Helbredsopfølgning",
    Rule.PROGRAMME_REVIEW: "Programforlængelse",
    Rule.PROGRAMME_END: "Programslut",
}

# Where a deadline table shows a deadline's legal basis, a task (rule "task", no provision of the law) says this.
OWN_TASK = "Egen opgave"

RULES_CHOICE = {
    RulesChoice.AUTO: "auto (2015-reglerne ved overtagelse før 01-07-2016, ellers 2016-reglerne)",
    RulesChoice.LAW_2015: "2015 (integrationsloven som før 1. juli 2016) for alle",
    RulesChoice.LAW_2016: "2016 (loven som gælder nu) for alle",
}


def legal_basis(basis: str, ruleset: Ruleset) -> str:
    """'§ 19 (2016)': a deadline's legal basis, short enough for a table column."""
    return f"{basis.removeprefix('integrationsloven ')} ({ruleset.value})"


# Colours of the statuses, in both skins (Rich styles); the word carries the meaning without them (NO_COLOR).
STATUS_STYLE = {
    Status.OVERDUE: "bold red",
    Status.DUE_SOON: "yellow",
    Status.UPCOMING: "",
    Status.PAUSED: "magenta",
    Status.MET: "green",
    Status.MET_LATE: "dark_orange",
    Status.CLOSED: "dim",
}
