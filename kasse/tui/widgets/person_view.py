"""What the family screen's tabs show, as Rich renderables: facts, deadlines in words, history.

Pure rendering: domain values in, `Text`/`Table` out. Everything a user typed
goes through `plain()` so brackets stay brackets. Every fact's date goes
through `date_cell` with the app's today, so a date still to come reads
"planlagt DD-MM-ÅÅÅÅ" and never as done.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kasse import words
from kasse.dates import age_on, format_date
from kasse.domain import (
    Answer,
    Area,
    Category,
    ExemptReason,
    Family,
    GoalKind,
    Housing,
    InterventionStatus,
    Person,
    Phase,
    Role,
)
from kasse.law import CONTRACT_CONVERSATIONS, RulesChoice, Ruleset
from kasse.rules import Deadline, Rule, contract_applies, conversations_held, ruleset_of
from kasse.tui.caseload import Change
from kasse.tui.widgets.family.tabs import Tab
from kasse.tui.widgets.status import basis_cell, date_cell, plain, status_cell

NOT_RECORDED = Text("–", style="dim")

LABELS = {
    Category: words.CATEGORY, Role: words.ROLE, Housing: words.HOUSING, ExemptReason: words.EXEMPT_REASON,
    Answer: words.ANSWER, GoalKind: words.GOAL_KIND, Area: words.AREA,
    InterventionStatus: words.INTERVENTION_STATUS, Phase: words.PHASE,
}

# The tab where each deadline is met (the deadline panel jumps there).
RULE_TAB = {
    Rule.CONTRACT: Tab.CONTRACT,
    Rule.CONTRACT_FOLLOWUP: Tab.CONTRACT,
    Rule.PROGRAMME_START: Tab.PROGRAMME,
    Rule.DANISH_START: Tab.DANISH,
    Rule.PLAN_OFFER: Tab.PLAN,
    Rule.HEALTH_OFFER: Tab.HEALTH,
    Rule.HEALTH_GUIDANCE: Tab.HEALTH,
    Rule.UM_DECISION: Tab.PROGRAMME,
    Rule.PLAN_FOLLOWUP: Tab.FAMILY,
    Rule.HEALTH_FOLLOWUP: Tab.FAMILY,
    Rule.PROGRAMME_REVIEW: Tab.PROGRAMME,
    Rule.PROGRAMME_END: Tab.PROGRAMME,
}


def deadline_tab(deadline: Deadline) -> Tab:
    """The tab where a deadline is met. Since 2016 the follow-up after a health result is a conversation
    on the contract, not a family follow-up."""
    if deadline.rule is Rule.HEALTH_FOLLOWUP and deadline.ruleset is Ruleset.LAW_2016:
        return Tab.CONTRACT
    return RULE_TAB[deadline.rule]

STANDING_OFFER = (
    "Den helbredsmæssige vurdering er et stående tilbud i hele integrationsperioden. "
    "Har borgeren takket nej, skal borgeren vejledes om, at tilbuddet står ved magt "
    "(lokal praksis: senest 14 dage efter afslaget), og kan altid tage imod det senere."
)


def value(item: object, today: date | None = None) -> Text:
    """A recorded value in words; dates as DD-MM-YYYY ("planlagt" when after `today`); '–' when nothing
    is recorded."""
    if item is None or item == "" or item == ():
        return NOT_RECORDED
    if isinstance(item, bool):
        return Text("Ja" if item else "Nej")
    if isinstance(item, date):
        return date_cell(item, today)
    if isinstance(item, float):
        return Text(f"{item:g}".replace(".", ","))
    if isinstance(item, Enum):  # before str: the codes are StrEnums, and Role.OTHER == ExemptReason.OTHER
        labels = LABELS.get(type(item), {})
        return Text(labels.get(item, str(item.value)))
    return plain(item)


def facts(pairs: Iterable[tuple[str, object]], today: date | None = None) -> Table:
    """Label and value, one a line; dates after `today` are planned."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    for label, item in pairs:
        grid.add_row(label, item if isinstance(item, Text) else value(item, today))
    return grid


