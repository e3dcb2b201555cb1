"""A new family or person must not take a ref in use - the store would move that person here - nor the ref
of a deleted one, whose audit trail it would inherit: checked in the form as you save, and again in the
worker that saves."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App

from kasse.errors import KasseError
from kasse.tui.caseload import Caseload
from kasse.tui.fields import Section, Values


def require_free_refs(caseload: Caseload, refs: list[str]) -> None:
    """Refuse refs in use (the store would move that person here) or retired, in Danish."""
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
