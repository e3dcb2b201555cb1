"""What each of the app's forms edits, and how its values go in and out of domain values.

Pure and free of Textual, so the mapping and its checks are tested without a
screen. A form shows a section's fields (kasse.tui.fields), fills them from a
`read_*`, and the screen saves what the matching `write_*` returns through
the store, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kasse import words
from kasse.dates import birthday, cpr_birth_date, format_date, is_adult_on
from kasse.domain import (
    Assessment,
    Category,
    ChecklistItem,
    ContractFollowUp,
    ConversationForm,
    Family,
    FollowUp,
    Goal,
    Intervention,
    InterventionStatus,
    Person,
    Phase,
    PlanOffer,
    Programme,
    Role,
    Track,
    UmDecision,
)
from kasse.errors import KasseError
from kasse.plausibility import (
    NO_GOALS_FOR_RESIDENT_SPOUSE,
    Finding,
    Severity,
    duplicate_cprs,
    fact,
    family_findings,
    person_findings,
)
from kasse.tui.fields import YES_NO, Check, Field, Kind, Section, Values, after, choice, day, text

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


# -- contract

CONTRACT = Section(
    "contract",
    "Integrationskontrakt",
    (
        day("signed_date", "Underskrevet den"),
        choice("goal_kind", "Måltype", words.GOAL_KIND),
        text("goal", "Mål", hint="fx Job i detailhandlen"),
        Field("activities", "Aktiviteter", Kind.LINES, hint="Én aktivitet pr. linje"),
    ),
)


def read_contract(person: Person) -> Values:
    c = person.contract
    return {"signed_date": c.signed_date, "goal_kind": c.goal_kind, "goal": c.goal, "activities": c.activities}


def write_contract(person: Person, values: Values) -> Person:
    """The contract with the form's facts; its follow-up conversations are kept (they have their own form)."""
    return replace(person, contract=replace(person.contract, **values))


# -- follow-up conversations on the contract (§ 20)


def conversation_section(signed: date | None) -> Section:
    """One follow-up conversation; the contract must be signed, and on or before the conversation."""

    def check(values: Values) -> dict[str, str]:
        held = values.get("date")
        if signed is None:
            return {"date": "Kontrakten er ikke underskrevet - registrér først underskriften (e på Kontrakt)"}
        if held is not None and held < signed:
            return {"date": f"Kan ikke ligge før kontrakten blev underskrevet ({format_date(signed)})"}
        return {}

    return Section(
        "conversation",
        "Opfølgningssamtale om kontrakten",
        (
            day("date", "Dato", required=True),
            choice("form", "Form", words.CONVERSATION_FORM, required=True),
            text("note", "Note", hint="fx Praktik aftalt fra 1. maj"),
        ),
        check,
    )


def conversation_form(person: Person, index: int | None = None) -> JudgedSection:
    """The form for a new conversation (or the one at `index`), judged on the person it makes."""
    return judged(
        conversation_section(person.contract.signed_date),
        person,
        lambda before, values: with_conversation(before, values, index),
    )


def new_conversation(today: date) -> Values:
    """A conversation held today, at a meeting: what the form starts with."""
    return {"date": today, "form": ConversationForm.MEETING, "note": None}


def read_conversation(talk: ContractFollowUp) -> Values:
    return {"date": talk.date, "form": talk.form, "note": talk.note}


def with_conversation(person: Person, values: Values, index: int | None = None) -> Person:
    """The person with a conversation added (or the one at `index` replaced), the list kept in date order."""
    talks = _placed(person.contract.followups, ContractFollowUp(values["date"], values["form"], values["note"]), index)
    return replace(person, contract=replace(person.contract, followups=talks))


def without_conversation(person: Person, index: int) -> Person:
    talks = list(person.contract.followups)
    del talks[index]
    return replace(person, contract=replace(person.contract, followups=tuple(talks)))


# -- plan offer and assessment


