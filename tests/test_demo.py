"""The demo caseload: deterministic, valid kasse/v1, realistic in its mix, and showing every deadline status
under both rulesets (the 2015 rules for the few cases taken over before 1 July 2016, the 2016 rules for the rest)."""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from kasse.dates import age_on, cpr_birth_date
from kasse.demo import demo_families, demo_persons
from kasse.domain import Area, Category, ConversationForm, ExemptReason, Family, Housing, Phase, Role
from kasse.interchange.v1 import dump_document, parse_document
from kasse.law import LAW, LAW_2016_IN_FORCE, Rule, RulesChoice, Ruleset, ruleset_in_force
from kasse.policy import Policy
from kasse.rules import Status, conversations_held, deadlines

TODAY = date(2026, 3, 15)
PLANNED_AHEAD = timedelta(days=60)  # a booked Danish course or conversation lies at most this far ahead


@pytest.fixture(scope="module")
def caseload() -> list[Family]:
    return demo_families(120, seed=11, today=TODAY)


def persons(families: list[Family]):
    return [person for family in families for person in family.members]


# --------------------------------------------------------------------------- determinism and size


def test_same_seed_and_day_give_the_same_caseload():
    assert demo_families(50, seed=3, today=TODAY) == demo_families(50, seed=3, today=TODAY)


def test_another_seed_gives_another_caseload():
    assert demo_families(50, seed=3, today=TODAY) != demo_families(50, seed=4, today=TODAY)


def test_dates_follow_today_not_the_clock():
    later = date(2031, 6, 30)
    takeovers = [p.takeover_date for p in persons(demo_families(50, seed=3, today=later)) if p.takeover_date]
    assert max(takeovers) > date(2031, 1, 1)


@pytest.mark.parametrize("count", [0, 1, 5, 23, 80])
def test_demo_families_gives_exactly_count_families_sorted_by_ref(count):
    families = demo_families(count, seed=1, today=TODAY)
    assert len(families) == count
    assert [f.ref for f in families] == sorted(f.ref for f in families)


def test_demo_persons_gives_about_n_persons():
    families = demo_persons(3000, seed=2, today=TODAY)
    assert 3000 <= len(persons(families)) < 3000 + 10


def test_ten_thousand_persons_well_under_two_seconds():
    started = time.process_time()  # CPU time: other processes on a busy machine do not count
    families = demo_persons(10_000, seed=5, today=TODAY)
    elapsed = time.process_time() - started
    assert len(persons(families)) >= 10_000
    assert elapsed < 2.0, f"{elapsed:.2f} s"


# --------------------------------------------------------------------------- validity


def test_the_caseload_survives_a_kasse_v1_round_trip_unchanged(caseload):
    assert parse_document(dump_document(caseload)) == caseload


def test_a_large_caseload_survives_the_round_trip_too():
    families = demo_persons(4000, seed=9, today=date(2025, 12, 31))
    assert parse_document(dump_document(families)) == families


def test_refs_are_unique_and_zero_padded(caseload):
    family_refs = [f.ref for f in caseload]
    person_refs = [p.ref for p in persons(caseload)]
    assert len(set(family_refs)) == len(family_refs)
    assert len(set(person_refs)) == len(person_refs)
    assert all(re.fullmatch(r"F-20\d\d-\d{3}", ref) for ref in family_refs)
    assert all(re.fullmatch(r"P-\d{4}", ref) for ref in person_refs)  # at least four digits, as in FORMAT.md
    assert "P-0001" in person_refs
    big = demo_families(3000, seed=1, today=TODAY)  # up to 12,000 persons: five digits
    assert all(re.fullmatch(r"P-\d{5}", p.ref) for p in persons(big))


def test_cpr_numbers_agree_with_birth_dates_and_some_persons_have_none(caseload):
    people = persons(caseload)
    with_cpr = [p for p in people if p.cpr]
    assert all(cpr_birth_date(p.cpr) == p.birth_date for p in with_cpr)
    assert all(re.fullmatch(r"\d{6}-\d{4}", p.cpr) for p in with_cpr)
    assert any(p.birth_date.year >= 2000 for p in with_cpr)  # 7th digit 4-9: the 2000s
    assert len({p.cpr for p in with_cpr}) == len(with_cpr)
    assert 0 < len(people) - len(with_cpr) < len(people) / 4