def heading(title: str) -> Text:
    return Text(title, style="bold underline")


def deadline_lines(found: Sequence[Deadline], rules: Iterable[Rule]) -> RenderableType:
    """The deadlines of some rules, one line each: title, due, days, status in words, when met, and the
    legal basis with its ruleset."""
    wanted = set(rules)
    mine = [deadline for deadline in found if deadline.rule in wanted]
    if not mine:
        return Text("Ingen frister efter loven her.", style="dim")
    return DeadlineLines(mine)


class DeadlineLines:
    """Deadlines as lines fitted to the width they are drawn in: a narrow terminal shortens the legal
    basis (never its ruleset) and cuts the title; date, days, status and the date met always show."""

    GAP = 2
    TITLE_LEAST = 12
    BASIS_SHORT = 13

    def __init__(self, found: Sequence[Deadline]) -> None:
        self.found = list(found)

    def __rich_console__(self, console, options):
        yield self.grid(options.max_width)

    def grid(self, width: int) -> Table:
        rows = [(Text(d.title), Text(format_date(d.due)), Text(f"{d.days:+d} d"), status_cell(d.status),
                 Text(format_date(d.met_date), style="dim")) for d in self.found]
        fixed = [max(len(row[column].plain) for row in rows) for column in range(1, 5)]
        title = max(len(row[0].plain) for row in rows)
        basis = max(len(basis_cell(d.basis, d.ruleset).plain) for d in self.found)
        gaps = self.GAP * 5
        basis_width = None
        if title + sum(fixed) + basis + gaps > width:
            basis_width = self.BASIS_SHORT
            basis = min(basis, self.BASIS_SHORT)
        title = max(min(title, width - sum(fixed) - basis - gaps), self.TITLE_LEAST)
        table = Table.grid(padding=(0, self.GAP))
        table.add_column(width=title, no_wrap=True, overflow="ellipsis")
        for least in fixed:
            table.add_column(min_width=least, no_wrap=True)
        table.add_column(no_wrap=True, overflow="ellipsis")
        for deadline, row in zip(self.found, rows):
            table.add_row(*row, basis_cell(deadline.basis, deadline.ruleset, basis_width))
        return table


def person_deadlines(family: Family, person: Person, found: Sequence[Deadline]) -> list[Deadline]:
    """A person's own deadlines and, while covered and present, the family's follow-up."""
    return [d for d in found if d.person == person.ref or (d.person is None and person.is_covered)]


# ---------------------------------------------------------------- tabs


def overview(person: Person, today: date) -> RenderableType:
    born = Text(f"{format_date(person.birth_date)} ({age_on(person.birth_date, today)} år)")
    left = None
    if person.left_date:
        left = date_cell(person.left_date, today)
        if person.left_reason:
            left.append(" - ").append(plain(person.left_reason))
    return facts([
        ("Navn", plain(person.name)), ("Ref", plain(person.ref)), ("CPR-nummer", person.cpr),
        ("Født", born), ("Kategori", person.category), ("Rolle", person.role),
        ("Nationalitet", person.nationality), ("Overtaget", person.takeover_date), ("Fraflyttet", left),
    ], today)


def contract(person: Person, found: Sequence[Deadline], today: date, choice: RulesChoice) -> RenderableType:
    """The contract, its deadlines and the heading of its follow-up conversations (the table follows)."""
    c = person.contract
    activities = Text("\n".join(f"• {item}" for item in c.activities)) if c.activities else NOT_RECORDED
    # Since 2016 the follow-up after a health result is a conversation on the contract.
    rules = [Rule.CONTRACT, Rule.CONTRACT_FOLLOWUP]
    shown = [d for d in found if d.rule in rules or (d.rule is Rule.HEALTH_FOLLOWUP and d.ruleset is Ruleset.LAW_2016)]
    return Group(
        deadline_lines(shown, [*rules, Rule.HEALTH_FOLLOWUP]),
        Text(),
        facts([("Underskrevet", c.signed_date), ("Måltype", c.goal_kind), ("Mål", c.goal),
               ("Aktiviteter", activities)], today),
        Text(),
        heading(conversations_heading(person, today, choice)),
    )