def _check_plan(consent: bool | None) -> Check:
    def check(values: Values) -> dict[str, str]:
        problems = {}
        if values.get("answer") is not None and values.get("offered_date") is None:
            problems["offered_date"] = "Et svar kræver en tilbudsdato"
        if values.get("health_summary") and consent is not True:
            problems["health_summary"] = "Helbredsoplysninger må kun noteres med samtykke (se Helbred)"
        return problems

    return check


PLAN_FIELDS = (
    day("offered_date", "Tilbudt den"),
    choice("answer", "Svar", words.ANSWER),
    text("education", "Uddannelse"),
    text("work_experience", "Erhvervserfaring"),
    text("languages", "Sprog"),
    text("literacy", "Læse- og skrivefærdighed"),
    text("health_summary", "Helbred (kun med samtykke)"),
)


def plan_section(person: Person) -> Section:
    return Section("plan", "Integrationsplan: tilbud og udredning", PLAN_FIELDS, _check_plan(person.health.consent))


def read_plan(person: Person) -> Values:
    a = person.assessment
    return {
        "offered_date": person.plan_offer.offered_date, "answer": person.plan_offer.answer,
        "education": a.education, "work_experience": a.work_experience, "languages": a.languages,
        "literacy": a.literacy, "health_summary": a.health_summary,
    }  # fmt: skip


def write_plan(person: Person, values: Values) -> Person:
    offer = PlanOffer(values["offered_date"], values["answer"])
    assessment = Assessment(
        *(values[key] for key in ("education", "work_experience", "languages", "literacy", "health_summary"))
    )
    return replace(person, plan_offer=offer, assessment=assessment)


# -- health


def _check_health(values: Values) -> dict[str, str]:
    problems = {}
    problems |= after(values, "declined_date", "offered_date", "Kan ikke ligge før tilbuddet")
    problems |= after(values, "guidance_date", "declined_date", "Kan ikke ligge før afslaget")
    if values.get("declined_date") is not None and values.get("offered_date") is None:
        problems["offered_date"] = "Et afslag kræver en tilbudsdato"
    if values.get("result_received_date") is not None and values.get("consent") is not True:
        problems["consent"] = "Resultatet modtages kun med samtykke"
    if values.get("need") is None and values.get("need_date") is not None:
        problems["need"] = "Vælg Ja eller Nej - eller slet datoen, hvis behovet ikke er vurderet"
    elif values.get("need") is not None and values.get("need_date") is None:
        problems["need_date"] = "Angiv hvornår behovet blev vurderet"
    return problems


HEALTH = Section(
    "health",
    "Helbredsmæssig vurdering",
    (
        day("offered_date", "Tilbudt den"),
        day("declined_date", "Afslået den"),
        day("guidance_date", "Vejledt om stående tilbud"),
        Field("consent", "Samtykke til videregivelse", Kind.YES_NO, options=YES_NO),
        day("result_received_date", "Resultat modtaget den"),
        Field("need", "Behov for vurdering", Kind.YES_NO, options=YES_NO, blank="ikke vurderet"),
        day("need_date", "Behov vurderet den"),
    ),
    _check_health,
)


def read_health(person: Person) -> Values:
    h = person.health
    return {
        "offered_date": h.offered_date, "declined_date": h.declined_date, "guidance_date": h.guidance_date,
        "consent": h.consent, "result_received_date": h.result_received_date, "need": h.need,
        "need_date": h.need_date,
    }  # fmt: skip


def write_health(person: Person, values: Values) -> Person:
    return replace(person, health=replace(person.health, **values))


# -- Danish

DANISH = Section(
    "danish",
    "Danskuddannelse",
    (
        day("referral_date", "Henvist den"),
        day("start_date", "Startet den"),
        choice("track", "Spor", {track: track.value for track in Track}),
        text("provider", "Udbyder", hint="fx Lær Dansk"),
        Field("hours_per_week", "Timer pr. uge", Kind.NUMBER, hint="fx 18 eller 7,5"),
        day("paused_from", "Sat i bero fra (sygdom)"),
        day("paused_to", "Sat i bero til"),
        day("passed_date", "Prøve bestået den"),
    ),
    lambda values: (
        after(values, "paused_to", "paused_from", "Kan ikke ligge før pausens start")
        | ({"paused_from": "Angiv også starten"} if values.get("paused_to") and not values.get("paused_from") else {})
    ),
)