def test_nothing_is_recorded_as_done_in_the_future_only_planned_courses_and_conversations(caseload):
    done, planned = [], []
    for family in caseload:
        done += [f.date for f in family.plan.followups] + [item.done_date for item in family.checklist]
        done.append(family.plan.made_date)
        for p in family.members:
            health = p.health
            done += [p.contract.signed_date, p.programme.start_date, p.danish.referral_date, p.danish.passed_date,
                     p.plan_offer.offered_date, health.offered_date, health.declined_date, health.guidance_date,
                     health.result_received_date, health.need_date, p.left_date,
                     p.um_decision.date if p.um_decision else None]  # fmt: skip
            planned += [p.danish.start_date, *(talk.date for talk in p.contract.followups)]
    assert max(day for day in done if day is not None) <= TODAY
    assert max(day for day in planned if day is not None) <= TODAY + PLANNED_AHEAD


def test_some_facts_are_planned_a_danish_course_and_a_conversation_booked(caseload):
    """The app shows a date after today as "planlagt": a course starting after the referral, a conversation booked
    (DOMAIN.md: a fact dated after today has not happened yet)."""
    people = persons(caseload)
    courses = [p.danish for p in people if p.danish.start_date and p.danish.start_date > TODAY]
    assert courses and all(d.referral_date is not None and d.referral_date <= TODAY for d in courses)
    booked = [talk for p in people for talk in p.contract.followups if talk.date > TODAY]
    assert any(talk.date <= TODAY + timedelta(days=7) for talk in booked)
    assert all(p.left_date is None for p in people for talk in p.contract.followups if talk.date > TODAY)


# --------------------------------------------------------------------------- realism


def test_the_mix_of_people(caseload):
    people = persons(caseload)
    assert {p.category for p in people} == set(Category)
    assert {p.nationality for p in people} >= {"Syrien", "Eritrea", "Afghanistan", "Iran", "Somalia", "Danmark"}
    assert all(p.takeover_date is None for p in people if p.category is Category.RESIDENT_SPOUSE)
    assert {p.programme.exempt_reason for p in people} >= {ExemptReason.TRAUMA, ExemptReason.DISABILITY}
    assert {"Flyttet til anden kommune", "Selvforsørgende"} <= {p.left_reason for p in people}
    minors = [p for p in people if p.category is Category.UNACCOMPANIED_MINOR]
    assert {m.um_decision.offered for m in minors if m.um_decision} == {True, False}
    assert any(m.um_decision is None for m in minors)


def test_children_are_born_to_adult_parents_and_siblings_are_spaced(caseload):
    for family in caseload:
        parents = [p.birth_date for p in family.members if p.role in (Role.APPLICANT, Role.SPOUSE)]
        children = sorted(p.birth_date for p in family.members if p.role is Role.CHILD)
        for child in children:
            assert any(18 <= age_on(parent, child) <= 50 for parent in parents), family.ref
        for older, younger in itertools.pairwise(children):
            assert (younger - older).days > 300, family.ref


def test_health_and_danish_situations(caseload):
    people = persons(caseload)
    declined = [p.health for p in people if p.health.declined_date]
    assert any(h.guidance_date for h in declined) and any(h.guidance_date is None for h in declined)
    assert any(p.health.consent and p.health.result_received_date for p in people)
    pauses = [p.danish for p in people if p.danish.paused_from]
    assert any(d.paused_to is None for d in pauses) and any(d.paused_to is not None for d in pauses)


def test_family_plans_checklists_and_housing(caseload):
    assert {f.plan.followup_months for f in caseload if f.plan.made_date} >= {3, 6, 12}
    assert any(len(f.plan.followups) >= 3 for f in caseload)
    assert {f.housing for f in caseload} >= {Housing.TEMPORARY, Housing.PERMANENT}
    assert all(f.housing_since for f in caseload if f.housing in (Housing.TEMPORARY, Housing.PERMANENT))
    assert {f.coordinating_department for f in caseload} == {
        "Jobcenter", "Socialforvaltningen", "Børne- og Ungeforvaltningen"}  # fmt: skip
    tasks = Counter(item.task for f in caseload for item in f.checklist)
    assert {"Oplysninger fra asylcenter modtaget", "Bolig klar", "Etableringspakke udleveret",
            "Indskrevet på sprogskole", "Lægebesøg"} <= set(tasks)  # fmt: skip
    assert {item.phase for f in caseload for item in f.checklist} == set(Phase)


def test_contracts_and_goals(caseload):
    people = persons(caseload)
    activities = {a for p in people for a in p.contract.activities}
    assert {"Virksomhedspraktik", "Løntilskud", "Mentor", "Danskuddannelse"} <= activities
    assert all(p.contract.goal for p in people if p.contract.signed_date)
    goals = [g for p in people for g in p.goals]
    assert {g.area for g in goals} == set(Area)
    assert any(g.subgoals for g in goals) and all(g.interventions for g in goals)


