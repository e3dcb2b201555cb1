"""One form for several members: the move-away and the plan offer, filled in once for everyone marked.

The form starts with what the members have in common; a field where they
differ starts empty and, left empty, keeps each member's own value. It is
judged for plausibility on each member it would change; a finding names the
member. The screen saves every member in one
transaction (Caseload.save_persons): all of them or, if one was changed by
someone else meanwhile, none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from kasse.domain import Person, PlanOffer
from kasse.tui import editing
from kasse.tui.editing import JudgedSection
from kasse.tui.fields import Section, Values


def _check_offer(values: Values) -> dict[str, str]:
    if values.get("answer") is not None and values.get("offered_date") is None:
        return {"offered_date": "Et svar kræver en tilbudsdato"}
    return {}


def offer_section(person: Person) -> Section:
    """The plan form's offer and answer, without the assessment (which is each person's own)."""
    plan = editing.plan_section(person)
    fields = tuple(field for field in plan.fields if field.key in ("offered_date", "answer"))
    return replace(plan, title="Tilbud om integrationsplan", fields=fields, check=_check_offer)


def read_offer(person: Person) -> Values:
    return {"offered_date": person.plan_offer.offered_date, "answer": person.plan_offer.answer}


def write_offer(person: Person, values: Values) -> Person:
    return replace(person, plan_offer=PlanOffer(values["offered_date"], values["answer"]))


@dataclass(frozen=True, slots=True)
class GroupEdit:
    """What one form changes on each member: its section, how values are read and written, the message."""

    section: Callable[[Person], Section]
    read: Callable[[Person], Values]
    write: Callable[[Person, Values], Person]
    saved: str  # "... er registreret for 3 personer"


LEAVE = GroupEdit(lambda p: editing.LEFT, editing.read_left, editing.write_left, "Fraflytningen er registreret")
OFFER = GroupEdit(offer_section, read_offer, write_offer, "Tilbuddet om integrationsplan er registreret")


DIFFERING = "forskellige - tom: uændret"  # what a field the members differ in says while empty


@dataclass(frozen=True, slots=True)
class GroupForm:
    """One form for `persons`: it starts with what they share; a field where they differ starts empty and,
    left empty, keeps each member's own value."""

    edit: GroupEdit
    persons: tuple[Person, ...]
    start: Values
    differing: frozenset[str]

    @classmethod
    def build(cls, edit: GroupEdit, persons: list[Person], today: date) -> GroupForm:
        each = [edit.read(person) for person in persons]
        differing = frozenset(key for key in each[0] if any(v[key] != each[0][key] for v in each))
        start = {key: None if key in differing else value for key, value in each[0].items()}
        if edit is LEAVE and start["left_date"] is None and "left_date" not in differing:
            start["left_date"] = today
        return cls(edit, tuple(persons), start, differing)

    def values_for(self, person: Person, values: Values) -> Values:
        own = self.edit.read(person)
        return {key: own[key] if key in self.differing and value is None else value for key, value in values.items()}

    def changes(self, values: Values) -> list[tuple[Person, Person]]:
        """(as shown, as changed) for each member: what Caseload.save_persons saves."""
        return [(person, self.edit.write(person, self.values_for(person, values))) for person in self.persons]

    def section(self) -> JudgedSection:
        """The form, checked and judged on every member it changes (with their own values where a field is
        left empty): the first finding at each field, naming the member when there are several."""
        plain = self.edit.section(self.persons[0])
        fields = tuple(replace(field, hint=DIFFERING, blank=f"({DIFFERING})") if field.key in self.differing
                       else field for field in plain.fields)
        judged = [(person, editing.judged(plain, person, self.edit.write)) for person in self.persons]

        def check(values: Values) -> dict[str, str]:
            return self._first([(person, plain.check(self.values_for(person, values))) for person in self.persons])

        def judge(values: Values, today: date, cprs: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
            found = [(person, section.judge(self.values_for(person, values), today, cprs))
                     for person, section in judged]
            return (self._first([(person, refused) for person, (refused, _) in found]),
                    self._first([(person, warned) for person, (_, warned) in found]))

        return JudgedSection(plain.key, plain.title, fields, check, judge)

    def _first(self, found: list[tuple[Person, dict[str, str]]]) -> dict[str, str]:
        """Per field, the first member's reason (with their name when the form is for several)."""
        merged: dict[str, str] = {}
        for person, reasons in found:
            for key, reason in reasons.items():
                merged.setdefault(key, f"{person.name}: {reason}" if len(self.persons) > 1 else reason)
        return merged

    @property
    def subtitle(self) -> str:
        """Whom the form is for: 'Amina Omar', or '3 personer: Amina, Nimco, Faadumo'."""
        if len(self.persons) == 1:
            return self.persons[0].name
        return f"{len(self.persons)} personer: " + ", ".join(p.name.split()[0] for p in self.persons if p.name)

    def saved_message(self, values: Values) -> str:
        if self.edit is LEAVE and values["left_date"] is None and not self.differing:
            return "Gemt."
        who = self.persons[0].name if len(self.persons) == 1 else f"{len(self.persons)} personer"
        return f"{self.edit.saved} for {who}."
