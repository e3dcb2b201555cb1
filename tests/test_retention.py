"""Retention, the pure part: who is due to be anonymised, and what each field - and its audit value - becomes."""

from __future__ import annotations

import dataclasses
from datetime import date

from kasse.data.audit import audit_text, differences, family_record, person_record
from kasse.retention import (
    ANONYMISED,
    SELF_SUPPORTING,
    anonymise_family,
    anonymise_person,
    audit_value,
    due_count,
    is_anonymised,
    retention_cutoff,
    retention_reminder,
    select_due,
)
from kasse.stats import statistics_of, statistics_record
from tests.factories import family, person

CUTOFF = date(2021, 1, 1)


def test_persons_who_left_before_the_day_are_due_and_families_when_every_member_is():
    gone = family(person("P-1", left="2020-05-01"), person("P-2", left="2020-12-31"), ref="F-GONE")
    mixed = family(person("P-3", left="2020-05-01"), person("P-4"), ref="F-MIXED")
    on_the_day = family(person("P-5", left="2021-01-01"), ref="F-DAY")
    empty = family(ref="F-EMPTY")

    due = select_due([gone, mixed, on_the_day, empty], CUTOFF)

    assert due.persons == {"P-1", "P-2", "P-3"}
    assert due.families == {"F-GONE"}


def test_anonymising_a_person_replaces_every_text_and_keeps_every_date(rich_family):
    original = rich_family.members[0]
    anonymised = anonymise_person(original)

    assert anonymised.name == ANONYMISED
    assert anonymised.cpr is None and anonymised.nationality is None
    assert anonymised.left_reason == SELF_SUPPORTING  # "Selvforsørgende" counts as self-supporting
    assert anonymised.contract.goal is None
    assert anonymised.contract.activities == (ANONYMISED, ANONYMISED)
    assert [item.note for item in anonymised.contract.followups] == [None, None, None]
    assert anonymised.danish.provider is None
    assert dataclasses.astuple(anonymised.assessment) == (None,) * 5
    assert [goal.goal for goal in anonymised.goals] == [ANONYMISED, ANONYMISED]
    assert anonymised.goals[0].subgoals == (ANONYMISED, ANONYMISED)
    assert [(item.title, item.department) for item in anonymised.goals[0].interventions] == [(ANONYMISED, None)] * 2
    # Kept: what the engine and the statistics read.
    assert (anonymised.ref, anonymised.birth_date, anonymised.category, anonymised.role) == (
        original.ref, original.birth_date, original.category, original.role)
    assert (anonymised.takeover_date, anonymised.left_date) == (original.takeover_date, original.left_date)
    assert anonymised.programme == original.programme and anonymised.um_decision == original.um_decision
    assert anonymised.health == original.health and anonymised.plan_offer == original.plan_offer
    assert [item.date for item in anonymised.contract.followups] == [item.date for item in original.contract.followups]
    assert anonymised.contract.signed_date == original.contract.signed_date
    assert dataclasses.replace(anonymised.danish, provider="x") == dataclasses.replace(original.danish, provider="x")
    assert [(item.status, item.start, item.end) for item in anonymised.goals[0].interventions] == [
        (item.status, item.start, item.end) for item in original.goals[0].interventions]
    assert anonymise_person(anonymised) == anonymised and is_anonymised(anonymised)


def test_a_reason_for_leaving_keeps_only_whether_it_was_self_supporting():
    assert anonymise_person(person(left="2020-01-01", left_reason="Fået job hos Zyxwvutsen ApS")).left_reason \
        == SELF_SUPPORTING
    assert anonymise_person(person(left="2020-01-01", left_reason="Flyttet til sin søster i Aarhus")).left_reason \
        is None


def test_anonymising_a_family_replaces_its_texts_and_keeps_its_dates(rich_family):
    anonymised = anonymise_family(rich_family)

    assert anonymised.coordinating_department is None
    assert [item.note for item in anonymised.plan.followups] == [None, None]
    assert [item.task for item in anonymised.checklist] == [ANONYMISED, ANONYMISED]
    assert [item.date for item in anonymised.plan.followups] == [item.date for item in rich_family.plan.followups]
    assert [(item.phase, item.done_date) for item in anonymised.checklist] == [
        (item.phase, item.done_date) for item in rich_family.checklist]
    assert (anonymised.housing, anonymised.housing_since) == (rich_family.housing, rich_family.housing_since)
    assert anonymised.members == rich_family.members


