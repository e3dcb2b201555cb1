"""A person's facts: the person form, a new member of a family (its role by age), and leaving."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kasse import words
from kasse.dates import birthday, cpr_birth_date, format_date, is_adult_on
from kasse.domain import (
    Category,
    Family,
    Person,
    Role,
)
from kasse.errors import KasseError
from kasse.tui.editing.judging import JudgedSection, judged
from kasse.tui.fields import Field, Kind, Section, Values, choice, day, text

# -- person facts


def person_fields(*, new: bool) -> tuple[Field, ...]:
    return (
        text("ref", "Ref", required=True, read_only=not new, hint="fx P-0001"),
        text("name", "Navn", required=True),
        Field("cpr", "CPR-nummer", Kind.CPR, hint="DDMMÅÅ-SSSS"),
        day("birth_date", "Fødselsdato"),
        choice("category", "Kategori", words.CATEGORY, required=True),
        choice("role", "Rolle i familien", words.ROLE),
        text("nationality", "Nationalitet"),
        day("takeover_date", "Overtagelsesdato"),
    )


def check_person(values: Values) -> dict[str, str]:
    problems: dict[str, str] = {}
    cpr, birth = values.get("cpr"), values.get("birth_date")
    if cpr is None and birth is None:
        problems["birth_date"] = "Angiv fødselsdato eller CPR-nummer"
    if cpr is not None and birth is not None and cpr_birth_date(cpr) != birth:
        problems["birth_date"] = f"Passer ikke med CPR-nummeret ({format_date(cpr_birth_date(cpr))})"
    category = values.get("category")
    takeover = values.get("takeover_date")
    if category is not None and category is not Category.RESIDENT_SPOUSE and takeover is None:
        problems["takeover_date"] = "Skal udfyldes for andre end herboende ægtefæller"
    born = birth if birth is not None else _birth_from(cpr)
    # kasse.plausibility refuses this too (for imports); the form says on which day the person turned 18.
    if (
        category is Category.UNACCOMPANIED_MINOR
        and takeover is not None
        and born is not None
        and is_adult_on(born, takeover)
    ):
        problems["category"] = (
            f"En uledsaget mindreårig er under 18 år ved overtagelsen, men personen fyldte 18 den "
            f"{format_date(birthday(born, 18))} - ret kategorien eller datoerne"
        )
    return problems


def _birth_from(cpr: str | None) -> date | None:
    try:
        return cpr_birth_date(cpr) if cpr else None
    except KasseError:
        return None


PERSON = Section("person", "Persondata", person_fields(new=False), check_person)
NEW_PERSON = Section("new_person", "Ny person", person_fields(new=True), check_person)


def read_person(person: Person) -> Values:
    return {
        "ref": person.ref, "name": person.name, "cpr": person.cpr, "birth_date": person.birth_date,
        "category": person.category, "role": person.role, "nationality": person.nationality,
        "takeover_date": person.takeover_date,
    }  # fmt: skip


def write_person(person: Person | None, values: Values) -> Person:
    """A person with the facts of the form (a new one when `person` is None)."""
    birth = values["birth_date"] or cpr_birth_date(values["cpr"])
    facts = {
        "ref": values["ref"], "name": values["name"], "cpr": values["cpr"], "birth_date": birth,
        "category": values["category"], "role": values["role"], "nationality": values["nationality"],
        "takeover_date": values["takeover_date"],
    }  # fmt: skip
    if person is None:
        return Person(**facts)
    return replace(person, **facts)


# -- a new member of a family

BY_AGE = "(efter alder)"


def new_member_section(family: Family, today: date) -> JudgedSection:
    """The new-person form: its role, left open, follows the age (`member_role`)."""
    fields = tuple(replace(f, blank=BY_AGE) if f.key == "role" else f for f in NEW_PERSON.fields)
    return judged(replace(NEW_PERSON, fields=fields), None, lambda _, values: write_member(family, values, today))


def new_member_values(family: Family, ref: str) -> Values:
    """What the new-person form starts with: the first member's category, nationality and takeover date."""
    first = family.members[0] if family.members else None
    return {
        "ref": ref, "name": None, "cpr": None, "birth_date": None,
        "category": first.category if first else Category.REFUGEE, "role": None,
        "nationality": first.nationality if first else None, "takeover_date": first.takeover_date if first else None,
    }  # fmt: skip


def write_member(family: Family, values: Values, today: date) -> Person:
    """The new member the form describes; a role left open follows the age (`member_role`)."""
    person = write_person(None, values)
    if person.role is not None:
        return person
    return replace(person, role=member_role(family, person.birth_date, person.takeover_date or today))


def member_role(family: Family, birth: date, on: date) -> Role:
    """The role a new member most likely has: the applicant of an empty family; else a child under 18 on `on`
    (the takeover date), the spouse of an applicant who has none, or another adult of the household."""
    if not family.members:
        return Role.APPLICANT
    if not is_adult_on(birth, on):
        return Role.CHILD
    roles = {member.role for member in family.members}
    return Role.SPOUSE if Role.APPLICANT in roles and Role.SPOUSE not in roles else Role.OTHER


# -- leaving

LEFT = Section(
    "left",
    "Fraflytning",
    (
        day("left_date", "Fraflyttet den"),
        text("left_reason", "Årsag", hint="fx Fraflyttet, Selvforsørgende, Program afsluttet, Død"),
    ),
    lambda v: {"left_date": "Angiv datoen"} if v.get("left_reason") and v.get("left_date") is None else {},
)


def read_left(person: Person) -> Values:
    return {"left_date": person.left_date, "left_reason": person.left_reason}


def write_left(person: Person, values: Values) -> Person:
    return replace(person, left_date=values["left_date"], left_reason=values["left_reason"])
