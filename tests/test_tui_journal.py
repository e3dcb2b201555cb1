"""The journal and own tasks in the app (issue 12): `j` writes a note, `J` corrects one, `t` adds a task, tasks
stand in the deadline lists marked as own tasks, the queue shows each family's latest note, and the app says
at start how many tasks are due - each driven through the pilot on a real SQLite file."""

from __future__ import annotations

from contextlib import closing
from datetime import date, datetime

from textual.widgets import DataTable, Select, TextArea

from kasse.config import Config
from kasse.data import reader
from kasse.data.journal_reads import journal_of
from kasse.data.task_reads import tasks
from kasse.journal import JournalNote, NoteKind, Task
from kasse.tui.app import make_app
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.forms.note_form import NoteForm
from kasse.tui.screens.deadlines import DeadlinesScreen
from kasse.tui.screens.family import FamilyScreen
from tests.factories import family, person
from tests.tui_support import TODAY, column, screen_text, settle, static_text, type_text, write_caseload

NOON = datetime(2025, 3, 1, 14, 30, 17)


def caseworker_app(tmp_path, notes_: list[JournalNote] = (), tasks_: list[Task] = (), today: date = TODAY,
                   others: tuple = ()):
    """The app as Mette, whose clock says NOON, on the family F-1 (and `others`) with these notes and tasks,
    written as the CLI writes them."""
    path = write_caseload(tmp_path / "kasse.db", [two_members(), *others])
    write_records(path, notes_, tasks_)
    app = make_app(path, today, Config(user="Mette Sørensen"))
    app.clock = lambda: NOON
    return app


def two_members():
    return family(person("P-1", name="Amina Hassan"), person("P-2", name="Yusuf Hassan", born="2015-06-01"),
                  ref="F-1")


def notes(app, family_ref: str = "F-1") -> list[JournalNote]:
    with closing(reader.connect(app.caseload.path)) as connection:
        return journal_of(connection, family_ref)


def stored_tasks(app) -> list[Task]:
    with closing(reader.connect(app.caseload.path)) as connection:
        return tasks(connection)


def write_records(path, notes_: list[JournalNote] = (), tasks_: list[Task] = ()) -> None:
    """Notes and tasks written as another program (the CLI) writes them."""
    from kasse.data.db import open_database
    from kasse.data.journal import journal_transaction
    from kasse.data.store import Store

    with open_database(path) as database, journal_transaction(Store(database, "cli")) as writes:
        for note in notes_:
            writes.append_note(note)
        for task in tasks_:
            writes.add_task(task)


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_family(pilot, person_ref: str = "P-1") -> None:
    """The family screen on F-1 with `person_ref` selected (moved to with the arrow keys, as a user does)."""
    pilot.app.open_family("F-1", "P-1")
    await settle(pilot)
    if person_ref == "P-2":
        await pilot.press("down")
    assert pilot.app.screen.person_ref == person_ref


async def test_j_writes_a_note_about_the_selected_person_as_of_the_apps_clock(tmp_path):
    app = caseworker_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot, "P-2")
        await pilot.press("j")
        form = app.screen
        assert isinstance(form, NoteForm)
        assert app.focused is form.query_one("#field-text", TextArea), "the text is where one starts writing"
        assert form.raw("kind") is NoteKind.NOTE and form.raw("person") == "P-2"
        assert (form.raw("day"), form.raw("time")) == ("01-03-2025", "14:30")
        await type_text(pilot, "Ringede til skolen.")
        await pilot.press("enter")
        await type_text(pilot, "Yusuf starter mandag.")
        form.query_one("#field-kind", Select).value = NoteKind.PHONE
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, FamilyScreen)
        assert "Notatet er gemt" in messages(app)
        [note] = notes(app)
        assert (note.person_ref, note.kind, note.author) == ("P-2", NoteKind.PHONE, "Mette Sørensen")
        assert note.written_at == datetime(2025, 3, 1, 14, 30)
        assert note.text == "Ringede til skolen.\nYusuf starter mandag."