def test_statistics_are_the_same_after_anonymising(rich_family):
    left_for_job = person("P-9", left="2026-03-01", left_reason="Job som buschauffør")
    before = [rich_family, family(left_for_job, ref="F-9")]
    after = [
        dataclasses.replace(anonymise_family(found), members=tuple(anonymise_person(p) for p in found.members))
        for found in before
    ]

    def figures(families):
        return statistics_record(statistics_of(families, start=date(2025, 1, 1), end=date(2026, 11, 1),
                                               today=date(2026, 11, 23)))

    assert figures(after) == figures(before)


def test_every_audit_value_of_a_person_becomes_what_the_field_became(rich_family):
    """The trail's text and JSON for each field anonymised the same way as the field itself - whole records too."""
    original = rich_family.members[0]
    anonymised = anonymise_person(original)
    changed = list(differences(original, anonymised))

    assert {path for path, _, _ in changed} >= {"name", "cpr", "contract.goal", "goals", "assessment.education"}
    for path, before, after in changed:
        assert audit_value("person", path, audit_text(before)) == audit_text(after), path
    whole = audit_value("person", "*", audit_text(person_record(original, rich_family.ref)))
    assert whole == audit_text(person_record(anonymised, rich_family.ref))


def test_every_audit_value_of_a_family_becomes_what_the_field_became(rich_family):
    anonymised = anonymise_family(rich_family)

    for path, before, after in differences(dataclasses.replace(rich_family, members=()),
                                           dataclasses.replace(anonymised, members=())):
        assert audit_value("family", path, audit_text(before)) == audit_text(after), path
    assert audit_value("family", "*", audit_text(family_record(rich_family))) == audit_text(family_record(anonymised))


def test_audit_values_that_are_no_text_are_kept():
    assert audit_value("person", "left_date", "2020-01-01") == "2020-01-01"
    assert audit_value("person", "family", "F-1") == "F-1"  # a move names refs only
    assert audit_value("person", "name", None) is None
    assert audit_value("database", "restore", '{"from": "x"}') == '{"from": "x"}'
    assert audit_value("task", "title", "Ring til Zyxwvutsen") == ANONYMISED
    assert audit_value("task", "*", '{"title": "Ring", "due": "2020-01-01"}') == '{"title": "Anonymiseret", "due": "2020-01-01"}'
    assert audit_value("person", "*", "not json Zyxwvutsen") == ANONYMISED


def test_the_reminder_counts_the_persons_not_yet_anonymised():
    today = date(2026, 11, 23)
    assert retention_cutoff(today, 5) == date(2021, 11, 23)
    long_gone = person("P-1", left="2020-01-01", name="Zyxwvutsen")
    purged = anonymise_person(person("P-2", left="2019-01-01"))
    recent = person("P-3", left="2022-01-01")
    families = [family(long_gone, purged, recent)]

    assert due_count(families, today, 5) == 1
    assert retention_reminder(families, today, 5) == "1 borger er fraflyttet for mere end 5 år siden - kasse purge"
    assert retention_reminder(families, today, 3) == "2 borgere er fraflyttet for mere end 3 år siden - kasse purge"
    assert retention_reminder(families, today, 10) is None
    assert retention_reminder(families, today, None) is None


# -- retention_years in kasse.toml, and the app's reminder at start -------------------------------


def test_retention_years_is_read_from_kasse_toml_and_a_bad_value_is_refused(tmp_path, monkeypatch):
    import pytest

    from kasse.config import ConfigError, default_config_text, load_config

    path = tmp_path / "kasse.toml"
    monkeypatch.setenv("KASSE_CONFIG", str(path))
    assert load_config().retention_years is None  # no file, no reminder
    path.write_text("retention_years = 5\n", encoding="utf-8")
    assert load_config().retention_years == 5
    for bad in ("0", "101", "true", '"5"', "2.5"):
        path.write_text(f"retention_years = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="retention_years skal være et helt antal år fra 1 til 100"):
            load_config()
    assert "\n# retention_years = 5\n" in default_config_text()


async def test_the_app_reminds_at_start_of_the_persons_due_only_when_configured(tmp_path):
    from kasse.config import Config
    from kasse.tui.app import make_app
    from tests.tui_support import TODAY, settle, write_caseload

    db = write_caseload(tmp_path / "kasse.db", [
        family(person("P-1", left="2019-05-01"), person("P-2", left="2024-05-01"), ref="F-1"),
        family(anonymise_person(person("P-3", left="2018-01-01")), ref="F-2"),
    ])  # fmt: skip
    for config, expected in ((Config(retention_years=5), ["1 borger er fraflyttet for mere end 5 år siden - kasse purge"]),
                             (Config(), [])):
        app = make_app(db, TODAY, config)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert [n.message for n in app._notifications if "fraflyttet" in n.message] == expected
