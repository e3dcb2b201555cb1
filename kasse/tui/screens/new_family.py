"""Creating a family with its first member: one form, one transaction, then the family screen.

Its refs are checked as free in the form and again in the worker that saves (forms/free_refs.py).
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import App

from kasse.domain import Category, Family, Role
from kasse.tui import editing
from kasse.tui.caseload import Caseload
from kasse.tui.fields import Values
from kasse.tui.forms.form import FormScreen
from kasse.tui.forms.free_refs import require_free_refs, with_free_refs


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
