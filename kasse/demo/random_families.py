"""Families drawn at random: the bulk of a demo caseload, and of the benchmarks' data.

Most were taken over in the last three years (the 2016 rules); a few are
older cases taken over before 1 July 2016 (the 2015 rules), most of whose
members have long left the caseload.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from kasse.dates import add_months, add_years
from kasse.demo.generator import DAY, Generator
from kasse.demo.scripts import Member, Script
from kasse.demo.words import COUNTRIES, DENMARK, MOVED_AWAY, OLD_CASE_LEFT_REASONS, PERSONAL_LEFT_REASONS, Country
from kasse.domain import Category, ExemptReason, Family, Role
from kasse.law import LAW_2016_IN_FORCE

OLDER_CASES = 0.05  # the share of families taken over before 1 July 2016
_OLDER_FROM = add_months(LAW_2016_IN_FORCE, -30)  # 1 January 2014
_RECENT_SPAN = timedelta(days=3 * 365 + 30)


class RandomFamilies:
    """Families drawn at random: the bulk of a demo caseload and of the benchmarks' data."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator

    def takeover(self) -> date:
        g = self.g
        if g.chance(0.04):  # a few arrive in the coming weeks
            return g.today + timedelta(days=1 + int(g.rng.random() * 45))
        if g.today - _RECENT_SPAN > LAW_2016_IN_FORCE and g.chance(OLDER_CASES):  # an older case
            return g.between(_OLDER_FROM, LAW_2016_IN_FORCE - DAY)
        return g.today - timedelta(days=int(g.rng.random() * _RECENT_SPAN.days))

    def script(self, *, adult: bool) -> Script:
        g = self.g
        roll = g.rng.random()
        health = "consent" if roll < 0.6 else "declined" if roll < 0.75 else "no_consent" if roll < 0.85 else "pending"
        roll = g.rng.random()
        pause = "open" if roll < 0.03 else "ended" if roll < 0.07 else "none"
        exempt = None
        if adult and g.chance(0.05):
            exempt = g.pick((ExemptReason.TRAUMA, ExemptReason.TRAUMA, ExemptReason.DISABILITY, ExemptReason.OTHER))
        return Script(
            health=health,
            result=g.chance(0.85),
            um_offered=g.chance(0.7),
            pause=pause if adult else "none",
            exempt=exempt,
        )

    def adult(self, role: Role, category: Category, takeover: date, male: bool, born: date | None = None) -> Member:
        g = self.g
        born = born or g.birth(takeover, 19, 58)
        return Member(role, category, born, male, takeover, self.script(adult=True), has_cpr=self.has_cpr(takeover))

    def children(self, category: Category, takeover: date, mother: date, latest: date) -> list[Member]:
        g = self.g
        births = g.child_births(mother, takeover, latest, g.pick((0, 1, 2, 2, 3, 4)))
        return [
            Member(
                Role.CHILD,
                category,
                born,
                g.chance(0.5),
                takeover,
                self.script(adult=False),
                has_cpr=self.has_cpr(takeover),
            )
            for born in births
        ]

    def has_cpr(self, takeover: date) -> bool:
        return takeover <= self.g.today and not self.g.chance(0.04)

    def couple(
        self,
        category: Category,
        takeover: date,
        spouse_takeover: date | None = None,
        spouse_category: Category | None = None,
    ) -> list[Member]:
        """Applicant, spouse and children; with `spouse_takeover`, spouse and children join the applicant later."""
        g = self.g
        male_applicant = g.chance(0.75)
        applicant = self.adult(Role.APPLICANT, category, takeover, male_applicant)
        joining = spouse_takeover or takeover
        spouse_born = g.spouse_birth(applicant.birth, male_applicant, joining)
        spouse = self.adult(Role.SPOUSE, spouse_category or category, joining, not male_applicant, spouse_born)
        mother = spouse if male_applicant else applicant
        # Children joining later were born before the applicant fled; others possibly at the asylum centre.
        latest = takeover - timedelta(days=110 if spouse_takeover else 30)
        return [applicant, spouse, *self.children(spouse_category or category, joining, mother.birth, latest)]

    def family(self) -> Family:
        """One family of a kind drawn by weight, from one of the five countries."""
        g = self.g
        country = g.pick(COUNTRIES)
        takeover = self.takeover()
        roll = g.rng.random()
        if roll < 0.10:
            members = [self.minor(takeover)]
        elif roll < 0.32:
            members = [self.adult(Role.APPLICANT, Category.REFUGEE, takeover, g.chance(0.7))]
        elif roll < 0.38:
            members = [self.adult(Role.APPLICANT, Category.QUOTA_REFUGEE, takeover, g.chance(0.5))]
        elif roll < 0.60:
            members = self.couple(Category.REFUGEE, takeover)
        elif roll < 0.74:
            members = self.couple(Category.QUOTA_REFUGEE, takeover)
        elif roll < 0.92:  # spouse and children join a refugee who came first
            first = add_months(takeover, -(6 + int(g.rng.random() * 15)))
            members = self.couple(Category.REFUGEE, first, takeover, Category.FAMILY_REUNIFIED)
        else:
            members = self.married_to_resident(country, takeover)
        department = "Socialforvaltningen" if len(members) > 2 and g.chance(0.15) else "Jobcenter"
        return g.family(country, self.departures(members), department=department)

    def minor(self, takeover: date) -> Member:
        g = self.g
        born = g.birth(takeover, 14, 17.9)
        script = self.script(adult=False)
        return Member(
            Role.APPLICANT,
            Category.UNACCOMPANIED_MINOR,
            born,
            g.chance(0.8),
            takeover,
            script,
            has_cpr=self.has_cpr(takeover),
        )

    def married_to_resident(self, country: Country, takeover: date) -> list[Member]:
        """A refugee and a spouse already living here: Danish, or from the same country."""
        g = self.g
        applicant = self.adult(Role.APPLICANT, Category.REFUGEE, takeover, g.chance(0.7))
        born = g.spouse_birth(applicant.birth, applicant.male, g.today)
        origin = DENMARK if g.chance(0.6) else country
        return [applicant, Member(Role.SPOUSE, Category.RESIDENT_SPOUSE, born, not applicant.male, None, origin=origin)]

    def departures(self, members: list[Member]) -> list[Member]:
        """Some families move away; some adults become self-supporting or leave Denmark. Most older cases
        have left the caseload altogether."""
        g = self.g
        takeovers = [m.takeover for m in members if m.takeover]
        latest = max(takeovers)
        if latest < LAW_2016_IN_FORCE and latest <= g.today - timedelta(days=3 * 365) and g.chance(0.85):
            when = g.between(add_years(latest, 1), min(add_years(latest, 6), g.today - DAY))
            left = (when, g.pick(OLD_CASE_LEFT_REASONS))
            return [m if m.takeover is None else replace(m, left=left) for m in members]
        if latest <= g.today - timedelta(days=60) and g.chance(0.04):
            moved = g.between(latest + timedelta(days=14), g.today - DAY)
            left = (moved, MOVED_AWAY)
            return [m if m.takeover is None else replace(m, left=left) for m in members]
        result = []
        for m in members:
            if (
                m.takeover
                and m.role is not Role.CHILD
                and m.takeover <= g.today - timedelta(days=365)
                and g.chance(0.07)
            ):
                when = g.between(m.takeover + timedelta(days=270), g.today)
                m = replace(m, left=(when, g.pick(PERSONAL_LEFT_REASONS)))
            result.append(m)
        return result
