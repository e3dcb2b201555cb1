"""The Integration Act's deadlines as dated, referenced data: two rulesets, each a table of provisions.

In the spirit of OpenFisca's parameters, a provision says what the law says
and where: its code, its Danish title, who it applies to, the date it runs
from and how long after, what meets it, and its legal basis. The engine
(kasse/rules.py) reads these tables; an amendment is a new table (or a
changed row) plus its tests. `who` and `met_by` name small pure predicates
the engine implements once each, so two rulesets that differ in a period or
a title share them.

Pure data: no database, no UI, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Ruleset(StrEnum):
    """A version of the law, named by the year it came into force."""

    LAW_2015 = "2015"  # the seeds: integrationsloven as it stood 2013-2016
    LAW_2016 = "2016"  # lov nr. 665 af 8. juni 2016, in force from 1 July 2016


LAW_2016_IN_FORCE = date(2016, 7, 1)


class RulesChoice(StrEnum):
    """Which ruleset a lookup applies: each person's by takeover date, or one pinned for all."""

    AUTO = "auto"
    LAW_2015 = "2015"
    LAW_2016 = "2016"


def ruleset_in_force(takeover: date) -> Ruleset:
    """The ruleset in force on a takeover date."""
    return Ruleset.LAW_2016 if takeover >= LAW_2016_IN_FORCE else Ruleset.LAW_2015


class Rule(StrEnum):
    """Every deadline's code; the order is the order of a person's deadlines on one day."""

    CONTRACT = "contract"
    CONTRACT_FOLLOWUP = "contract_followup"
    PROGRAMME_START = "programme_start"
    DANISH_START = "danish_start"
    PLAN_OFFER = "plan_offer"
    HEALTH_OFFER = "health_offer"
    HEALTH_GUIDANCE = "health_guidance"
    UM_DECISION = "um_decision"
    PLAN_FOLLOWUP = "plan_followup"
    HEALTH_FOLLOWUP = "health_followup"
    PROGRAMME_REVIEW = "programme_review"
    PROGRAMME_END = "programme_end"


class Who(StrEnum):
    """To whom a provision applies (each a predicate in kasse/rules.py)."""

    PROGRAMME_ADULT = "programme_adult"  # covered adult of a programme category, or a minor with a programme
    PROGRAMME_ADULT_SIGNED = "programme_adult_signed"  # the same, once the contract is signed
    PROGRAMME_PERSON = "programme_person"  # as PROGRAMME_ADULT, adults and minors with a programme
    COVERED = "covered"  # every covered person, children included
    HEALTH_NEED_2016 = "health_need_2016"  # § 15 d since 2016: by category and need
    DECLINED_HEALTH = "declined_health"  # the health offer was declined
    MINOR_AT_TAKEOVER = "minor_at_takeover"  # unaccompanied minor under 18 on the takeover date
    FAMILY_WITH_PLAN = "family_with_plan"  # a made plan and a covered member
    RESULT_WITH_PLAN = "result_with_plan"  # health result with consent, in a family with a made plan
    RESULT_SIGNED = "result_signed"  # health result with consent, contract applies and is signed
    PROGRAMME_STARTED = "programme_started"  # the programme has started and the person has not left


class Anchor(StrEnum):
    """The date a deadline runs from."""

    PROGRAMME = "programme"  # the takeover, or an unaccompanied minor's decision to offer a programme
    TAKEOVER = "takeover"
    CONTRACT_SIGNED = "contract_signed"
    HEALTH_DECLINED = "health_declined"
    HEALTH_RESULT = "health_result"
    EVE_OF_18TH_BIRTHDAY = "eve_of_18th_birthday"
    LAST_PLAN_REVIEW = "last_plan_review"  # the plan's made date or its latest follow-up
    PROGRAMME_START = "programme_start"


class MetBy(StrEnum):
    """What meets a provision (each a recorded date, read in kasse/rules.py)."""

    CONTRACT_SIGNED = "contract_signed"
    FOURTH_CONVERSATION = "fourth_conversation"
    PROGRAMME_START = "programme_start"
    DANISH_START = "danish_start"
    DANISH_REFERRAL_OR_START = "danish_referral_or_start"
    PLAN_OFFER = "plan_offer"
    HEALTH_OFFER = "health_offer"
    HEALTH_OFFER_OR_NO_NEED = "health_offer_or_no_need"
    HEALTH_GUIDANCE = "health_guidance"
    DECISION = "decision"
    NEXT_PLAN_REVIEW = "next_plan_review"
    PLAN_FOLLOWUP_AFTER_RESULT = "plan_followup_after_result"
    CONVERSATION_AFTER_RESULT = "conversation_after_result"
    NOTHING = "nothing"  # a milestone: shown until its date, never overdue