def read_danish(person: Person) -> Values:
    d = person.danish
    return {
        "referral_date": d.referral_date, "start_date": d.start_date, "track": d.track, "provider": d.provider,
        "hours_per_week": d.hours_per_week, "paused_from": d.paused_from, "paused_to": d.paused_to,
        "passed_date": d.passed_date,
    }  # fmt: skip


def write_danish(person: Person, values: Values) -> Person:
    return replace(person, danish=replace(person.danish, **values))


# -- programme and the minor's decision


def _check_programme(values: Values) -> dict[str, str]:
    if (values.get("decision_date") is None) != (values.get("decision_offered") is None):
        key = "decision_offered" if values.get("decision_offered") is None else "decision_date"
        return {key: "Beslutningen kræver både dato og udfald"}
    return {}


PROGRAMME = Section(
    "programme",
    "Integrationsprogram",
    (
        day("start_date", "Startet den"),
        choice("exempt_reason", "Fritaget pga.", words.EXEMPT_REASON),
        day("decision_date", "Uledsaget: besluttet den"),
        Field("decision_offered", "Uledsaget: program tilbudt", Kind.YES_NO, options=YES_NO),
    ),
    _check_programme,
)


def read_programme(person: Person) -> Values:
    decision = person.um_decision
    return {
        "start_date": person.programme.start_date, "exempt_reason": person.programme.exempt_reason,
        "decision_date": decision.date if decision else None,
        "decision_offered": decision.offered if decision else None,
    }  # fmt: skip


def write_programme(person: Person, values: Values) -> Person:
    decision = None
    if values["decision_date"] is not None:
        decision = UmDecision(values["decision_date"], values["decision_offered"])
    return replace(person, programme=Programme(values["exempt_reason"], values["start_date"]), um_decision=decision)


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
    followups = _placed(family.plan.followups, FollowUp(values["date"], values["note"]), index)
    return replace(family, plan=replace(family.plan, followups=followups))


def _placed(items: tuple, item, index: int | None) -> tuple:
    """`items` with `item` added (or put in place of the one at `index`), in date order."""
    placed = list(items)
    if index is None:
        placed.append(item)
    else:
        placed[index] = item
    return tuple(sorted(placed, key=lambda each: each.date))


# -- the plan's action part

DEPARTMENTS = (
    "Jobcenter", "Ydelseskontor", "Socialforvaltning", "Skole/PPR", "Dagtilbud", "Sundhedspleje",
    "Børn og unge", "Civilsamfund",
)  # fmt: skip

GOAL = Section(
    "goal",
    "Mål",
    (
        choice("area", "Område", words.AREA, required=True),
        text("goal", "Mål", required=True),
        Field("subgoals", "Delmål", Kind.LINES, hint="Ét delmål pr. linje"),
    ),
)


def goal_refusal(person: Person) -> str | None:
    """Why `person` can have no goal in the plan's action part (a resident spouse has none), else None."""
    return NO_GOALS_FOR_RESIDENT_SPOUSE if person.category is Category.RESIDENT_SPOUSE else None


def read_goal(goal: Goal | None) -> Values:
    if goal is None:
        return {"area": None, "goal": None, "subgoals": ()}
    return {"area": goal.area, "goal": goal.goal, "subgoals": goal.subgoals}


def write_goal(goal: Goal | None, values: Values) -> Goal:
    interventions = goal.interventions if goal else ()
    return Goal(values["area"], values["goal"], values["subgoals"], interventions)


def intervention_section(current_department: str | None = None) -> Section:
    departments = {name: name for name in DEPARTMENTS}
    if current_department and current_department not in departments:
        departments[current_department] = current_department
    return Section(
        "intervention",
        "Indsats",
        (
            text("title", "Indsats", required=True, hint="fx Danskuddannelse 18 t/uge"),
            choice("department", "Ansvarlig forvaltning", departments),
            day("start", "Start"),
            day("end", "Slut"),
            choice("status", "Status", words.INTERVENTION_STATUS, required=True),
        ),
        lambda values: after(values, "end", "start", "Kan ikke ligge før start"),
    )