# --------------------------------------------------------------------------- the two rulesets


def test_each_person_follows_the_law_in_force_on_their_takeover_most_the_2016_rules(caseload):
    covered = [p for p in persons(caseload) if p.is_covered]
    older = [p for p in covered if p.takeover_date < LAW_2016_IN_FORCE]
    assert 0 < len(older) < len(covered) / 4  # a few cases from before 1 July 2016; the large majority recent
    assert sum(1 for p in older if p.left_date) > len(older) / 2  # ten years on, most have left
    takeovers = {p.ref: p.takeover_date for p in covered}
    for deadline in deadlines(caseload, today=TODAY):
        if deadline.person is not None:
            assert deadline.ruleset is ruleset_in_force(takeovers[deadline.person]), deadline


def test_the_facts_each_ruleset_reads_are_recorded_for_its_persons(caseload):
    """2015: plan offers, guidance after a declined health offer. 2016: referrals, the assessment of need,
    conversations on the contract; the guidance is given with the offer, and a plan only with consent."""
    by_law = {ruleset: [p for p in persons(caseload) if p.is_covered and ruleset_in_force(p.takeover_date) is ruleset]
              for ruleset in Ruleset}  # fmt: skip
    older, recent = by_law[Ruleset.LAW_2015], by_law[Ruleset.LAW_2016]
    assert not any(p.danish.referral_date or p.health.need is not None or p.contract.followups for p in older)
    assert any(p.health.guidance_date for p in older) and not any(p.health.guidance_date for p in recent)
    assert sum(1 for p in older if p.plan_offer.offered_date) > len(older) * 0.8  # every family was offered a plan
    assert 0 < sum(1 for p in recent if p.plan_offer.offered_date) < len(recent) / 2


def test_2016_conversations_on_the_contract(caseload):
    """0, 1-3 and 4 or more conversations; by meeting, phone and video; with short Danish notes."""
    signed = [p for p in persons(caseload) if p.contract.signed_date and p.takeover_date >= LAW_2016_IN_FORCE]
    held = Counter(min(conversations_held(p, TODAY), 4) for p in signed)
    assert held[0] and held[4] and any(held[n] for n in (1, 2, 3)), held
    talks = [talk for p in signed for talk in p.contract.followups]
    assert {talk.form for talk in talks} == set(ConversationForm)
    notes = [talk.note for talk in talks if talk.note]
    assert len(notes) > len(talks) / 2 and all(len(note) < 60 for note in notes)
    assert "Resultat af helbredsvurdering drøftet" in notes
    for p in signed:
        days = [talk.date for talk in p.contract.followups]
        assert days == sorted(set(days)) and all(day > p.contract.signed_date for day in days), p.ref


@pytest.fixture(scope="module")
def showcase_2016() -> tuple[list[Family], list]:
    families = demo_families(40, seed=1, today=TODAY)
    return families, deadlines(families, today=TODAY)


def met_by(showcase, rule: Rule, fact) -> list:
    """The 2016 deadlines of `rule` met, each with its person, where `fact(person, met_date)` holds."""
    families, found = showcase
    people = {p.ref: p for p in persons(families)}
    return [
        (d, people[d.person])
        for d in found
        if d.ruleset is Ruleset.LAW_2016 and d.rule is rule and d.met_date and fact(people[d.person], d.met_date)
    ]


def test_2016_danish_met_by_a_referral_before_the_course_starts(showcase_2016):
    assert met_by(showcase_2016, Rule.DANISH_START,
                  lambda p, met: met == p.danish.referral_date and p.danish.start_date > met)  # fmt: skip


def test_2016_health_offer_met_by_a_no_need_assessment_and_a_reunified_person_with_a_need(showcase_2016):
    assert met_by(showcase_2016, Rule.HEALTH_OFFER, lambda p, met: p.health.need is False and met == p.health.need_date)
    families, found = showcase_2016
    reunified_with_need = {p.ref for p in persons(families)
                           if p.category is Category.FAMILY_REUNIFIED and p.health.need is True}  # fmt: skip
    assert any(d.rule is Rule.HEALTH_OFFER and d.person in reunified_with_need for d in found)
    no_need = {p.ref for p in persons(families) if p.category is Category.FAMILY_REUNIFIED and p.health.need is False}
    assert no_need and not any(d.rule is Rule.HEALTH_OFFER and d.person in no_need for d in found)


