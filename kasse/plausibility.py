"""Plausibility of the facts that drive legal deadlines: what is refused as impossible, what is only unusual.

One rule set for imports and forms. A rule reads one person (or family) and
`today` and gives a Danish reason when it finds something: `refuse` for what
is impossible or certainly wrong (an import stops, a form will not save),
`warn` for what is unusual but possible (a form asks first, an import counts
it). Every rule is in the tables PERSON_RULES and FAMILY_RULES below, with its
threshold named above them; the CPR number on two persons is the one check
across persons (`duplicate_cprs`). Reasons name no personal data (no CPR
number, name or birth date), so they may be printed and logged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kasse.dates import add_months, add_years, age_on, format_date, is_adult_on
from kasse.domain import Category, Family, Person, Role


class Severity(StrEnum):
    REFUSE = "refuse"  # impossible or certainly wrong
    WARN = "warn"  # unusual but possible: asked about, then kept


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found about one record: the kasse/v1 fields involved (reported at the first) and why."""

    severity: Severity
    fields: tuple[str, ...]
    reason: str
    family_ref: str | None = None
    person_ref: str | None = None

    @property
    def field(self) -> str:
        return self.fields[0]

    @property
    def record(self) -> str:
        """The record as import problems name it: 'familie F-1, person P-1'."""
        family = f"familie {self.family_ref}" if self.family_ref else ""
        person = f"person {self.person_ref}" if self.person_ref else ""
        return ", ".join(part for part in (family, person) if part)


# -- thresholds, each with the reason for it

# The Integration Act (lov nr. 474 af 1. juli 1998) took effect on 1 January 1999: no municipality took over the
# integration responsibility before that day.
ACT_IN_FORCE = date(1999, 1, 1)
# The Immigration Service tells a municipality of a refugee weeks to a few months ahead (visitering): a takeover
# more than 3 months ahead is unusual, more than 12 months ahead cannot have been agreed yet.
TAKEOVER_UNUSUAL_MONTHS = 3
TAKEOVER_LATEST_MONTHS = 12
# The programme lasts at most 5 years (the 2016 ruleset's `programme_end`): nothing the deadlines read is
# planned further ahead than that.
PLANNED_LATEST_YEARS = 5
# No one has been documented older than 122 years; an older person is a wrong birth date or CPR century.
OLDEST_AGE = 122
# Over 100 is possible but rare, and more often a placeholder date or a wrong century.
UNUSUAL_AGE = 100
# A week holds 7 x 24 hours.
HOURS_IN_A_WEEK = 168
# Full time in Denmark is 37 hours a week; Danish education is part of a programme beside employment offers
# (DOMAIN.md: e.g. 18 hours a week), so more than full time is unusual.
FULL_TIME_HOURS = 37

# The dated facts the rules read besides birth and takeover (which have rules of their own); lists count by
# their latest date.
PERSON_DATES = (
    "left_date", "programme.start_date", "um_decision.date", "contract.signed_date", "contract.followups",
    "danish.referral_date", "danish.start_date", "danish.paused_from", "danish.paused_to", "danish.passed_date",
    "plan_offer.offered_date", "health.need_date", "health.offered_date", "health.declined_date",
    "health.guidance_date", "health.result_received_date",
)  # fmt: skip
FAMILY_DATES = ("plan.made_date", "plan.followups")

NO_GOALS_FOR_RESIDENT_SPOUSE = "En herboende ægtefælle har ingen mål i integrationsplanen (ingen mål, ingen frister)"


def fact(record: Person | Family, path: str) -> object:
    """The value at a kasse/v1 path ('danish.start_date') of a person or family; None where a part is unset."""
    value: object = record
    for key in path.split("."):
        value = getattr(value, key, None)
    return value


def _dated(path: str) -> Callable[[Any], tuple[date, ...]]:
    """A reader of the dates at a path: a date, each follow-up's date for a list, none for None (fast: an import
    asks it of every person for every path)."""
    head, _, tail = path.partition(".")

    def read(record: Any) -> tuple[date, ...]:
        value = getattr(record, head)
        if tail:
            value = getattr(value, tail, None)  # the decision may be None
        if value is None:
            return ()
        return tuple(item.date for item in value) if isinstance(value, tuple) else (value,)

    return read


# -- the tests: (person or family, today) -> found


def _takeover_before_act(p: Person, today: date) -> bool:
    return p.takeover_date is not None and p.takeover_date < ACT_IN_FORCE


def _takeover_ahead(months: int) -> Callable[[Person, date], bool]:
    return lambda p, today: p.takeover_date is not None and p.takeover_date > add_months(today, months)


def _born_in_future(p: Person, today: date) -> bool:
    return p.birth_date > today


def _born_after_takeover(p: Person, today: date) -> bool:
    return p.takeover_date is not None and p.birth_date > p.takeover_date


