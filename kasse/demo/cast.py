"""Writing a showcase family: the applicant, the spouse, the children, a couple, an unaccompanied minor, and days
counted from `today`."""

from __future__ import annotations

from datetime import date, timedelta

from kasse.dates import add_years
from kasse.demo.generator import Generator
from kasse.demo.scripts import AUTO, FamilyScript, Member, Script
from kasse.demo.words import Country
from kasse.domain import Category, Family, Role

REFUGEE, QUOTA, REUNIFIED = Category.REFUGEE, Category.QUOTA_REFUGEE, Category.FAMILY_REUNIFIED


class Cast:
    """Helpers to write the showcase families of one generator (and so one `today`)."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.today = generator.today

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def ago(self, months: int, days: int = 0) -> date:
        return self.g.months_ago(months, days)

    @staticmethod
    def after(day: date, *days: int) -> tuple[date, ...]:
        """The days `days` after `day`: (day + d for d in days)."""
        return tuple(day + timedelta(days=n) for n in days)

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

    def adult_child(self, takeover: date, male: bool, script: Script, **kw) -> Member:
        return Member(Role.CHILD, REFUGEE, self.g.birth(takeover, 18.5, 20), male, takeover, script, **kw)

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
