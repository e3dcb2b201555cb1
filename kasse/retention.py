"""Retention (GDPR): which persons and families are due to be anonymised, and what each field becomes.

A person is due once they left before the cut-off day; a family once every
member is (a family with an active member keeps its own record). Anonymising
replaces every text a caseworker wrote - names by ANONYMISED, CPR and other
optional texts by None, required list texts by ANONYMISED - and keeps every
date, number, choice and flag, and the number of list items, so the deadlines
and the statistics (kasse/stats.py) come out the same. The one text the
statistics read, the reason for leaving, becomes the canonical
"Selvforsørgende" when it counted as self-supporting, else None.

The audit trail holds the same fields as text and JSON (kasse/data/audit.py),
named by their kasse/v1 path: `audit_value` applies the same rules there.
The data layer (kasse/data/purge.py) writes the result. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from kasse.dates import add_years
from kasse.domain import Family, Person
from kasse.stats import is_self_supporting

ANONYMISED = "Anonymiseret"
SELF_SUPPORTING = "Selvforsørgende"  # the reason a self-supporting person's leaving keeps (kasse/stats.py)
WHOLE_RECORD = "*"  # an audit row's field for a whole record (kasse/data/audit.py)


class _Text(Enum):
    """What a text field becomes."""

    REQUIRED = "required"  # a text the record cannot be without: ANONYMISED
    OPTIONAL = "optional"  # None
    LEFT_REASON = "left_reason"  # SELF_SUPPORTING or None


# Every text field by its kasse/v1 path (a list's items under the list's own path), per audit table_name.
_TEXT_FIELDS: dict[str, dict[str, _Text]] = {
    "person": {
        "name": _Text.REQUIRED,
        "cpr": _Text.OPTIONAL,
        "nationality": _Text.OPTIONAL,
        "left_reason": _Text.LEFT_REASON,
        "contract.goal": _Text.OPTIONAL,
        "contract.activities": _Text.REQUIRED,
        "contract.followups.note": _Text.OPTIONAL,
        "danish.provider": _Text.OPTIONAL,
        "assessment.education": _Text.OPTIONAL,
        "assessment.work_experience": _Text.OPTIONAL,
        "assessment.languages": _Text.OPTIONAL,
        "assessment.literacy": _Text.OPTIONAL,
        "assessment.health_summary": _Text.OPTIONAL,
        "goals.goal": _Text.REQUIRED,
        "goals.subgoals": _Text.REQUIRED,
        "goals.interventions.title": _Text.REQUIRED,
        "goals.interventions.department": _Text.OPTIONAL,
    },
    "family": {
        "coordinating_department": _Text.OPTIONAL,
        "plan.followups.note": _Text.OPTIONAL,
        "checklist.task": _Text.REQUIRED,
    },
    "task": {"title": _Text.REQUIRED},
}
# Audit fields whose values are JSON: whole records, and the lists, which are audited whole.
_JSON_FIELDS = frozenset({WHOLE_RECORD, "contract.activities", "contract.followups", "goals", "plan.followups",
                          "checklist"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Selection:
    """The refs due to be anonymised: persons who left before the cut-off, families all of whose members did."""

    persons: frozenset[str]
    families: frozenset[str]


def has_left_before(person: Person, cutoff: date) -> bool:
    return person.left_date is not None and person.left_date < cutoff


def select_due(families: Iterable[Family], cutoff: date) -> Selection:
    """Every person who left before `cutoff` (anonymised already or not: a purge is idempotent), and every family
    with members, all of whom did."""
    persons: set[str] = set()
    whole: set[str] = set()
    for family in families:
        left = [person.ref for person in family.members if has_left_before(person, cutoff)]
        persons.update(left)
        if family.members and len(left) == len(family.members):
            whole.add(family.ref)
    return Selection(frozenset(persons), frozenset(whole))


def is_anonymised(person: Person) -> bool:
    """Whether a person's name and CPR are gone: what a purge leaves (and what the app's reminder counts)."""
    return person.name == ANONYMISED and person.cpr is None


def retention_cutoff(today: date, years: int) -> date:
    """The day before which a leaving is more than `years` years ago."""
    return add_years(today, -years)


def due_count(families: Iterable[Family], today: date, years: int) -> int:
    """How many persons left more than `years` years before `today` and are not anonymised yet."""
    cutoff = retention_cutoff(today, years)
    return sum(
        1
        for family in families
        for person in family.members
        if has_left_before(person, cutoff) and not is_anonymised(person)
    )


def retention_reminder(families: Iterable[Family], today: date, years: int | None) -> str | None:
    """The app's start notice when persons are due (`retention_years` in kasse.toml; None: no reminder)."""
    if years is None:
        return None
    count = due_count(families, today, years)
    if not count:
        return None
    who = "borger er" if count == 1 else "borgere er"
    return f"{count} {who} fraflyttet for mere end {years} år siden - kasse purge"


