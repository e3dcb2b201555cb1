"""The journal: append-only notes the database will not let change, corrections beside what they correct, Danish
full-text search, imports that never duplicate a note, and the migration that brings it (0006)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kasse.backup.integrity import check_database
from kasse.data import reader
from kasse.data.db import open_database
from kasse.data.journal import carry_notes, journal_transaction
from kasse.data.journal_reads import all_notes, count_notes, journal_of, latest_note_times, search_notes
from kasse.data.store import Store, import_families
from kasse.deadline_index import family_index
from kasse.errors import KasseError
from kasse.journal import (
    MAX_NOTE_LENGTH,
    JournalNote,
    NoteKind,
    check_note,
    corrected_by,
    new_uid,
    note_kind,
    snippet,
)
from kasse.words import NOTE_KIND

from .conftest import AUDIT_NOW
from .factories import family, person
from .older_databases import database_at


def note(
    text: str = "Samtale om danskuddannelsen",
    *,
    family_ref: str = "F-1",
    person_ref: str | None = "P-1",
    at: str = "2026-11-02 10:00",
    kind: NoteKind = NoteKind.NOTE,
    uid: str | None = None,
    corrects: str | None = None,
) -> JournalNote:
    written_at = datetime.fromisoformat(at)
    return JournalNote(uid or new_uid(), family_ref, person_ref, written_at, "anna", kind, text, corrects)


@pytest.fixture
def caseload(store):
    """F-1 with P-1 and P-2, F-2 with P-3."""
    import_families(store, [family(person("P-1"), person("P-2")), family(person("P-3"), ref="F-2")])
    return store


def append(store, *notes: JournalNote) -> int:
    with journal_transaction(store) as writes:
        return writes.append_notes(notes)


def read(store):
    return closing(reader.connect(store.database.path))


# -- append-only ------------------------------------------------------------------------------


def test_notes_read_back_newest_first_for_the_family_its_members_and_by_kind(caseload):
    first = note("Første møde", at="2026-11-01 09:00", kind=NoteKind.MEETING)
    family_own = note("Hjemmebesøg", person_ref=None, at="2026-11-02 10:00")
    same_minute = note("Ringede tilbage", person_ref="P-2", at="2026-11-02 10:00", kind=NoteKind.PHONE)
    elsewhere = note("Anden familie", family_ref="F-2", person_ref="P-3")
    with journal_transaction(caseload) as writes:
        for written in (first, family_own, same_minute, elsewhere):
            writes.append_note(written)

    with read(caseload) as connection:
        assert journal_of(connection, "F-1") == [same_minute, family_own, first]  # a tie: the later written first
        assert journal_of(connection, "F-1", "P-1") == [family_own, first]  # the person's and the family's own
        assert journal_of(connection, "F-1", kinds=[NoteKind.PHONE, NoteKind.MEETING]) == [same_minute, first]
        assert journal_of(connection, "F-2") == [elsewhere]
        assert all_notes(connection) == [first, family_own, same_minute, elsewhere]
        assert latest_note_times(connection) == {"F-1": datetime(2026, 11, 2, 10), "F-2": datetime(2026, 11, 2, 10)}


def test_a_correction_is_a_new_note_and_both_stay(caseload):
    wrong = note("Mødet er flyttet til tirsdag", at="2026-11-02 10:00")
    right = note("Rettelse: mødet er flyttet til onsdag", at="2026-11-02 11:00", corrects=wrong.uid)
    append(caseload, wrong)
    append(caseload, right)

    with read(caseload) as connection:
        journal = journal_of(connection, "F-1")
    assert journal == [right, wrong]
    assert corrected_by(journal) == {wrong.uid: (right.uid,)}


def test_a_correction_of_a_note_that_does_not_exist_is_refused(caseload):
    with pytest.raises(KasseError, match="Rettelser til notater, der ikke findes"):
        append(caseload, note(corrects=new_uid()))
    with pytest.raises(KasseError, match="rette sig selv"):
        check_note(note(uid="n-1", corrects="n-1"))


@pytest.mark.parametrize(
    "statement",
    ["UPDATE journal_note SET text = 'omskrevet'", "DELETE FROM journal_note", "UPDATE journal_note SET uid = 'x'"],
)
def test_plain_sql_cannot_change_or_delete_a_note(caseload, statement):
    append(caseload, note("Det der blev sagt"))

    with closing(sqlite3.connect(caseload.database.path)) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="Journalen kan kun udvides"):
            connection.execute(statement)
        assert connection.execute("SELECT text FROM journal_note").fetchall() == [("Det der blev sagt",)]


def test_the_same_notes_appended_again_add_nothing(caseload):
    notes = [note("Et", at="2026-11-01 09:00"), note("To", at="2026-11-01 10:00")]
    assert append(caseload, *notes) == 2
    assert append(caseload, *notes, note("Tre")) == 1
    assert append(caseload, *notes) == 0

    with read(caseload) as connection:
        assert len(all_notes(connection)) == 3
        assert len(search_notes(connection, "et")) == 1  # indexed once, not once per import
    with pytest.raises(KasseError, match="findes allerede"), journal_transaction(caseload) as writes:
        writes.append_note(notes[0])


def test_notes_for_unknown_families_or_persons_refuse_the_whole_batch(caseload):
    with pytest.raises(KasseError, match="F-9") as refused:
        append(caseload, note("God"), note(family_ref="F-9", person_ref=None), note(person_ref="P-9"))
    assert "P-9" in refused.value.message
    with read(caseload) as connection:
        assert all_notes(connection) == []
    with pytest.raises(KasseError, match="mere end én gang"):
        append(caseload, *[note(uid="n-1")] * 2)


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"text": "  \n"}, "tekst må ikke være tom"),
        ({"text": "x" * (MAX_NOTE_LENGTH + 1)}, f"højst {MAX_NOTE_LENGTH}"),
        ({"text": "før \ud800 efter"}, "U\\+D800, halvdelen af et tegnpar"),
        ({"author": ""}, "Forfatteren må ikke være tom"),
        ({"written_at": datetime(2026, 11, 2, 10, tzinfo=AUDIT_NOW.tzinfo)}, "lokal tid uden tidszone"),
        ({"written_at": datetime(2026, 11, 2, 10, 0, 0, 5)}, "hele sekunder"),
        ({"uid": "ikke et id"}, "id 'ikke et id' er ugyldigt"),
        ({"family_ref": "F-1\x1b"}, "Ugyldig reference til familie"),
        ({"kind": "brevdue"}, "Ukendt notattype 'brevdue' - brug en af: notat, samtale"),
    ],
)
def test_a_note_kasse_cannot_keep_is_refused_in_danish(changed, message):
    fields = {**{name: getattr(note(), name) for name in JournalNote.__slots__}, **changed}
    with pytest.raises(KasseError, match=message):
        check_note(JournalNote(**fields))


def test_a_kind_is_named_by_its_code_or_its_danish_word():
    assert note_kind("telefon") is note_kind("Phone") is NoteKind.PHONE
    assert note_kind("MØDE") is NoteKind.MEETING
    assert set(NOTE_KIND) == set(NoteKind)


# Text a note may hold: any character but half a surrogate pair - controls, escapes, RTL marks, emoji.
NOTE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=400).filter(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NOTE_TEXT)
def test_any_text_is_kept_exactly_and_a_word_in_it_is_found(caseload, text):
    written = note(f"{text} kvitteringsmærke")
    append(caseload, written)

    with read(caseload) as connection:
        assert written in journal_of(connection, "F-1", "P-1")
        assert written.uid in {hit.uid for hit in search_notes(connection, "kvitteringsmærke", limit=1000)}
        search_notes(connection, text)  # whatever the words, a search never fails


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=NOTE_TEXT, surrogate=st.integers(0xD800, 0xDFFF))
def test_half_a_surrogate_pair_is_refused_and_nothing_is_written(caseload, before, surrogate):
    with pytest.raises(KasseError, match="halvdelen af et tegnpar"):
        append(caseload, note(), note(before + chr(surrogate)))
    with read(caseload) as connection:
        assert all_notes(connection) == []


def test_the_longest_note_is_kept_and_found(caseload):
    longest = note(("lang tekst " * MAX_NOTE_LENGTH)[: MAX_NOTE_LENGTH - 8] + " slutord")
    append(caseload, longest)
    with read(caseload) as connection:
        (hit,) = search_notes(connection, "slutord")
        assert all_notes(connection) == [longest]
    assert hit.snippet.text.endswith("slutord") and len(hit.snippet.text) <= 81


# -- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Talte med hans søster i telefonen", "søster"),
        ("Talte med hans søster i telefonen", "SØSTER"),
        ("Talte med hans Søster i telefonen", "søst"),  # the start of a word
        ("Flytter til Ålborg i december", "aalborg"),
        ("Flytter til Aalborg i december", "Ålborg"),
        ("Flytter til ÅLBORG i december", "ålb"),
        ("Mødtes på en café i byen", "cafe"),
        ("Lægen har sygemeldt ham", "læge sygemeldt"),  # every word, anywhere
        ("Ægtefællen deltog", "ægtefælle"),
    ],
)
def test_search_finds_danish_words_whatever_their_case_and_spelling(caseload, text, query):
    append(caseload, note(text))
    with read(caseload) as connection:
        assert [hit.snippet.text for hit in search_notes(connection, query)] == [text]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Han får hjælp", "far"),  # å is a letter of its own: "får" is not "far"
        ("Talte med hans søster", "soster"),
        ("Lægen har sygemeldt ham", "læge tandlæge"),
        ("Lægen har sygemeldt ham", "ægen"),  # a word's start, not any part of it
        ("Lægen har sygemeldt ham", " ... -- "),
    ],
)
def test_search_does_not_find_what_the_note_does_not_say(caseload, text, query):
    append(caseload, note(text))
    with read(caseload) as connection:
        assert search_notes(connection, query) == []


def test_a_hit_names_the_notes_family_person_and_date_newest_first(caseload):
    older = note("Tolk bestilt til mødet", at="2026-10-01 09:30", kind=NoteKind.EMAIL)
    newer = note("Tolk deltog", family_ref="F-2", person_ref=None, at="2026-11-20 14:00")
    append(caseload, older, newer)

    with read(caseload) as connection:
        hits = search_notes(connection, "tolk")
        assert [hit.uid for hit in search_notes(connection, "tolk", limit=1)] == [newer.uid]
        counts = [count_notes(connection, words) for words in ("tolk", "tolk mødet", "")]
    assert counts == [2, 1, 0]
    assert [(hit.family_ref, hit.person_ref, hit.written_at, hit.kind) for hit in hits] == [
        ("F-2", None, datetime(2026, 11, 20, 14), NoteKind.NOTE),
        ("F-1", "P-1", datetime(2026, 10, 1, 9, 30), NoteKind.EMAIL),
    ]
    assert hits[1].snippet.spans == ((0, 4),)


def test_a_snippet_is_the_text_around_the_first_match_with_the_matches_marked():
    text = "Indledning. " * 20 + "Familien flytter til Ålborg,\nog Ålborg Kommune overtager. " + "Afslutning. " * 20
    cut = snippet(text, ["aalborg"], width=60)

    assert cut.text.startswith("…") and cut.text.endswith("…")
    assert "\n" not in cut.text and len(cut.text) <= 62
    assert [cut.text[start:end] for start, end in cut.spans] == ["Ålborg", "Ålborg"]
    assert snippet("Kort notat", ["intet"]) == snippet("Kort notat", [])


# -- restore, migration, check -------------------------------------------------------------------


def test_a_restore_carries_the_notes_it_does_not_have(caseload, tmp_path):
    kept = note("Har begge")
    append(caseload, kept)
    other = tmp_path / "other.db"
    with open_database(other) as database:
        store = Store(database, actor="bo")
        import_families(store, [family(person("P-1"))])
        only_there = note("Kun i kopien", at="2026-11-05 08:00")
        append(store, kept, only_there)

    with closing(sqlite3.connect(caseload.database.path, isolation_level=None)) as connection:
        connection.execute("ATTACH DATABASE ? AS candidate", (str(other),))
        assert carry_notes(connection) == 1
        assert carry_notes(connection) == 0
        connection.execute("DETACH DATABASE candidate")
        assert [hit.uid for hit in search_notes(connection, "kopien")] == [only_there.uid]
        assert all_notes(connection) == [kept, only_there]


def test_an_0005_database_gets_the_journal_and_its_prefilter_index_from_the_head(tmp_path):
    path = tmp_path / "kasse.db"
    database_at(path, "0004")
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("INSERT INTO family (id, ref, plan_made_date) VALUES (1, 'F-1', '2025-03-01')")
        connection.execute(
            "INSERT INTO person (family_id, ref, name, birth_date, category, takeover_date)"
            " VALUES (1, 'P-1', 'Amina', '1990-01-01', 'refugee', '2025-01-10')"
        )
    database_at(path, "0005")  # its DDL and data steps only: the backfill moved to the head
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT index_due_auto FROM person").fetchall() == [(None,)]

    with open_database(path, clock=lambda: AUDIT_NOW) as database:
        store = Store(database, actor="anna")
        append(store, note("Efter opgraderingen"))

    with closing(reader.connect(path)) as connection:
        (found,) = reader.read_families(connection)
        (due,) = connection.execute("SELECT index_due_auto FROM person").fetchone()
        assert [hit.snippet.text for hit in search_notes(connection, "opgraderingen")] == ["Efter opgraderingen"]
    assert due == family_index(found).members["P-1"].columns()["index_due_auto"].isoformat()
    assert check_database(path).ok


def test_kasse_check_passes_with_notes_and_tasks_and_sees_a_dropped_journal_trigger(caseload):
    append(caseload, note("Noget at tjekke"))
    assert check_database(caseload.database.path).ok

    with closing(sqlite3.connect(caseload.database.path)) as connection:
        connection.execute("DROP TRIGGER journal_note_no_delete")
    report = check_database(caseload.database.path)
    assert not report.ok
    assert [str(problem) for problem in report.schema] == ["trigger journal_note_no_delete mangler"]


def test_the_journals_values_import_no_database_or_ui():
    heavy = "{'sqlite3', 'sqlalchemy', 'sqlmodel', 'textual'}"
    code = f"import sys, kasse.journal; print(sorted({heavy} & set(sys.modules)))"
    root = Path(__file__).parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert done.stdout.strip() == "[]"
