"""The showcase's older families: taken over before 1 July 2016, so they follow the 2015 rules (the seeds).

Ten years on, such a case is mostly history: obligations met on time or
late, or closed when the family moved away; most of these persons have
left the caseload. A few things are still open: a family still in the
municipality whose plan is followed up yearly, another whose follow-ups
stopped, guidance after a declined health offer never recorded. Each
family's docstring lists the 2015 statuses it guarantees under `auto`.
The open statuses a recent case shows (due soon, upcoming, paused) appear
for the 2015 rules when a user pins them (`--rules 2015`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from kasse.dates import add_months, add_years
from kasse.demo.cast import REFUGEE, REUNIFIED, Cast
from kasse.demo.scripts import FamilyScript, Script
from kasse.demo.words import (
    AFGHANISTAN,
    ERITREA,
    IRAN,
    MOVED_AWAY,
    PROGRAMME_COMPLETED,
    SELF_SUPPORTING,
    SOMALIA,
    SYRIA,
)
from kasse.domain import Family
from kasse.law import LAW_2016_IN_FORCE

ON_TIME = Script(
    contract="on_time", programme="on_time", danish="on_time", plan_offer="on_time", health_offer="on_time"
)
OFFERS_ON_TIME = Script(plan_offer="on_time", health_offer="on_time")
MISSING_ALL = Script(
    contract="missing", programme="missing", danish="missing", plan_offer="missing", health_offer="missing"
)


class OlderFamilies(Cast):
    """The families taken over before 1 July 2016 (before `today` if that is earlier)."""

    def recipes(self) -> list[Callable[[], Family]]:
        return [
            self.still_here_ten_years_on,  # the oldest, and open: first in a caseload sorted by ref
            self.self_supporting_long_ago,
            self.followups_stopped,
            self.moved_away_at_once_long_ago,
            self.moved_away_later_long_ago,
            self.minor_offered_programme_long_ago,
            self.minor_decided_late_long_ago,
            self.minor_moved_away_long_ago,
        ]

    def left_on(self, day: date, reason: str) -> tuple[date, str] | None:
        """Left on `day`, if that has happened by today."""
        return (day, reason) if day <= self.today else None

    def before_2016(self, months: int, days: int = 0) -> date:
        """A day `months` (and `days`) before the 2016 law came into force (or before today, if earlier)."""
        last = min(LAW_2016_IN_FORCE - timedelta(days=1), self.today)
        return add_months(last, -months) + timedelta(days=days)

    def self_supporting_long_ago(self) -> Family:
        """Everyone self-supporting four years after the takeover: contract, danish_start, plan_offer and
        health_offer met and met_late, programme_start met; health_followup met and met_late (a son's result);
        health_guidance met_late; plan_followup met, met_late and closed."""
        takeover = self.before_2016(18)
        husband = replace(
            ON_TIME, health="consent", health_followup="on_time", fixed={"result": add_months(takeover, 3)}
        )
        wife = Script(contract="late", programme="on_time", danish="late", plan_offer="late", health_offer="late",
                      health="declined", guidance="late")  # fmt: skip
        son = replace(OFFERS_ON_TIME, health="consent", health_followup="missing",
                      fixed={"result": add_months(takeover, 5) + timedelta(days=10)})  # fmt: skip
        # Every six months: the husband's result talked over at once, the son's only at the next (late), the
        # third follow-up late.
        followups = ((3, 10), (6, 25), (13, 20), (19, 0))
        dates = tuple(add_months(takeover, months) + timedelta(days=days) for months, days in followups)
        plan = FamilyScript(plan_made=add_months(takeover, 2), interval=6, followups=dates)
        left = self.left_on(add_years(takeover, 4), SELF_SUPPORTING)
        return self.couple(SYRIA, REFUGEE, takeover, husband, wife, son, OFFERS_ON_TIME, plan=plan, left=left)

    def still_here_ten_years_on(self) -> Family:
        """A mother and her children still in the municipality: the plan is followed up yearly (plan_followup met,
        then upcoming); the guidance after her declined health offer was never recorded (health_guidance overdue),
        her eldest's was given in time (met)."""
        takeover = self.before_2016(24)
        mother = self.applicant(REFUGEE, takeover, False, replace(ON_TIME, health="declined", guidance="missing"))
        eldest = replace(OFFERS_ON_TIME, health="declined", guidance="on_time")
        children = self.children(mother, REFUGEE, takeover, eldest, OFFERS_ON_TIME, OFFERS_ON_TIME)
        made = add_months(takeover, 2)
        last = min(self.ago(5), self.today)
        yearly = [add_months(last, -11 * n) for n in range(20)]
        plan = FamilyScript(plan_made=made, interval=12, followups=tuple(sorted(d for d in yearly if d > made)))
        return self.g.family(SOMALIA, [mother, *children], plan)

    def followups_stopped(self) -> Family:
        """Each by their own takeover: the husband came in 2014 (2015 rules) and is self-supporting; his wife and
        daughter joined him in 2017 (2016 rules: referred to Danish, four conversations, a need assessed) and are
        still here. The plan made when the family was reunited is a 2015 plan, and its follow-ups stopped two
        years on (plan_followup met, then overdue)."""
        first = self.before_2016(20)
        joined = min(add_months(first, 28), self.today)
        husband = self.applicant(REFUGEE, first, True, ON_TIME, left=self.left_on(add_years(first, 4), SELF_SUPPORTING))
        wife = self.spouse(husband, REUNIFIED, joined, replace(ON_TIME, conversations="on_time", need="need"))
        child = self.children(
            wife, REUNIFIED, joined, Script(health_offer="on_time"), latest=first - timedelta(days=110)
        )
        followups = tuple(day for day in (add_months(joined, 13), add_months(joined, 24)) if day <= self.today)
        plan = FamilyScript(plan_made=add_months(joined, 2), interval=12, followups=followups)
        return self.g.family(IRAN, [husband, wife, *child], plan)

    def moved_away_at_once_long_ago(self) -> Family:
        """Moved two weeks after arriving: contract, programme_start, danish_start, plan_offer and health_offer
        closed."""
        takeover = self.before_2016(3)
        left = self.left_on(takeover + timedelta(days=14), MOVED_AWAY)
        return self.couple(ERITREA, REFUGEE, takeover, MISSING_ALL, MISSING_ALL, MISSING_ALL, left=left)

    def moved_away_later_long_ago(self) -> Family:
        """Moved after seven months: programme_start met_late; health_followup, health_guidance and plan_followup
        closed."""
        takeover = self.before_2016(9)
        husband = replace(ON_TIME, programme="late", health="consent", health_followup="missing",
                          fixed={"result": add_months(takeover, 3)})  # fmt: skip
        wife = replace(OFFERS_ON_TIME, health="declined", guidance="missing",
                       fixed={"declined": add_months(takeover, 3) + timedelta(days=5)})  # fmt: skip
        plan = FamilyScript(plan_made=add_months(takeover, 2), interval=6, chain=())
        left = self.left_on(add_months(takeover, 7), MOVED_AWAY)
        return self.couple(AFGHANISTAN, REFUGEE, takeover, husband, wife, plan=plan, left=left)

    def minor_offered_programme_long_ago(self) -> Family:
        """um_decision met (offered a programme), self-supporting five years later."""
        takeover = self.before_2016(8)
        script = replace(OFFERS_ON_TIME, um_decision="on_time", um_offered=True, programme="on_time")
        left = self.left_on(add_years(takeover, 5), SELF_SUPPORTING)
        return self.minor(AFGHANISTAN, takeover, self.g.birth(takeover, 16, 16.5), script, left=left)

    def minor_decided_late_long_ago(self) -> Family:
        """um_decision met_late (18 two months after the takeover); the programme completed."""
        takeover = self.before_2016(10)
        script = replace(ON_TIME, um_decision="late", um_offered=True)
        born = add_years(takeover + timedelta(days=60), -18)
        return self.minor(
            ERITREA, takeover, born, script, left=self.left_on(add_years(takeover, 4), PROGRAMME_COMPLETED)
        )

    def minor_moved_away_long_ago(self) -> Family:
        """um_decision closed: moved to another municipality before any decision."""
        takeover = self.before_2016(5)
        script = replace(OFFERS_ON_TIME, um_decision="missing")
        born = self.g.birth(takeover, 16, 16.5)
        return self.minor(SYRIA, takeover, born, script, left=self.left_on(takeover + timedelta(days=120), MOVED_AWAY))
