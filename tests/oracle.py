"""An independent reference implementation ("oracle") of kasse's deadline rules.

Written only from /work/shared/DOMAIN.md (sections "Facts about a person that
the rules read", "Two rulesets" and "Words on screen"), FORMAT.md ("JSON output
of lookups") and the readings the team settled, for differential testing
against the real engine. It deliberately imports nothing of kasse but the
domain dataclasses: its month arithmetic and 18th birthday are its own.

    oracle_deadlines(families, today=date(2026, 11, 25))

returns every deadline in every status as a JSON-ready dict with the keys of a
lookup's JSON output (`family, person, name, rule, title, due, status, days,
met_date, ruleset, basis`), sorted by (due, family, person or "") and then by
rule and met date so that the order is deterministic.

Slow and plain on purpose: each rule is spelled out the way the spec's tables
read, one function a rule.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from kasse.domain import Category, Family, Person, Role

BOUNDARY_2016 = date(2016, 7, 1)
PROGRAMME_CATEGORIES = (Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED)

TITLES = {
    "2015": {
        "contract": "Integrationskontrakt indgået",
        "programme_start": "Integrationsprogram startet",
        "danish_start": "Danskuddannelse startet",
        "plan_offer": "Tilbud om integrationsplan",
        "health_offer": "Tilbud om helbredsmæssig vurdering",
        "health_guidance": "Vejledning om stående tilbud",
        "um_decision": "Beslutning om integrationsprogram",
        "plan_followup": "Opfølgning på integrationsplan",
        "health_followup": "Opfølgning efter helbredsvurdering",
        "programme_end": "Integrationsprogram udløber",
    },
    "2016": {
        "contract": "Kontrakt indgået",
        "contract_followup": "Opfølgning på kontrakten (4 samtaler)",
        "programme_start": "Program startet",
        "danish_start": "Henvist til danskuddannelse",
        "health_offer": "Tilbud om helbredsmæssig vurdering",
        "um_decision": "Beslutning om program",
        "health_followup": "Opfølgning efter helbredsvurdering",
        "programme_review": "Programmet skal forlænges eller afsluttes",
        "programme_end": "Program udløber senest",
        # Only with plan_deadlines (local policy): the 2015 titles.
        "plan_offer": "Tilbud om integrationsplan",
        "plan_followup": "Opfølgning på integrationsplan",
    },
}

BASES = {
    "2015": {
        "contract": "integrationsloven § 19",
        "programme_start": "integrationsloven § 16",
        "danish_start": "integrationsloven § 21",
        "plan_offer": "integrationsloven § 15 a",
        "health_offer": "integrationsloven § 15 d",
        "health_guidance": "lokal praksis",
        "um_decision": "integrationsloven § 16, stk. 7",
        "plan_followup": "integrationsloven § 15 c",
        "health_followup": "lokal praksis",
        "programme_end": "integrationsloven § 16",
    },
    "2016": {
        "contract": "integrationsloven § 19",
        "contract_followup": "integrationsloven § 20, stk. 1",
        "programme_start": "integrationsloven § 16",
        "danish_start": "integrationsloven § 21",
        "health_offer": "integrationsloven § 15 d",
        "um_decision": "integrationsloven § 16, stk. 7",
        "health_followup": "lokal praksis",
        "programme_review": "integrationsloven § 16 (planlægges for 1 år)",
        "programme_end": "integrationsloven § 16 (højst 5 år)",
        "plan_offer": "lokal praksis",
        "plan_followup": "lokal praksis",
    },
}

KEYS = ("family", "person", "name", "rule", "title", "due", "status", "days", "met_date", "ruleset", "basis")


# --- dates -----------------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Same day number `months` calendar months on, clamped to that month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """Years likewise: 29 Feb + 1 year = 28 Feb."""
    return add_months(day, 12 * years)


def eighteenth_birthday(birth: date) -> date:
    """The day a person turns 18; born 29 Feb turns 18 on 1 March in a non-leap year (not clamped)."""
    year = birth.year + 18
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, birth.month, birth.day)


def is_adult_on(person: Person, day: date) -> bool:
    return day >= eighteenth_birthday(person.birth_date)


# --- the evaluation of one caseload on one day ---------------------------------------------------------------


class _Day:
    """Everything that depends on `today` and the policy: what is known, statuses, rulesets."""

    def __init__(self, *, today: date, window: int, rules: str, plan_deadlines: bool,
                 health_guidance_days: int, health_followup_months: int, danish_resume_months: int) -> None:
        if rules not in ("auto", "2015", "2016"):
            raise ValueError(f"rules must be auto, 2015 or 2016, not {rules!r}")
        self.today = today
        self.window = window
        self.rules = rules
        self.plan_deadlines = plan_deadlines
        self.health_guidance_days = health_guidance_days
        self.health_followup_months = health_followup_months
        self.danish_resume_months = danish_resume_months

    # what was known on today

    def known(self, day: date | None) -> date | None:
        """A fact dated after today has not happened yet."""
        return day if day is not None and day <= self.today else None

    def earliest_known(self, *days: date | None) -> date | None:
        found = [day for day in (self.known(d) for d in days) if day is not None]
        return min(found) if found else None

    def has_left(self, person: Person) -> bool:
        return self.known(person.left_date) is not None

    def ruleset(self, person: Person) -> str:
        if self.rules != "auto":
            return self.rules
        assert person.takeover_date is not None
        return "2015" if person.takeover_date < BOUNDARY_2016 else "2016"

    # statuses

    def status(self, due: date, met: date | None, *, left: bool, paused: bool = False) -> str:
        if met is not None:
            return "met" if met <= due else "met_late"
        if left:
            return "closed"
        if paused:
            return "paused"
        if self.today > due:
            return "overdue"
        if (due - self.today).days <= self.window:
            return "due_soon"
        return "upcoming"

    def milestone_status(self, due: date) -> str:
        return "due_soon" if (due - self.today).days <= self.window else "upcoming"


def _row(day: _Day, family: Family, person: Person | None, rule: str, ruleset: str, due: date,
         status: str, met: date | None) -> dict:
    return {
        "family": family.ref,
        "person": person.ref if person is not None else None,
        "name": person.name if person is not None else _display_name(family),
        "rule": rule,
        "title": TITLES[ruleset][rule],
        "due": due.isoformat(),
        "status": status,
        "days": (due - day.today).days,
        "met_date": met.isoformat() if met is not None else None,
        "ruleset": ruleset,
        "basis": BASES[ruleset][rule],
    }


def _display_name(family: Family) -> str:
    for member in family.members:
        if member.role is Role.APPLICANT:
            return member.name
    return family.members[0].name if family.members else family.ref


def _is_covered(person: Person) -> bool:
    return person.category is not Category.RESIDENT_SPOUSE and person.takeover_date is not None


# --- the person's deadlines ----------------------------------------------------------------------------------


def _programme_anchor(day: _Day, person: Person) -> tuple[date | None, bool]:
    """(anchor of contract/programme_start/danish_start, whether contract and danish_start apply).

    anchor None: none of the three applies. A covered adult (on the takeover date) refugee, quota refugee or
    family reunified, not exempt: anchor = takeover, all three apply. An unaccompanied minor with a known
    decision `offered: true` (not exempt): anchor = decision date; programme_start applies, contract and
    danish_start only if the person is an adult on that date.
    """
    if person.programme.exempt_reason is not None:
        return None, False
    takeover = person.takeover_date
    assert takeover is not None
    if person.category in PROGRAMME_CATEGORIES:
        if is_adult_on(person, takeover):
            return takeover, True
        return None, False
    if person.category is Category.UNACCOMPANIED_MINOR:
        decision = person.um_decision
        if decision is not None and day.known(decision.date) is not None and decision.offered:
            return decision.date, is_adult_on(person, decision.date)
    return None, False


def _danish(day: _Day, family: Family, person: Person, ruleset: str, anchor: date, left: bool) -> dict:
    danish = person.danish
    original = add_months(anchor, 1)
    if ruleset == "2016":
        started = day.earliest_known(danish.referral_date, danish.start_date)
    else:
        started = day.known(danish.start_date)
    due = original
    paused_open = False
    pause_from = danish.paused_from
    if pause_from is not None and pause_from <= day.today and (started is None or started > pause_from):
        if danish.paused_to is None or day.today <= danish.paused_to:
            paused_open = True
        else:
            due = max(original, add_months(danish.paused_to, day.danish_resume_months))
    status = day.status(due, started, left=left, paused=paused_open)
    return _row(day, family, person, "danish_start", ruleset, due, status, started)


def _health_offer_2016(day: _Day, family: Family, person: Person, left: bool) -> dict | None:
    health = person.health
    need_known = health.need is not None and day.known(health.need_date) is not None
    offered = day.known(health.offered_date)
    due = add_months(person.takeover_date, 6)
    if person.category is Category.QUOTA_REFUGEE:
        met = offered
    elif person.category in (Category.REFUGEE, Category.UNACCOMPANIED_MINOR):
        if need_known and health.need is False:
            met = day.earliest_known(health.offered_date, health.need_date)
        else:
            met = offered
    elif person.category is Category.FAMILY_REUNIFIED:
        if not (need_known and health.need is True):
            return None
        met = offered
    else:
        return None
    return _row(day, family, person, "health_offer", "2016", due, day.status(due, met, left=left), met)


def _person_deadlines(day: _Day, family: Family, person: Person) -> list[dict]:
    if not _is_covered(person):
        return []
    ruleset = day.ruleset(person)
    left = day.has_left(person)
    takeover = person.takeover_date
    assert takeover is not None
    rows: list[dict] = []

    def add(rule: str, due: date, met: date | None) -> None:
        rows.append(_row(day, family, person, rule, ruleset, due, day.status(due, met, left=left), met))

    anchor, contract_applies = _programme_anchor(day, person)
    signed = day.known(person.contract.signed_date)
    conversations = sorted({c.date for c in person.contract.followups if day.known(c.date) is not None})

    # contract, programme_start, danish_start (and 2016: contract_followup)
    if anchor is not None:
        if contract_applies:
            add("contract", add_months(anchor, 1), signed)
            if ruleset == "2016" and signed is not None:
                counted = [c for c in conversations if c >= signed]
                add("contract_followup", add_months(signed, 6), counted[3] if len(counted) >= 4 else None)
        add("programme_start", add_months(anchor, 1), day.known(person.programme.start_date))
        if contract_applies:
            rows.append(_danish(day, family, person, ruleset, anchor, left))

    # plan_offer: 2015, or 2016 with plan_deadlines
    if ruleset == "2015" or day.plan_deadlines:
        add("plan_offer", add_months(takeover, 3), day.known(person.plan_offer.offered_date))

    # health_offer and (2015) health_guidance
    health = person.health
    if ruleset == "2015":
        add("health_offer", add_months(takeover, 3), day.known(health.offered_date))
        declined = day.known(health.declined_date)
        if declined is not None:
            add("health_guidance", declined + timedelta(days=day.health_guidance_days), day.known(health.guidance_date))
    else:
        found = _health_offer_2016(day, family, person, left)
        if found is not None:
            rows.append(found)

    # um_decision
    if person.category is Category.UNACCOMPANIED_MINOR and not is_adult_on(person, takeover):
        decision = person.um_decision
        met = day.known(decision.date) if decision is not None else None
        add("um_decision", eighteenth_birthday(person.birth_date) - timedelta(days=1), met)

    # health_followup
    result = day.known(health.result_received_date)
    if result is not None and health.consent is True:
        due = add_months(result, day.health_followup_months)
        if ruleset == "2015":
            if day.known(family.plan.made_date) is not None:
                later = sorted(f.date for f in family.plan.followups
                               if day.known(f.date) is not None and f.date >= result)
                add("health_followup", due, later[0] if later else None)
        elif contract_applies and anchor is not None and signed is not None:
            # A conversation on the contract: held once it was signed (as contract_followup counts them).
            later = [c for c in conversations if c >= result and c >= signed]
            add("health_followup", due, later[0] if later else None)

    # milestones: never overdue, only while the date is today or later, not for a person who has left
    start = day.known(person.programme.start_date)
    if start is not None and not left:
        milestones = [("programme_end", add_years(start, 3))] if ruleset == "2015" else [
            ("programme_review", add_years(start, 1)), ("programme_end", add_years(start, 5))]
        for rule, due in milestones:
            if due >= day.today:
                rows.append(_row(day, family, person, rule, ruleset, due, day.milestone_status(due), None))
    return rows


# --- the family's plan follow-ups ----------------------------------------------------------------------------


def _plan_followups(day: _Day, family: Family) -> list[dict]:
    made = day.known(family.plan.made_date)
    covered = [member for member in family.members if _is_covered(member)]
    if made is None or not covered:
        return []
    any_2015 = any(day.ruleset(member) == "2015" for member in covered)
    if not (any_2015 or day.plan_deadlines):
        return []
    ruleset = "2015" if any_2015 else "2016"
    months = family.plan.followup_months
    interval = 12 if months is None or months < 1 else min(months, 12)
    all_left = all(day.has_left(member) for member in covered)
    chain = [made] + sorted({f.date for f in family.plan.followups if made < f.date <= day.today})
    rows = []
    for index, held in enumerate(chain):
        due = add_months(held, interval)
        met = chain[index + 1] if index + 1 < len(chain) else None
        rows.append(_row(day, family, None, "plan_followup", ruleset, due,
                         day.status(due, met, left=all_left), met))
    return rows


# --- entry point -----------------------------------------------------------------------------------------------


def sort_key(row: dict) -> tuple:
    return (row["due"], row["family"], row["person"] or "", row["rule"], row["met_date"] or "")


def oracle_deadlines(
    families: Iterable[Family],
    *,
    today: date,
    window: int = 14,
    rules: str = "auto",
    plan_deadlines: bool = False,
    health_guidance_days: int = 14,
    health_followup_months: int = 1,
    danish_resume_months: int = 1,
) -> list[dict]:
    """Every deadline of every family on `today`, in every status, as lookup JSON rows."""
    day = _Day(today=today, window=window, rules=rules, plan_deadlines=plan_deadlines,
               health_guidance_days=health_guidance_days, health_followup_months=health_followup_months,
               danish_resume_months=danish_resume_months)
    rows: list[dict] = []
    for family in families:
        for person in family.members:
            rows.extend(_person_deadlines(day, family, person))
        rows.extend(_plan_followups(day, family))
    rows.sort(key=sort_key)
    return rows
