"""A save refused because someone else changed the record since the edit began: `StaleEdit` and its Danish message.

The store raises it when a save carries the version it was read at and the
record has moved on. The message names each field where the refused edit
and the saved record differ, with both values, in the words the forms use.
Those values are personal data: they go into `message`, which the app shows
the caseworker who typed them, and never into the exception's own text
(`str(error)`), which is what a log or a traceback would print.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kasse.dates import format_date
from kasse.errors import KasseError, shorten

KIND_WORDS = {"family": "Familien", "person": "Personen"}
VALUE_SHOWN = 40  # characters of a value in the message

# The forms' labels (kasse/tui/editing/) by the kasse/v1 path the audit trail and `differences` use.
FIELD_WORDS = {
    "ref": "Ref",
    "name": "Navn",
    "cpr": "CPR-nummer",
    "birth_date": "Fødselsdato",
    "category": "Kategori",
    "role": "Rolle i familien",
    "nationality": "Nationalitet",
    "takeover_date": "Overtagelsesdato",
    "left_date": "Fraflyttet den",
    "left_reason": "Årsag til fraflytning",
    "family": "Familie",
    "programme.exempt_reason": "Fritaget pga.",
    "programme.start_date": "Program startet den",
    "um_decision": "Uledsaget: beslutning",
    "um_decision.date": "Uledsaget: besluttet den",
    "um_decision.offered": "Uledsaget: program tilbudt",
    "contract.signed_date": "Kontrakt underskrevet den",
    "contract.goal_kind": "Måltype",
    "contract.goal": "Mål",
    "contract.activities": "Aktiviteter",
    "contract.followups": "Opfølgningssamtaler",
    "danish.referral_date": "Henvist til dansk den",
    "danish.start_date": "Dansk startet den",
    "danish.provider": "Udbyder",
    "danish.track": "Spor",
    "danish.hours_per_week": "Timer pr. uge",
    "danish.paused_from": "Sat i bero fra (sygdom)",
    "danish.paused_to": "Sat i bero til",
    "danish.passed_date": "Prøve bestået den",
    "plan_offer.offered_date": "Integrationsplan tilbudt den",
    "plan_offer.answer": "Svar på integrationsplanen",
    "assessment.education": "Uddannelse",
    "assessment.work_experience": "Erhvervserfaring",
    "assessment.languages": "Sprog",
    "assessment.literacy": "Læse- og skrivefærdighed",
    "assessment.health_summary": "Helbred (kun med samtykke)",
    "health.offered_date": "Helbredsvurdering tilbudt den",
    "health.declined_date": "Helbredsvurdering afslået den",
    "health.guidance_date": "Vejledt om stående tilbud",
    "health.consent": "Samtykke til videregivelse",
    "health.result_received_date": "Resultat modtaget den",
    "health.need": "Behov for vurdering",
    "health.need_date": "Behov vurderet den",
    "goals": "Mål og indsatser",
    "coordinating_department": "Koordinerende forvaltning",
    "housing": "Bolig",
    "housing_since": "Bolig siden",
    "plan.made_date": "Integrationsplan udarbejdet",
    "plan.followup_months": "Opfølgning hver (mdr.)",
    "plan.followups": "Opfølgninger",
    "checklist": "Tjekliste",
}


@dataclass(frozen=True, slots=True)
class Conflict:
    """One field where the refused edit and the saved record differ, both values as shown to the user."""

    field: str
    yours: str
    saved: str


class StaleEdit(KasseError):
    """A save over a newer change (or a deleted record) is refused; nothing was written."""

    def __init__(self, kind: str, ref: str, conflicts: Iterable[Conflict] = (), *, deleted: bool = False) -> None:
        self.kind, self.ref, self.deleted = kind, ref, deleted
        self.conflicts = tuple(conflicts)
        what = f"{KIND_WORDS.get(kind, kind)} {ref}"
        if deleted:
            summary = f"Ikke gemt: {what} er slettet af en anden, mens du redigerede."
            super().__init__(summary)
            return
        fields = ", ".join(conflict.field for conflict in self.conflicts)
        super().__init__(f"Ikke gemt: {what} er ændret af en anden, mens du redigerede ({fields}).")
        lines = [f"Ikke gemt: {what} er ændret af en anden, mens du redigerede."]
        lines += [f"  {c.field}: din værdi {c.yours} - gemt {c.saved}" for c in self.conflicts]
        self.message = "\n".join(lines)

    @classmethod
    def between(cls, kind: str, ref: str, differing: Iterable[tuple[str, Any, Any]]) -> StaleEdit:
        """The refusal for (kasse/v1 path, saved value, your value) triples, as `audit.differences` gives them."""
        return cls(
            kind, ref, [Conflict(field_word(path), shown(yours), shown(saved)) for path, saved, yours in differing]
        )


def field_word(path: str) -> str:
    return FIELD_WORDS.get(path, path)


def shown(value: Any) -> str:
    """A value as the message shows it: short, dates DD-MM-YYYY, codes in Danish words, lists by their length."""
    if value is None:
        return "(tom)"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, StrEnum):
        return _code_word(value)
    if isinstance(value, int | float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, tuple | list):
        return f"{len(value)} i listen"
    if dataclasses.is_dataclass(value):
        return "registreret"
    return f"'{shorten(str(value), VALUE_SHOWN)}'"


def _code_word(value: StrEnum) -> str:
    from kasse import words

    # By type: two enums may share a value ("other").
    tables = (words.CATEGORY, words.ROLE, words.HOUSING, words.EXEMPT_REASON, words.ANSWER, words.GOAL_KIND)
    for table in tables:
        if type(value) is type(next(iter(table))):
            return table.get(value, value.value)
    return value.value
