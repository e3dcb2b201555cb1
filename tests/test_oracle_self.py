"""The reference oracle (tests/oracle.py) against hand-worked expectations and the spec's tricky points.

The oracle is only useful for differential testing if it is right on its own: these tests pin it to the
hand-written scenario in tests/scenarios_held_out.py and to the readings of DOMAIN.md that are easiest to get
wrong. They import nothing of the engine.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from kasse.domain import (
    Category,
    Contract,
    ContractFollowUp,
    Danish,
    Family,
    FamilyPlan,
    FollowUp,
    Health,
    Person,
    Programme,
    Role,
    UmDecision,
)
from tests.oracle import KEYS, add_months, eighteenth_birthday, oracle_deadlines, sort_key
from tests.scenarios_held_out import EXPECTED, FAMILIES
from tests.strategies import caseload_and_today, policies

d = date.fromisoformat
STATUSES = {"overdue", "due_soon", "upcoming", "paused", "met", "met_late", "closed"}
RULES = {
    "2015": {"contract", "programme_start", "danish_start", "plan_offer", "health_offer", "health_guidance",
             "um_decision", "plan_followup", "health_followup", "programme_end"},
    "2016": {"contract", "contract_followup", "programme_start", "danish_start", "health_offer", "um_decision",
             "health_followup", "programme_review", "programme_end", "plan_offer", "plan_followup"},
}
QUICK = settings(max_examples=60, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def person(ref: str = "P-1", *, born: str = "1990-01-01", category: Category = Category.REFUGEE,
           takeover: str | None = "2025-01-10", left: str | None = None, **fields) -> Person:
    return Person(ref=ref, name=fields.pop("name", f"Person {ref}"), category=category, birth_date=d(born),
                  role=fields.pop("role", Role.APPLICANT), takeover_date=d(takeover) if takeover else None,
                  left_date=d(left) if left else None, **fields)


def family(*members: Person, made: str | None = None, months: int | None = None, followups: tuple[str, ...] = (),
           ref: str = "F-1") -> Family:
    plan = FamilyPlan(made_date=d(made) if made else None, followup_months=months,
                      followups=tuple(FollowUp(d(day)) for day in followups))
    return Family(ref=ref, members=members, plan=plan)


def rows(*families: Family, today: str, **policy) -> list[dict]:
    return oracle_deadlines(families, today=d(today), **policy)


def by_rule(found: list[dict], person_ref: str | None = "P-1") -> dict[str, dict]:
    selected = [row for row in found if row["person"] == person_ref]
    result = {row["rule"]: row for row in selected}
    assert len(result) == len(selected), "one deadline per rule and person"
    return result


def talks(*days: str) -> tuple[ContractFollowUp, ...]:
    return tuple(ContractFollowUp(d(day)) for day in days)


# --- the hand-written scenario ---------------------------------------------------------------------------------


@pytest.mark.parametrize("today", sorted(EXPECTED), ids=str)
def test_oracle_reproduces_the_hand_worked_scenario(today: date) -> None:
    found = oracle_deadlines(FAMILIES, today=today)
    expected = EXPECTED[today]
    missing = [row for row in expected if row not in found]
    extra = [row for row in found if row not in expected]
    assert not missing and not extra, f"missing {missing}\nextra {extra}"
    assert found == expected  # the order too


# --- dates -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "months", "expected"), [
    ("2025-01-31", 1, "2025-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2025-03-31", 1, "2025-04-30"),
    ("2025-12-15", 1, "2026-01-15"),
    ("2025-08-31", 6, "2026-02-28"),
    ("2024-02-29", 12, "2025-02-28"),
    ("2024-02-29", 48, "2028-02-29"),
])
def test_months_are_clamped_to_the_last_day(start: str, months: int, expected: str) -> None:
    assert add_months(d(start), months) == d(expected)


def test_born_29_february_turns_18_on_1_march_in_a_non_leap_year() -> None:
    assert eighteenth_birthday(d("2000-02-29")) == d("2018-03-01")
    assert eighteenth_birthday(d("1996-02-29")) == d("2014-03-01")
    assert eighteenth_birthday(d("2006-03-01")) == d("2024-03-01")


def test_um_decision_is_due_the_day_before_the_18th_birthday_and_needs_a_minor_at_takeover() -> None:
    minor = person(born="2008-02-29", category=Category.UNACCOMPANIED_MINOR, takeover="2025-06-01")
    assert by_rule(rows(family(minor), today="2025-07-01"))["um_decision"]["due"] == "2026-02-28"
    # turns 18 on the takeover day: an adult, so no decision
    adult = person(born="2007-06-01", category=Category.UNACCOMPANIED_MINOR, takeover="2025-06-01")
    assert "um_decision" not in by_rule(rows(family(adult), today="2025-07-01"))


def test_an_adult_on_the_anchor_is_one_from_the_18th_birthday() -> None:
    turns_18_on_takeover = person(born="2007-01-10")
    turns_18_next_day = person(born="2007-01-11")
    assert "contract" in by_rule(rows(family(turns_18_on_takeover), today="2025-01-20"))
    assert "contract" not in by_rule(rows(family(turns_18_next_day), today="2025-01-20"))


# --- rulesets --------------------------------------------------------------------------------------------------


def test_the_boundary_day_2016_07_01_belongs_to_2016_and_the_day_before_to_2015() -> None:
    before = person("P-1", takeover="2016-06-30", contract=Contract(signed_date=d("2016-07-15")))
    on = person("P-2", takeover="2016-07-01", contract=Contract(signed_date=d("2016-07-15")))
    found = rows(family(before, ref="F-1"), family(on, ref="F-2"), today="2016-08-15")
    first, second = by_rule(found, "P-1"), by_rule(found, "P-2")
    assert {row["ruleset"] for row in first.values()} == {"2015"}
    assert {row["ruleset"] for row in second.values()} == {"2016"}
    assert first["contract"]["title"] == "Integrationskontrakt indgået"
    assert second["contract"]["title"] == "Kontrakt indgået"
    assert "plan_offer" in first and "plan_offer" not in second
    assert "contract_followup" in second and "contract_followup" not in first
    assert second["health_offer"]["due"] == "2017-01-01"  # takeover + 6 months
    assert first["health_offer"]["due"] == "2016-09-30"  # takeover + 3 months


def test_a_pinned_ruleset_applies_to_everyone() -> None:
    early = person("P-1", takeover="2015-03-01")
    late = person("P-2", takeover="2024-03-01")
    found = rows(family(early, late), today="2026-01-01", rules="2016")
    assert {row["ruleset"] for row in found} == {"2016"}
    found = rows(family(early, late), today="2026-01-01", rules="2015")
    assert {row["ruleset"] for row in found} == {"2015"}


def test_uncovered_persons_have_no_deadlines() -> None:
    spouse = person("P-1", category=Category.RESIDENT_SPOUSE, takeover="2025-01-10")
    no_takeover = person("P-2", takeover=None)
    assert rows(family(spouse, no_takeover, made="2025-02-01"), today="2026-01-01") == []


# --- a fact dated after today has not happened yet -------------------------------------------------------------


def test_future_dated_facts_count_as_not_recorded() -> None:
    someone = person(
        takeover="2025-01-10", left="2025-06-01",
        contract=Contract(signed_date=d("2025-03-01"), followups=talks("2025-03-05", "2025-03-10", "2025-03-15",
                                                                      "2025-03-20")),
        programme=Programme(start_date=d("2025-03-01")),
        danish=Danish(referral_date=d("2025-03-01")),
        health=Health(need=False, need_date=d("2025-03-01")),
    )
    early = by_rule(rows(family(someone), today="2025-02-20"))
    assert early["contract"]["status"] == "overdue" and early["contract"]["met_date"] is None
    assert early["programme_start"]["status"] == "overdue"
    assert early["danish_start"]["status"] == "overdue"
    assert early["health_offer"]["status"] == "upcoming"  # the "no need" assessment lies ahead
    assert "contract_followup" not in early  # the signing lies ahead
    assert "programme_review" not in early and "programme_end" not in early

    later = by_rule(rows(family(someone), today="2025-05-01"))
    assert later["contract"]["status"] == "met_late" and later["contract"]["met_date"] == "2025-03-01"
    assert later["contract_followup"]["status"] == "met" and later["contract_followup"]["met_date"] == "2025-03-20"
    assert later["health_offer"]["status"] == "met"
    assert later["programme_review"]["status"] == "upcoming"

    after_leaving = by_rule(rows(family(someone), today="2025-06-01"))
    assert "programme_review" not in after_leaving
    assert after_leaving["contract"]["status"] == "met_late"  # met ones keep their status


def test_a_future_takeover_is_read_as_it_is() -> None:
    planned = person(takeover="2027-01-31")
    found = by_rule(rows(family(planned), today="2026-11-25"))
    assert found["contract"]["due"] == "2027-02-28"
    assert found["contract"]["status"] == "upcoming"


def test_a_leaving_after_today_does_not_close() -> None:
    someone = person(takeover="2025-01-10", left="2025-03-01")
    assert by_rule(rows(family(someone), today="2025-02-28"))["contract"]["status"] == "overdue"
    assert by_rule(rows(family(someone), today="2025-03-01"))["contract"]["status"] == "closed"


# --- contract follow-up (2016) ---------------------------------------------------------------------------------


def test_four_distinct_conversations_on_or_after_signing_meet_contract_followup() -> None:
    signed = Contract(signed_date=d("2025-02-01"))

    def followup(*days: str, today: str = "2025-12-01") -> dict:
        someone = person(contract=Contract(signed_date=signed.signed_date, followups=talks(*days)))
        return by_rule(rows(family(someone), today=today))["contract_followup"]

    # three distinct days (one twice) and one before the signing: not met
    three = followup("2025-01-25", "2025-02-01", "2025-03-01", "2025-03-01", "2025-04-01")
    assert three["status"] == "overdue" and three["due"] == "2025-08-01" and three["met_date"] is None
    # the 4th distinct one meets it on its date (the signing day counts)
    four = followup("2025-01-25", "2025-02-01", "2025-03-01", "2025-03-01", "2025-04-01", "2025-09-15")
    assert four["status"] == "met_late" and four["met_date"] == "2025-09-15"
    # not yet: the 4th lies after today
    assert followup("2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", today="2025-04-15")["status"] == "upcoming"
    assert followup("2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01")["met_date"] == "2025-05-01"


def test_contract_followup_needs_the_contract_rule_and_a_known_signing() -> None:
    exempt = person(programme=Programme(exempt_reason="trauma"), contract=Contract(signed_date=d("2025-02-01")))
    assert "contract_followup" not in by_rule(rows(family(exempt), today="2025-12-01"))
    child = person(born="2015-01-01", contract=Contract(signed_date=d("2025-02-01")))
    assert "contract_followup" not in by_rule(rows(family(child), today="2025-12-01"))


# --- plan follow-ups -------------------------------------------------------------------------------------------


def test_plan_followups_need_a_covered_member() -> None:
    spouse = person("P-1", category=Category.RESIDENT_SPOUSE, takeover=None)
    lone = family(spouse, made="2015-03-01", followups=("2015-09-01",))
    assert rows(lone, today="2016-06-01") == []
    assert rows(lone, today="2016-06-01", plan_deadlines=True) == []
    uncovered = family(person("P-2", takeover=None), made="2015-03-01")
    assert rows(uncovered, today="2016-06-01") == []
    covered = family(spouse, person("P-3", takeover="2015-01-10"), made="2015-03-01")
    assert [row["due"] for row in by_rule(rows(covered, today="2016-06-01"), None).values()] == ["2016-03-01"]


def test_plan_followups_chain_ignores_early_duplicate_and_future_followups() -> None:
    fam = family(person(takeover="2015-01-10"), made="2015-03-01", months=6,
                 followups=("2015-02-01", "2015-03-01", "2015-08-31", "2015-08-31", "2016-04-01", "2016-12-01"))
    chain = [row for row in rows(fam, today="2016-06-01") if row["rule"] == "plan_followup"]
    assert [(row["due"], row["status"], row["met_date"]) for row in chain] == [
        ("2015-09-01", "met", "2015-08-31"),
        ("2016-02-29", "met_late", "2016-04-01"),
        ("2016-10-01", "upcoming", None),
    ]
    assert {row["person"] for row in chain} == {None}
    assert {row["name"] for row in chain} == {"Person P-1"}


def test_plan_followups_of_a_2016_only_family_need_the_local_policy() -> None:
    fam = family(person(takeover="2020-01-10"), made="2020-03-01")
    assert not [row for row in rows(fam, today="2021-06-01") if row["rule"] == "plan_followup"]
    found = [row for row in rows(fam, today="2021-06-01", plan_deadlines=True) if row["person"] is None]
    assert [(row["ruleset"], row["basis"], row["title"], row["status"]) for row in found] == [
        ("2016", "lokal praksis", "Opfølgning på integrationsplan", "overdue")]


def test_plan_followups_close_when_every_covered_member_has_left() -> None:
    stays = person("P-2", category=Category.RESIDENT_SPOUSE, takeover=None)
    fam = family(person("P-1", takeover="2015-01-10", left="2015-12-01"), stays, made="2015-03-01")
    assert by_rule(rows(fam, today="2016-06-01"), None)["plan_followup"]["status"] == "closed"


def test_the_family_is_named_after_its_applicant_else_its_first_member() -> None:
    child = person("P-1", role=Role.CHILD, name="Barn", takeover="2015-01-10")
    applicant = person("P-2", role=Role.APPLICANT, name="Ansøger", takeover="2015-01-10")
    assert by_rule(rows(family(child, applicant, made="2015-03-01"), today="2015-04-01"), None)[
        "plan_followup"]["name"] == "Ansøger"
    assert by_rule(rows(family(child, made="2015-03-01"), today="2015-04-01"), None)["plan_followup"]["name"] == "Barn"


# --- Danish pauses ---------------------------------------------------------------------------------------------


def test_danish_pause_open_ended_and_too_late() -> None:
    def danish(today: str, ruleset: str = "auto", **fields) -> dict:
        return by_rule(rows(family(person(danish=Danish(**fields))), today=today, rules=ruleset))["danish_start"]

    # open: paused, due stays the original
    assert danish("2025-03-01", paused_from=d("2025-02-01"))["status"] == "paused"
    assert danish("2025-03-01", paused_from=d("2025-02-01"), paused_to=d("2025-03-01"))["due"] == "2025-02-10"
    # ended: due at the later of the original and paused_to + 1 month
    ended = danish("2025-04-01", paused_from=d("2025-02-01"), paused_to=d("2025-03-15"))
    assert (ended["due"], ended["status"]) == ("2025-04-15", "due_soon")
    # a start before the pause: the pause does not count
    before = danish("2025-03-01", start_date=d("2025-01-20"), paused_from=d("2025-02-01"))
    assert (before["due"], before["status"]) == ("2025-02-10", "met")
    # 2016: a referral before the pause is "started"
    referred = danish("2025-03-01", referral_date=d("2025-01-20"), paused_from=d("2025-02-01"))
    assert referred["status"] == "met" and referred["met_date"] == "2025-01-20"
    # 2015: the referral does not count, so the pause does
    assert danish("2025-03-01", ruleset="2015", referral_date=d("2025-01-20"),
                  paused_from=d("2025-02-01"))["status"] == "paused"
    # a pause that starts after today does not count yet
    assert danish("2025-03-01", paused_from=d("2025-03-02"))["status"] == "overdue"


# --- health ----------------------------------------------------------------------------------------------------


def test_health_offer_2016_by_category_and_need() -> None:
    def offer(category: Category, **health) -> dict | None:
        found = by_rule(rows(family(person(category=category, health=Health(**health))), today="2025-12-01"))
        return found.get("health_offer")

    no_need = {"need": False, "need_date": d("2025-02-01")}
    need = {"need": True, "need_date": d("2025-02-01")}
    assert offer(Category.QUOTA_REFUGEE, **no_need)["status"] == "overdue"
    assert offer(Category.REFUGEE, **no_need)["met_date"] == "2025-02-01"
    assert offer(Category.UNACCOMPANIED_MINOR, **no_need)["status"] == "met"
    assert offer(Category.REFUGEE, **need)["status"] == "overdue"
    assert offer(Category.FAMILY_REUNIFIED) is None
    assert offer(Category.FAMILY_REUNIFIED, **no_need) is None
    assert offer(Category.FAMILY_REUNIFIED, **need, offered_date=d("2025-03-01"))["status"] == "met"
    # "no need" and an offer: the earlier meets it
    assert offer(Category.REFUGEE, **no_need, offered_date=d("2025-01-20"))["met_date"] == "2025-01-20"


def test_health_guidance_only_in_2015() -> None:
    declined = Health(offered_date=d("2015-02-01"), declined_date=d("2015-02-10"))
    found = by_rule(rows(family(person(takeover="2015-01-10", health=declined)), today="2015-03-01",
                         health_guidance_days=7))
    assert (found["health_guidance"]["due"], found["health_guidance"]["status"]) == ("2015-02-17", "overdue")
    found = by_rule(rows(family(person(takeover="2025-01-10", health=declined)), today="2025-03-01"))
    assert "health_guidance" not in found


def test_health_followup_2016_is_met_by_a_contract_conversation_after_the_result() -> None:
    someone = person(contract=Contract(signed_date=d("2025-02-01"), followups=talks("2025-03-01", "2025-04-20")),
                     health=Health(consent=True, result_received_date=d("2025-03-10")))
    found = by_rule(rows(family(someone), today="2025-06-01", health_followup_months=2))["health_followup"]
    assert (found["due"], found["status"], found["met_date"]) == ("2025-05-10", "met", "2025-04-20")
    unsigned = person(health=Health(consent=True, result_received_date=d("2025-03-10")))
    assert "health_followup" not in by_rule(rows(family(unsigned), today="2025-06-01"))


def test_health_followup_2015_needs_a_made_plan_and_is_met_by_a_family_followup() -> None:
    someone = person(takeover="2015-01-10", health=Health(consent=True, result_received_date=d("2015-04-01")))
    assert "health_followup" not in by_rule(rows(family(someone), today="2015-06-01"))
    fam = family(someone, made="2015-03-01", followups=("2015-03-20", "2015-05-15"))
    found = by_rule(rows(fam, today="2015-06-01"))["health_followup"]
    assert (found["due"], found["status"], found["met_date"]) == ("2015-05-01", "met_late", "2015-05-15")
    without_consent = person(takeover="2015-01-10", health=Health(consent=False, result_received_date=d("2015-04-01")))
    assert "health_followup" not in by_rule(rows(family(without_consent, made="2015-03-01"), today="2015-06-01"))


# --- the unaccompanied minor's programme ------------------------------------------------------------------------


def test_an_offered_decision_anchors_the_programme() -> None:
    minor = person(born="2008-06-01", category=Category.UNACCOMPANIED_MINOR, takeover="2025-01-10",
                   um_decision=UmDecision(date=d("2025-03-15"), offered=True))
    found = by_rule(rows(family(minor), today="2025-05-01"))
    assert found["programme_start"]["due"] == "2025-04-15"
    assert "contract" not in found and "danish_start" not in found  # a minor on the decision date
    late = person(born="2007-02-01", category=Category.UNACCOMPANIED_MINOR, takeover="2025-01-10",
                  um_decision=UmDecision(date=d("2025-02-03"), offered=True))
    found = by_rule(rows(family(late), today="2025-05-01"))
    assert {found[rule]["due"] for rule in ("contract", "programme_start", "danish_start")} == {"2025-03-03"}
    assert found["um_decision"]["status"] == "met_late"
    declined = person(born="2008-06-01", category=Category.UNACCOMPANIED_MINOR, takeover="2025-01-10",
                      um_decision=UmDecision(date=d("2025-03-15"), offered=False))
    assert "programme_start" not in by_rule(rows(family(declined), today="2025-05-01"))


# --- milestones ------------------------------------------------------------------------------------------------


def test_milestones_are_listed_only_until_their_day() -> None:
    started = person(takeover="2015-01-10", programme=Programme(start_date=d("2015-02-01")))
    end = by_rule(rows(family(started), today="2018-01-25"))["programme_end"]
    assert (end["due"], end["status"], end["met_date"]) == ("2018-02-01", "due_soon", None)
    assert by_rule(rows(family(started), today="2018-02-01"))["programme_end"]["days"] == 0
    assert "programme_end" not in by_rule(rows(family(started), today="2018-02-02"))


# --- properties over generated caseloads -----------------------------------------------------------------------


@QUICK
@given(caseload_and_today(), policies())
def test_oracle_rows_are_well_formed(caseload_today, policy) -> None:
    caseload, today = caseload_today
    found = oracle_deadlines(caseload, today=today, **policy)
    assert found == sorted(found, key=sort_key)
    covered = {p.ref for f in caseload for p in f.members if p.is_covered}
    for row in found:
        assert tuple(row) == KEYS
        assert row["status"] in STATUSES
        assert row["rule"] in RULES[row["ruleset"]]
        assert row["days"] == (d(row["due"]) - today).days
        assert (row["met_date"] is not None) == (row["status"] in ("met", "met_late"))
        if row["met_date"] is not None:
            assert d(row["met_date"]) <= today
        assert row["person"] is None or row["person"] in covered
        assert (row["person"] is None) == (row["rule"] == "plan_followup")
        if policy["rules"] != "auto":
            assert row["ruleset"] == policy["rules"]
        if row["status"] == "overdue":
            assert row["days"] < 0
        if row["status"] == "due_soon":
            assert 0 <= row["days"] <= policy["window"]


def test_the_strategies_reach_every_rule_of_both_rulesets() -> None:
    seen: set[tuple[str, str]] = set()
    statuses: set[str] = set()

    @settings(max_examples=250, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(caseload_and_today(), policies())
    def collect(caseload_today, policy) -> None:
        caseload, today = caseload_today
        for row in oracle_deadlines(caseload, today=today, **policy):
            seen.add((row["ruleset"], row["rule"]))
            statuses.add(row["status"])

    collect()
    wanted = {(ruleset, rule) for ruleset, rules in RULES.items() for rule in rules}
    assert wanted - seen == set()
    assert statuses == STATUSES
