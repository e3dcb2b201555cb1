"""Plausibility in the forms: a section's values also judged by kasse.plausibility, the same rules as an
import's, on the person or family the form makes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from kasse.domain import Family, Person
from kasse.plausibility import Finding, Severity, duplicate_cprs, fact, family_findings, person_findings
from kasse.tui.fields import Section, Values

Judge = Callable[[Values, date, Mapping[str, str]], tuple[dict[str, str], dict[str, str]]]


def _no_judgement(values: Values, today: date, cprs: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    return {}, {}


@dataclass(frozen=True, slots=True)
class JudgedSection(Section):
    """A form whose values are also judged for plausibility: `judge(values, today, cprs)` - cprs being the
    caseload's CPR numbers (cpr -> person ref) - gives (refused, warned), each field key -> Danish reason.
    The form saves nothing refused, and what is warned about only once the user has seen it."""

    judge: Judge = _no_judgement


def _keys(prefix: str, section: Section) -> dict[str, str]:
    return {prefix + field.key: field.key for field in section.fields}


@cache
def finding_keys() -> dict[str, dict[str, str]]:
    """Where each form (by its section's key) shows a finding about a kasse/v1 field: path -> form key."""
    # Imported at the first judgement: the forms' modules import `judged`, so they cannot be imported above.
    from kasse.tui.editing.person import LEFT, NEW_PERSON, PERSON
    from kasse.tui.editing.person_parts import CONTRACT, DANISH, HEALTH

    return {
        "person": _keys("", PERSON),
        "new_person": _keys("", NEW_PERSON),
        "left": _keys("", LEFT),
        "contract": _keys("contract.", CONTRACT),
        "conversation": {"contract.followups": "date"},
        "plan": {"plan_offer.offered_date": "offered_date", "plan_offer.answer": "answer"},
        "health": _keys("health.", HEALTH),
        "danish": _keys("danish.", DANISH),
        "programme": {"programme.start_date": "start_date", "programme.exempt_reason": "exempt_reason",
                      "um_decision.date": "decision_date", "um_decision.offered": "decision_offered"},
        "family": {"plan.made_date": "made_date", "plan.followup_months": "followup_months"},
        "followup": {"plan.followups": "date"},
        "new_family": {"plan.made_date": "made_date"} | {key: f"member_{key}" for key in _keys("", NEW_PERSON)},
    }  # fmt: skip


def judged(section: Section, before: Any, write: Callable[[Any, Values], Person | Family]) -> JudgedSection:
    """The section, its values also judged by the plausibility rules on the person or family that `write(before,
    values)` makes. What was recorded before and is untouched by the form counts only if it is refused and
    reported at one of this form's fields: an old fault elsewhere does not block this edit, and an unusual value
    once accepted is not asked about again."""
    keys = finding_keys()[section.key]
    first = next(field.key for field in section.fields if not field.read_only)

    def judge(values: Values, today: date, cprs: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        after = write(before, values)
        earlier = set(_findings(before, today, cprs)) if before is not None else set()
        refused: dict[str, str] = {}
        warned: dict[str, str] = {}
        for finding in _findings(after, today, cprs):
            untouched = finding in earlier and all(fact(before, path) == fact(after, path) for path in finding.fields)
            if untouched and (finding.severity is Severity.WARN or finding.field not in keys):
                continue
            key = next((keys[path] for path in finding.fields if path in keys), first)
            (refused if finding.severity is Severity.REFUSE else warned).setdefault(key, finding.reason)
        return refused, warned

    return JudgedSection(section.key, section.title, section.fields, section.check, judge)


def _findings(record: Person | Family, today: date, cprs: Mapping[str, str]) -> list[Finding]:
    if isinstance(record, Family):
        return family_findings(record, today) + duplicate_cprs([record], cprs)
    return person_findings(record, today) + duplicate_cprs([Family("", (record,))], cprs)
