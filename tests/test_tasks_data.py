"""The caseworker's own tasks: stored under their family, every change in the sealed audit trail, imports that
never duplicate one, and their rows among the deadlines (rule "task")."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime

import pytest

from kasse.data import reader
from kasse.data.audit_chain import verify
from kasse.data.journal import journal_transaction
from kasse.data.store import import_families
from kasse.data.task_reads import task_names, task_uid, tasks
from kasse.data.tasks import TasksSaved
from kasse.domain import Role
from kasse.errors import KasseError
from kasse.journal import TASK_RULE, Task, TaskDeadline, check_task, new_uid, task_deadlines
from kasse.rules import Status

from .factories import d, family, person

CREATED = datetime(2026, 11, 20, 9, 30)


def task(
    title: str = "Ring til lægen",
    *,
    due: str = "2026-11-27",
    done: str | None = None,
    family_ref: str = "F-1",
    person_ref: str | None = "P-1",
    uid: str | None = None,
) -> Task:
    return Task(uid or new_uid(), family_ref, person_ref, title, d(due), done and d(done), CREATED, "anna")


@pytest.fixture
def caseload(store):
    """F-1 with P-1 (Amina, applicant) and P-2; F-2 with P-3 (a child only)."""
    first = family(person("P-1", name="Amina Hassan"), person("P-2", role=Role.SPOUSE))
    second = family(person("P-3", name="Omar", role=Role.CHILD), ref="F-2")
    import_families(store, [first, second])
    return store


def add(store, *added: Task) -> None:
    with journal_transaction(store) as writes:
        for one in added:
            writes.add_task(one)


def read(store):
    return closing(reader.connect(store.database.path))


def task_audit(store) -> list[tuple]:
    with closing(sqlite3.connect(store.database.path)) as connection:
        return connection.execute(
            "SELECT actor, record, field, old_value, new_value FROM audit WHERE table_name = 'task' ORDER BY id"
        ).fetchall()


def chain_ok(store) -> bool:
    with closing(sqlite3.connect(store.database.path, isolation_level=None)) as connection:
        return verify(connection).ok


# -- storing ----------------------------------------------------------------------------------


def test_tasks_read_back_by_due_date_and_as_asked(caseload):
    later = task("Opfølgning", due="2026-12-10", person_ref=None)
    first = task("Ring til lægen", due="2026-11-25")
    done = task("Send brev", due="2026-11-26", done="2026-11-21", person_ref="P-2")
    other = task("Skolestart", due="2026-11-30", family_ref="F-2", person_ref="P-3")
    add(caseload, later, first, done, other)

    with read(caseload) as connection:
        assert tasks(connection) == [first, done, other, later]
        assert tasks(connection, open_only=True) == [first, other, later]
        assert tasks(connection, open_only=True, due_until=d("2026-11-30")) == [first, other]
        assert tasks(connection, family_ref="F-1") == [first, done, later]
        assert tasks(connection, person_ref="P-2") == [done]


def test_creating_a_task_is_audited_with_the_whole_task(caseload):
    created = task(uid="t-1")
    add(caseload, created)

    ((actor, record, field, old, new),) = task_audit(caseload)
    assert (actor, record, field, old) == ("tester", "t-1", "*", None)
    assert new == (
        '{"family": "F-1", "person": "P-1", "title": "Ring til lægen", "due": "2026-11-27", "done": null,'
        ' "created_at": "2026-11-20T09:30:00", "author": "anna"}'
    )
    assert chain_ok(caseload)


def test_done_and_undone_are_audited_and_the_chain_holds(caseload):
    add(caseload, task(uid="t-1"))
    with journal_transaction(caseload) as writes:
        assert writes.set_task_done("t-1", d("2026-11-24")) is True
        assert writes.set_task_done("t-1", d("2026-11-24")) is False  # no change, no audit row
    with journal_transaction(caseload) as writes:
        assert writes.set_task_done("t-1", None) is True

    assert [row[2:] for row in task_audit(caseload)[1:]] == [
        ("done", None, "2026-11-24"),
        ("done", "2026-11-24", None),
    ]
    with read(caseload) as connection:
        assert tasks(connection)[0].done is None
    assert chain_ok(caseload)


def test_task_changes_and_store_saves_share_one_unbroken_chain(caseload):
    add(caseload, task(uid="t-1"))
    with caseload.transaction() as transaction:
        transaction.save_person("F-1", person("P-1", name="Amina H."))
    with journal_transaction(caseload) as writes:
        writes.set_task_done("t-1", d("2026-11-24"))
    with caseload.transaction() as transaction:
        transaction.save_person("F-1", person("P-1", name="Amina Hassan"))
    assert chain_ok(caseload)


@pytest.mark.parametrize(
    ("added", "message"),
    [
        (task(family_ref="F-9", person_ref=None), "familien F-9 findes ikke"),
        (task(person_ref="P-9"), "personen P-9 er ikke i familien F-1"),
        (task(person_ref="P-3"), "personen P-3 er ikke i familien F-1"),
        (task(title=" "), "titel må ikke være tom"),
        (task(title="To\nlinjer"), "én linje uden kontroltegn"),
        (replace(task(), created_at=datetime(2026, 11, 20, 9, 30, 1, 500)), "hele sekunder"),
    ],
)
def test_a_task_kasse_cannot_keep_is_refused_in_danish(caseload, added, message):
    with pytest.raises(KasseError, match=message):
        add(caseload, added)
    assert task_audit(caseload) == []


def test_a_taken_uid_and_an_unknown_task_are_refused(caseload):
    add(caseload, task(uid="t-1"))
    with pytest.raises(KasseError, match="findes allerede"):
        add(caseload, task(uid="t-1"))
    with pytest.raises(KasseError, match="Ukendt opgave"), journal_transaction(caseload) as writes:
        writes.set_task_done("t-9", d("2026-11-24"))
    with pytest.raises(KasseError, match="skal være en dato"), journal_transaction(caseload) as writes:
        writes.set_task_done("t-1", "2026-11-24")


def test_an_import_of_the_same_tasks_adds_nothing_and_the_file_wins_a_done_date(caseload):
    listed = [task("Et", uid="t-1"), task("To", uid="t-2", person_ref=None)]
    with journal_transaction(caseload) as writes:
        assert writes.save_tasks(listed) == TasksSaved(created=2)
    with journal_transaction(caseload) as writes:
        assert writes.save_tasks(listed) == TasksSaved(unchanged=2)
        changed = [replace(listed[0], done=d("2026-11-22"), title="Et (ringet)"), listed[1]]
        assert writes.save_tasks(changed) == TasksSaved(updated=1, unchanged=1)

    with read(caseload) as connection:
        assert tasks(connection) == changed
    assert [row[2:] for row in task_audit(caseload)[2:]] == [("title", "Et", "Et (ringet)"), ("done", None, "2026-11-22")]
    with pytest.raises(KasseError, match="kan ikke flyttes"), journal_transaction(caseload) as writes:
        writes.save_tasks([replace(listed[0], person_ref="P-2")])


def test_a_persons_task_follows_them_to_another_family_and_goes_with_a_deleted_family(caseload):
    add(caseload, task(uid="t-1", person_ref="P-2"), task(uid="t-2", person_ref=None))
    with caseload.transaction() as transaction:
        transaction.save_person("F-2", person("P-2", role=Role.SPOUSE))

    with read(caseload) as connection:
        assert [(found.uid, found.family_ref) for found in tasks(connection, family_ref="F-2")] == [("t-1", "F-2")]
    with caseload.transaction() as transaction:
        transaction.delete_family("F-1")
    with read(caseload) as connection:
        assert [found.uid for found in tasks(connection)] == ["t-1"]


def test_the_database_holds_a_task_under_its_family_or_one_member_never_both_or_neither(caseload):
    add(caseload, task(uid="t-1"), task(uid="t-2", person_ref=None))
    with closing(sqlite3.connect(caseload.database.path)) as connection:
        assert connection.execute("SELECT uid, family_id, person_id FROM task ORDER BY uid").fetchall() == [
            ("t-1", None, 1),
            ("t-2", 1, None),
        ]
        for both_or_neither in ("family_id = 1", "person_id = NULL"):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                connection.execute(f"UPDATE task SET {both_or_neither} WHERE uid = 't-1'")


def test_a_task_is_named_by_its_uid_or_a_start_of_it_no_other_shares(caseload):
    add(caseload, task(uid="abcd-1111"), task(uid="abcd-2222"), task(uid="efgh-3333"))
    with read(caseload) as connection:
        assert task_uid(connection, "abcd-1111") == "abcd-1111"
        assert task_uid(connection, " efgh ") == "efgh-3333"
        assert task_uid(connection, "abcd-2") == "abcd-2222"
        with pytest.raises(KasseError, match="Flere opgaver"):
            task_uid(connection, "abcd")
        with pytest.raises(KasseError, match="Ingen opgave"):
            task_uid(connection, "efg")  # too short to name one


def test_a_task_is_shown_under_its_persons_or_its_familys_name(caseload):
    found = [task(person_ref="P-2"), task(person_ref=None), task(family_ref="F-2", person_ref=None)]
    add(caseload, *found)
    with read(caseload) as connection:
        assert task_names(connection, found) == {"P-2": "Person P-2", "F-1": "Amina Hassan", "F-2": "Omar"}


# -- among the deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "status", "met_date"),
    [
        ("2026-11-22", None, Status.OVERDUE, None),
        ("2026-11-23", None, Status.DUE_SOON, None),
        ("2026-12-07", None, Status.DUE_SOON, None),
        ("2026-12-08", None, Status.UPCOMING, None),
        ("2026-11-25", "2026-11-20", Status.MET, "2026-11-20"),
        ("2026-11-19", "2026-11-20", Status.MET_LATE, "2026-11-20"),
        ("2026-11-22", "2026-11-24", Status.OVERDUE, None),  # done after today: not yet
    ],
)
def test_a_task_has_a_deadlines_status_on_today(due, done, status, met_date):
    (row,) = task_deadlines([task(due=due, done=done, uid="t-1")], today=d("2026-11-23"), window=14)
    assert (row.status, row.met_date, row.days) == (status, met_date and d(met_date), (d(due) - d("2026-11-23")).days)
    assert (row.rule, row.ruleset, row.basis, row.is_milestone) == (TASK_RULE, None, None, False)


def test_task_rows_are_sorted_as_the_deadline_lists_and_carry_names():
    listed = [
        task("B", due="2026-12-01", uid="t-1"),
        task("A", due="2026-12-01", uid="t-2", person_ref=None),
        task("C", due="2026-11-24", uid="t-3", family_ref="F-2", person_ref="P-3"),
    ]
    names = {"P-1": "Amina", "F-1": "Familien Hassan"}
    rows = task_deadlines(listed, today=d("2026-11-23"), window=14, names=names)
    assert rows == [
        TaskDeadline("F-2", "P-3", "", "C", d("2026-11-24"), Status.DUE_SOON, 1, None, "t-3"),
        TaskDeadline("F-1", None, "Familien Hassan", "A", d("2026-12-01"), Status.DUE_SOON, 8, None, "t-2"),
        TaskDeadline("F-1", "P-1", "Amina", "B", d("2026-12-01"), Status.DUE_SOON, 8, None, "t-1"),
    ]


def test_a_done_date_must_be_a_date():
    with pytest.raises(KasseError, match="udført-dato skal være en dato"):
        check_task(replace(task(), done=datetime(2026, 11, 20, 9)))
    assert date(2026, 11, 20) == task(done="2026-11-20").done


@pytest.mark.parametrize(("field", "value", "what"), [
    ("due", date(1, 1, 1), "Opgavens frist (01-01-0001)"),
    ("due", date(1989, 12, 31), "Opgavens frist (31-12-1989)"),
    ("done", date(9999, 1, 1), "Opgavens udført-dato (01-01-9999)"),
    ("created_at", datetime(1, 1, 1, 9), "Opgavens oprettelsestidspunkt (01-01-0001)"),
])  # fmt: skip
def test_a_task_dated_outside_casework_is_refused_wherever_it_comes_from(field, value, what):
    """check_task guards every path in (the CLI, the app, an imported file): year 0001 is a typing error."""
    with pytest.raises(KasseError) as refused:
        check_task(replace(task(), **{field: value}))
    assert refused.value.message == f"{what} skal ligge mellem 01-01-1990 og 31-12-9980"
    check_task(replace(task(), due=date(1990, 1, 1)))