def _older_than(years: int) -> Callable[[Person, date], bool]:
    return lambda p, today: p.birth_date <= today and age_on(p.birth_date, today) > years


def _left_before_takeover(p: Person, today: date) -> bool:
    return p.left_date is not None and p.takeover_date is not None and p.left_date < p.takeover_date


def _passed_before_start(p: Person, today: date) -> bool:
    passed, started = p.danish.passed_date, p.danish.start_date
    return passed is not None and started is not None and passed < started


def _hours_over(limit: float) -> Callable[[Person, date], bool]:
    return lambda p, today: p.danish.hours_per_week is not None and p.danish.hours_per_week > limit


def _minor_decision_on_adult(p: Person, today: date) -> bool:
    decision = p.um_decision
    return decision is not None and is_adult_on(p.birth_date, p.takeover_date or decision.date)


def _minor_category_on_adult(p: Person, today: date) -> bool:
    return (p.category is Category.UNACCOMPANIED_MINOR and p.takeover_date is not None
            and is_adult_on(p.birth_date, p.takeover_date))  # fmt: skip


def _goals_on_resident_spouse(p: Person, today: date) -> bool:
    return p.category is Category.RESIDENT_SPOUSE and bool(p.goals)


def _adult_as_child(p: Person, today: date) -> bool:
    return p.role is Role.CHILD and is_adult_on(p.birth_date, p.takeover_date or today)


def _minor_as_spouse(p: Person, today: date) -> bool:
    anchor = p.takeover_date or today
    return p.role is Role.SPOUSE and p.birth_date <= anchor and not is_adult_on(p.birth_date, anchor)


def _planned_too_far(path: str) -> Callable[[Person | Family, date], bool]:
    dates = _dated(path)

    def finds(record: Person | Family, today: date) -> bool:
        found = dates(record)
        return bool(found) and max(found) > add_years(today, PLANNED_LATEST_YEARS)

    return finds


def _before_birth(path: str) -> Callable[[Person, date], bool]:
    dates = _dated(path)

    def finds(p: Person, today: date) -> bool:
        found = dates(p)
        return bool(found) and min(found) < p.birth_date

    return finds


def _before_act(path: str) -> Callable[[Family, date], bool]:
    """A plan made (or followed up) before the Act existed: its follow-up deadlines would be decades overdue."""
    dates = _dated(path)

    def finds(record: Family, today: date) -> bool:
        found = dates(record)
        return bool(found) and min(found) < ACT_IN_FORCE

    return finds


@dataclass(frozen=True, slots=True)
class Rule:
    severity: Severity
    fields: tuple[str, ...]  # the kasse/v1 paths it reads; a finding is reported at the first
    finds: Callable[[Any, date], bool]  # (person or family, today) -> found
    reason: str  # Danish


REFUSE, WARN = Severity.REFUSE, Severity.WARN
_BIRTH_AND_TAKEOVER = ("birth_date", "takeover_date")