def conversations_heading(person: Person, today: date, choice: RulesChoice) -> str:
    """'Opfølgningssamtaler: 2 af 4' under the 2016 rules (§ 20: at least 4 in the contract's first 6 months);
    without a count where that rule does not apply to the person."""
    if contract_applies(person, today) and ruleset_of(person, choice) is Ruleset.LAW_2016:
        return f"Opfølgningssamtaler: {conversations_held(person, today)} af {CONTRACT_CONVERSATIONS}"
    return "Opfølgningssamtaler"


def plan_offer(person: Person, found: Sequence[Deadline], history: Sequence[Change] | None,
               today: date | None = None) -> RenderableType:
    a = person.assessment
    offer = person.plan_offer
    health_summary: object = a.health_summary
    if person.health.consent is not True:
        health_summary = Text("vises kun med samtykke", style="dim")
    parts: list[RenderableType] = [
        deadline_lines(found, [Rule.PLAN_OFFER]),
        Text(),
        heading("Tilbud om integrationsplan"),
        facts([("Tilbudt", offer.offered_date), ("Svar", offer.answer)], today),
    ]
    if history is None:
        parts.append(Text("Historik indlæses…", style="dim"))
    elif history:
        parts.append(Text("Historik:", style="dim"))
        parts.extend(history_line(change) for change in history)
    parts += [
        Text(),
        heading("Udredningsdel"),
        facts([("Uddannelse", a.education), ("Erhvervserfaring", a.work_experience), ("Sprog", a.languages),
               ("Læse/skrive", a.literacy), ("Helbred", health_summary)]),
        Text(),
        heading("Indsatsdel"),
    ]
    return Group(*parts)


PLAN_HISTORY_FIELDS = ("plan_offer.offered_date", "plan_offer.answer", "*")
_FIELD_LABEL = {"plan_offer.offered_date": "Tilbudt", "plan_offer.answer": "Svar"}


def history_line(change: Change) -> Text:
    """One audited change in words: when, who, what from and to."""
    when = change.at[:16].replace("T", " kl. ")
    try:
        when = format_date(date.fromisoformat(change.at[:10])) + change.at[10:16].replace("T", " kl. ")
    except ValueError:
        pass
    line = Text(f"  {when} ", style="dim")
    line.append(plain(change.actor)).append(": ")
    if change.field == "*":
        offer = created_offer(change)
        line.append(f"oprettet med tilbudt {_shown(offer.get('offered_date'))}, svar {_shown(offer.get('answer'))}")
        return line
    label = _FIELD_LABEL.get(change.field, change.field)
    line.append(f"{label}: {_shown(change.old)} → {_shown(change.new)}")
    return line


def created_offer(change: Change) -> dict:
    """The plan offer a person was created with (a whole-record audit row holds the record as JSON)."""
    record = json.loads(change.new) if change.new else {}
    return record.get("plan_offer") or {}


def _shown(stored: str | None) -> str:
    if not stored:
        return "intet"
    try:
        return format_date(date.fromisoformat(stored))
    except ValueError:
        pass
    return {answer.value: label for answer, label in words.ANSWER.items()}.get(stored, stored)


