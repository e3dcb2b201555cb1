"""The showcase: families written so that, on `today`, every deadline rule shows in every status it can have.

Each family is one method, named for the situation it shows; its docstring
lists the statuses it guarantees. Only `health_guidance` never shows as
`upcoming`: that would need a decline dated in the future.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from kasse.dates import add_months, add_years
from kasse.demo.generator import AUTO, FamilyScript, Generator, Member, Script
from kasse.demo.words import AFGHANISTAN, DENMARK, ERITREA, IRAN, MOVED_AWAY, SOMALIA, SYRIA, Country
from kasse.domain import Category, ExemptReason, Family, Role

REFUGEE, QUOTA, REUNIFIED = Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED

MISSING_ALL = Script(
    contract="missing", programme="missing", danish="missing", plan_offer="missing", health_offer="missing"
)
ON_TIME = Script(
    contract="on_time", programme="on_time", danish="on_time", plan_offer="on_time", health_offer="on_time"
)
NO_OFFERS = Script(plan_offer="missing", health_offer="missing")
DECLINED = Script(health_offer="on_time", health="declined")
CONSENTED = Script(health_offer="on_time", health="consent")


class Showcase:
    """The showcase families for one generator (and so one `today`)."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.today = generator.today

    def recipes(self) -> list[Callable[[], Family]]:
        """The families in order, each built only when called (a small demo builds the first few)."""
        return [
            self.arrived_a_month_ago,
            self.arriving_soon,
            self.three_months_in,
            self.spouse_reunified_and_forgotten,
            self.danish_paused,
            self.danish_resumed_late,
            self.health_assessment_declined,
            self.health_results_followed_up,
            self.health_results_waiting,
            self.minor_without_decision_yet,
            self.minor_turning_18_soon,
            self.minor_turned_18_without_decision,
            self.minor_offered_programme,
            self.minor_not_offered_programme,
            self.minor_decided_after_18,
            self.minor_moved_away,
            self.married_to_resident,
            self.exempt_for_trauma,
            self.exempt_for_disability,
            self.moved_away_at_once,
            self.moved_away_later,
            self.programme_ending,
            self.quarterly_followups,
        ]

    # ------------------------------------------------------------- helpers

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def ago(self, months: int, days: int = 0) -> date:
        return self.g.months_ago(months, days)

    def applicant(
        self, category: Category, takeover: date, male: bool, script: Script = AUTO, youngest=30, oldest=45, **kw
    ) -> Member:
        born = self.g.birth(takeover, youngest, oldest)
        return Member(Role.APPLICANT, category, born, male, takeover, script, **kw)

    def spouse(self, partner: Member, category: Category, takeover: date, script: Script = AUTO, **kw) -> Member:
        born = self.g.spouse_birth(partner.birth, partner.male, takeover)
        return Member(Role.SPOUSE, category, born, not partner.male, takeover, script, **kw)

    def children(
        self, mother: Member, category: Category, takeover: date, *scripts: Script, latest: date | None = None, **kw
    ) -> list[Member]:
        """One child per script (fewer if the mother is too young for them all: the first scripts come first)."""
        births = self.g.child_births(mother.birth, takeover, latest or takeover - timedelta(days=30), len(scripts))
        return [
            Member(Role.CHILD, category, born, self.g.chance(0.5), takeover, script, **kw)
            for born, script in zip(births, scripts)
        ]

    def adult_child(self, takeover: date, male: bool, script: Script) -> Member:
        return Member(Role.CHILD, REFUGEE, self.g.birth(takeover, 18.5, 20), male, takeover, script)

    def couple(
        self,
        country: Country,
        category: Category,
        takeover: date,
        husband: Script,
        wife: Script,
        *children: Script,
        plan: FamilyScript | None = None,
        **kw,
    ) -> Family:
        """A refugee husband (the applicant), his wife and a child per script in `children`."""
        man = self.applicant(category, takeover, True, husband, **kw)
        woman = self.spouse(man, category, takeover, wife, **kw)
        return self.g.family(country, [man, woman, *self.children(woman, category, takeover, *children, **kw)], plan)

    def minor(self, country: Country, takeover: date, born: date, script: Script, **kw) -> Family:
        member = Member(Role.APPLICANT, Category.UNACCOMPANIED_MINOR, born, self.g.chance(0.8), takeover, script, **kw)
        return self.g.family(country, [member])

    def born_18_years_before(self, offset: int) -> date:
        """A birth date making the person 18 on `today + offset`."""
        return add_years(self.day(offset), -18)

    # ------------------------------------------------------------- the families

    def arrived_a_month_ago(self) -> Family:
        """contract and danish_start due_soon, programme_start met; the wife's contract met, programme_start
        due_soon; plan_offer and health_offer upcoming."""
        husband = Script(
            contract="missing", programme="on_time", danish="missing", plan_offer="missing", health_offer="missing"
        )
        wife = Script(
            contract="on_time", programme="missing", danish="on_time", plan_offer="missing", health_offer="missing"
        )
        return self.couple(SYRIA, REFUGEE, self.ago(1, 7), husband, wife, NO_OFFERS, NO_OFFERS)

    def arriving_soon(self) -> Family:
        """Quota refugees arriving in 12 days, no CPR numbers yet: everything upcoming."""
        return self.couple(ERITREA, QUOTA, self.day(12), AUTO, AUTO, AUTO, has_cpr=False)

    def three_months_in(self) -> Family:
        """contract met_late, danish_start met; plan_offer and health_offer due_soon."""
        script = Script(
            contract="late", programme="on_time", danish="on_time", plan_offer="missing", health_offer="missing"
        )
        member = self.applicant(REFUGEE, self.ago(3, 7), True, script, youngest=20, oldest=35)
        return self.g.family(AFGHANISTAN, [member])

    def spouse_reunified_and_forgotten(self) -> Family:
        """The reunified wife: everything overdue; the refugee husband: offers met_late, programme_end upcoming."""
        first, joined = self.ago(26), self.ago(5)
        script = replace(ON_TIME, plan_offer="late", health_offer="late", health="consent", result=True)
        husband = self.applicant(REFUGEE, first, True, script)
        wife = self.spouse(husband, REUNIFIED, joined, MISSING_ALL)
        children = self.children(wife, REUNIFIED, joined, NO_OFFERS, latest=first - timedelta(days=110))
        return self.g.family(SOMALIA, [husband, wife, *children], FamilyScript(interval=12))

    def danish_paused(self) -> Family:
        """danish_start paused (the husband is still ill) and due_soon (the wife's pause ended 20 days ago)."""
        takeover = self.ago(2)
        husband = Script(contract="on_time", programme="on_time", pause="open")
        pause = {"pause_from": takeover + timedelta(days=5), "pause_to": self.ago(1, 10)}
        wife = Script(contract="on_time", programme="on_time", danish="missing", pause="ended", fixed=pause)
        return self.couple(IRAN, REFUGEE, takeover, husband, wife)

    def danish_resumed_late(self) -> Family:
        """programme_start and danish_start (after a pause) met_late; plan_followup overdue."""
        takeover = self.ago(8)
        fixed = {
            "pause_from": takeover + timedelta(days=7),
            "pause_to": takeover + timedelta(days=60),
            "plan_offer": takeover + timedelta(days=20),
        }
        script = Script(contract="on_time", programme="late", danish="late", pause="ended", fixed=fixed)
        plan = FamilyScript(plan_made=add_months(takeover, 1), interval=6, chain=())
        return self.g.family(SOMALIA, [self.applicant(REFUGEE, takeover, False, script)], plan)

    def health_assessment_declined(self) -> Family:
        """health_guidance overdue (declined 30 days ago), due_soon (5 days ago) and met (the son)."""
        takeover = self.ago(6)
        husband_script = replace(DECLINED, guidance="missing", fixed={"declined": self.day(-30)})
        husband = self.applicant(REFUGEE, takeover, True, husband_script, youngest=40, oldest=52)
        wife = self.spouse(
            husband, REFUGEE, takeover, replace(DECLINED, guidance="missing", fixed={"declined": self.day(-5)})
        )
        son = self.adult_child(takeover, True, replace(DECLINED, guidance="on_time"))
        return self.g.family(SYRIA, [husband, wife, son])

    def health_results_followed_up(self) -> Family:
        """health_followup met and met_late; health_guidance met_late; a chain of six-monthly plan follow-ups."""
        takeover = self.ago(24)
        husband = replace(CONSENTED, health_followup="on_time", fixed={"result": add_months(takeover, 3)})
        wife = replace(DECLINED, guidance="late")
        late_result = add_months(takeover, 5) + timedelta(days=10)
        child = replace(CONSENTED, health_followup="late", fixed={"result": late_result})
        plan = FamilyScript(plan_made=add_months(takeover, 2), interval=6, chain=("on_time", "on_time", "late"))
        return self.couple(ERITREA, REFUGEE, takeover, husband, wife, child, AUTO, plan=plan)

    def health_results_waiting(self) -> Family:
        """health_followup overdue, due_soon and upcoming (results 70, 22 and 4 days ago); plan_followup upcoming."""
        takeover = self.ago(10)

        def waiting(days_ago: int) -> Script:
            return replace(CONSENTED, health_followup="missing", fixed={"result": self.day(-days_ago)})

        husband = self.applicant(REFUGEE, takeover, True, waiting(70), youngest=40, oldest=52)
        members = [
            husband,
            self.spouse(husband, REFUGEE, takeover, waiting(22)),
            self.adult_child(takeover, False, waiting(4)),
        ]
        return self.g.family(IRAN, members, FamilyScript(plan_made=add_months(takeover, 2), interval=12, chain=()))

    def minor_without_decision_yet(self) -> Family:
        """um_decision upcoming (a 15-year-old); plan_offer and health_offer met."""
        takeover = self.ago(4)
        script = Script(um_decision="missing", plan_offer="on_time", health_offer="on_time")
        return self.minor(AFGHANISTAN, takeover, self.g.birth(takeover, 15, 15.9), script)

    def minor_turning_18_soon(self) -> Family:
        """um_decision due_soon: 18 in ten days."""
        return self.minor(ERITREA, self.ago(14), self.born_18_years_before(10), Script(um_decision="missing"))

    def minor_turned_18_without_decision(self) -> Family:
        """um_decision overdue: turned 18 two months ago."""
        return self.minor(AFGHANISTAN, self.ago(20), self.born_18_years_before(-60), Script(um_decision="missing"))

    def minor_offered_programme(self) -> Family:
        """um_decision met (offered); programme_start, anchored on the decision, met."""
        takeover = self.ago(18)
        script = Script(um_decision="on_time", um_offered=True, programme="on_time")
        return self.minor(SOMALIA, takeover, self.g.birth(takeover, 16, 16.5), script)

    def minor_not_offered_programme(self) -> Family:
        """um_decision met (not offered)."""
        takeover = self.ago(10)
        script = Script(um_decision="on_time", um_offered=False)
        return self.minor(SYRIA, takeover, self.g.birth(takeover, 17, 17.5), script)

    def minor_decided_after_18(self) -> Family:
        """um_decision met_late; an adult on the decision, so contract (met) and danish_start (met_late) apply."""
        script = Script(um_decision="late", um_offered=True, contract="on_time", programme="on_time", danish="late")
        return self.minor(AFGHANISTAN, self.ago(24), self.born_18_years_before(-150), script)

    def minor_moved_away(self) -> Family:
        """um_decision closed: moved to another municipality before any decision."""
        takeover = self.ago(8)
        born = self.g.birth(takeover, 16, 16.5)
        return self.minor(ERITREA, takeover, born, Script(um_decision="missing"), left=(self.ago(4), MOVED_AWAY))

    def married_to_resident(self) -> Family:
        """A refugee married to a resident spouse, who has no deadlines."""
        husband = self.applicant(REFUGEE, self.ago(18), True, ON_TIME)
        born = self.g.spouse_birth(husband.birth, True, self.today)
        wife = Member(Role.SPOUSE, Category.RESIDENT_SPOUSE, born, False, None, origin=DENMARK)
        return self.g.family(SYRIA, [husband, wife])

    def exempt_for_trauma(self) -> Family:
        """Exempt from the programme (trauma): no contract, programme or Danish deadlines; offers met."""
        script = replace(CONSENTED, exempt=ExemptReason.TRAUMA, plan_offer="on_time", result=True)
        return self.g.family(AFGHANISTAN, [self.applicant(REFUGEE, self.ago(10), False, script)])

    def exempt_for_disability(self) -> Family:
        """Exempt from the programme (disability), his wife is not."""
        return self.couple(ERITREA, QUOTA, self.ago(14), Script(exempt=ExemptReason.DISABILITY), ON_TIME)

    def moved_away_at_once(self) -> Family:
        """Moved two weeks after arriving: contract, programme_start, danish_start and both offers closed."""
        takeover = self.ago(2)
        left = (takeover + timedelta(days=14), MOVED_AWAY)
        return self.couple(SYRIA, REFUGEE, takeover, MISSING_ALL, MISSING_ALL, MISSING_ALL, left=left)

    def moved_away_later(self) -> Family:
        """Moved after seven months: health_followup, health_guidance and plan_followup closed."""
        takeover = self.ago(9)
        result, declined = add_months(takeover, 3), add_months(takeover, 3) + timedelta(days=5)
        husband = replace(CONSENTED, health_followup="missing", fixed={"result": result})
        wife = replace(DECLINED, guidance="missing", fixed={"declined": declined})
        plan = FamilyScript(plan_made=add_months(takeover, 2), interval=6, chain=())
        left = (add_months(takeover, 7), MOVED_AWAY)
        return self.couple(SOMALIA, REFUGEE, takeover, husband, wife, plan=plan, left=left)

    def programme_ending(self) -> Family:
        """programme_end due_soon: the three years run out in a week."""
        start = add_years(self.day(7), -3)
        script = replace(ON_TIME, fixed={"programme": start})
        return self.g.family(ERITREA, [self.applicant(REFUGEE, start - timedelta(days=20), True, script)])

    def quarterly_followups(self) -> Family:
        """plan_followup met, met_late twice, then due_soon: follow-ups every three months."""
        takeover = self.ago(15)
        dates = (
            add_months(takeover, 5) - timedelta(days=3),
            add_months(takeover, 8) + timedelta(days=10),
            self.ago(3, 7),
        )
        plan = FamilyScript(plan_made=add_months(takeover, 2), interval=3, followups=dates)
        return self.couple(SYRIA, REFUGEE, takeover, ON_TIME, ON_TIME, ON_TIME, plan=plan)


def showcase(generator: Generator) -> list[Callable[[], Family]]:
    """The showcase families for `generator`, each built when called."""
    return Showcase(generator).recipes()
