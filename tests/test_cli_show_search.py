"""`kasse show` and `kasse search` as a caseworker or a script runs them: a table, --json or --csv."""

from __future__ import annotations

import pytest

from kasse.domain import Category, Family, Role
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import person

TODAY = "2026-11-23"
DEADLINE_CSV_HEADER = "family,person,name,rule,title,due,status,days,met_date,ruleset,basis"


@pytest.fixture(scope="module")
def families(demo_db) -> list[dict]:
    """The caseload as `kasse export` reads it from the database: the records show and search must agree with."""
    return run_kasse("export", "-", db=demo_db).json()["families"]


@pytest.fixture(scope="module")
def all_deadlines(demo_db) -> list[dict]:
    return run_kasse("deadlines", "--all", "--json", "--today", TODAY, db=demo_db).json()


@pytest.fixture
def small_db(tmp_path):
    """Refs of which one contains another, a name that is a formula, and a family without members."""
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families

    members = (
        person("P-1", name="Amina Hassan", nationality="Syrien", cpr="010190-1234", takeover="2026-01-10"),
        person("P-12", name='=HYPERLINK("x")', nationality="Somalia", born="1992-03-04", takeover="2026-01-10"),
    )
    database = open_database(new_database_file(tmp_path / "kasse.db"))
    try:
        import_families(Store(database, actor="test"), [Family(ref="F-1", members=members), Family(ref="F-TOM")])
    finally:
        database.close()
    return tmp_path / "kasse.db"


def family_with_members(families: list[dict]) -> dict:
    return next(family for family in families if len(family["members"]) > 2)


def expected_search(families: list[dict], text: str) -> list[dict]:
    """What `search --json` should print for a text that is no exact ref, worked out from the export."""
    folded, digits = text.casefold(), text.casefold().replace("-", "")
    found = []
    for family in families:
        for member in family["members"]:
            fields = {
                "ref": member["ref"],
                "family": family["ref"],
                "name": member["name"],
                "cpr": member["cpr"] and member["cpr"].replace("-", ""),
                "nationality": member["nationality"],
            }
            matched = [
                field
                for field, value in fields.items()
                if value is not None and (digits if field == "cpr" else folded) in value.casefold()
            ]
            if matched:
                found.append(
                    {
                        "ref": member["ref"],
                        "family": family["ref"],
                        "name": member["name"],
                        "category": member["category"],
                        "nationality": member["nationality"],
                        "matched": matched,
                    }
                )
    return found


# --------------------------------------------------------------------------------------------------- show


def test_show_of_a_family_with_several_members_shows_every_member(demo_db, families):
    family = family_with_members(families)

    result = run_kasse("show", family["ref"], "--today", TODAY, db=demo_db)

    assert result.code == 0, result.err
    assert result.err == ""
    assert f"Familie {family['ref']}" in result.out
    for member in family["members"]:
        assert member["ref"] in result.out and member["name"] in result.out
    assert "Frister" in result.out


def test_show_json_of_a_family_is_its_kasse_v1_record_and_all_its_deadlines(demo_db, families, all_deadlines):
    family = family_with_members(families)

    shown = run_kasse("show", family["ref"].lower(), "--json", "--today", TODAY, db=demo_db).json()

    assert list(shown) == ["family", "person", "deadlines"]
    assert shown["family"] == family
    assert shown["person"] is None
    assert shown["deadlines"] == [record for record in all_deadlines if record["family"] == family["ref"]]
    assert {record["person"] for record in shown["deadlines"]} >= {member["ref"] for member in family["members"][:2]}


def test_show_json_of_a_person_is_their_record_with_theirs_and_the_familys_deadlines(demo_db, families, all_deadlines):
    family = family_with_members(families)
    member = family["members"][1]

    shown = run_kasse("show", member["ref"], "--json", "--today", TODAY, db=demo_db).json()

    assert shown["person"] == member
    assert shown["family"] == family
    expected = [
        record
        for record in all_deadlines
        if record["family"] == family["ref"] and record["person"] in (member["ref"], None)
    ]
    assert expected and shown["deadlines"] == expected


def test_show_by_cpr_number_finds_the_person(demo_db, families):
    member = family_with_members(families)["members"][0]

    shown = run_kasse("show", member["cpr"], "--json", "--today", TODAY, db=demo_db).json()

    assert shown["person"]["ref"] == member["ref"]


def test_show_csv_writes_the_deadlines_shown_with_the_lookups_header(demo_db, families):
    family = family_with_members(families)
    shown = run_kasse("show", family["ref"], "--json", "--today", TODAY, db=demo_db).json()

    lines = run_kasse("show", family["ref"], "--csv", "--today", TODAY, db=demo_db).out.splitlines()

    assert lines[0] == DEADLINE_CSV_HEADER
    assert len(lines) - 1 == len(shown["deadlines"]) > 0
    assert all(line.startswith(f"{family['ref']},") for line in lines[1:])


def test_show_of_a_family_without_members_shows_the_family(small_db):
    shown = run_kasse("show", "F-TOM", "--json", "--today", TODAY, db=small_db)

    assert shown.code == 0, shown.err
    assert shown.json()["family"]["ref"] == "F-TOM" and shown.json()["family"]["members"] == []