def health(person: Person, found: Sequence[Deadline], today: date) -> RenderableType:
    h = person.health
    need = value(h.need) if h.need is not None else Text("ikke vurderet", style="dim")
    if h.need is not None and h.need_date is not None:
        need.append(" · vurderet ").append_text(date_cell(h.need_date, today))
    parts: list[RenderableType] = [
        deadline_lines(found, [Rule.HEALTH_OFFER, Rule.HEALTH_GUIDANCE, Rule.HEALTH_FOLLOWUP]),
        Text(),
        facts([("Tilbudt", h.offered_date), ("Afslået", h.declined_date),
               ("Vejledt om stående tilbud", h.guidance_date), ("Samtykke", h.consent),
               ("Resultat modtaget", h.result_received_date), ("Behov for vurdering", need)], today),
        Text(),
    ]
    style = "bold yellow" if h.declined_date and not h.guidance_date else "dim"
    parts.append(Text(STANDING_OFFER, style=style))
    return Group(*parts)


def danish(person: Person, found: Sequence[Deadline], today: date) -> RenderableType:
    d = person.danish
    return Group(
        deadline_lines(found, [Rule.DANISH_START]),
        Text(),
        # A pause is a period, read against today by the pause rule: its dates are never "planlagt".
        facts([("Henvist", d.referral_date), ("Startet", d.start_date), ("Spor", d.track.value if d.track else None),
               ("Udbyder", d.provider), ("Timer pr. uge", d.hours_per_week), ("Sat i bero fra", value(d.paused_from)),
               ("Sat i bero til", value(d.paused_to)), ("Prøve bestået", d.passed_date)], today),
    )


def programme(person: Person, found: Sequence[Deadline], today: date) -> RenderableType:
    p = person.programme
    decision = person.um_decision
    pairs: list[tuple[str, object]] = [("Startet", p.start_date), ("Fritaget pga.", p.exempt_reason)]
    if decision or person.category is Category.UNACCOMPANIED_MINOR:
        pairs += [("Uledsaget: besluttet", decision.date if decision else None),
                  ("Uledsaget: program tilbudt", decision.offered if decision else None)]
    return Group(
        deadline_lines(found, [Rule.PROGRAMME_START, Rule.UM_DECISION, Rule.PROGRAMME_REVIEW, Rule.PROGRAMME_END]),
        Text(),
        facts(pairs, today),
    )


def family_header(family: Family, today: date | None = None) -> Text:
    line = Text("Familie ", style="bold")
    line.append_text(Text(family.ref, style="bold"))
    line.append("  ·  koordinerende forvaltning: ")
    line.append(plain(family.coordinating_department) if family.coordinating_department else NOT_RECORDED)
    line.append("  ·  ")
    if family.housing:
        line.append(words.HOUSING[family.housing])
        if family.housing_since:
            line.append(" siden ").append_text(date_cell(family.housing_since, today))
    else:
        line.append("bolig ikke registreret", style="dim")
    return line


def family_plan(family: Family, found: Sequence[Deadline], today: date | None = None) -> RenderableType:
    plan = family.plan
    interval = plan.followup_months
    shown_interval = f"hver {interval}. måned" if interval else "ikke aftalt (højst 12 måneder)"
    if interval and interval > 12:
        shown_interval += " - loven kræver mindst årlig opfølgning, fristen regnes med 12"
    chain = [d for d in found if d.rule is Rule.PLAN_FOLLOWUP and d.status.is_open]
    # The follow-up after a health result is met here under the 2015 rules (on the contract since 2016).
    after_result = [d for d in found if d.rule is Rule.HEALTH_FOLLOWUP and d.ruleset is Ruleset.LAW_2015]
    return Group(
        deadline_lines(chain + after_result, [Rule.PLAN_FOLLOWUP, Rule.HEALTH_FOLLOWUP]),
        Text(),
        facts([("Integrationsplan udarbejdet", plan.made_date), ("Opfølgning", Text(shown_interval)),
               ("Bolig", family.housing), ("Bolig siden", family.housing_since),
               ("Koordinerende forvaltning", family.coordinating_department)], today),
        Text(),
        heading("Opfølgninger"),
    )


def member_age(person: Person, today: date) -> str:
    return str(age_on(person.birth_date, today))