class Setting(StrEnum):
    """A local-policy length an offset may take from the config file (kasse.toml)."""

    HEALTH_GUIDANCE_DAYS = "health_guidance_days"
    HEALTH_FOLLOWUP_MONTHS = "health_followup_months"
    PLAN_FOLLOWUP_MONTHS = "followup_months"  # agreed with the family, at most 12


@dataclass(frozen=True, slots=True)
class Offset:
    """How long after the anchor a deadline falls due: fixed, or a setting's value in `unit`."""

    months: int = 0
    days: int = 0
    setting: Setting | None = None

    def text(self, settings: dict[Setting, int]) -> str:
        """The length in Danish; a setting's value from `settings` (config) where given, else its default."""
        if self.setting is None:
            return _amount(self.months, self.days)
        value = settings.get(self.setting)
        if value is None:
            amount = _amount(self.months, self.days)
        else:
            amount = ("1 dag" if value == 1 else f"{value} dage") if self.days else _amount(value, 0)
        return f"{self.setting.value} ({amount})"


def _amount(months: int, days: int) -> str:
    if days:
        return "1 dag" if days == 1 else f"{days} dage"
    if months % 12 == 0 and months:
        return "1 år" if months == 12 else f"{months // 12} år"
    return "1 måned" if months == 1 else f"{months} måneder"


@dataclass(frozen=True, slots=True)
class Provision:
    """One deadline of one ruleset, as the law (or local policy) states it."""

    rule: Rule
    ruleset: Ruleset
    title: str
    who: Who
    anchor: Anchor
    offset: Offset
    met_by: MetBy
    basis: str
    milestone: bool = False
    local_policy: bool = False  # applies only when the config turns it on (plan_deadlines)


def _provisions(ruleset: Ruleset, *rows: tuple) -> dict[Rule, Provision]:
    return {row[0]: Provision(row[0], ruleset, *row[1:]) for row in rows}


_ONE_MONTH = Offset(months=1)
_THREE_MONTHS = Offset(months=3)
_PLAN_INTERVAL = Offset(months=12, setting=Setting.PLAN_FOLLOWUP_MONTHS)
_GUIDANCE = Offset(days=14, setting=Setting.HEALTH_GUIDANCE_DAYS)
_HEALTH_FOLLOWUP = Offset(months=1, setting=Setting.HEALTH_FOLLOWUP_MONTHS)
_LOCAL = "lokal praksis"

LAW_2015: dict[Rule, Provision] = _provisions(
    Ruleset.LAW_2015,
    (Rule.CONTRACT, "Integrationskontrakt indgået", Who.PROGRAMME_ADULT, Anchor.PROGRAMME, _ONE_MONTH,
     MetBy.CONTRACT_SIGNED, "integrationsloven § 19"),
    (Rule.PROGRAMME_START, "Integrationsprogram startet", Who.PROGRAMME_PERSON, Anchor.PROGRAMME, _ONE_MONTH,
     MetBy.PROGRAMME_START, "integrationsloven § 16"),
    (Rule.DANISH_START, "Danskuddannelse startet", Who.PROGRAMME_ADULT, Anchor.PROGRAMME, _ONE_MONTH,
     MetBy.DANISH_START, "integrationsloven § 21"),
    (Rule.PLAN_OFFER, "Tilbud om integrationsplan", Who.COVERED, Anchor.TAKEOVER, _THREE_MONTHS,
     MetBy.PLAN_OFFER, "integrationsloven § 15 a"),
    (Rule.HEALTH_OFFER, "Tilbud om helbredsmæssig vurdering", Who.COVERED, Anchor.TAKEOVER, _THREE_MONTHS,
     MetBy.HEALTH_OFFER, "integrationsloven § 15 d"),
    (Rule.HEALTH_GUIDANCE, "Vejledning om stående tilbud", Who.DECLINED_HEALTH, Anchor.HEALTH_DECLINED, _GUIDANCE,
     MetBy.HEALTH_GUIDANCE, _LOCAL),
    (Rule.UM_DECISION, "Beslutning om integrationsprogram", Who.MINOR_AT_TAKEOVER, Anchor.EVE_OF_18TH_BIRTHDAY,
     Offset(), MetBy.DECISION, "integrationsloven § 16, stk. 7"),
    (Rule.PLAN_FOLLOWUP, "Opfølgning på integrationsplan", Who.FAMILY_WITH_PLAN, Anchor.LAST_PLAN_REVIEW,
     _PLAN_INTERVAL, MetBy.NEXT_PLAN_REVIEW, "integrationsloven § 15 c"),
    (Rule.HEALTH_FOLLOWUP, "Opfølgning efter helbredsvurdering", Who.RESULT_WITH_PLAN, Anchor.HEALTH_RESULT,
     _HEALTH_FOLLOWUP, MetBy.PLAN_FOLLOWUP_AFTER_RESULT, _LOCAL),
    (Rule.PROGRAMME_END, "Integrationsprogram udløber", Who.PROGRAMME_STARTED, Anchor.PROGRAMME_START,
     Offset(months=36), MetBy.NOTHING, "integrationsloven § 16", True),
)