def test_show_at_80_columns_cuts_a_long_name_not_the_members_table(tmp_path):
    """One line a member, every column header whole, and the refs, CPR numbers and dates never cut: what gives way
    is a long name (and category), with an ellipsis."""
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families

    long_name = "Abdirahman Mohamed Abdullahi Hassan Farah"
    members = (
        person("P-0001", name=long_name, cpr="010190-1234", takeover="2026-01-10"),
        person("P-0002", name="Hodan Ali", category=Category.RESIDENT_SPOUSE, role=Role.SPOUSE, cpr="040392-1236",
               born="1992-03-04", takeover=None),
    )
    database = open_database(new_database_file(tmp_path / "kasse.db"))
    try:
        import_families(Store(database, actor="test"), [Family(ref="F-2026-001", members=members)])
    finally:
        database.close()

    narrow = run_kasse("show", "F-2026-001", "--today", TODAY, db=tmp_path / "kasse.db", env={"COLUMNS": "80"})
    wide = run_kasse("show", "F-2026-001", "--today", TODAY, db=tmp_path / "kasse.db", env={"COLUMNS": "200"})

    assert narrow.code == wide.code == 0, narrow.err + wide.err
    lines = narrow.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if line.lstrip().startswith("Ref"))
    assert header.split() == ["Ref", "Navn", "Rolle", "Kategori", "Alder", "CPR", "Overtaget", "Fraflyttet"]
    first, second = (next(line for line in lines if line.startswith(ref)) for ref in ("P-0001", "P-0002"))
    assert "Abdirahman" in first and "…" in first and long_name not in narrow.out
    assert "010190-1234" in first and "10-01-2026" in first and "Ansøger" in first
    assert "040392-1236" in second and "Hodan Ali" in second and "Ægtefælle" in second
    assert long_name in wide.out and "Herboende ægtefælle" in wide.out


@pytest.mark.parametrize("output", [[], ["--json"], ["--csv"]])
def test_show_of_no_one_exits_1_with_one_danish_line_that_does_not_repeat_the_text(demo_db, output):
    result = run_kasse("show", "Ingen Sørensen", *output, db=demo_db)

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("Fejl: Ingen borger eller familie matcher")
    assert len(result.err.splitlines()) == 1
    assert "Sørensen" not in result.err


def test_show_of_several_lists_them_and_exits_1(demo_db, families):
    family = family_with_members(families)

    table = run_kasse("show", family["ref"][:-1], "--today", TODAY, db=demo_db)
    as_json = run_kasse("show", family["ref"][:-1], "--json", "--today", TODAY, db=demo_db)

    assert table.code == as_json.code == 1
    assert table.err == as_json.err == "Fejl: Flere borgere matcher - angiv ref eller CPR-nummer\n"
    assert all(member["ref"] in table.out for member in family["members"])
    assert as_json.out == ""


# --------------------------------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("what", "pick"),
    [
        ("surname", lambda family: family["members"][0]["name"].split()[-1]),
        ("nationality", lambda family: family["members"][0]["nationality"].lower()),
        ("CPR digits", lambda family: family["members"][0]["cpr"].replace("-", "")[:6]),
        ("part of a family ref", lambda family: family["ref"][:-1]),
    ],
)
def test_search_json_lists_every_person_whose_fields_contain_the_text(demo_db, families, what, pick):
    text = pick(family_with_members(families))

    found = run_kasse("search", text, "--json", db=demo_db).json()

    assert found == expected_search(families, text), what
    assert found


def test_search_of_an_exact_ref_finds_that_family_or_that_person(small_db):
    family = run_kasse("search", "f-1", "--json", db=small_db).json()
    exact_person = run_kasse("search", "P-1", "--json", db=small_db).json()
    both = run_kasse("search", "p-", "--json", db=small_db).json()

    assert [(hit["ref"], hit["matched"]) for hit in family] == [("P-1", ["family"]), ("P-12", ["family"])]
    assert [(hit["ref"], hit["matched"]) for hit in exact_person] == [("P-1", ["ref"])]
    assert [hit["ref"] for hit in both] == ["P-1", "P-12"]


def test_search_csv_has_the_json_keys_as_header_and_quotes_formulas(small_db):
    lines = run_kasse("search", "f-1", "--csv", db=small_db).out.splitlines()

    assert lines == [
        "ref,family,name,category,nationality,matched",
        "P-1,F-1,Amina Hassan,refugee,Syrien,family",
        'P-12,F-1,"\'=HYPERLINK(""x"")",refugee,Somalia,family',
    ]


def test_search_names_every_field_that_matched(small_db):
    hit = run_kasse("search", "1", "--json", db=small_db).json()[0]

    assert hit["ref"] == "P-1"
    assert hit["matched"] == ["ref", "family", "cpr"]


def test_search_without_a_match_is_an_empty_list_not_an_error(small_db):
    as_json = run_kasse("search", "zzz", "--json", db=small_db)
    table = run_kasse("search", "zzz", db=small_db)

    assert as_json.code == table.code == 0
    assert as_json.json() == []
    assert "Ingen borgere fundet" in table.out


def test_search_table_shows_the_persons_in_danish(small_db):
    table = run_kasse("search", "hassan", "--today", TODAY, db=small_db)

    assert table.code == 0, table.err
    assert "Amina Hassan" in table.out and "Flygtning" in table.out and "Nationalitet" in table.out
    assert "P-12" not in table.out


@pytest.mark.parametrize("command", [["show", "P-1"], ["search", "P-1"]])
def test_show_and_search_refuse_json_and_csv_together(small_db, command):
    result = run_kasse(*command, "--json", "--csv", db=small_db)

    assert result.code == 1
    assert result.err == "Fejl: Vælg enten --json eller --csv, ikke begge\n"


@pytest.mark.parametrize("command", [["search"], ["search", "--notes"], ["show"]])
def test_a_search_text_too_long_to_be_a_name_is_one_danish_line_not_a_database_error(small_db, command):
    result = run_kasse(*command, "a" * 50_000, db=small_db)

    assert result.code == 1
    assert result.err.strip() == ("Fejl: Søgeteksten har 50000 tegn - søg med højst 500: en del af et navn, en ref, "
                                  "et CPR-nummer eller nogle ord")