async def test_a_note_about_the_whole_family_at_a_time_typed_in(tmp_path):
    app = caseworker_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        await pilot.press("j")
        form = app.screen
        form.query_one("#field-person", Select).value = Select.NULL
        form.query_one("#field-day").value = "28-02-2025"
        form.query_one("#field-time").value = "9.05"
        form.query_one("#field-text", TextArea).text = "Hjemmebesøg hos familien."
        await pilot.press("ctrl+s")
        await settle(pilot)
        [note] = notes(app)
        assert (note.person_ref, note.family_ref, note.written_at) == (None, "F-1", datetime(2025, 2, 28, 9, 5))


async def test_a_note_that_cannot_be_saved_keeps_the_form_open_with_its_text(tmp_path):
    app = caseworker_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        await pilot.press("j", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NoteForm), "an empty note is not saved"
        assert "Tekst: Skal udfyldes" in messages(app)
        await type_text(pilot, "Vigtigt at huske")
        form.query_one("#field-time").value = "25:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "Skriv klokkeslættet som TT:MM" in messages(app)[-1]
        assert form.query_one("#field-text", TextArea).text == "Vigtigt at huske"

        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen), "unsaved text: asked first"
        await pilot.press("n")
        assert app.screen is form and form.query_one("#field-text", TextArea).text == "Vigtigt at huske"
        assert notes(app) == []


async def test_a_save_refused_by_the_database_opens_the_form_again_with_the_text(tmp_path):
    app = caseworker_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        await pilot.press("j")
        await type_text(pilot, "Samtale om bolig")
        form = app.screen
        form.query_one("#field-person", Select).value = Select.NULL
        delete_family_elsewhere(app, "F-1")  # a colleague deletes the family meanwhile
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any(isinstance(screen, NoteForm) and screen is not form
                                       for screen in app.screen_stack))
        assert any("der ikke findes" in message for message in messages(app)), messages(app)
        again = next(screen for screen in app.screen_stack if isinstance(screen, NoteForm))
        assert again is not form and again.query_one("#field-text", TextArea).text == "Samtale om bolig"


async def until(pilot, condition, seconds: float = 15) -> None:
    """Let the workers run until `condition` holds (a first save opens the store: slow on a busy machine)."""
    for _ in range(int(seconds * 10)):
        await settle(pilot)
        if condition():
            return
        await pilot.pause(0.1)


def delete_family_elsewhere(app, ref: str) -> None:
    from kasse.data.db import open_database
    from kasse.data.store import Store

    with open_database(app.caseload.path) as database, Store(database, "kollega").transaction() as tx:
        tx.delete_family(ref)


async def test_shift_j_corrects_a_note_with_a_new_one_naming_it(tmp_path):
    old = JournalNote("note-old-1", "F-1", "P-1", datetime(2025, 2, 20, 10, 0), "cli", NoteKind.MEETING,
                      "Mødt på kontoret [red]. Aftalt kontrakt.")
    app = caseworker_app(tmp_path, [old])
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        await pilot.press("J")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NoteForm) and form.raw("corrects") == "note-old-1"
        assert form.raw("kind") is NoteKind.MEETING and form.raw("person") == "P-1"
        editor = form.query_one("#field-text", TextArea)
        assert editor.text == old.text
        editor.text = "Mødt på kontoret. Aftalt kontrakt og danskuddannelse."
        await pilot.press("ctrl+s")
        await settle(pilot)
        newest, first = notes(app)
        assert first == old, "a note is never changed"
        assert (newest.corrects, newest.text) == ("note-old-1", "Mødt på kontoret. Aftalt kontrakt og danskuddannelse.")


