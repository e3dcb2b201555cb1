"""Small builders for domain values, so each test states only what it is about."""

from __future__ import annotations

from datetime import date

from kasse.domain import (
    Category,
    Contract,
    Danish,
    Family,
    FamilyPlan,
    FollowUp,
    Health,
    Person,
    PlanOffer,
    Programme,
    Role,
)
from kasse.law import RulesChoice
from kasse.policy import Policy
from kasse.rules import Deadline, Rule, deadlines

PINNED = {choice.value: Policy(rules=choice) for choice in RulesChoice}


def deadlines_2015(families, *, today: date, window: int = 14) -> list[Deadline]:
    """The seeds' rules (2015) pinned for everyone: the rule tests written for them use recent takeovers."""
    return deadlines(families, today=today, window=window, policy=PINNED["2015"])


def d(text: str) -> date:
    return date.fromisoformat(text)


def person(
    ref: str = "P-1",
    *,
    born: str = "1990-01-01",
    category: Category = Category.REFUGEE,
    takeover: str | None = "2025-01-10",
    left: str | None = None,
    **fields,
) -> Person:
    return Person(
        ref=ref,
        name=fields.pop("name", f"Person {ref}"),
        category=category,
        birth_date=d(born),
        role=fields.pop("role", Role.APPLICANT),
        takeover_date=d(takeover) if takeover else None,
        left_date=d(left) if left else None,
        **fields,
    )


def met_everything(ref: str, **fields) -> Person:
    """A covered adult whose contract, programme, Danish and both offers were all met on 20-01-2025."""
    return person(ref, contract=Contract(signed_date=d("2025-01-20")),
                  programme=Programme(start_date=d("2025-01-20")), danish=Danish(start_date=d("2025-01-20")),
                  plan_offer=PlanOffer(offered_date=d("2025-01-20")), health=Health(offered_date=d("2025-01-20")),
                  **fields)


def family(*members: Person, ref: str = "F-1", made: str | None = None, months: int | None = None,
           followups: tuple[str, ...] = ()) -> Family:
    plan = FamilyPlan(
        made_date=d(made) if made else None,
        followup_months=months,
        followups=tuple(FollowUp(d(day)) for day in followups),
    )
    return Family(ref=ref, members=members, plan=plan)


def rules_of(found: list[Deadline], person_ref: str | None = "P-1") -> dict[Rule, Deadline]:
    """The deadlines of one person by rule (person None: the family's follow-ups are a chain, use chain_of)."""
    selected = [deadline for deadline in found if deadline.person == person_ref]
    by_rule = {deadline.rule: deadline for deadline in selected}
    assert len(by_rule) == len(selected), "one deadline per rule and person"
    return by_rule


def one(found_family: Family | Person, rule: Rule, *, today: str, window: int = 14, rules: str = "2015") -> Deadline:
    """The single deadline `rule` for P-1 in a family (a bare person is wrapped in one), under `rules`."""
    fam = found_family if isinstance(found_family, Family) else family(found_family)
    return rules_of(deadlines([fam], today=d(today), window=window, policy=PINNED[rules]))[rule]


def has_rule(
    found_family: Family | Person, rule: Rule, *, today: str, person_ref: str = "P-1", rules: str = "2015"
) -> bool:
    fam = found_family if isinstance(found_family, Family) else family(found_family)
    return rule in rules_of(deadlines([fam], today=d(today), policy=PINNED[rules]), person_ref)


def descendant(live, target, families):
    """A copy of the database at `live` (same history, so a backup of it may be restored over `live`) at
    `target`, with `families` then imported into it; returns `target`."""
    import sqlite3

    from kasse.data.db import create_private_file, open_database
    from kasse.data.store import Store, import_families

    create_private_file(target)
    with sqlite3.connect(live) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    with open_database(target) as database:
        import_families(Store(database, actor="anna"), families)
    return target
