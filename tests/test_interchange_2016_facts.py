"""The 2016 facts in kasse/v1: Danish referral, the assessment of health need and contract follow-up conversations,
through JSON, CSV, Excel and the database, and a file written before them importing unchanged."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from kasse.data import reader
from kasse.data.store import import_families
from kasse.domain import Contract, ContractFollowUp, ConversationForm, Danish, Family, Health, Person
from kasse.interchange.csv_format import InvalidSheet, parse_sheet, read_csv, write_csv
from kasse.interchange.v1 import InvalidDocument, Problem, dump_document, parse_document
from kasse.interchange.xlsx_format import read_xlsx, write_xlsx
from tests.factories import d, person

RECORD = "familie F-1, person P-1"
CONVERSATIONS = (
    ContractFollowUp(d("2025-03-04"), ConversationForm.MEETING, "Praktik aftalt"),
    ContractFollowUp(d("2025-04-01"), ConversationForm.PHONE),
    ContractFollowUp(d("2025-05-02"), None, "Ringede selv"),
    ContractFollowUp(d("2025-06-03"), ConversationForm.VIDEO),
)


def assessed(ref: str = "P-1", *, need: bool = True) -> Person:
    """A refugee with every 2016 fact recorded."""
    return person(
        ref,
        contract=Contract(signed_date=d("2025-02-05"), followups=CONVERSATIONS),
        danish=Danish(referral_date=d("2025-01-20")),
        health=Health(need=need, need_date=d("2025-01-25")),
    )


def document(*members) -> dict:
    return dump_document([Family(ref="F-1", members=members)])


def member_of(doc: dict, index: int = 0) -> dict:
    return doc["families"][0]["members"][index]


def problems_of(doc: dict) -> list[Problem]:
    with pytest.raises(InvalidDocument) as raised:
        parse_document(doc)
    return raised.value.problems


def only_problem(doc: dict) -> tuple[str, str, str]:
    [problem] = problems_of(doc)
    return problem.record, problem.field, problem.reason


# --------------------------------------------------------------------------- JSON


def test_json_writes_and_reads_back_every_2016_fact():
    doc = document(assessed(), assessed("P-2", need=False))

    written = member_of(doc)
    assert written["danish"]["referral_date"] == "2025-01-20"
    assert (written["health"]["need"], written["health"]["need_date"]) == (True, "2025-01-25")
    assert written["contract"]["followups"][:3] == [
        {"date": "2025-03-04", "form": "meeting", "note": "Praktik aftalt"},
        {"date": "2025-04-01", "form": "phone", "note": None},
        {"date": "2025-05-02", "form": None, "note": "Ringede selv"},
    ]
    assert member_of(doc, 1)["health"]["need"] is False
    assert parse_document(copy.deepcopy(doc))[0].members == (assessed(), assessed("P-2", need=False))
    assert dump_document(parse_document(copy.deepcopy(doc))) == doc


def test_export_import_into_an_empty_database_export_gives_the_same_document(store, database):
    doc = document(assessed(), assessed("P-2", need=False), person("P-3"))

    import_families(store, parse_document(copy.deepcopy(doc)))
    connection = reader.connect(database.path)
    try:
        again = dump_document(reader.read_families(connection))
    finally:
        connection.close()

    assert again == doc


def test_a_file_written_before_the_2016_facts_imports_unchanged():
    doc = document(assessed())
    old = member_of(doc)
    del old["danish"]["referral_date"], old["health"]["need"], old["health"]["need_date"]
    del old["contract"]["followups"]

    [family] = parse_document(doc)

    assert family.members == (
        person("P-1", contract=Contract(signed_date=d("2025-02-05")), danish=Danish(), health=Health()),
    )


@pytest.mark.parametrize(("given", "missing"), [("need", "need_date"), ("need_date", "need")])
def test_the_need_and_its_date_are_recorded_together(given, missing):
    doc = document(assessed())
    member_of(doc)["health"][missing] = None

    assert only_problem(doc) == (RECORD, f"health.{given}", f"er angivet uden health.{missing}")


@pytest.mark.parametrize("need", ["ja", "true", 1, "2025-01-25"])
def test_the_need_is_a_json_boolean(need):
    doc = document(assessed())
    member_of(doc)["health"]["need"] = need

    assert only_problem(doc) == (RECORD, "health.need", "skal være true eller false")


def test_an_unknown_conversation_form_is_refused_naming_the_allowed_ones():
    doc = document(assessed())
    member_of(doc)["contract"]["followups"][1]["form"] = "letter"

    assert only_problem(doc) == (
        RECORD,
        "contract.followups[1].form",
        "ukendt samtaleform 'letter' (tilladt: meeting, phone, video)",
    )


def test_an_unknown_key_in_a_contract_followup_is_refused():
    doc = document(assessed())
    member_of(doc)["contract"]["followups"][0]["notes"] = "Praktik aftalt"

    assert only_problem(doc) == (RECORD, "contract.followups[0].notes", "ukendt felt (mente du 'note'?)")


@pytest.mark.parametrize(
    ("followups", "field", "reason"),
    [
        ([{"form": "phone"}], "contract.followups[0].date", "mangler"),
        ([{"date": "04-03-2025"}], "contract.followups[0].date",
         "'04-03-2025' er ikke en dato på formen ÅÅÅÅ-MM-DD"),
        (["2025-03-04"], "contract.followups[0]", "skal være et objekt"),
        ({"date": "2025-03-04"}, "contract.followups", "skal være en liste"),
    ],
)
def test_contract_followups_are_a_list_of_objects_with_a_date(followups, field, reason):
    doc = document(assessed())
    member_of(doc)["contract"]["followups"] = followups

    assert only_problem(doc) == (RECORD, field, reason)


# --------------------------------------------------------------------------- spreadsheets


def test_csv_and_excel_carry_the_scalar_facts_and_leave_the_conversations_to_json(tmp_path):
    doc = document(assessed(), assessed("P-2", need=False), person("P-3"))
    csv_path, xlsx_path = tmp_path / "sagsstamme.csv", tmp_path / "sagsstamme.xlsx"
    write_csv(doc, csv_path)
    write_xlsx(doc, xlsx_path)

    for sheet in (read_csv(csv_path), read_xlsx(xlsx_path)):
        [family] = parse_sheet(sheet, {}, {})
        first, second, third = family.members
        assert first == replace(assessed(), contract=Contract(signed_date=d("2025-02-05")))
        assert second.health == Health(need=False, need_date=d("2025-01-25"))
        assert third == person("P-3")


@pytest.mark.parametrize(("cell", "need"), [("ja", True), ("NEJ", False), ("true", True), ("false", False)])
def test_a_csv_need_is_written_as_excel_users_write_booleans(tmp_path, cell, need):
    path = tmp_path / "behov.csv"
    path.write_text(
        "family.ref;ref;name;birth_date;category;takeover_date;health.need;health.need_date\n"
        f"F-1;P-1;Amina;01-01-1990;refugee;10-01-2025;{cell};25-01-2025\n",
        encoding="utf-8",
    )

    [family] = parse_sheet(read_csv(path), {}, {})

    assert family.members[0].health == Health(need=need, need_date=d("2025-01-25"))


def test_a_csv_row_for_a_stored_person_keeps_the_conversations(tmp_path):
    stored = member_of(document(assessed()))
    path = tmp_path / "henvist.csv"
    path.write_text("family.ref;ref;danish.referral_date\nF-1;P-1;21-01-2025\n", encoding="utf-8")

    [family] = parse_sheet(read_csv(path), {}, {"P-1": stored})

    assert family.members[0].contract.followups == CONVERSATIONS
    assert family.members[0].danish.referral_date == date(2025, 1, 21)


def test_a_csv_need_without_its_date_names_row_and_column(tmp_path):
    path = tmp_path / "behov.csv"
    path.write_text(
        "family.ref;ref;name;birth_date;category;takeover_date;health.need\n"
        "F-1;P-1;Amina;01-01-1990;refugee;10-01-2025;ja\n",
        encoding="utf-8",
    )

    with pytest.raises(InvalidSheet) as raised:
        parse_sheet(read_csv(path), {}, {})

    assert "række 2, kolonne health.need, værdi 'ja': er angivet uden health.need_date" in str(raised.value)
