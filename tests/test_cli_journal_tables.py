"""The journal, the own tasks and the notes a search found as people read them at a terminal of 80 and 120
columns, and through a pipe: every heading shown, dates and the ids a user types back never cut, titles and
notes wrapped at whole words, names cut with an ellipsis first."""

from __future__ import annotations

import re

import pytest

from kasse.domain import Family, Role
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import person

TODAY = "2026-12-07"
LONG_NAME = "Abdirahman Mohamed Abdullahi Warsame-Hussein"
TITLES = {
    "P-0031": ("Send indkaldelse til opfølgningssamtale om integrationskontrakten", "2026-11-17"),
    "P-0032": ("Ring til lægen fredag", "2026-11-20"),
    "F-2025-0031": ("Svar boligselskabet om indflytningssyn", "2026-12-11"),
}
NOTES = (
    ("P-0031", "samtale", "2026-10-03 15:17",
     ("Opfølgningssamtale med Abdirahman. Kontraktens mål justeret, praktikken forlænges med fire uger, "
      "og sprogskolen orienteres om det nye skema.")),
    ("F-2025-0031", "møde", "2024-10-07 13:00",
     "Velkomstmøde ved ankomsten. Familien er vist boligen, og etableringspakken er udleveret. Tolk deltog."),
)
TASK_HEADINGS = ("Forfald", "Dage", "Status", "Opgave", "Borger", "Familie", "Id")
NOTE_HEADINGS = ("Tidspunkt", "Id", "Type", "Forfatter", "Borger", "Notat")
DATE = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")


@pytest.fixture(scope="module")
def caseload(tmp_path_factory):
    """One family with a name too long for any table, its tasks (one done in time, one late) and notes."""
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families

    path = tmp_path_factory.mktemp("tables") / "kasse.db"
    family = Family(ref="F-2025-0031", members=(
        person("P-0031", name=LONG_NAME, takeover="2025-01-10"),
        person("P-0032", name="Sara Ali", role=Role.SPOUSE, takeover="2025-01-10"),
    ))
    with open_database(new_database_file(path)) as database:
        import_families(Store(database, actor="test"), [family])
    uids = {}
    for ref, (title, due) in TITLES.items():
        made = kasse("task", ref, title, "--due", due, db=path)
        uids[title] = re.match(r"Opgave (\w{8}) ", made.out)[1]
    kasse("task", "done", uids["Ring til lægen fredag"], "--today", "2026-11-21", db=path)  # late
    kasse("task", "done", uids[TITLES["F-2025-0031"][0]], "--today", "2026-12-01", db=path)
    for ref, kind, at, text in NOTES:
        assert kasse("note", ref, text, "--kind", kind, "--at", at, db=path).code == 0
    return path


def kasse(*args: str, db, columns: str = "200"):
    return run_kasse(*args, db=db, env={"KASSE_USER": "Mette Frederiksen-Kjærsgaard", "COLUMNS": columns}, stdin="")


def assert_readable(out: str, width: int, headings, texts) -> None:
    """Every heading there, no line wider than the terminal, and each word of every text whole (not folded
    into pieces a few characters long)."""
    assert all(len(line) <= width for line in out.splitlines()), out
    shown_words = set(out.split())
    for heading in headings:
        assert heading in shown_words, (heading, out)
    for text in texts:
        assert set(text.split()) <= shown_words, (set(text.split()) - shown_words, out)


def uids(db, *args: str) -> list[str]:
    return [record["uid"][:8] for record in kasse(*args, "--json", db=db).json()]


@pytest.mark.parametrize("columns", ["80", "120"])
def test_all_tasks_show_every_column_whole_dates_and_ids_and_titles_at_whole_words(caseload, columns):
    result = kasse("tasks", "--all", "--today", TODAY, db=caseload, columns=columns)

    assert result.code == 0, result.err
    out = result.out
    assert_readable(out, int(columns), (*TASK_HEADINGS, "Udført"), [title for title, _ in TITLES.values()])
    for title, due in TITLES.values():
        assert "-".join(reversed(due.split("-"))) in out
    assert {"21-11-2026", "01-12-2026"} <= set(DATE.findall(out))  # the days they were done
    assert "Opfyldt for sent" in out and "Opfyldt" in out and "Overskredet" in out
    for uid in uids(caseload, "tasks", "--all", "--today", TODAY):
        assert re.search(rf"\b{uid}\b", out), (uid, out)
    assert "Sara Ali" in out and "F-2025-0031" in out
    assert LONG_NAME not in out and re.search(r"Abdir[\w -]*…", out), out  # the name is what is cut


def test_open_tasks_at_80_columns_do_not_cut_titles_into_pieces(caseload):
    out = kasse("tasks", "--today", TODAY, db=caseload, columns="80").out

    assert_readable(out, 80, TASK_HEADINGS, [TITLES["P-0031"][0]])
    assert "17-11-2026" in out and "20 dage over" in out and "1 opgave" in out
    assert TITLES["P-0031"][0] in out  # at 80 a title has a line of its own
    [uid] = uids(caseload, "tasks", "--today", TODAY)
    assert uid in out


@pytest.mark.parametrize("columns", ["80", "120"])
def test_the_journal_gives_the_note_the_width_and_keeps_times_ids_and_kinds_whole(caseload, columns):
    for ref in ("P-0031", "F-2025-0031"):
        out = kasse("journal", ref, db=caseload, columns=columns).out
        shown = [note for note in NOTES if ref == "F-2025-0031" or note[0] in (ref, "F-2025-0031")]
        assert_readable(out, int(columns), NOTE_HEADINGS, [text for *_, text in shown])
        for uid in uids(caseload, "journal", ref):
            assert re.search(rf"\b{uid}\b", out), (uid, out)
        for _, kind, at, _ in shown:
            day, time = at.split()
            assert f"{'-'.join(reversed(day.split('-')))} {time}" in out and kind in out
        assert "Mette" in out  # the author's name, cut if need be
    # At 80 a line of a note runs nearly the width, not a narrow column of 14.
    out = kasse("journal", "P-0031", db=caseload, columns="80").out
    assert "Opfølgningssamtale med Abdirahman. Kontraktens mål justeret," in out


def test_the_notes_a_search_finds_fit_80_columns(caseload):
    out = kasse("search", "--notes", "praktikken", db=caseload, columns="80").out

    assert_readable(out, 80, ("Tidspunkt", "Familie", "Borger", "Type", "Id", "Tekst"), [])
    assert "03-10-2026 15:17" in out and "F-2025-0031" in out and "P-0031" in out
    assert "praktikken" in out.split() and "forlænges" in out.split()
    assert "praktikken forlænges med fire uger" in out  # on one line, not in a column of 14


def test_through_a_pipe_without_columns_the_tables_are_80_wide(caseload):
    """No terminal anywhere (stdin, stdout and stderr pipes) and no COLUMNS: rich's 80 columns."""
    for args in (["tasks", "--all", "--today", TODAY], ["journal", "F-2025-0031"]):
        out = kasse(*args, db=caseload, columns="").out
        headings = (*TASK_HEADINGS, "Udført") if args[0] == "tasks" else NOTE_HEADINGS
        texts = [title for title, _ in TITLES.values()] if args[0] == "tasks" else [text for *_, text in NOTES]
        assert_readable(out, 80, headings, texts)