LAW_2016: dict[Rule, Provision] = _provisions(
    Ruleset.LAW_2016,
    (Rule.CONTRACT, "Kontrakt indgået", Who.PROGRAMME_ADULT, Anchor.PROGRAMME, _ONE_MONTH,
     MetBy.CONTRACT_SIGNED, "integrationsloven § 19"),
    (Rule.CONTRACT_FOLLOWUP, "Opfølgning på kontrakten (4 samtaler)", Who.PROGRAMME_ADULT_SIGNED,
     Anchor.CONTRACT_SIGNED, Offset(months=6), MetBy.FOURTH_CONVERSATION, "integrationsloven § 20, stk. 1"),
    (Rule.PROGRAMME_START, "Program startet", Who.PROGRAMME_PERSON, Anchor.PROGRAMME, _ONE_MONTH,
     MetBy.PROGRAMME_START, "integrationsloven § 16"),
    (Rule.DANISH_START, "Henvist til danskuddannelse", Who.PROGRAMME_ADULT, Anchor.PROGRAMME, _ONE_MONTH,
     MetBy.DANISH_REFERRAL_OR_START, "integrationsloven § 21"),
    # Repealed in 2016 (§ 15 a); kept by local policy (plan_deadlines) as good practice.
    (Rule.PLAN_OFFER, "Tilbud om integrationsplan", Who.COVERED, Anchor.TAKEOVER, _THREE_MONTHS,
     MetBy.PLAN_OFFER, _LOCAL, False, True),
    (Rule.HEALTH_OFFER, "Tilbud om helbredsmæssig vurdering", Who.HEALTH_NEED_2016, Anchor.TAKEOVER,
     Offset(months=6), MetBy.HEALTH_OFFER_OR_NO_NEED, "integrationsloven § 15 d"),
    (Rule.UM_DECISION, "Beslutning om program", Who.MINOR_AT_TAKEOVER, Anchor.EVE_OF_18TH_BIRTHDAY, Offset(),
     MetBy.DECISION, "integrationsloven § 16, stk. 7"),
    # Repealed in 2016 (§ 15 c); kept by local policy (plan_deadlines).
    (Rule.PLAN_FOLLOWUP, "Opfølgning på integrationsplan", Who.FAMILY_WITH_PLAN, Anchor.LAST_PLAN_REVIEW,
     _PLAN_INTERVAL, MetBy.NEXT_PLAN_REVIEW, _LOCAL, False, True),
    (Rule.HEALTH_FOLLOWUP, "Opfølgning efter helbredsvurdering", Who.RESULT_SIGNED, Anchor.HEALTH_RESULT,
     _HEALTH_FOLLOWUP, MetBy.CONVERSATION_AFTER_RESULT, _LOCAL),
    (Rule.PROGRAMME_REVIEW, "Programmet skal forlænges eller afsluttes", Who.PROGRAMME_STARTED,
     Anchor.PROGRAMME_START, Offset(months=12), MetBy.NOTHING, "integrationsloven § 16 (planlægges for 1 år)", True),
    (Rule.PROGRAMME_END, "Program udløber senest", Who.PROGRAMME_STARTED, Anchor.PROGRAMME_START,
     Offset(months=60), MetBy.NOTHING, "integrationsloven § 16 (højst 5 år)", True),
)

LAW: dict[Ruleset, dict[Rule, Provision]] = {Ruleset.LAW_2015: LAW_2015, Ruleset.LAW_2016: LAW_2016}

CONTRACT_CONVERSATIONS = 4  # § 20, stk. 1: at least 4 follow-up conversations in the contract's first 6 months
MAX_PLAN_FOLLOWUP_MONTHS = 12  # § 15 c: the plan is followed up at least yearly

ANCHOR_TEXT = {
    Anchor.PROGRAMME: "overtagelse (eller beslutning)",
    Anchor.TAKEOVER: "overtagelse",
    Anchor.CONTRACT_SIGNED: "kontrakt underskrevet",
    Anchor.HEALTH_DECLINED: "helbredstilbud afslået",
    Anchor.HEALTH_RESULT: "resultat modtaget",
    Anchor.EVE_OF_18TH_BIRTHDAY: "dagen før 18-årsdagen",
    Anchor.LAST_PLAN_REVIEW: "seneste opfølgning (eller planens dato)",
    Anchor.PROGRAMME_START: "programstart",
}


def due_text(item: Provision, settings: dict[Setting, int] | None = None) -> str:
    """'overtagelse + 1 måned': when a provision falls due, in Danish, with the local `settings` in force."""
    if item.anchor is Anchor.EVE_OF_18TH_BIRTHDAY:
        return ANCHOR_TEXT[item.anchor]
    return f"{ANCHOR_TEXT[item.anchor]} + {item.offset.text(settings or {})}"
