"""The showcase's recent families: taken over under the law in force (the 2016 rules, DOMAIN.md "Two rulesets").

Each family is one method, named for the situation it shows; its docstring
lists the statuses it guarantees under `auto` on `today`. Together they show
every 2016 rule in every status it can have. Some of their facts also feed
the 2015 rules when a user pins them (`--rules 2015`): a decline 5 days ago
makes the guidance on the standing offer due soon. A few facts are planned:
a Danish course or a conversation booked for next week.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from kasse.dates import add_months, add_years
from kasse.demo.cast import QUOTA, REFUGEE, REUNIFIED, Cast
from kasse.demo.scripts import AUTO, FamilyScript, Member, Script
from kasse.demo.words import AFGHANISTAN, DENMARK, ERITREA, IRAN, MOVED_AWAY, SOMALIA, SYRIA
from kasse.domain import Category, ExemptReason, Family, Role

MISSING_ALL = Script(
    contract="missing", programme="missing", danish="missing", plan_offer="missing", health_offer="missing",
    need="unassessed",
)  # fmt: skip
ON_TIME = Script(
    contract="on_time", programme="on_time", danish="on_time", health_offer="on_time", conversations="on_time"
)
NO_OFFER = Script(plan_offer="missing", health_offer="missing", need="unassessed")
IN_PROGRAMME = Script(contract="on_time", programme="on_time", danish="on_time", need="unassessed")


class RecentFamilies(Cast):
    """The families taken over since 1 July 2016, relative to `today`."""

    def recipes(self) -> list[Callable[[], Family]]:
        return [
            self.arrived_a_month_ago,
            self.arriving_soon,
            self.three_months_in,
            self.half_a_year_in,
            self.spouse_reunified_and_forgotten,
            self.danish_paused,
            self.danish_resumed_late,
            self.health_assessment_declined,
            self.health_results_followed_up,
            self.health_results_waiting,
            self.a_year_in_the_programme,
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
            self.quarterly_plan_followups,
        ]

    def arrived_a_month_ago(self) -> Family:
        """contract and danish_start due_soon, programme_start met; the wife: contract met, her first conversation
        booked next week (contract_followup upcoming, none held), referred to Danish with the course starting in
        five days (danish_start met, the start planned), programme_start due_soon; health_offer upcoming."""
        husband = Script(contract="missing", programme="on_time", danish="missing", plan_offer="missing",
                         health_offer="missing", need="unassessed")  # fmt: skip
        wife = Script(
            contract="on_time", programme="missing", danish="on_time", plan_offer="missing", health_offer="missing",
            need="unassessed", talks=(self.day(4),),
            fixed={"signed": self.day(-20), "referral": self.day(-12), "danish_start": self.day(5)},
        )  # fmt: skip
        return self.couple(SYRIA, REFUGEE, self.ago(1, 7), husband, wife, NO_OFFER, NO_OFFER)

    def arriving_soon(self) -> Family:
        """Quota refugees arriving in 12 days, no CPR numbers yet: everything upcoming."""
        return self.couple(ERITREA, QUOTA, self.day(12), AUTO, AUTO, AUTO, has_cpr=False)

    def three_months_in(self) -> Family:
        """contract met_late; one conversation held and the next booked (contract_followup upcoming); danish_start
        met by the referral; health_offer upcoming (six months since 2016; pinned to 2015 it is due_soon, as is
        the plan offer)."""
        takeover = self.ago(3, 7)
        signed = add_months(takeover, 1) + timedelta(days=10)
        script = replace(IN_PROGRAMME, contract="late", plan_offer="missing", health_offer="missing",
                         talks=(signed + timedelta(days=28), self.day(9)), fixed={"signed": signed})  # fmt: skip
        member = self.applicant(REFUGEE, takeover, True, script, youngest=20, oldest=35)
        return self.g.family(AFGHANISTAN, [member])

    def half_a_year_in(self) -> Family:
        """health_offer due_soon (the husband) and met by a "no need" assessment (the wife); the husband has three
        conversations and the fourth booked in three days (contract_followup due_soon), the wife had four within
        the six months (met)."""
        takeover = add_months(self.day(2), -6)
        signed = takeover + timedelta(days=5)
        talks = (*self.after(signed, 30, 70, 115), self.day(3))
        husband = replace(IN_PROGRAMME, health_offer="missing", talks=talks, fixed={"signed": signed})
        her_signing = takeover + timedelta(days=8)
        wife = replace(IN_PROGRAMME, need="no_need", talks=self.after(her_signing, 20, 50, 90, 130),
                       fixed={"signed": her_signing})  # fmt: skip
        return self.couple(IRAN, REFUGEE, takeover, husband, wife)

    def spouse_reunified_and_forgotten(self) -> Family:
        """The reunified wife (joined 7 months ago): contract, programme_start and danish_start overdue, and
        health_offer overdue though a need was assessed; the refugee husband: health_offer met_late, his result
        talked over at a conversation (health_followup met), four conversations in time (contract_followup met)."""
        first, joined = self.ago(26), self.ago(7)
        script = replace(ON_TIME, health_offer="late", health="consent", result=True, health_followup="on_time",
                         need="need")  # fmt: skip
        husband = self.applicant(REFUGEE, first, True, script)
        wife = self.spouse(husband, REUNIFIED, joined, replace(MISSING_ALL, need="need"))
        children = self.children(
            wife, REUNIFIED, joined, replace(NO_OFFER, need="need"), latest=first - timedelta(days=110)
        )
        return self.g.family(SOMALIA, [husband, wife, *children])

    def danish_paused(self) -> Family:
        """danish_start paused (the husband is still ill) and due_soon (the wife's pause ended 20 days ago)."""
        takeover = self.ago(2)
        husband = Script(contract="on_time", programme="on_time", pause="open")
        pause = {"pause_from": takeover + timedelta(days=5), "pause_to": self.ago(1, 10)}
        wife = Script(contract="on_time", programme="on_time", danish="missing", pause="ended", fixed=pause)
        return self.couple(IRAN, REFUGEE, takeover, husband, wife)

    def danish_resumed_late(self) -> Family:
        """programme_start and danish_start (referred after a pause for illness) met_late; a family plan made with
        her consent (good practice since 2016; pinned to 2015 its follow-up is overdue)."""
        takeover = self.ago(8)
        fixed = {
            "pause_from": takeover + timedelta(days=7),
            "pause_to": takeover + timedelta(days=60),
            "plan_offer": takeover + timedelta(days=20),
        }
        script = Script(contract="on_time", programme="late", danish="late", pause="ended", fixed=fixed)
        plan = FamilyScript(offered=True, plan_made=add_months(takeover, 1), interval=6, chain=())
        return self.g.family(SOMALIA, [self.applicant(REFUGEE, takeover, False, script)], plan)

    def health_assessment_declined(self) -> Family:
        """Health offers declined 30 and 5 days ago, the guidance given with the offer (pinned to 2015:
        health_guidance overdue and due_soon); the wife's offer met_late; the son assessed as not in need
        (health_offer met)."""
        takeover = self.ago(7)
        declined = Script(
            health="declined", need="need", fixed={"health_offer": self.day(-40), "declined": self.day(-30)}
        )
        husband = self.applicant(REFUGEE, takeover, True, declined, youngest=40, oldest=52)
        late = {"health_offer": self.day(-12), "declined": self.day(-5)}
        wife = self.spouse(husband, REFUGEE, takeover, Script(health="declined", need="unassessed", fixed=late))
        son = self.adult_child(takeover, True, Script(need="no_need"))
        return self.g.family(SYRIA, [husband, wife, son])

    def health_results_followed_up(self) -> Family:
        """health_followup met (the husband's result talked over within a month) and met_late (the wife's, after
        her four conversations)."""
        takeover = self.ago(24)
        offered, result = takeover + timedelta(days=40), add_months(takeover, 3)
        husband = replace(ON_TIME, health="consent", health_followup="on_time", need="unassessed",
                          fixed={"health_offer": offered, "result": result})  # fmt: skip
        signed = takeover + timedelta(days=10)
        wife = replace(ON_TIME, health="consent", health_followup="late", need="unassessed",
                       talks=self.after(signed, 30, 60, 95, 130),
                       fixed={"signed": signed, "health_offer": takeover + timedelta(days=50),
                              "result": add_months(takeover, 5) + timedelta(days=10)})  # fmt: skip
        return self.couple(ERITREA, REFUGEE, takeover, husband, wife, AUTO, AUTO)

    def health_results_waiting(self) -> Family:
        """health_followup overdue, due_soon and upcoming (results 70, 22 and 4 days ago, not yet talked over);
        each had four conversations in time (contract_followup met); a family plan made with their consent."""
        takeover = self.ago(10)
        signed = takeover + timedelta(days=10)

        def waiting(days_ago: int) -> Script:
            fixed = {"signed": signed, "health_offer": takeover + timedelta(days=30), "result": self.day(-days_ago)}
            talks = self.after(signed, 25, 60, 95, 130)
            return replace(IN_PROGRAMME, health="consent", health_followup="missing", talks=talks, fixed=fixed)

        husband = self.applicant(REFUGEE, takeover, True, waiting(70), youngest=40, oldest=52)
        members = [
            husband,
            self.spouse(husband, REFUGEE, takeover, waiting(22)),
            self.adult_child(takeover, False, waiting(4)),
        ]
        plan = FamilyScript(offered=True, plan_made=add_months(takeover, 2), interval=12, chain=())
        return self.g.family(IRAN, members, plan)

    def a_year_in_the_programme(self) -> Family:
        """programme_review due_soon: the husband's programme started a year ago next week (extend or end it);
        contract_followup met_late (his fourth conversation came after the six months) and overdue (the wife
        held two of four)."""
        start = add_years(self.day(6), -1)
        takeover = start - timedelta(days=20)
        husband = replace(IN_PROGRAMME, conversations="late",
                          fixed={"programme": start, "signed": takeover + timedelta(days=12)})  # fmt: skip
        wife = replace(IN_PROGRAMME, conversations="missing", held=2)
        return self.couple(AFGHANISTAN, REFUGEE, takeover, husband, wife, AUTO)

    def minor_without_decision_yet(self) -> Family:
        """um_decision upcoming (a 15-year-old); health_offer met."""
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
        """Exempt from the programme (trauma): no contract, programme or Danish deadlines; health_offer met."""
        script = Script(exempt=ExemptReason.TRAUMA, plan_offer="on_time", health_offer="on_time", health="consent",
                        result=True, need="need")  # fmt: skip
        return self.g.family(AFGHANISTAN, [self.applicant(REFUGEE, self.ago(10), False, script)])

    def exempt_for_disability(self) -> Family:
        """Exempt from the programme (disability), his wife is not."""
        return self.couple(ERITREA, QUOTA, self.ago(14), Script(exempt=ExemptReason.DISABILITY), ON_TIME)

    def moved_away_at_once(self) -> Family:
        """Moved two weeks after arriving: contract, programme_start, danish_start and health_offer closed."""
        takeover = self.ago(2)
        left = (takeover + timedelta(days=14), MOVED_AWAY)
        return self.couple(SYRIA, REFUGEE, takeover, MISSING_ALL, MISSING_ALL, MISSING_ALL, left=left)

    def moved_away_later(self) -> Family:
        """Moved after seven months: contract_followup (two conversations held) and health_followup closed."""
        takeover = self.ago(9)
        result, declined = add_months(takeover, 3), add_months(takeover, 3) + timedelta(days=5)
        husband = replace(
            IN_PROGRAMME, health="consent", health_followup="missing",
            talks=self.after(takeover, 40, 80),
            fixed={"signed": takeover + timedelta(days=10), "health_offer": takeover + timedelta(days=30),
                   "result": result},
        )  # fmt: skip
        wife = Script(health="declined", need="unassessed",
                      fixed={"health_offer": takeover + timedelta(days=60), "declined": declined})  # fmt: skip
        plan = FamilyScript(offered=True, plan_made=add_months(takeover, 2), interval=6, chain=())
        left = (add_months(takeover, 7), MOVED_AWAY)
        return self.couple(SOMALIA, REFUGEE, takeover, husband, wife, plan=plan, left=left)

    def programme_ending(self) -> Family:
        """programme_end due_soon: the husband's five years run out in a week. His wife joined two years later
        (programme_end upcoming; pinned to 2015 her three years run out in five days)."""
        start = add_years(self.day(7), -5)
        husband = self.applicant(
            REFUGEE, start - timedelta(days=20), True, replace(ON_TIME, fixed={"programme": start})
        )
        her_start = add_years(self.day(5), -3)
        wife = self.spouse(
            husband, REUNIFIED, her_start - timedelta(days=15), replace(ON_TIME, fixed={"programme": her_start})
        )
        return self.g.family(ERITREA, [husband, wife])

    def quarterly_plan_followups(self) -> Family:
        """A family plan made with consent and followed up every three months (pinned to 2015: plan_followup met,
        met_late twice, then due_soon)."""
        takeover = self.ago(15)
        dates = (
            add_months(takeover, 5) - timedelta(days=3),
            add_months(takeover, 8) + timedelta(days=10),
            self.ago(3, 7),
        )
        plan = FamilyScript(offered=True, plan_made=add_months(takeover, 2), interval=3, followups=dates)
        return self.couple(SYRIA, REFUGEE, takeover, ON_TIME, ON_TIME, ON_TIME, plan=plan)
