"""The demo generator's machinery: turning how a case was handled (scripts.py) into domain values.

A `Script` says, per obligation, whether the caseworker met it on time,
late or not at all ("auto": drawn by how long ago it fell due); the
`Generator` turns a family's members and scripts into a `Family` whose
dates are consistent with each other and with `today`. Each person's case
is recorded as the law in force on their takeover asks (kasse.law: the 2015
rules before 1 July 2016, the 2016 rules from then on): see obligations.py
and conversations.py. A few facts lie after `today`: a Danish course or a
conversation already booked.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from kasse.dates import add_months, is_adult_on
from kasse.demo import obligations, plans
from kasse.demo.conversations import conversations
from kasse.demo.scripts import AUTO, DAY, Draft, FamilyScript, Member, Outcome, Script
from kasse.demo.words import CHECKLIST_TASKS, FOLLOWUP_NOTES, MINOR_CHECKLIST_TASKS, QUOTA_CHECKLIST_TASKS, Country
from kasse.domain import (
    Answer,
    Category,
    ChecklistItem,
    Family,
    FamilyPlan,
    FollowUp,
    Housing,
    Person,
    Phase,
    PlanOffer,
    Programme,
    Role,
    UmDecision,
)
from kasse.law import Ruleset, ruleset_in_force

__all__ = ["AUTO", "DAY", "FamilyScript", "Generator", "Member", "Outcome", "Script", "programme_anchor"]

OPTIONAL_PLAN = 0.4  # since 2016 the plan is good practice, made with the family's consent
PLAN_TASK = "Integrationsplan udarbejdet"

# When each phase's tasks are done, in days from the takeover.
_CHECKLIST_DAYS = {
    Phase.PREPARATION: (-30, -5),
    Phase.HANDOVER: (-3, 0),
    Phase.ARRIVAL: (0, 2),
    Phase.RECEPTION: (7, 80),
}


class Generator:
    """Builds families from members and scripts, drawing every free choice from one seeded `rng`."""

    def __init__(self, rng: random.Random, today: date, person_width: int, family_width: int) -> None:
        self.rng, self.today = rng, today
        self.person_width, self.family_width = person_width, family_width
        self.persons = 0
        self.family_numbers: dict[int, int] = {}
        self.cprs: set[str] = set()

    # ------------------------------------------------------------- random helpers

    def between(self, first: date, last: date) -> date:
        return first + timedelta(days=int(self.rng.random() * ((last - first).days + 1)))

    def pick(self, options: tuple | list):
        return options[int(self.rng.random() * len(options))]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def months_ago(self, months: int, days: int = 0) -> date:
        return add_months(self.today, -months) + timedelta(days=days)

    def birth(self, on: date, youngest: float, oldest: float) -> date:
        """A birth date making the person between `youngest` and `oldest` years old on `on`."""
        born = on - timedelta(days=int(365.25 * (youngest + self.rng.random() * (oldest - youngest))))
        if youngest >= 18 and self.chance(0.08):
            born = date(born.year, 1, 1)  # unknown birth dates are registered as 1 January
        return born

    def spouse_birth(self, partner: date, partner_male: bool, takeover: date) -> date:
        """A spouse's birth date: the wife up to six years younger or two years older than the husband."""
        gap = timedelta(days=int((self.rng.random() * 8 - 2) * 365.25))
        born = partner + gap if partner_male else partner - gap
        return born if is_adult_on(born, takeover) else self.birth(takeover, 19, 25)

    def child_births(self, mother: date, takeover: date, latest: date, count: int) -> list[date]:
        """Up to `count` siblings' birth dates, oldest first: 1-4 years apart, under 18 on the takeover,
        born to a mother aged 18-44 and not after `latest` (nor after today)."""
        earliest = max(mother + timedelta(days=int(18.1 * 365.25)), takeover - timedelta(days=int(17.5 * 365.25)))
        last = min(latest, self.today, mother + timedelta(days=int(44 * 365.25)))
        births = []
        born = last - timedelta(days=int(self.rng.random() * 700))
        while len(births) < count and born >= earliest:
            births.append(born)
            born -= timedelta(days=int(440 + self.rng.random() * 1000))
        return births[::-1]

    def when(self, outcome: Outcome, start: date, due: date, until: date, spread: int | None = None) -> date | None:
        """The day an obligation due on `due` (possible from `start`) was met, or None; never after `until`."""
        if outcome == "auto":
            outcome = self.draw(start, due)
        if outcome == "missing" or until < start:
            return None
        if outcome == "late":
            if due >= until:
                return None  # cannot be late yet
            return self.between(due + DAY, min(until, due + timedelta(days=75)))
        first = start if spread is None else max(start, due - timedelta(days=spread))
        last = min(due, until)
        return self.between(first, last) if first <= last else None

    def draw(self, start: date, due: date) -> Outcome:
        roll = self.rng.random()
        if due >= self.today:  # not due yet: done already in proportion to the time gone
            elapsed = (self.today - start).days / max((due - start).days, 1)
            return "on_time" if roll < 0.75 * elapsed else "missing"
        if (self.today - due).days > 180:
            return "on_time" if roll < 0.8 else "late" if roll < 0.98 else "missing"
        return "on_time" if roll < 0.7 else "late" if roll < 0.87 else "missing"

    # ------------------------------------------------------------- identities

    def next_person_ref(self) -> str:
        self.persons += 1
        return f"P-{self.persons:0{self.person_width}d}"

    def next_family_ref(self, year: int) -> str:
        number = self.family_numbers.get(year, 0) + 1
        self.family_numbers[year] = number
        return f"F-{year}-{number:0{self.family_width}d}"

    def cpr(self, born: date, male: bool) -> str:
        """A CPR number for `born` whose 7th digit gives the right century; the last digit is odd for men."""
        while True:
            if born.year < 2000:
                seventh = self.pick((0, 1, 2, 3))
            else:
                seventh = self.pick((4, 9, 5, 6, 7, 8) if born.year <= 2036 else (5, 6, 7, 8))
            last = int(self.rng.random() * 5) * 2 + (1 if male else 0)
            number = f"{born:%d%m%y}-{seventh}{int(self.rng.random() * 100):02d}{last}"
            if number not in self.cprs:
                self.cprs.add(number)
                return number

    def names(self, country: Country, members: list[Member]) -> list[str]:
        """Names as the family's naming custom gives them: spouses keep their own, children follow the father.

        No two members of a family share a given name.
        """
        father = next((m for m in members if m.male and m.role in (Role.APPLICANT, Role.SPOUSE)), None)
        used: set[str] = set()
        surnames: set[str] = set()
        father_given, father_surname = self.fresh(country.male, used), self.fresh(country.surnames, surnames)
        names = []
        for member in members:
            origin = member.origin or country
            if member is father:
                given, surname = father_given, father_surname
            else:
                given = self.fresh(origin.male if member.male else origin.female, used)
                if member.role is Role.CHILD:
                    surname = father_given if country.patronymic else father_surname
                else:
                    surname = self.fresh(origin.surnames, surnames)
            names.append(f"{given} {surname}")
        return names

    def fresh(self, options: tuple[str, ...], used: set[str]) -> str:
        name = self.pick(options)
        for _ in range(20):
            if name not in used:
                break
            name = self.pick(options)
        used.add(name)
        return name

    # ------------------------------------------------------------- one person

    def draft(self, member: Member, name: str, country: Country, plan_offered: bool) -> Draft:
        script, takeover, today = member.script, member.takeover, self.today
        left_date, left_reason = member.left or (None, None)
        until = min(today, left_date) if left_date else today
        fields = {
            "ref": self.next_person_ref(),
            "name": name,
            "category": member.category,
            "birth_date": member.birth,
            "cpr": self.cpr(member.birth, member.male) if member.has_cpr else None,
            "role": member.role,
            "nationality": (member.origin or country).nationality,
            "takeover_date": takeover,
            "left_date": left_date,
            "left_reason": left_reason,
        }
        draft = Draft(fields, member, country, until)
        if member.category is Category.RESIDENT_SPOUSE or takeover is None:
            return draft
        draft.law = law = ruleset_in_force(takeover)
        decision = obligations.um_decision(self, member, until)
        anchor, with_contract = programme_anchor(member, decision)
        fields["um_decision"] = decision
        fields["programme"] = Programme(script.exempt, None)
        signed = None
        if anchor is not None:
            due = add_months(anchor, 1)
            start = script.fixed.get("programme") or self.when(script.programme, anchor, due, until)
            fields["programme"] = Programme(None, start)
            if with_contract:
                signed = script.fixed.get("signed") or self.when(script.contract, anchor, due, until)
                fields["contract"] = obligations.contract(self, signed)
                fields["danish"] = obligations.danish(self, script, anchor, due, until, law)
        outcome = script.plan_offer if plan_offered or script.plan_offer != "auto" else "missing"
        offered = script.fixed.get("plan_offer") or self.when(outcome, takeover, add_months(takeover, 3), until)
        answer = None if offered is None else Answer.ACCEPTED if self.chance(0.85) else Answer.DECLINED
        fields["plan_offer"] = PlanOffer(offered, answer)
        draft.accepted = offered if answer is Answer.ACCEPTED else None
        if law is Ruleset.LAW_2015:
            health = obligations.health_2015(self, script, takeover, until)
        else:
            health = obligations.health_2016(self, member, takeover, until)
        fields["health"] = health
        draft.result = health.result_received_date if health.consent else None
        if law is Ruleset.LAW_2016 and signed is not None:
            talks = conversations(self, script, signed, until, draft.result)
            fields["contract"] = replace(fields["contract"], followups=talks)
        return draft

    # ------------------------------------------------------------- one family

    def family(
        self, country: Country, members: list[Member], script: FamilyScript | None = None, department: str = "Jobcenter"
    ) -> Family:
        script = script or FamilyScript(interval=self.pick((3, 6, 6, 12, 12, 12)))
        anchor = members[0].takeover or self.today
        ref = self.next_family_ref(anchor.year)
        offered = script.offered
        if offered is None:
            older = any(m.takeover and ruleset_in_force(m.takeover) is Ruleset.LAW_2015 for m in members)
            offered = older or script.plan_made is not None or self.chance(OPTIONAL_PLAN)
        names = self.names(country, members)
        drafts = [self.draft(member, name, country, offered) for member, name in zip(members, names)]
        until = self.today
        if all(d.member.left for d in drafts if d.member.takeover):
            until = max((d.until for d in drafts if d.member.takeover), default=self.today)
        plan = self.plan(script, drafts, until)
        persons = [self.person(draft, plan.made_date) for draft in drafts]
        minor = members[0].category is Category.UNACCOMPANIED_MINOR
        housing, since = self.housing(anchor, minor)
        return Family(
            ref=ref,
            members=tuple(persons),
            coordinating_department="Børne- og Ungeforvaltningen" if minor else department,
            housing=housing,
            housing_since=since,
            plan=plan,
            checklist=self.checklist(anchor, until, persons[0], plan, offered),
        )

    def plan(self, script: FamilyScript, drafts: list[Draft], until: date) -> FamilyPlan:
        made = script.plan_made
        accepted = [d.accepted for d in drafts if d.accepted]
        if made is None and accepted:
            made = min(accepted) + timedelta(days=int(self.rng.random() * 22))
        if made is None or made > until:
            return FamilyPlan()
        dates = list(script.followups) if script.followups is not None else self.chain(script, made, until)
        for draft in drafts:  # 2015: a follow-up soon after a health result reached the municipality
            if (
                draft.law is Ruleset.LAW_2015
                and draft.result is not None
                and not any(draft.result <= day <= add_months(draft.result, 1) for day in dates)
            ):
                start = max(draft.result, made + DAY)
                done = self.when(draft.member.script.health_followup, start, add_months(draft.result, 1), draft.until)
                if done is not None:
                    dates.append(done)
        followups = tuple(FollowUp(day, self.pick(FOLLOWUP_NOTES)) for day in sorted(set(dates)))
        return FamilyPlan(made, script.interval, followups)

    def chain(self, script: FamilyScript, made: date, until: date) -> list[date]:
        """Follow-ups one after another, each due `interval` months after the previous, until one is missing."""
        dates, previous = [], made
        outcomes = script.chain if script.chain is not None else ("auto",) * 40
        for outcome in outcomes:
            done = self.when(outcome, previous + DAY, add_months(previous, script.interval), until, spread=30)
            if done is None:
                break
            dates.append(done)
            previous = done
        return dates

    def housing(self, anchor: date, minor: bool) -> tuple[Housing | None, date | None]:
        if minor:
            return None, None
        if anchor > self.today:
            return Housing.NONE, None
        if self.chance(0.27):  # about a quarter of municipalities have a permanent home ready on day one
            return Housing.PERMANENT, anchor
        moved = anchor + timedelta(days=60 + int(self.rng.random() * 400))
        return (Housing.PERMANENT, moved) if moved <= self.today else (Housing.TEMPORARY, anchor)

    def checklist(
        self, anchor: date, until: date, first: Person, plan: FamilyPlan, plan_offered: bool
    ) -> tuple[ChecklistItem, ...]:
        """The reception checklist, phase by phase; tasks the case records are dated as recorded (a course
        still to start is not ticked off). The plan's task only for a family offered one."""
        if first.category is Category.UNACCOMPANIED_MINOR:
            tasks = MINOR_CHECKLIST_TASKS
        else:
            tasks = QUOTA_CHECKLIST_TASKS if first.category is Category.QUOTA_REFUGEE else CHECKLIST_TASKS
        if not plan_offered:
            tasks = tuple(item for item in tasks if item[1] != PLAN_TASK)
        started = first.danish.start_date
        known = {
            "Integrationskontrakt indgået": first.contract.signed_date,
            PLAN_TASK: plan.made_date,
            "Helbredsmæssig vurdering tilbudt": first.health.offered_date,
            "Indskrevet på sprogskole": started if started is not None and started <= until else None,
        }
        rng = self.rng.random
        items = []
        for phase, task in tasks:
            if task in known:
                done = known[task]
            else:
                earliest, latest = _CHECKLIST_DAYS[phase]
                done = anchor + timedelta(days=earliest + int(rng() * (latest - earliest + 1)))
                if done > until or rng() < 0.05:  # not done yet, or not ticked off
                    done = None
            items.append(ChecklistItem(phase, task, done))
        return tuple(items)

    def person(self, draft: Draft, plan_made: date | None) -> Person:
        """The finished person: with goals and, for adults, an assessment once the family has a plan."""
        fields, member = draft.fields, draft.member
        if draft.accepted is not None and plan_made is not None:
            fields["goals"] = tuple(plans.goals(self, draft, plan_made))
            if is_adult_on(member.birth, plan_made):
                fields["assessment"] = plans.assessment(self, draft)
        return Person(**fields)


def programme_anchor(member: Member, decision: UmDecision | None) -> tuple[date | None, bool]:
    """When the programme runs from, and whether contract and Danish apply (DOMAIN.md)."""
    if member.script.exempt is not None:
        return None, False
    if member.category in (Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED):
        return (member.takeover, True) if is_adult_on(member.birth, member.takeover) else (None, False)
    if decision is not None and decision.offered:
        return decision.date, is_adult_on(member.birth, decision.date)
    return None, False
