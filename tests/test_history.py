"""The history tab's timeline without a screen: changes in words, notes, conversations, deadlines met; filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from kasse.data.stale_edit import FIELD_WORDS
from kasse.domain import Contract, ContractFollowUp, ConversationForm
from kasse.history import AuditRecord, EntryKind, describe_change, select, timeline, value_words
from kasse.journal import JournalNote, NoteKind
from kasse.rules import family_deadlines
from tests.databases import new_database_file
from tests.factories import d, family, person


def change(field: str, old: str | None, new: str | None, *, at: str = "2025-02-05T13:30:00.000+00:00",
           table: str = "person", record: str = "P-1", actor: str = "anna") -> AuditRecord:
    return AuditRecord(at, actor, table, record, field, old, new)


def note(text: str, written_at: str, person_ref: str | None = None) -> JournalNote:
    return JournalNote("n-" + written_at, "F-1", person_ref, datetime.fromisoformat(written_at), "bo",
                       NoteKind.PHONE, text)


def test_a_change_is_a_sentence_with_danish_dates_and_a_dash_for_empty():
    sentence = describe_change("contract.signed_date", None, "2025-02-05", "anna", FIELD_WORDS)
    assert sentence == "Kontrakt underskrevet ændret fra – til 05-02-2025 af anna"


def test_values_are_shown_in_words():
    assert describe_change("category", "refugee", "quota_refugee", "bo", FIELD_WORDS) == (
        "Kategori ændret fra Flygtning til Kvoteflygtning af bo")
    assert value_words("true") == "ja" and value_words("false") == "nej"
    assert value_words("7.5") == "7,5" and value_words("10.0") == "10"
    assert value_words('[{"date": "2025-01-01"}]') == "1 punkt" and value_words("[]") == "–"
    assert value_words("Job i\ndetailhandlen") == "'Job i detailhandlen'"
    assert describe_change("unknown.path", "a", None, "bo") == "unknown.path ændret fra 'a' til – af bo"


@given(field=st.one_of(st.sampled_from(sorted(FIELD_WORDS)), st.text()), old=st.none() | st.text(),
       new=st.none() | st.text(), actor=st.text())
def test_any_audit_value_is_described_without_error(field, old, new, actor):
    sentence = describe_change(field, old, new, actor, FIELD_WORDS)
    assert sentence.endswith(f" af {actor}")


@given(at=st.text(), table=st.sampled_from(["family", "person", "task", "other"]), field=st.text() | st.just("*"),
       old=st.none() | st.text(), new=st.none() | st.text())
def test_any_audit_row_makes_an_entry(at, table, field, old, new):
    [entry] = timeline(family(), changes=[AuditRecord(at, "bo", table, "R-1", field, old, new)], zone=UTC)
    assert entry.kind is EntryKind.CHANGE and entry.words


def test_the_timeline_puts_every_kind_together_newest_first():
    talk = ContractFollowUp(d("2025-02-10"), ConversationForm.PHONE, "Status på praktik")
    amina = person("P-1", name="Amina", takeover="2024-12-01",
                   contract=Contract(signed_date=d("2025-02-05"), followups=(talk,)))
    caseload = family(amina)
    entries = timeline(
        caseload,
        notes=[note("Ringede til Amina\nom praktik", "2025-02-12T09:00:00", "P-1")],
        changes=[change("contract.signed_date", None, "2025-02-05", at="2025-02-06T08:00:00.000+00:00")],
        deadlines=family_deadlines(caseload, today=d("2025-03-01")),
        labels=FIELD_WORDS,
        zone=UTC,
    )
    assert [(entry.when_shown, entry.kind) for entry in entries] == [
        ("12-02-2025 09:00", EntryKind.NOTE),
        ("10-02-2025", EntryKind.CONVERSATION),
        ("06-02-2025 08:00", EntryKind.CHANGE),
        ("05-02-2025", EntryKind.DEADLINE_MET),
    ]
    assert entries[0].words == "Telefon: Ringede til Amina" and entries[0].who == "bo"
    assert entries[1].words == "Opfølgningssamtale om kontrakten (telefon): Status på praktik"
    assert entries[2].words == "Kontrakt underskrevet ændret fra – til 05-02-2025 af anna"
    assert entries[3].words.startswith("Kontrakt indgået (for sent)")
    assert {entry.person for entry in entries} == {"P-1"}


def test_changes_are_shown_in_local_time_and_one_saves_fields_in_the_order_written():
    copenhagen_winter = timezone(timedelta(hours=1))
    at = "2025-02-05T23:30:00.000+00:00"
    entries = timeline(family(), changes=[change("name", "A", "B", at=at), change("cpr", None, "x", at=at)],
                       labels=FIELD_WORDS, zone=copenhagen_winter)
    assert [entry.words.split()[0] for entry in entries] == ["Navn", "CPR-nummer"]
    assert entries[0].when_shown == "06-02-2025 00:30"


def test_records_created_and_deleted_and_tasks_are_named():
    entries = timeline(family(), changes=[
        change("*", None, '{"family": "F-1", "name": "Amina Hassan"}', at="2025-01-01T10:00:00+00:00"),
        change("*", None, '{"title": "Ring til lægen", "person": "P-1"}', table="task", record="t-1",
               at="2025-01-02T10:00:00+00:00"),
        change("done", None, "2025-01-03", table="task", record="t-1", at="2025-01-03T10:00:00+00:00"),
        change("*", '{"ref": "F-1"}', None, table="family", record="F-1", at="2025-01-04T10:00:00+00:00"),
    ], zone=UTC)
    assert [entry.words for entry in entries] == [
        "Familien F-1 slettet af anna",
        "Opgaven 'Ring til lægen': Udført ændret fra – til 03-01-2025 af anna",
        "Opgaven 'Ring til lægen' oprettet af anna",
        "Personen Amina Hassan oprettet af anna",
    ]
    assert [entry.person for entry in entries] == [None, None, "P-1", "P-1"]


def test_select_filters_by_kind_person_and_words():
    entries = timeline(
        family(person("P-1"), person("P-2")),
        notes=[note("Åbent møde i Ålborg", "2025-02-01T10:00:00", "P-2"), note("Brev sendt", "2025-02-02T10:00:00")],
        changes=[change("name", "A", "B")],
        labels=FIELD_WORDS,
        zone=UTC,
    )
    assert [e.kind for e in select(entries, kinds=[EntryKind.NOTE])] == [EntryKind.NOTE, EntryKind.NOTE]
    assert [e.words for e in select(entries, person="P-2")] == ["Telefon: Åbent møde i Ålborg"]
    assert [e.words for e in select(entries, text="aalborg ÅBENT")] == ["Telefon: Åbent møde i Ålborg"]
    assert [e.kind for e in select(entries, text="anna")] == [EntryKind.CHANGE]
    assert select(entries, text="05-02-2025") == select(entries, kinds=[EntryKind.CHANGE])
    assert select(entries, text="ingen sådan") == []



def test_a_note_shows_its_first_line_and_keeps_every_line_which_the_search_finds():
    entries = timeline(family(person("P-1")), notes=[note("Møde med Amina\nHun vil tage kørekort", "2025-02-01T10:00:00")])
    assert entries[0].words == "Telefon: Møde med Amina"
    assert entries[0].full == "Møde med Amina\nHun vil tage kørekort"
    assert select(entries, text="kørekort") == entries


def test_a_correction_and_the_note_it_corrects_both_stay_and_name_each_other():
    wrong = note("Amina var ikke mødt", "2025-02-01T10:00:00")
    right = JournalNote("n-2", "F-1", None, datetime(2025, 2, 3, 9, 15), "bo", NoteKind.NOTE,
                        "Amina var mødt - forkert dato i notatet", corrects=wrong.uid)
    newest, oldest = timeline(family(person("P-1")), notes=[wrong, right])
    assert newest.words == "Notat: Amina var mødt - forkert dato i notatet (rettelse)"
    assert newest.full.endswith("Retter notatet fra 01-02-2025 10:00.")
    assert oldest.words == "Telefon: Amina var ikke mødt (rettet)"
    assert oldest.full == "Amina var ikke mødt\n\nRettet ved notatet fra 03-02-2025 09:15."


# -- the read: one family's audit rows ----------------------------------------------------------------


def test_the_read_finds_the_family_its_members_past_and_present_and_its_tasks(tmp_path):
    from contextlib import closing

    from kasse.data.db import open_database
    from kasse.data.history_reads import family_audit
    from kasse.data.journal import journal_transaction
    from kasse.data.reader import connect
    from kasse.data.store import Store
    from kasse.journal import Task

    path = tmp_path / "kasse.db"
    with open_database(new_database_file(path)) as database:
        store = Store(database, actor="anna")
        with store.transaction() as tx:
            tx.save_families([family(person("P-1"), person("P-2"), person("P-3"), ref="F-1"),
                              family(person("P-9"), ref="F-2")])
        with store.transaction() as tx:
            tx.save_person("F-2", person("P-2"))  # moved out of F-1
            tx.delete_person("P-3")  # deleted while in F-1
            tx.save_person("F-1", person("P-1", name="Amina"))
            tx.save_person("F-2", person("P-9", name="Other"))
        with journal_transaction(store) as writes:
            writes.add_task(Task("t-1", "F-1", "P-1", "Ring til lægen", d("2025-03-01"), None,
                                 datetime(2025, 2, 1, 9, 0), "anna"))
            writes.add_task(Task("t-9", "F-2", None, "Andet", d("2025-03-01"), None, datetime(2025, 2, 1, 9), "anna"))
    with closing(connect(path)) as connection:
        rows = family_audit(connection, "F-1")
    records = [(row.table, row.record, row.field) for row in rows]
    assert records == [
        ("family", "F-1", "*"), ("person", "P-1", "*"), ("person", "P-2", "*"), ("person", "P-3", "*"),
        ("person", "P-2", "family"), ("person", "P-3", "*"), ("person", "P-1", "name"), ("task", "t-1", "*"),
    ]
    assert rows[-2].new == "Amina" and rows[-2].actor == "anna"
