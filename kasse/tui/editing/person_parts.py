"""The parts of a person's case, one form each: contract and its follow-up conversations, plan offer
and assessment, health, Danish, programme and the unaccompanied minor's decision."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kasse import words
from kasse.dates import format_date
from kasse.domain import (
    Assessment,
    ContractFollowUp,
    ConversationForm,
    Person,
    PlanOffer,
    Programme,
    Track,
    UmDecision,
)
from kasse.tui.editing.judging import JudgedSection, judged
from kasse.tui.editing.shared import placed
from kasse.tui.fields import YES_NO, Check, Field, Kind, Section, Values, after, choice, day, text

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
    talks = placed(person.contract.followups, ContractFollowUp(values["date"], values["form"], values["note"]), index)
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
