"""`kasse import` refuses facts that cannot be right - in JSON, CSV and Excel - before any backup or write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kasse.domain import Danish, Role, UmDecision
from kasse.interchange.csv_format import write_csv
from kasse.interchange.v1 import dump_document
from kasse.interchange.xlsx_format import write_xlsx
from tests.cli_helpers import run_kasse
from tests.factories import d, family, person

TODAY = "2025-03-01"
HEADING = "Filen indeholder oplysninger, der ikke kan være rigtige"


def write_file(path: Path, families) -> Path:
    """The families as a kasse/v1 file in the format the name ends in."""
    document = dump_document(families)
    if path.suffix == ".csv":
        write_csv(document, path)
    elif path.suffix == ".xlsx":
        write_xlsx(document, path)
    else:
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (the database, its journal, any backup) with its bytes."""
    return {str(item.relative_to(folder)): item.read_bytes() for item in sorted(folder.rglob("*")) if item.is_file()}


def import_(path: Path, db: Path, *extra: str):
    return run_kasse("import", str(path), "--today", TODAY, *extra, db=db)


@pytest.fixture
def stored(tmp_path) -> Path:
    """A database holding one family whose applicant has a CPR number, in its own folder."""
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "kasse.db"
    amina = person("P-1", name="Amina Hassan", cpr="010190-1234", born="1990-01-01", takeover="2025-01-10")
    result = import_(write_file(tmp_path / "first.json", [family(amina, ref="F-1")]), db)
    assert result.code == 0, result.err
    for backup in (folder / "backups").glob("*"):
        backup.unlink()  # none expected for a first import; the test below must see none appear
    return db


def implausible_caseload():
    """One family with four facts that cannot be right, and a CPR number the stored P-1 already has."""
    adult_minor = person("P-3", born="1984-01-01", takeover="2025-01-10", um_decision=UmDecision(d("2025-02-01"), True))
    hours = person("P-4", born="1995-01-01", takeover="2025-01-10", danish=Danish(hours_per_week=200.0))
    left_early = person("P-5", born="1990-05-05", takeover="2025-01-10", left="2024-12-31")
    same_cpr = person("P-6", cpr="010190-1234", born="1990-01-01", takeover="2025-01-10")
    return [family(adult_minor, hours, left_early, same_cpr, ref="F-2")]


@pytest.mark.parametrize("name", ["bad.json", "bad.csv", "bad.xlsx"])
def test_an_implausible_file_is_refused_naming_record_and_field_and_nothing_changes(tmp_path, stored, name):
    before = files_in(stored.parent)
    source = write_file(tmp_path / name, implausible_caseload())

    result = import_(source, stored)

    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"{HEADING} (4 fejl):" in result.err
    for line in (
        "familie F-2, person P-3, um_decision.date: Beslutningen om program for en uledsaget mindreårig",
        "familie F-2, person P-4, danish.hours_per_week: En uge har kun 168 timer",
        "familie F-2, person P-5, left_date: Fraflytningen ligger før overtagelsen",
        "familie F-2, person P-6, cpr: CPR-nummeret bruges også af person P-1",
    ):
        assert line in result.err
    assert "010190-1234" not in result.err and "1984" not in result.err, "no personal data in the message"
    assert files_in(stored.parent) == before, "database unchanged byte for byte, and no backup taken"


def test_a_dry_run_refuses_too_and_the_report_lists_every_refusal(tmp_path, stored):
    before = files_in(stored.parent)
    report = tmp_path / "fejl.csv"
    result = import_(write_file(tmp_path / "bad.json", implausible_caseload()), stored, "--dry-run",
                     "--report", str(report))  # fmt: skip
    assert result.code == 1 and f"Fejlene er skrevet til {report}" in result.err
    rows = report.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 5 and "familie F-2, person P-4;danish.hours_per_week" in rows[2]
    assert files_in(stored.parent) == before


def test_an_update_of_the_stored_person_keeps_its_cpr_and_unusual_facts_are_counted_not_refused(tmp_path, stored):
    amina = person("P-1", name="Amina Hassan", cpr="010190-1234", born="1990-01-01", takeover="2025-01-10",
                   danish=Danish(hours_per_week=40.0))  # fmt: skip
    son = person("P-2", born="2000-01-01", takeover="2025-01-10", role=Role.CHILD)  # an adult as "Barn"
    result = import_(write_file(tmp_path / "update.json", [family(amina, son, ref="F-1")]), stored)
    assert result.code == 0, result.err
    assert "Bemærk: 2 usædvanlige, men mulige oplysninger, fx familie F-1, person P-1, danish.hours_per_week" in (
        result.out
    )
    assert result.out.count("\n") == 2, "a count and one example, never a wall of text"


def test_a_cpr_twice_in_one_file_is_refused_even_on_an_empty_database(tmp_path):
    twins = [family(person("P-1", cpr="010190-1234"), ref="F-1"), family(person("P-2", cpr="010190-1234"), ref="F-2")]
    db = tmp_path / "kasse.db"
    result = import_(write_file(tmp_path / "twins.csv", twins), db)
    assert result.code == 1
    assert "familie F-2, person P-2, cpr: CPR-nummeret bruges også af person P-1" in result.err
    assert not db.exists(), "refused before the database is even created"


def test_far_future_takeover_and_birth_are_refused_as_of_the_today_given(tmp_path):
    future = [family(person("P-1", born="2099-01-01", takeover="2099-02-01"), ref="F-1")]
    source = write_file(tmp_path / "future.json", future)
    result = import_(source, tmp_path / "kasse.db")
    assert result.code == 1
    assert "person P-1, takeover_date: Overtagelsen ligger mere end 12 måneder ude i fremtiden" in result.err
    assert "person P-1, birth_date: Fødselsdatoen ligger i fremtiden" in result.err
    later = run_kasse("import", str(source), "--today", "2099-01-15", db=tmp_path / "kasse.db")
    assert later.code == 0, later.err  # in 2099 the same facts are plain


def test_the_demo_caseload_imports_without_refusal(tmp_path):
    demo_db, exported = tmp_path / "demo.db", tmp_path / "demo.json"
    assert run_kasse("demo", "--no-open", "--families", "60", "--today", TODAY, db=demo_db).code == 0
    assert run_kasse("export", str(exported), db=demo_db).code == 0
    result = import_(exported, tmp_path / "kasse.db")
    assert result.code == 0, result.err
