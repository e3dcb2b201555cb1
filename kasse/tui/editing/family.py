"""A family's facts and its plan's follow-ups; a new family is made with its first member, in one form."""

from __future__ import annotations

from dataclasses import replace

from kasse import words
from kasse.domain import (
    Family,
    FollowUp,
)
from kasse.tui.editing.judging import JudgedSection, judged
from kasse.tui.editing.person import check_person, person_fields, write_person
from kasse.tui.editing.shared import placed
from kasse.tui.fields import Field, Kind, Section, Values, choice, day, text

# -- family


def family_fields(*, new: bool) -> tuple[Field, ...]:
    return (
        text("ref", "Familiens ref", required=True, read_only=not new, hint="fx F-2025-001"),
        text("coordinating_department", "Koordinerende forvaltning", hint="fx Jobcenter"),
        choice("housing", "Bolig", words.HOUSING),
        day("housing_since", "Bolig siden"),
        day("made_date", "Integrationsplan udarbejdet"),
        Field("followup_months", "Opfølgning hver (mdr.)", Kind.WHOLE, hint="højst 12"),
    )


def _check_family(values: Values) -> dict[str, str]:
    if values.get("housing_since") is not None and values.get("housing") is None:
        return {"housing": "Vælg boligtype"}
    return {}


FAMILY = Section("family", "Familie", family_fields(new=False), _check_family)


def new_family_section() -> Section:
    """A new family with its first member: saved together, as one transaction."""
    member = tuple(replace(f, key=f"member_{f.key}", label=f.label) for f in person_fields(new=True))
    member = (replace(member[0], label="Første medlems ref"),) + member[1:]

    def check(values: Values) -> dict[str, str]:
        person_values = {
            key.removeprefix("member_"): value for key, value in values.items() if key.startswith("member_")
        }
        person_problems = {f"member_{key}": message for key, message in check_person(person_values).items()}
        return _check_family(values) | person_problems

    return Section("new_family", "Ny familie og første medlem", family_fields(new=True) + member, check)


def read_family(family: Family) -> Values:
    return {
        "ref": family.ref, "coordinating_department": family.coordinating_department, "housing": family.housing,
        "housing_since": family.housing_since, "made_date": family.plan.made_date,
        "followup_months": family.plan.followup_months,
    }  # fmt: skip


def write_family(family: Family | None, values: Values) -> Family:
    """The family with the form's facts; a new family takes its first member from the `member_` fields."""
    if family is None:
        member_values = {
            key.removeprefix("member_"): value for key, value in values.items() if key.startswith("member_")
        }
        family = Family(ref=values["ref"], members=(write_person(None, member_values),))
    plan = replace(family.plan, made_date=values["made_date"], followup_months=values["followup_months"])
    return replace(
        family, coordinating_department=values["coordinating_department"], housing=values["housing"],
        housing_since=values["housing_since"], plan=plan,
    )  # fmt: skip


# -- follow-up

FOLLOWUP = Section(
    "followup",
    "Ny opfølgning",
    (day("date", "Dato", required=True), text("note", "Note", hint="fx Alle mål gennemgået")),
)


def followup_section(family: Family, index: int | None = None) -> JudgedSection:
    """The form for a new follow-up on the family's plan (or the one at `index`), judged on the family it makes."""
    section = FOLLOWUP if index is None else replace(FOLLOWUP, title="Opfølgning")
    return judged(section, family, lambda before, values: with_followup(before, values, index))


def with_followup(family: Family, values: Values, index: int | None = None) -> Family:
    """The family with a follow-up added (or the one at `index` replaced), the list kept in date order."""
    followups = placed(family.plan.followups, FollowUp(values["date"], values["note"]), index)
    return replace(family, plan=replace(family.plan, followups=followups))