def test_2016_health_followup_met_by_a_conversation(showcase_2016):
    assert met_by(showcase_2016, Rule.HEALTH_FOLLOWUP,
                  lambda p, met: met in {talk.date for talk in p.contract.followups})  # fmt: skip


# --------------------------------------------------------------------------- every deadline in every status


def can_show(ruleset: Ruleset) -> set[tuple[Ruleset, Rule, Status]]:
    """Every (ruleset, rule, status) the ruleset's provisions can show on a day under the default policy."""
    found = set()
    for rule, item in LAW[ruleset].items():
        if item.local_policy:  # the 2016 plan deadlines: only with plan_deadlines = true
            continue
        if item.milestone:
            found |= {(ruleset, rule, Status.UPCOMING), (ruleset, rule, Status.DUE_SOON)}
            continue
        for status in Status:
            if status is Status.PAUSED and rule is not Rule.DANISH_START:  # only Danish can pause
                continue
            if (rule, status) == (Rule.HEALTH_GUIDANCE, Status.UPCOMING):  # would need a decline in the future
                continue
            found.add((ruleset, rule, status))
    return found


EVERY_2015, EVERY_2016 = can_show(Ruleset.LAW_2015), can_show(Ruleset.LAW_2016)
# A case taken over before 1 July 2016, ten years on: every obligation met, met late or closed, and a few
# things still open (a plan followed up yearly or no longer, guidance never recorded). The statuses a recent
# case shows (due soon, upcoming, paused) appear for the 2015 rules when they are pinned.
OLDER_CASES = {
    (Ruleset.LAW_2015, rule, status)
    for rule, item in LAW[Ruleset.LAW_2015].items()
    if not item.milestone
    for status in (Status.MET, Status.MET_LATE, Status.CLOSED)
} | {
    (Ruleset.LAW_2015, Rule.HEALTH_GUIDANCE, Status.OVERDUE),
    (Ruleset.LAW_2015, Rule.PLAN_FOLLOWUP, Status.OVERDUE),
    (Ruleset.LAW_2015, Rule.PLAN_FOLLOWUP, Status.UPCOMING),
}
DEMO_DAYS = [
    (1, TODAY), (2, date(2025, 12, 31)), (3, date(2024, 2, 29)), (4, date(2026, 5, 31)), (5, date(2026, 11, 23)),
    (1, date(2026, 11, 25)),
]  # fmt: skip


AUTO = Policy()  # the default: each person by the ruleset in force on their takeover


def shown(families: list[Family], today: date, policy: Policy = AUTO) -> set[tuple[Ruleset, Rule, Status]]:
    return {(d.ruleset, d.rule, d.status) for d in deadlines(families, today=today, window=14, policy=policy)}


@pytest.mark.parametrize(("seed", "today"), DEMO_DAYS)
def test_under_auto_every_2016_rule_shows_in_every_status_and_the_older_cases_their_history(seed, today):
    families = demo_families(40, seed=seed, today=today)
    found = shown(families, today)
    recent = {item for item in found if item[0] is Ruleset.LAW_2016}
    older = found - recent
    assert recent == EVERY_2016, {"missing": EVERY_2016 - recent, "unexpected": recent - EVERY_2016}
    assert OLDER_CASES <= older <= EVERY_2015, {"missing": OLDER_CASES - older, "unexpected": older - EVERY_2015}


@pytest.mark.parametrize(("seed", "today"), DEMO_DAYS)
def test_pinned_to_2015_every_2015_rule_shows_in_every_status(seed, today):
    families = demo_families(40, seed=seed, today=today)
    found = shown(families, today, Policy(rules=RulesChoice.LAW_2015))
    assert found == EVERY_2015, {"missing": EVERY_2015 - found, "unexpected": found - EVERY_2015}


# --------------------------------------------------------------------------- where the demo is written


def test_only_a_new_or_empty_kasse_database_counts_as_free_for_the_demo(tmp_path):
    """A folder, a file that is not SQLite, or a caseload is left alone; a new path or an empty database is not."""
    from kasse.data.db import open_database
    from kasse.demo.setup import holds_caseload

    folder = tmp_path / "folder.db"
    folder.mkdir()
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite " * 50, encoding="utf-8")
    empty = tmp_path / "empty.db"
    open_database(empty).close()

    assert holds_caseload(folder) and holds_caseload(junk)
    assert not holds_caseload(empty) and not holds_caseload(tmp_path / "new.db")
    assert junk.read_text(encoding="utf-8") == "not sqlite " * 50


