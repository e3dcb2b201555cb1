"""Creating a family with its first member: one form, one transaction, then the family screen.

A new family or person must not take a ref in use - the store would move
that person here - nor the ref of a deleted one, whose audit trail it would
inherit; so the refs are checked in the same worker as the save.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import App

from kasse.domain import Category, Family, Role
from kasse.errors import KasseError
from kasse.tui import editing
from kasse.tui.caseload import Caseload
from kasse.tui.fields import Section, Values
from kasse.tui.forms.form import FormScreen


def require_free_refs(caseload: Caseload, refs: list[str]) -> None:
    """A new family or person must not take a ref in use (the store would move that person here) or retired."""
    taken = caseload.taken_refs(refs)
    retired = caseload.retired_refs(taken) if taken else set()
    if retired:
        raise KasseError(
            f"Ref {', '.join(sorted(retired))} har tilhørt en slettet familie eller person "
            "og kan ikke genbruges - vælg en anden."
        )
    if taken:
        raise KasseError(f"Ref {', '.join(sorted(taken))} er allerede i brug - vælg en anden.")


def with_free_refs(section: Section, app: App, *keys: str) -> Section:
    """The section, also checking that the refs typed in `keys` are not in the caseload: the form then
    says so under the field and keeps what was typed (the save checks the file again, in its worker)."""

    def check(values: Values) -> dict[str, str]:
        snapshot = app.snapshot  # the latest, as the user presses save
        taken = {
            key: "Er allerede i brug - vælg en anden"
            for key in keys
            if values.get(key) in snapshot.families or values.get(key) in snapshot.family_of
        }
        retired = {
            key: "Har tilhørt en slettet familie eller person - vælg en anden"
            for key in keys
            if values.get(key) in snapshot.retired
        }
        return section.check(values) | taken | retired

    return replace(section, check=check)


def new_family(app: App) -> None:
    """The new-family form: the family and its first member, saved in one transaction, then opened."""
    snapshot = app.snapshot
    values: Values = {
        "ref": editing.next_ref(snapshot.refs_in_use(), f"F-{app.today.year}-", 3),
        "coordinating_department": "Jobcenter", "housing": None, "housing_since": None,
        "made_date": None, "followup_months": None,
        "member_ref": editing.next_ref(snapshot.refs_in_use(), "P-", 4), "member_name": None, "member_cpr": None,
        "member_birth_date": None, "member_category": Category.REFUGEE, "member_role": Role.APPLICANT,
        "member_nationality": None, "member_takeover_date": app.today,
    }  # fmt: skip

    def done(result: Values | None) -> None:
        if result is None:
            return
        checklist = editing.default_checklist(app.config.checklist)  # the municipality's own, if configured
        family = replace(editing.write_family(None, result), checklist=checklist)
        person_ref = family.members[0].ref

        def job(caseload: Caseload) -> Family:
            require_free_refs(caseload, [family.ref, person_ref])
            return caseload.save_family(family)

        app.save(
            job,
            family.ref,
            f"Familien {family.ref} er oprettet.",
            then=lambda saved: app.open_family(family.ref, person_ref),
        )

    judged = editing.judged(editing.new_family_section(), None, lambda _, values: editing.write_family(None, values))
    section = with_free_refs(judged, app, "ref", "member_ref")
    app.push_screen(FormScreen(section, values, focus="member_name"), done)