async def test_choosing_another_note_to_correct_shows_its_text_unless_one_has_written(tmp_path):
    older = JournalNote("note-a", "F-1", None, datetime(2025, 1, 5, 9, 0), "cli", NoteKind.LETTER, "Brev sendt")
    newer = JournalNote("note-b", "F-1", "P-2", datetime(2025, 2, 5, 9, 0), "cli", NoteKind.PHONE, "Ringet op")
    app = caseworker_app(tmp_path, [older, newer])
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        await pilot.press("J")
        await settle(pilot)
        form = app.screen
        assert form.raw("corrects") == "note-b", "the newest first"
        form.query_one("#field-corrects", Select).value = "note-a"
        await pilot.pause()
        assert form.query_one("#field-text", TextArea).text == "Brev sendt"
        assert (form.raw("kind"), form.raw("person")) == (NoteKind.LETTER, None)
        form.query_one("#field-text", TextArea).text = "Brev sendt til forkert adresse"
        form.query_one("#field-corrects", Select).value = "note-b"
        await pilot.pause()
        assert form.query_one("#field-text", TextArea).text == "Brev sendt til forkert adresse", "never lost"


def test_the_palette_offers_the_journal_and_tasks_on_the_family_screen(tmp_path):
    from kasse.tui.commands import commands_for

    names = [command.name for command in commands_for(caseworker_app(tmp_path), FamilyScreen("F-1"))]
    assert {"familie: Notat", "familie: Ret et notat", "familie: Ny opgave", "person: Plantilbud"} <= set(names)


async def test_correcting_without_notes_says_so(tmp_path):
    app = caseworker_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert any("ingen notater at rette" in message for message in messages(app))


