"""What each printed document says: domain values and the engine's deadlines as plain data for a template.

Pure: every value is Danish text, a list or a dict, ready to be laid out as
it is - the templates add only headings and labels. User text
(names, goals, notes) is passed on as text and printed literally; it is never
read as markup, and its bidi controls are taken out (`without_bidi_controls`). Dates are DD-MM-YYYY, and a fact dated after `today` shows as
"planlagt DD-MM-YYYY" (DOMAIN.md: it has not happened yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from kasse import words
from kasse.dates import add_months, age_on, format_date, is_adult_on
from kasse.domain import Area, Category, Family, Person
from kasse.errors import KasseError
from kasse.law import CONTRACT_CONVERSATIONS, LAW, MAX_PLAN_FOLLOWUP_MONTHS, Rule, Ruleset
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.rules import Deadline, Status, contract_applies, conversations_held, family_deadlines, ruleset_of


class Document(StrEnum):
    """The documents kasse prints, by the word `kasse print` takes."""

    CONTRACT = "contract"  # Kontrakt, per person
    PLAN = "plan"  # Integrationsplan / helhedsorienteret plan, per family
    DEADLINES = "deadlines"  # Fristoversigt, per family


RULESET_TEXT = {
    Ruleset.LAW_2015: "Integrationsloven som før 1. juli 2016 (2015-reglerne)",
    Ruleset.LAW_2016: "Integrationsloven som ændret ved lov nr. 665 af 8. juni 2016 (2016-reglerne)",
}
CONTRACT_TITLE = {Ruleset.LAW_2015: "Integrationskontrakt", Ruleset.LAW_2016: "Kontrakt"}
PLAN_TITLE = {Ruleset.LAW_2015: "Integrationsplan", Ruleset.LAW_2016: "Helhedsorienteret plan"}
PLAN_BASIS = {
    Ruleset.LAW_2015: "integrationsloven §§ 15 a-15 c",
    Ruleset.LAW_2016: "frivillig plan med familiens samtykke (integrationsloven §§ 15 a-15 c er ophævet pr. "
                      "1. juli 2016)",
}
CONTRACT_TEXT = (
    "Kontrakten er indgået i samarbejde mellem borgeren og kommunen og bygger på en samlet vurdering af "
    "borgerens situation og behov. Den fastsætter målet for beskæftigelse eller uddannelse og de aktiviteter, "
    "der skal føre til det. Kontraktens mål og aktiviteter indgår i familiens plan."
)
PLAN_TEXT = (
    "Planen er udarbejdet af den koordinerende forvaltning i samarbejde med familien. Den samler mål og "
    "indsatser for hele familien, så indsatserne på de forskellige områder hænger sammen, og der følges op på "
    "den mindst én gang om året."
)
CONSENT_TEXT = (
    "Vi har været med til at lægge planen og giver samtykke til, at de forvaltninger, der er nævnt i planen, "
    "udveksler de oplysninger, der er nødvendige for indsatsen. Helbredsoplysninger indgår kun med samtykke. "
    "Samtykket kan til enhver tid trækkes tilbage."
)
NOT_SET = "Ikke fastsat"

# The bidi embedding, override and isolate controls and the direction marks (U+202A-U+202E, U+2066-U+2069,
# U+200E, U+200F, U+061C): in a name they turn the printed text around ("\u202eevil" prints as "live").
# Arabic and Hebrew letters carry their own direction and print right to left without them.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def without_bidi_controls(value):
    """`value` - text, or lists and dicts of it, as a template's data - with every bidi control removed, so
    text prints in the order it was typed. render.py passes every template's data through it."""
    if isinstance(value, str):
        return value.translate(_BIDI_CONTROLS)
    if isinstance(value, dict):
        return {key: without_bidi_controls(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_bidi_controls(item) for item in value]
    return value


def document_content(kind: Document, family: Family, person: Person | None, *, today: date,
                     policy: Policy = DEFAULT_POLICY, municipality: str | None = None,
                     caseworker: str | None = None) -> dict:
    """The data of one document on `today`, the deadlines judged by the engine under `policy`."""
    found = family_deadlines(family, today=today, window=policy.window_days, policy=policy)
    letterhead = {"municipality": municipality or "", "printed": format_date(today), "caseworker": caseworker or ""}
    if kind is Document.CONTRACT:
        if person is None:
            raise KasseError("Kontrakten er personlig - angiv personens ref, ikke familiens")
        return letterhead | contract_content(family, person, found, today=today, policy=policy)
    if kind is Document.PLAN:
        return letterhead | plan_content(family, found, today=today, policy=policy)
    return letterhead | deadlines_content(family, found, today=today, policy=policy)


def _day(day: date | None, today: date) -> str:
    if day is None:
        return ""
    return f"planlagt {format_date(day)}" if day > today else format_date(day)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def _rows(pairs: Iterable[tuple[str, str | None]]) -> list[list[str]]:
    """Label-value rows, the empty ones left out."""
    return [[label, value] for label, value in pairs if value]


def _person_rows(family: Family, person: Person, today: date) -> list[list[str]]:
    return _rows([
        ("Navn", person.name),
        ("CPR-nummer", person.cpr),
        ("Fødselsdato", f"{format_date(person.birth_date)} ({age_on(person.birth_date, today)} år)"),
        ("Kategori", words.CATEGORY[person.category]),
        ("Nationalitet", person.nationality),
        ("Ref", f"{person.ref} (familie {family.ref})"),
        ("Integrationsansvaret overtaget", _day(person.takeover_date, today)),
    ])  # fmt: skip


def _deadline_row(deadline: Deadline, *, with_name: bool, short_basis: bool) -> list[str]:
    basis = words.legal_basis(deadline.basis, deadline.ruleset) if short_basis else deadline.basis
    row = [format_date(deadline.due), deadline.title]
    if with_name:
        row.append(deadline.name)
    return [*row, words.STATUS[deadline.status], format_date(deadline.met_date), basis]


# -- the contract ------------------------------------------------------------------------------------


def contract_content(family: Family, person: Person, found: list[Deadline], *, today: date,
                     policy: Policy = DEFAULT_POLICY) -> dict:
    """Kontrakt: the person, goal, activities, programme and Danish, conversations, deadlines, signatures."""
    if not person.is_covered:
        raise KasseError(f"Der indgås ikke kontrakt med {person.ref}: personen er ikke omfattet af "
                         "integrationsloven (herboende ægtefælle, eller integrationsansvaret er ikke overtaget)")
    if not contract_applies(person, today) and person.contract.signed_date is None and not person.contract.goal:
        raise KasseError(f"Der skal ikke indgås kontrakt med {person.ref} (fx et barn, en borger fritaget for "
                         "programmet eller en uledsaget mindreårig uden program), og der er ingen kontrakt registreret")
    ruleset = ruleset_of(person, policy.rules)
    contract = person.contract
    own = [deadline for deadline in found if deadline.person == person.ref]
    return {
        "title": CONTRACT_TITLE[ruleset],
        "basis": LAW[ruleset][Rule.CONTRACT].basis,
        "ruleset": RULESET_TEXT[ruleset],
        "person": _person_rows(family, person, today),
        "law": _rows([("Hjemmel", LAW[ruleset][Rule.CONTRACT].basis), ("Regelsæt", RULESET_TEXT[ruleset]),
                      ("Kontrakten underskrevet", _day(contract.signed_date, today) or "Ikke underskrevet endnu")]),
        "goal_kind": words.GOAL_KIND[contract.goal_kind] if contract.goal_kind else "",
        "goal": contract.goal or NOT_SET,
        "activities": list(contract.activities),
        "programme": _programme_rows(person, ruleset, today),
        "danish": _danish_rows(person, today),
        "conversations": _conversations(person, ruleset, own, today),
        "deadlines": [_deadline_row(d, with_name=False, short_basis=False) for d in own],
        "text": CONTRACT_TEXT,
        "signers": [["Borger", person.name]],
    }


def _programme_rows(person: Person, ruleset: Ruleset, today: date) -> list[list[str]]:
    programme = person.programme
    start = programme.start_date
    rows = [("Fritaget for integrationsprogram",
             words.EXEMPT_REASON[programme.exempt_reason] if programme.exempt_reason else None),
            ("Programmet startede", _day(start, today) if start else "Ikke startet endnu")]
    if start is not None:
        review = LAW[ruleset].get(Rule.PROGRAMME_REVIEW)
        if review is not None:
            rows.append(("Forlænges eller afsluttes", format_date(add_months(start, review.offset.months))))
        end = LAW[ruleset][Rule.PROGRAMME_END]
        rows.append(("Programmet udløber senest", format_date(add_months(start, end.offset.months))))
    return _rows(rows)


def _danish_rows(person: Person, today: date) -> list[list[str]]:
    danish = person.danish
    paused = ""
    if danish.paused_from is not None:
        paused = f"{format_date(danish.paused_from)} - {format_date(danish.paused_to) or 'indtil videre'}"
    return _rows([
        ("Udbyder", danish.provider),
        ("Spor", danish.track.value if danish.track else None),
        ("Timer om ugen", _number(danish.hours_per_week)),
        ("Henvist", _day(danish.referral_date, today)),
        ("Startet", _day(danish.start_date, today)),
        ("Sat i bero (sygdom)", paused),
        ("Prøve bestået", _day(danish.passed_date, today)),
    ])  # fmt: skip


def _conversations(person: Person, ruleset: Ruleset, own: list[Deadline], today: date) -> dict:
    """The follow-up conversations held and booked, and - under the 2016 rules - how many § 20 asks for by when."""
    talks = sorted(person.contract.followups, key=lambda talk: talk.date)
    rows = [[_day(talk.date, today), words.CONVERSATION_FORM[talk.form] if talk.form else "", talk.note or ""]
            for talk in talks]
    status = ""
    due = next((d for d in own if d.rule is Rule.CONTRACT_FOLLOWUP), None)
    if due is not None:
        held = conversations_held(person, today)
        status = (f"{held} af {CONTRACT_CONVERSATIONS} samtaler afholdt - mindst {CONTRACT_CONVERSATIONS} inden "
                  f"{format_date(due.due)} ({due.basis}): {words.STATUS[due.status].lower()}")
    elif ruleset is Ruleset.LAW_2016 and person.contract.signed_date is None:
        status = (f"Når kontrakten er underskrevet: mindst {CONTRACT_CONVERSATIONS} opfølgningssamtaler i "
                  f"kontraktens første 6 måneder ({LAW[ruleset][Rule.CONTRACT_FOLLOWUP].basis})")
    return {"rows": rows, "status": status}


# -- the family's plan -------------------------------------------------------------------------------


def family_ruleset(family: Family, policy: Policy) -> Ruleset:
    """The plan's law: 2015 if any covered member follows the 2015 rules (as the engine's plan chain), else 2016."""
    rulesets = {ruleset_of(p, policy.rules) for p in family.members if p.is_covered}
    return Ruleset.LAW_2015 if Ruleset.LAW_2015 in rulesets else Ruleset.LAW_2016


def plan_content(family: Family, found: list[Deadline], *, today: date, policy: Policy = DEFAULT_POLICY) -> dict:
    """Integrationsplan: the family, each member's assessment, goals and interventions by area, follow-up, consent."""
    ruleset = family_ruleset(family, policy)
    plan = family.plan
    interval = min(plan.followup_months or MAX_PLAN_FOLLOWUP_MONTHS, MAX_PLAN_FOLLOWUP_MONTHS)
    reviews = sorted(f.date for f in plan.followups)
    next_review = next((d for d in found if d.rule is Rule.PLAN_FOLLOWUP and d.status.is_open), None)
    if next_review is not None:
        next_text = f"{format_date(next_review.due)} ({words.STATUS[next_review.status].lower()})"
    elif plan.made_date is not None:
        next_text = format_date(add_months(max([plan.made_date, *reviews]), interval))
    else:
        next_text = ""
    housing = words.HOUSING[family.housing] if family.housing else ""
    if housing and family.housing_since:
        housing += f" siden {format_date(family.housing_since)}"
    adults = [p for p in family.members if is_adult_on(p.birth_date, today) and not p.has_left(today)]
    return {
        "title": PLAN_TITLE[ruleset],
        "basis": PLAN_BASIS[ruleset],
        "ruleset": RULESET_TEXT[ruleset],
        "family": _rows([
            ("Familie", f"{family.display_name} ({family.ref})"),
            ("Hjemmel", PLAN_BASIS[ruleset]),
            ("Koordinerende forvaltning", family.coordinating_department or NOT_SET),
            ("Bolig", housing),
            ("Planen udarbejdet", _day(plan.made_date, today) or "Ikke udarbejdet endnu"),
            ("Opfølgning", f"Mindst hver {interval}. måned" if interval != 1 else "Hver måned"),
            ("Næste opfølgning senest", next_text),
        ]),
        "followups": [[_day(f.date, today), f.note or ""] for f in sorted(plan.followups, key=lambda f: f.date)],
        "members": [_member(family, person, today) for person in family.members],
        "areas": _areas(family, today),
        "text": PLAN_TEXT,
        "consent": CONSENT_TEXT,
        "signers": [["Borger", person.name] for person in adults],
    }


def _member(family: Family, person: Person, today: date) -> dict:
    assessment = person.assessment
    health = assessment.health_summary if person.health.consent else None  # only with consent (DOMAIN.md)
    role = words.ROLE[person.role] if person.role else ""
    return {
        "name": person.name,
        "facts": _rows([
            ("Rolle", role),
            ("Kategori", words.CATEGORY[person.category]),
            ("Født", f"{format_date(person.birth_date)} ({age_on(person.birth_date, today)} år)"),
            ("CPR-nummer", person.cpr),
            ("Ref", person.ref),
            ("Fraflyttet", _day(person.left_date, today) if person.has_left(today) else None),
        ]),
        "assessment": _rows([
            ("Uddannelse", assessment.education),
            ("Erhvervserfaring", assessment.work_experience),
            ("Sprog", assessment.languages),
            ("Læse- og skrivefærdigheder", assessment.literacy),
            ("Helbred (med samtykke)", health),
        ]),
        "note": ("Herboende ægtefælle: ingen mål og indsatser efter integrationsloven"
                 if person.category is Category.RESIDENT_SPOUSE and not person.goals else ""),
    }  # fmt: skip


def _areas(family: Family, today: date) -> list[dict]:
    """The four areas in order, each with every member's goals in it; under Danish and employment the contract's
    goal stands for a member who has no goal of their own there."""
    areas = []
    for area in Area:
        goals = []
        for person in family.members:
            contract = person.contract
            own_goals = [goal for goal in person.goals if goal.area is area]
            if area is Area.DANISH_EMPLOYMENT and contract.goal and not own_goals:  # the plan mirrors the contract
                kind = words.GOAL_KIND[contract.goal_kind] if contract.goal_kind else "Mål"
                goals.append({"member": person.name, "goal": f"{kind} (kontrakten): {contract.goal}",
                              "subgoals": list(contract.activities), "interventions": []})
            for goal in own_goals:
                goals.append({
                    "member": person.name,
                    "goal": goal.goal,
                    "subgoals": list(goal.subgoals),
                    "interventions": [
                        [i.title, i.department or "", _day(i.start, today), _day(i.end, today),
                         words.INTERVENTION_STATUS[i.status]]
                        for i in goal.interventions
                    ],
                })  # fmt: skip
        areas.append({"title": words.AREA[area], "goals": goals})
    return areas


# -- the deadline overview ---------------------------------------------------------------------------


def deadlines_content(family: Family, found: list[Deadline], *, today: date, policy: Policy = DEFAULT_POLICY) -> dict:
    """Fristoversigt: the members with their ruleset, and every deadline of the family with status and basis."""
    counts = Counter(deadline.status for deadline in found)
    summary = ", ".join(f"{counts[status]} {words.STATUS[status].lower()}" for status in Status if counts[status])
    return {
        "title": "Fristoversigt",
        "family": _rows([("Familie", f"{family.display_name} ({family.ref})"),
                         ("Koordinerende forvaltning", family.coordinating_department)]),
        "members": [
            [p.ref, p.name, words.CATEGORY[p.category], _day(p.takeover_date, today),
             f"{ruleset_of(p, policy.rules).value}-reglerne" if p.is_covered else "Ikke omfattet"]
            for p in family.members
        ],
        "deadlines": [_deadline_row(d, with_name=True, short_basis=True) for d in found],
        "summary": f"{len(found)} frister: {summary}" if found else "Ingen frister.",
        "ruleset_note": "Hjemmel: paragraffer i integrationsloven, med regelsættet i parentes. " + " ".join(
            f"{ruleset.value}: {text}." for ruleset, text in RULESET_TEXT.items()),
    }
