"""The subject access as a Danish PDF: kasse/subject_access.py's record put in words for the citizen.

Every fact of the record is printed: the nested kasse/v1 objects are laid
out as label-value rows with Danish labels (a key without one prints as it
is - nothing is left out), codes as their Danish words, dates DD-MM-YYYY.
"""

from __future__ import annotations

from datetime import date, datetime

from kasse import words
from kasse.access_log import KIND_WORDS, command_words
from kasse.dates import format_date
from kasse.journal import NoteKind
from kasse.rules import Status

TITLE = "Indsigt i egne oplysninger"
INTRO = (
    "Her er alle de oplysninger, kommunen har registreret om dig i sagsbehandlingssystemet kasse på den dato, "
    "oversigten er udtrukket: dine egne oplysninger, de oplysninger om din familie, der også angår dig, dine "
    "frister, journalnotater om dig, hvornår og af hvem dine oplysninger er ændret, og hvem der har set dem "
    "(databeskyttelsesforordningens artikel 15)."
)

LABELS = {
    "ref": "Ref", "name": "Navn", "cpr": "CPR-nummer", "birth_date": "Fødselsdato", "category": "Kategori",
    "role": "Rolle", "takeover_date": "Integrationsansvaret overtaget", "left_date": "Fraflyttet",
    "left_reason": "Årsag til fraflytning", "programme": "Integrationsprogram", "exempt_reason": "Fritaget",
    "start_date": "Startet", "um_decision": "Afgørelse (uledsaget mindreårig)", "date": "Dato",
    "offered": "Tilbudt", "contract": "Kontrakt", "signed_date": "Underskrevet", "goal_kind": "Målets art",
    "goal": "Mål", "activities": "Aktiviteter", "followups": "Opfølgninger", "form": "Form", "note": "Note",
    "danish": "Danskuddannelse", "referral_date": "Henvist", "provider": "Udbyder", "track": "Spor",
    "hours_per_week": "Timer om ugen", "paused_from": "Sat i bero fra", "paused_to": "Sat i bero til",
    "passed_date": "Prøve bestået", "plan_offer": "Tilbud om integrationsplan", "offered_date": "Tilbudt",
    "answer": "Svar", "health": "Helbredsundersøgelse", "need": "Behov", "need_date": "Behov vurderet",
    "declined_date": "Afslået", "guidance_date": "Vejledt", "consent": "Samtykke",
    "result_received_date": "Resultat modtaget", "goals": "Mål i planen", "area": "Område",
    "subgoals": "Delmål", "interventions": "Indsatser", "title": "Titel", "department": "Forvaltning",
    "start": "Start", "end": "Slut", "status": "Status", "nationality": "Nationalitet",
    "assessment": "Vurdering", "education": "Uddannelse", "work_experience": "Erhvervserfaring",
    "languages": "Sprog", "literacy": "Læse- og skrivefærdigheder", "health_summary": "Helbred",
    "coordinating_department": "Koordinerende forvaltning", "housing": "Bolig", "housing_since": "Bolig siden",
    "plan": "Familiens plan", "made_date": "Udarbejdet", "followup_months": "Opfølgning (måneder)",
    "checklist": "Tjekliste", "phase": "Fase", "task": "Opgave", "done_date": "Udført",
}  # fmt: skip

# The codes of a kasse/v1 object, by the key that holds them, as the app says them.
_CODES = {
    key: {str(code): text for code, text in table.items()}
    for key, table in {
        "category": words.CATEGORY, "role": words.ROLE, "housing": words.HOUSING,
        "exempt_reason": words.EXEMPT_REASON, "answer": words.ANSWER, "form": words.CONVERSATION_FORM,
        "goal_kind": words.GOAL_KIND, "area": words.AREA, "status": words.INTERVENTION_STATUS, "phase": words.PHASE,
    }.items()
}  # fmt: skip


def subject_access_content(record: dict, *, municipality: str | None, caseworker: str | None) -> dict:
    """The template's data: every part of the record as Danish rows."""
    facts = record["person"]
    extracted = date.fromisoformat(record["extracted_on"])
    return {
        "title": TITLE,
        "municipality": municipality or "",
        "printed": format_date(extracted),
        "caseworker": caseworker or "",
        "summary": f"{facts['name']} ({facts['ref']}) · udtrukket {format_date(extracted)}",
        "intro": INTRO,
        "person": fact_rows(facts),
        "family": fact_rows(record["family"]),
        "deadlines": [[_day(d["due"]), d["title"], words.STATUS[Status(d["status"])], _day(d["met_date"]),
                       d["basis"]] for d in record["deadlines"]],
        "tasks": [[_day(t["due"]), t["title"], _day(t["done"]), t["author"]] for t in record["tasks"]],
        "journal": [[_moment(n["written_at"]), words.NOTE_KIND[NoteKind(n["kind"])], n["author"], n["text"]]
                    for n in record["journal"]],
        "audit": [[_moment(a["at"]), a["actor"], _field(a["field"]), a["old_value"] or "", a["new_value"] or ""]
                  for a in record["audit"]],
        "access": [[_moment(e["at"]), e["actor"], command_words(e["command"]),
                    f"{KIND_WORDS.get(e['record_kind'], e['record_kind'])} {e['record']}"]
                   for e in record["access_log"]],
    }


def fact_rows(value: dict, prefix: str = "") -> list[list[str]]:
    """A kasse/v1 object as [label, text] rows, nested objects and lists flattened ("Kontrakt · Mål")."""
    rows: list[list[str]] = []
    for key, item in value.items():
        label = f"{prefix}{LABELS.get(key, key)}"
        if isinstance(item, dict):
            rows += fact_rows(item, f"{label} · ")
        elif isinstance(item, list) and any(isinstance(element, dict) for element in item):
            for number, element in enumerate(item, start=1):
                if any(isinstance(part, dict | list) for part in element.values()):
                    rows += fact_rows(element, f"{label} {number} · ")
                else:  # a flat item (a checklist task, a follow-up): one row
                    rows.append([f"{label} {number}", "; ".join(f"{name}: {text}" for name, text in
                                                                fact_rows(element))])
        elif isinstance(item, list):
            if item:
                rows.append([label, "; ".join(_text(key, element) for element in item)])
        elif item is not None and item != "":
            rows.append([label, _text(key, item)])
    return rows


def _text(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float | int):
        return f"{value:g}".replace(".", ",")
    text = str(value)
    if text in _CODES.get(key, {}):
        return _CODES[key][text]
    try:
        return format_date(date.fromisoformat(text)) if len(text) == 10 else text
    except ValueError:
        return text


def _day(text: str | None) -> str:
    return format_date(date.fromisoformat(text)) if text else ""


def _moment(text: str) -> str:
    """An ISO time as 'DD-MM-YYYY HH:MM', in local time when it carries a zone (the logs' UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{format_date(moment.date())} {moment:%H:%M}"


def _field(path: str) -> str:
    """An audit row's field (a kasse/v1 path, or * for the whole record) in words."""
    if path == "*":
        return "Hele registreringen"
    return " · ".join(LABELS.get(part, part) for part in path.split("."))


def subject_access_pdf(record: dict, *, municipality: str | None, caseworker: str | None) -> bytes:
    from kasse.documents.render import render_template

    return render_template("subject_access", subject_access_content(record, municipality=municipality,
                                                                    caseworker=caseworker))