def read_intervention(item: Intervention | None) -> Values:
    if item is None:
        return {"title": None, "department": None, "start": None, "end": None, "status": InterventionStatus.PLANNED}
    return {
        "title": item.title,
        "department": item.department,
        "start": item.start,
        "end": item.end,
        "status": item.status,
    }


def write_intervention(values: Values) -> Intervention:
    return Intervention(**values)


# -- reception checklist

CHECKLIST_ITEM = Section(
    "checklist",
    "Opgave på tjeklisten",
    (
        choice("phase", "Fase", words.PHASE, required=True),
        text("task", "Opgave", required=True),
        day("done_date", "Udført den"),
    ),
)


def read_checklist_item(item: ChecklistItem | None) -> Values:
    if item is None:
        return {"phase": Phase.PREPARATION, "task": None, "done_date": None}
    return {"phase": item.phase, "task": item.task, "done_date": item.done_date}


def write_checklist_item(values: Values) -> ChecklistItem:
    return ChecklistItem(**values)


# The default reception checklist (DOMAIN.md, "Reception checklist phases"); municipalities edit their own.
DEFAULT_CHECKLIST: tuple[tuple[Phase, str], ...] = (
    (Phase.PREPARATION, "Oplysninger fra asylcenter og Udlændingestyrelsen indhentet"),
    (Phase.PREPARATION, "Tilmeldt danskundersøgelse i asylcentret"),
    (Phase.PREPARATION, "Introduktion til kommunen (materiale eller møde)"),
    (Phase.HANDOVER, "Overleveringsmøde med asylcenter/Udlændingestyrelsen"),
    (Phase.ARRIVAL, "Bolig klar"),
    (Phase.ARRIVAL, "Etableringspakke (møbler, køkken, linned, tøj)"),
    (Phase.ARRIVAL, "Penge til de første dage"),
    (Phase.ARRIVAL, "Hjælp til indkøb"),
    (Phase.ARRIVAL, "Introduktion til hvidevarer i boligen"),
    (Phase.RECEPTION, "Henvist til sprogskole"),
    (Phase.RECEPTION, "Skole- og dagtilbud til børnene"),
    (Phase.RECEPTION, "Besøg hos egen læge"),
    (Phase.RECEPTION, "Integrationskontrakt indgået"),
    (Phase.RECEPTION, "Integrationsplan tilbudt"),
    (Phase.RECEPTION, "Helbredsmæssig vurdering tilbudt"),
)


def default_checklist(template: tuple[ChecklistItem, ...] | None = None) -> tuple[ChecklistItem, ...]:
    """The checklist a new family starts with and `s` inserts: the municipality's own from the config file
    (`template`), else kasse's default - open tasks either way."""
    if template:
        return tuple(ChecklistItem(item.phase, item.task) for item in template)
    return tuple(ChecklistItem(phase, task) for phase, task in DEFAULT_CHECKLIST)


def tick(family: Family, index: int, today: date) -> Family:
    """Mark a checklist item done today, or undone when it was done."""
    items = list(family.checklist)
    item = items[index]
    items[index] = replace(item, done_date=None if item.done_date else today)
    return replace(family, checklist=tuple(items))


# -- small helpers the screens share


def next_ref(taken: Iterable[str], prefix: str, width: int) -> str:
    """The next free ref after the highest `prefix` + number in use: P-0042 -> P-0043."""
    numbers = (ref[len(prefix) :] for ref in taken if ref.startswith(prefix))
    highest = max((int(number) for number in numbers if number.isdigit()), default=0)
    return f"{prefix}{highest + 1:0{width}d}"


# -- plausibility in the forms (kasse.plausibility: the same rules as an import's)

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


# Where each form shows a finding about a kasse/v1 field: path -> form key.
FINDING_KEYS: dict[str, dict[str, str]] = {
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
    keys = FINDING_KEYS[section.key]
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