async def test_t_adds_an_own_task_for_the_selected_person(tmp_path):
    app = caseworker_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot, "P-2")
        await pilot.press("t")
        form = app.screen
        assert isinstance(form, FormScreen) and form.section.key == "task" and form.raw("person") == "P-2"
        await type_text(pilot, "Ring til skolen")
        await pilot.press("tab")
        await type_text(pilot, "10-03-2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Opgaven er oprettet" in messages(app)
        [task] = stored_tasks(app)
        assert (task.title, task.due, task.person_ref, task.done) == ("Ring til skolen", date(2025, 3, 10), "P-2", None)
        assert (task.author, task.created_at) == ("Mette Sørensen", datetime(2025, 3, 1, 14, 30, 17))
        assert TODAY == date(2025, 3, 1)


async def test_a_task_without_a_title_or_with_a_wrong_date_is_not_saved(tmp_path):
    app = caseworker_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        await pilot.press("t", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen) and "Opgave: Skal udfyldes" in messages(app)
        await type_text(pilot, "Ring til lægen")
        form.query_one("#field-due").value = "31-02-2025"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and messages(app)[-1].startswith("Frist:")
        assert stored_tasks(app) == []


def task(uid: str, title: str, due: str, person_ref: str | None = None, family_ref: str = "F-1") -> Task:
    return Task(uid, family_ref, person_ref, title, date.fromisoformat(due), None, datetime(2025, 2, 1, 9, 0), "cli")


async def test_own_tasks_stand_in_the_deadline_panel_marked_and_ctrl_d_marks_one_done(tmp_path):
    app = caseworker_app(tmp_path, tasks_=[task("task-aaaa-1", "Ring til lægen", "2025-02-27", "P-1"),
                                   task("task-bbbb-2", "Send brev til boligselskabet", "2025-03-05")])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        table = screen.query_one("#deadlines", DataTable)
        titles = column(table, "Frist")
        assert "Ring til lægen" in titles and "Send brev til boligselskabet" in titles
        row = titles.index("Ring til lægen")
        assert column(table, "Hjemmel")[row] == "Egen opgave"
        assert column(table, "Status")[row] == "Overskredet" and column(table, "Navn")[row] == "Amina Hassan"
        family_row = titles.index("Send brev til boligselskabet")
        assert column(table, "Navn")[family_row] == "Amina Hassan", "a family's task: the family's name"
        assert "ctrl+d: egen opgave udført" in static_text(screen.query_one("#summary"))

        table.move_cursor(row=row)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert "Opgaven er udført: Ring til lægen" in messages(app)
        done = {found.uid: found.done for found in stored_tasks(app)}
        assert done == {"task-aaaa-1": TODAY, "task-bbbb-2": None}
        assert "Ring til lægen" not in column(table, "Frist"), "a done task is no open deadline"

        table.move_cursor(row=column(table, "Frist").index("Send brev til boligselskabet"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen) and app.screen.tab == "oversigt"


async def test_the_overview_shows_the_persons_and_the_familys_own_tasks(tmp_path):
    app = caseworker_app(tmp_path, tasks_=[task("task-aaaa-1", "Ring til lægen", "2025-03-04", "P-1"),
                                   task("task-bbbb-2", "Skolestart", "2025-03-10", "P-2"),
                                   task("task-cccc-3", "Boligstøtte", "2025-03-01")])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_family(pilot)
        table = app.screen.query_one("#person-deadlines", DataTable)
        titles = column(table, "Frist")
        assert "Ring til lægen" in titles and "Boligstøtte" in titles and "Skolestart" not in titles
        assert column(table, "Hjemmel")[titles.index("Boligstøtte")] == "Egen opgave"
        table.focus()
        table.move_cursor(row=titles.index("Boligstøtte"))
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert [found.uid for found in stored_tasks(app) if found.done] == ["task-cccc-3"]
        assert "Boligstøtte" not in column(app.screen.query_one("#person-deadlines", DataTable), "Frist")


def note(uid: str, written_at: str, family_ref: str = "F-1", text: str = "Samtale") -> JournalNote:
    return JournalNote(uid, family_ref, None, datetime.fromisoformat(written_at), "cli", NoteKind.NOTE, text)


async def test_the_queue_shows_when_each_familys_newest_note_was_written(tmp_path):
    other = family(person("P-9", name="Zainab Rahimi"), ref="F-2")
    app = caseworker_app(tmp_path, [note("n-1", "2025-01-15 10:00"), note("n-2", "2025-02-20 09:00"),
                                    note("n-3", "2024-12-01 08:00", "F-2")], others=(family(person("P-8"), ref="F-3"),
                                                                                     other))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        shown = dict(zip(column(table, "Familie"), column(table, "Seneste notat"), strict=False))
        assert shown == {"F-1": "20-02-2025", "F-2": "01-12-2024", "F-3": ""}

        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("j")
        await type_text(pilot, "Hjemmebesøg")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one("#queue", DataTable)
        assert dict(zip(column(table, "Familie"), column(table, "Seneste notat"), strict=False))["F-1"] == "01-03-2025"


async def test_the_queues_first_columns_still_show_whole_at_80_by_24_and_the_note_column_when_wider(tmp_path):
    app = caseworker_app(tmp_path, [note("n-1", "2025-02-20 09:00")])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Navn" in line and "Status" in line)
        for label in ("Navn", "Status", "Næste frist", "Frist", "Dage"):
            assert f"{label} " in header, (label, header)  # whole, not cut off at the edge
        await pilot.resize_terminal(100, 24)
        await settle(pilot)
        header = next(line for line in screen_text(app).splitlines() if "Navn" in line and "Status" in line)
        assert "Seneste notat" in header and "20-02-2025" in screen_text(app)


async def test_at_start_the_app_says_how_many_own_tasks_are_due_today_and_overdue(tmp_path):
    app = caseworker_app(tmp_path, tasks_=[task("t-1", "Ring til lægen", "2025-03-01", "P-1"),
                                           task("t-2", "Skolestart", "2025-03-01", "P-2"),
                                           task("t-3", "Boligstøtte", "2025-03-01"),
                                           task("t-4", "Brev", "2025-02-20"),
                                           task("t-5", "Senere", "2025-03-02")])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "3 opgaver forfalder i dag og 1 opgave er overskredet" in messages(app)


async def test_no_notice_when_no_own_task_is_due(tmp_path):
    app = caseworker_app(tmp_path, tasks_=[task("t-5", "Senere", "2025-03-02")])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not any("opgave" in message for message in messages(app))


def test_the_notice_counts_in_danish_singular_and_plural():
    from kasse.tui.widgets.tasks import due_notice

    today = date(2025, 3, 1)
    assert due_notice([task("a", "x", "2025-03-01")], today) == "1 opgave forfalder i dag"
    assert due_notice([task("a", "x", "2025-02-01"), task("b", "y", "2025-02-02")], today) == \
        "2 opgaver er overskredet"
    assert due_notice([], today) is None