# --------------------------------------------------------------------------- the journal and own tasks


@pytest.fixture(scope="module")
def journal(caseload):
    from kasse.demo.journal import demo_journal

    return demo_journal(caseload, seed=11, today=TODAY)


def test_the_journal_is_the_same_for_the_same_seed_and_day_and_changes_no_family(caseload, journal):
    from kasse.demo.journal import demo_journal

    assert demo_journal(caseload, seed=11, today=TODAY) == journal
    assert demo_journal(caseload, seed=12, today=TODAY) != journal
    assert demo_families(120, seed=11, today=TODAY) == caseload


def test_notes_are_dated_within_each_persons_time_in_the_caseload_never_after_today(caseload, journal):
    notes, _ = journal
    by_ref = {family.ref: family for family in caseload}
    members = {person.ref: person for family in caseload for person in family.members}
    for note in notes:
        family = by_ref[note.family_ref]
        first = min(p.takeover_date for p in family.members if p.takeover_date)
        person = members.get(note.person_ref)
        if person is not None:
            first = person.takeover_date or first
            assert person.left_date is None or note.written_at.date() <= person.left_date, note
        assert first <= note.written_at.date() <= TODAY, note
        assert 8 <= note.written_at.hour < 16 and note.written_at.second == 0


def test_the_journal_reads_like_a_caseworkers_with_every_kind_and_corrections_now_and_then(journal):
    from kasse.journal import NoteKind, check_note, corrected_by

    notes, _ = journal
    for note in notes:
        check_note(note)
    assert {note.kind for note in notes} == set(NoteKind)
    assert len(notes) > 5 * 120 / 2
    written = {note.uid: note for note in notes}
    corrections = [note for note in notes if note.corrects is not None]
    assert 0.02 < len(corrections) / len(notes) < 0.15
    for correction in corrections:
        original = written[correction.corrects]
        assert original.written_at < correction.written_at and original.family_ref == correction.family_ref
        assert correction.text.startswith("Rettelse")
    assert set(corrected_by(notes)) == {note.corrects for note in corrections}
    texts = " ".join(note.text for note in notes)
    for words in ("Telefon med sprogskolen", "Brev fra lægen", "Hjemmebesøg", "Integrationskontrakt underskrevet"):
        assert words in texts


def test_own_tasks_some_done_some_overdue_some_ahead_created_before_today(caseload, journal):
    from kasse.journal import check_task, task_deadlines

    _, tasks = journal
    members = {person.ref: person for family in caseload for person in family.members}
    for task in tasks:
        check_task(task)
        assert task.created_at.date() <= TODAY and (task.done is None or task.created_at.date() <= task.done <= TODAY)
        if task.person_ref is not None:
            assert members[task.person_ref].takeover_date <= task.created_at.date()
        if task.title == "Ring til lægen fredag":
            assert task.due.weekday() == 4
    statuses = Counter(row.status for row in task_deadlines(tasks, today=TODAY, window=14))
    assert statuses[Status.OVERDUE] and statuses[Status.DUE_SOON] and statuses[Status.MET] + statuses[Status.MET_LATE]
    assert any(task.person_ref is None for task in tasks) and any(task.person_ref for task in tasks)


def test_the_journal_survives_the_kasse_v1_round_trip(caseload, journal):
    from kasse.interchange.v1 import parse_records

    records = parse_records(dump_document(caseload, *journal))
    assert (records.notes, records.tasks) == journal


def test_the_journal_of_ten_thousand_persons_is_quick():
    from kasse.demo.journal import demo_journal

    families = demo_persons(10_000, seed=5, today=TODAY)
    started = time.process_time()
    notes, tasks = demo_journal(families, seed=5, today=TODAY)
    assert time.process_time() - started < 1.0
    assert len(notes) > 10_000 and len(tasks) > 1000


def test_kasse_demo_writes_the_journal_and_tasks_with_the_families_in_one_go(tmp_path):
    import sqlite3
    from contextlib import closing

    from kasse.demo.setup import holds_only_demo_data, write_demo

    result = write_demo(tmp_path / "demo.db", families=12, seed=3, today=TODAY)

    with closing(sqlite3.connect(result.path)) as connection:
        counts = connection.execute("SELECT (SELECT count(*) FROM journal_note), (SELECT count(*) FROM task)")
        assert counts.fetchone() == (result.notes, result.tasks)
    assert result.notes > 20 and result.tasks > 0
    assert holds_only_demo_data(result.path)
