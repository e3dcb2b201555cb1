"""What the forms edit, without a screen: typed text to values, checks across fields, values to domain values."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kasse.domain import Answer, Category, ChecklistItem, Phase, Role
from kasse.errors import KasseError
from kasse.tui import editing
from kasse.tui.fields import Field, Kind, parse_field, show_value
from tests.factories import d, family, person


@pytest.mark.parametrize("typed, expected", [
    ("15-02-2025", d("2025-02-15")), ("15.02.2025", d("2025-02-15")), ("2025-02-15", d("2025-02-15")),
    ("  ", None),
])
def test_dates_are_typed_the_danish_way_or_iso(typed, expected):
    assert parse_field(Field("x", "X", Kind.DATE), typed) == expected


@pytest.mark.parametrize("kind, typed, message", [
    (Kind.DATE, "31-02-2025", "findes ikke"), (Kind.DATE, "i morgen", "DD-MM-ÅÅÅÅ"),
    (Kind.NUMBER, "atten", "ikke et tal"), (Kind.WHOLE, "0", "mindst 1"), (Kind.CPR, "123", "DDMMÅÅ-SSSS"),
])
def test_bad_values_are_explained_in_danish(kind, typed, message):
    with pytest.raises(KasseError, match=message):
        parse_field(Field("x", "X", kind), typed)


def test_required_fields_say_so():
    with pytest.raises(KasseError, match="Skal udfyldes"):
        parse_field(Field("x", "X", Kind.TEXT, required=True), "")


def test_numbers_take_a_decimal_comma_and_lines_drop_blanks():
    assert parse_field(Field("h", "H", Kind.NUMBER), "7,5") == 7.5
    assert show_value(Field("h", "H", Kind.NUMBER), 7.5) == "7,5"
    assert parse_field(Field("a", "A", Kind.LINES), "Praktik\n\n  Mentor \n") == ("Praktik", "Mentor")


def test_a_person_needs_a_birth_date_or_a_cpr_that_agrees():
    values = editing.read_person(person("P-1")) | {"birth_date": None, "cpr": None}
    assert "birth_date" in editing.check_person(values)
    values |= {"cpr": "010190-1234", "birth_date": d("1990-01-02")}
    assert "Passer ikke" in editing.check_person(values)["birth_date"]
    values |= {"birth_date": None}
    assert editing.check_person(values) == {}
    assert editing.write_person(None, values).birth_date == d("1990-01-01")


def test_only_resident_spouses_may_lack_a_takeover_date():
    values = editing.read_person(person("P-1")) | {"takeover_date": None}
    assert "takeover_date" in editing.check_person(values)
    assert editing.check_person(values | {"category": Category.RESIDENT_SPOUSE}) == {}


def test_plan_offer_and_assessment_round_trip_and_health_summary_needs_consent():
    amina = person("P-1")
    values = editing.read_plan(amina) | {"offered_date": d("2025-02-01"), "answer": Answer.DECLINED,
                                         "education": "Sygeplejerske"}
    assert editing.plan_section(amina).check(values) == {}
    changed = editing.write_plan(amina, values)
    assert changed.plan_offer.answer is Answer.DECLINED and changed.assessment.education == "Sygeplejerske"
    assert "samtykke" in editing.plan_section(amina).check(values | {"health_summary": "Astma"})["health_summary"]


def test_a_new_family_comes_with_its_first_member():
    section = editing.new_family_section()
    values = {field.key: None for field in section.fields} | {
        "ref": "F-1", "member_ref": "P-1", "member_name": "Amina", "member_birth_date": d("1990-01-01"),
        "member_category": Category.REFUGEE, "member_role": Role.APPLICANT, "member_takeover_date": d("2025-01-10"),
    }
    assert section.check(values) == {}
    created = editing.write_family(None, values)
    assert created.ref == "F-1" and [p.name for p in created.members] == ["Amina"]


def test_the_default_checklist_covers_the_four_phases_and_ticks_on_and_off():
    checklist = editing.default_checklist()
    assert {item.phase for item in checklist} == set(Phase)
    fam = replace(family(person("P-1")), checklist=checklist)
    ticked = editing.tick(fam, 0, d("2025-03-01"))
    assert ticked.checklist[0].done_date == d("2025-03-01")
    assert editing.tick(ticked, 0, d("2025-03-02")).checklist[0].done_date is None


def test_next_ref_follows_the_highest_in_use():
    assert editing.next_ref(["P-0009", "P-0041", "X-1", "P-abc"], "P-", 4) == "P-0042"
    assert editing.next_ref([], "F-2025-", 3) == "F-2025-001"


def test_an_unaccompanied_minor_must_be_under_18_on_the_takeover_date():
    values = editing.read_person(person("P-1", born="2007-03-01", takeover="2025-03-01")) | {
        "category": Category.UNACCOMPANIED_MINOR}
    assert "fyldte 18 den 01-03-2025" in editing.check_person(values)["category"]
    assert editing.check_person(values | {"takeover_date": d("2025-02-28")}) == {}
    by_cpr = values | {"birth_date": None, "cpr": "010307-4234"}  # born 01-03-2007, read from the CPR number
    assert "category" in editing.check_person(by_cpr)


def test_the_need_assessment_takes_both_its_answer_and_its_date():
    values = editing.read_health(person("P-1"))
    assert editing.HEALTH.check(values | {"need": False}) == {"need_date": "Angiv hvornår behovet blev vurderet"}
    assert "need" in editing.HEALTH.check(values | {"need_date": d("2025-02-01")})
    both = values | {"need": False, "need_date": d("2025-02-01")}
    assert editing.HEALTH.check(both) == {}
    health = editing.write_health(person("P-1"), both).health
    assert (health.need, health.need_date) == (False, d("2025-02-01"))


def test_editing_the_contract_keeps_its_conversations_and_a_conversation_follows_the_signing():
    from kasse.domain import Contract, ContractFollowUp, ConversationForm

    talk = ContractFollowUp(d("2025-02-01"), ConversationForm.VIDEO, "Praktik")
    amina = person("P-1", contract=Contract(signed_date=d("2025-01-20"), followups=(talk,)))
    edited = editing.write_contract(amina, editing.read_contract(amina) | {"goal": "Job"})
    assert edited.contract.followups == (talk,) and edited.contract.goal == "Job"

    section = editing.conversation_section(d("2025-01-20"))
    assert "20-01-2025" in section.check(editing.new_conversation(d("2025-01-19")))["date"]
    assert section.check(editing.new_conversation(d("2025-01-20"))) == {}
    assert "ikke underskrevet" in editing.conversation_section(None).check(editing.new_conversation(d("2025-03-01")))["date"]
    added = editing.with_conversation(amina, editing.new_conversation(d("2025-01-25")))
    assert [t.date for t in added.contract.followups] == [d("2025-01-25"), d("2025-02-01")]
    assert editing.without_conversation(added, 0).contract.followups == (talk,)


def test_the_checklist_template_replaces_the_default_and_starts_open():
    template = (ChecklistItem(Phase.ARRIVAL, "Nøgler udleveret", d("2025-01-01")),)
    assert editing.default_checklist(template) == (ChecklistItem(Phase.ARRIVAL, "Nøgler udleveret"),)
    assert len(editing.default_checklist(None)) == len(editing.DEFAULT_CHECKLIST)


def test_a_choice_keeps_its_code_so_checks_on_it_hold():
    field = editing.PERSON.fields[4]
    assert parse_field(field, Category.RESIDENT_SPOUSE) is Category.RESIDENT_SPOUSE
    values = editing.read_person(person("P-1")) | {"takeover_date": None,
                                                    "category": parse_field(field, Category.RESIDENT_SPOUSE)}
    assert editing.check_person(values) == {}