# -- what each field becomes ---------------------------------------------------------------------


def anonymise_person(person: Person) -> Person:
    """The person with every text replaced; dates, choices, numbers and the number of list items kept."""
    contract, assessment = person.contract, person.assessment
    return replace(
        person,
        name=ANONYMISED,
        cpr=None,
        nationality=None,
        left_reason=left_reason(person.left_reason),
        contract=replace(
            contract,
            goal=None,
            activities=tuple(ANONYMISED for _ in contract.activities),
            followups=tuple(replace(followup, note=None) for followup in contract.followups),
        ),
        danish=replace(person.danish, provider=None),
        assessment=replace(assessment, education=None, work_experience=None, languages=None, literacy=None,
                           health_summary=None),
        goals=tuple(
            replace(
                goal,
                goal=ANONYMISED,
                subgoals=tuple(ANONYMISED for _ in goal.subgoals),
                interventions=tuple(replace(item, title=ANONYMISED, department=None) for item in goal.interventions),
            )
            for goal in person.goals
        ),
    )  # fmt: skip


def anonymise_family(family: Family) -> Family:
    """The family's own record with every text replaced (its members are anonymised one by one)."""
    return replace(
        family,
        coordinating_department=None,
        plan=replace(family.plan, followups=tuple(replace(item, note=None) for item in family.plan.followups)),
        checklist=tuple(replace(item, task=ANONYMISED) for item in family.checklist),
    )


def left_reason(reason: str | None) -> str | None:
    """What a reason for leaving becomes: whether it counted as self-supporting, and nothing more."""
    return SELF_SUPPORTING if is_self_supporting(reason) else None


def audit_value(table: str, field: str, value: str | None) -> str | None:
    """What an audit row's old or new value of a purged record becomes, by its table_name and field: the same
    rules as the record's own fields, applied to the text or JSON the trail holds."""
    rules = _TEXT_FIELDS.get(table)
    if value is None or rules is None:
        return value
    if field in _JSON_FIELDS:
        try:
            parsed = json.loads(value)
        except ValueError:
            return ANONYMISED  # not what kasse writes: nothing of it is kept
        prefix = "" if field == WHOLE_RECORD else field
        return json.dumps(_walk(parsed, prefix, rules), ensure_ascii=False)
    rule = rules.get(field)
    return value if rule is None else _replaced(rule, value)


def _walk(value: object, path: str, rules: dict[str, _Text]) -> object:
    if isinstance(value, dict):
        return {key: _walk(item, f"{path}.{key}" if path else key, rules) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, path, rules) for item in value]
    rule = rules.get(path)
    if rule is None or value is None:
        return value
    return _replaced(rule, value if isinstance(value, str) else json.dumps(value))


def _replaced(rule: _Text, value: str) -> str | None:
    if rule is _Text.REQUIRED:
        return ANONYMISED
    if rule is _Text.LEFT_REASON:
        return left_reason(value)
    return None