# fmt: off
PERSON_RULES: tuple[Rule, ...] = (
    Rule(REFUSE, ("takeover_date",), _takeover_before_act,
         f"Overtagelsen ligger før integrationsloven trådte i kraft ({format_date(ACT_IN_FORCE)})"),
    Rule(REFUSE, ("takeover_date",), _takeover_ahead(TAKEOVER_LATEST_MONTHS),
         f"Overtagelsen ligger mere end {TAKEOVER_LATEST_MONTHS} måneder ude i fremtiden og kan ikke være aftalt endnu"),
    Rule(WARN, ("takeover_date",), _takeover_ahead(TAKEOVER_UNUSUAL_MONTHS),
         f"Overtagelsen ligger mere end {TAKEOVER_UNUSUAL_MONTHS} måneder ude i fremtiden - er datoen rigtig?"),
    Rule(REFUSE, ("birth_date",), _born_in_future,
         "Fødselsdatoen ligger i fremtiden"),
    Rule(REFUSE, _BIRTH_AND_TAKEOVER, _born_after_takeover,
         "Personen er født efter overtagelsen - ret fødselsdatoen (CPR-nummeret) eller overtagelsesdatoen"),
    Rule(REFUSE, ("birth_date",), _older_than(OLDEST_AGE),
         f"Personen ville være over {OLDEST_AGE} år - ret fødselsdatoen (CPR-nummerets århundrede?)"),
    Rule(WARN, ("birth_date",), _older_than(UNUSUAL_AGE),
         f"Personen er over {UNUSUAL_AGE} år - er fødselsdatoen rigtig?"),
    Rule(REFUSE, ("left_date", "takeover_date"), _left_before_takeover,
         "Fraflytningen ligger før overtagelsen"),
    Rule(REFUSE, ("danish.passed_date", "danish.start_date"), _passed_before_start,
         "Prøven er bestået før danskuddannelsen startede"),
    Rule(REFUSE, ("danish.hours_per_week",), _hours_over(HOURS_IN_A_WEEK),
         f"En uge har kun {HOURS_IN_A_WEEK} timer"),
    Rule(WARN, ("danish.hours_per_week",), _hours_over(FULL_TIME_HOURS),
         f"Mere end {FULL_TIME_HOURS} timer om ugen er mere end fuld tid - er tallet rigtigt?"),
    Rule(REFUSE, ("um_decision.date", *_BIRTH_AND_TAKEOVER), _minor_decision_on_adult,
         "Beslutningen om program for en uledsaget mindreårig gælder kun den, der var under 18 år ved "
         "overtagelsen - personen var voksen"),
    Rule(REFUSE, ("category", *_BIRTH_AND_TAKEOVER), _minor_category_on_adult,
         "En uledsaget mindreårig er under 18 år ved overtagelsen, men personen var voksen - ret kategorien "
         "eller datoerne"),
    Rule(REFUSE, ("goals", "category"), _goals_on_resident_spouse,
         NO_GOALS_FOR_RESIDENT_SPOUSE),
    Rule(WARN, ("role", *_BIRTH_AND_TAKEOVER), _adult_as_child,
         "Personen var voksen ved overtagelsen - er rollen Barn rigtig?"),
    Rule(WARN, ("role", *_BIRTH_AND_TAKEOVER), _minor_as_spouse,
         "Personen var under 18 år ved overtagelsen - er rollen Ægtefælle rigtig?"),
    *(Rule(REFUSE, (path,), _planned_too_far(path),
           f"Ligger mere end {PLANNED_LATEST_YEARS} år ude i fremtiden") for path in PERSON_DATES),
    *(Rule(REFUSE, (path, "birth_date"), _before_birth(path),
           "Ligger før personens fødsel") for path in PERSON_DATES),
)

FAMILY_RULES: tuple[Rule, ...] = tuple(
    Rule(REFUSE, (path,), _planned_too_far(path),
         f"Ligger mere end {PLANNED_LATEST_YEARS} år ude i fremtiden") for path in FAMILY_DATES
) + tuple(
    Rule(REFUSE, (path,), _before_act(path),
         f"Ligger før integrationsloven trådte i kraft ({format_date(ACT_IN_FORCE)})") for path in FAMILY_DATES
)
# fmt: on


# -- applying them


def person_findings(person: Person, today: date, family_ref: str | None = None) -> list[Finding]:
    """What the rules find about one person, in the order of PERSON_RULES; a field refused is not also warned
    about (a takeover 2 years ahead is wrong, not unusual)."""
    findings = []
    for rule in PERSON_RULES:
        if rule.finds(person, today):
            findings.append(Finding(rule.severity, rule.fields, rule.reason, family_ref, person.ref))
    refused = {finding.field for finding in findings if finding.severity is REFUSE}
    return [finding for finding in findings if finding.severity is REFUSE or finding.field not in refused]


def family_findings(family: Family, today: date) -> list[Finding]:
    """What the rules find about a family's own facts, then about each member."""
    findings = []
    for rule in FAMILY_RULES:
        if rule.finds(family, today):
            findings.append(Finding(rule.severity, rule.fields, rule.reason, family.ref))
    for person in family.members:
        findings += person_findings(person, today, family.ref)
    return findings


def cprs_in(families: Iterable[Family]) -> dict[str, str]:
    """The CPR numbers held in `families`: cpr -> person ref."""
    return {person.cpr: person.ref for family in families for person in family.members if person.cpr}


def duplicate_cprs(families: Iterable[Family], stored: Mapping[str, str] | None = None) -> list[Finding]:
    """A CPR number on two persons: twice in `families`, or held by a stored person (`stored`: cpr -> ref) that
    `families` does not hold. The same ref is the same person, never a duplicate."""
    families = list(families)
    present = {person.ref for family in families for person in family.members}
    owners = {cpr: ref for cpr, ref in (stored or {}).items() if ref not in present}
    findings = []
    for family in families:
        for person in family.members:
            if person.cpr is None:
                continue
            owner = owners.setdefault(person.cpr, person.ref)
            if owner != person.ref:
                findings.append(
                    Finding(REFUSE, ("cpr",), f"CPR-nummeret bruges også af person {owner}", family.ref, person.ref)
                )
    return findings


def caseload_findings(
    families: Iterable[Family], today: date, stored_cprs: Mapping[str, str] | None = None
) -> list[Finding]:
    """Everything the rules find in `families` (an import's), family by family, then the shared CPR numbers."""
    families = list(families)
    findings = [finding for family in families for finding in family_findings(family, today)]
    return findings + duplicate_cprs(families, stored_cprs)
