"""The subject access (GDPR art. 15): `kasse export --subject-access REF -o FIL.json|.pdf` holds everything about
one person - their facts, their family's, deadlines, their notes, audit rows and who looked - and nobody else's."""

from __future__ import annotations

import io
import json
import stat
from datetime import datetime
from pathlib import Path

import pypdf
import pytest

from kasse.data.db import open_database
from kasse.data.store import Store, import_families
from kasse.journal import JournalNote, NoteKind
from kasse.subject_access import concerning, names_person
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import family, person

TODAY = "2026-11-23"


def kasse(*args: str, db: Path):
    return run_kasse(*args, db=db, env={"KASSE_USER": "anna"})


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """F-1 with Amina (P-1) and Omar (P-2), F-2 with Lina (P-3); notes on each, Amina looked at once."""
    return _caseload(tmp_path_factory.mktemp("subject") / "kasse.db")


def _caseload(path: Path) -> Path:
    with open_database(new_database_file(path)) as database:
        import_families(Store(database, actor="anna"), [
            family(person("P-1", name="Amina Hassan", cpr="010190-1234", nationality="Syrien"),
                   person("P-2", name="Omar Hassan"), ref="F-1"),
            family(person("P-3", name="Lina Saleh"), ref="F-2"),
        ])
    for ref, text in [("P-1", "Samtale om danskuddannelsen"), ("F-1", "Familien mødte op, amina havde tolk med"),
                      ("F-1", "Omar skal til lægen"), ("P-2", "Omars kontrakt er underskrevet"),
                      ("P-3", "Lina Saleh har fået ny bolig")]:
        assert kasse("note", ref, text, db=path).code == 0
    assert kasse("show", "P-1", db=path).code == 0
    return path


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_json_holds_the_persons_facts_notes_audit_and_looks_and_no_one_elses(db, tmp_path):
    target = tmp_path / "indsigt.json"
    done = kasse("export", "--subject-access", "P-1", "-o", str(target), "--today", TODAY, db=db)
    assert done.code == 0, done.err
    assert "Indsigten for P-1 er skrevet til" in done.out
    record = json.loads(target.read_text(encoding="utf-8"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it holds a CPR number

    assert list(record) == ["format", "extracted_on", "person", "family", "deadlines", "tasks", "journal", "audit",
                            "access_log"]
    assert record["extracted_on"] == TODAY
    assert (record["person"]["ref"], record["person"]["cpr"]) == ("P-1", "010190-1234")
    assert record["family"]["ref"] == "F-1" and "members" not in record["family"]
    assert sorted(note["text"] for note in record["journal"]) == [
        "Familien mødte op, amina havde tolk med", "Samtale om danskuddannelsen"]
    assert {row["person"] for row in record["deadlines"]} <= {"P-1", None} and record["deadlines"]
    assert {(row["table"], row["record"]) for row in record["audit"]} == {("person", "P-1")}
    assert [(e["command"], e["record"]) for e in record["access_log"]] == [("export subject-access", "P-1"),
                                                                           ("show", "P-1")]
    text = target.read_text(encoding="utf-8")
    for other in ("P-2", "P-3", "Omar", "Lina", "Saleh"):
        assert other not in text


def test_the_pdf_says_it_all_in_danish_with_the_day_of_extraction(db, tmp_path):
    target = tmp_path / "indsigt.pdf"
    assert kasse("export", "--subject-access", "P-1", "-o", str(target), "--today", TODAY, db=db).code == 0
    text = pdf_text(target.read_bytes())
    for words in ("Indsigt i egne oplysninger", "Amina Hassan (P-1) · udtrukket 23-11-2026", "CPR-nummer",
                  "010190-1234", "Nationalitet Syrien", "Samtale om danskuddannelsen", "Journalnotater",
                  "Ændringer af dine oplysninger", "Hele registreringen", "Hvem har set dine oplysninger",
                  "kasse show", "Frister"):
        assert words in text, words
    for other in ("Omar", "Lina"):
        assert other not in text


@pytest.mark.parametrize(("args", "line"), [
    (["--subject-access", "P-1", "-o", "{dir}/indsigt.txt"], "Indsigten skrives som .json eller .pdf"),
    (["--subject-access", "P-1", "-"], "Indsigten skrives som .json eller .pdf"),
    (["--subject-access", "F-1", "-o", "{dir}/indsigt.json"], "Indsigt gives for én person"),
    (["--subject-access", "P-1", "--person", "P-1", "-o", "{dir}/indsigt.json"], "uden --family, --person og --format"),
])
def test_other_files_refs_and_options_are_refused_in_danish(db, tmp_path, args, line):
    done = run_kasse("export", *(arg.format(dir=tmp_path) for arg in args), db=db)
    assert done.code == 1 and line in done.err and "Traceback" not in done.err
    assert not list(tmp_path.iterdir())


def test_a_note_names_a_person_by_full_name_first_name_or_ref_as_whole_words():
    amina = person("P-1", name="Amina Hassan")
    assert names_person("Talte med AMINA i dag", amina)
    assert names_person("Se P-1's kontrakt", amina)
    assert not names_person("Aminas bror ringede", amina)  # another word
    assert not names_person("P-12 ringede", amina)


def test_the_notes_concerning_a_person_are_theirs_and_their_familys_that_name_them():
    amina = person("P-1", name="Amina Hassan")

    def note(person_ref: str | None, text: str) -> JournalNote:
        return JournalNote(text, "F-1", person_ref, datetime(2026, 11, 2, 10), "anna", NoteKind.NOTE, text)

    notes = [note("P-1", "om hende"), note(None, "Amina var med"), note(None, "Omar var med"), note("P-2", "Amina")]
    assert [n.text for n in concerning(notes, amina)] == ["om hende", "Amina var med"]
