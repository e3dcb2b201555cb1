"""Two windows on one file: a save over a change made since its edit began is refused with both values, the first
save survives, and the app offers to reload; every change of a record raises its version by one."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from kasse.data import reader
from kasse.data.db import open_database
from kasse.data.stale_edit import StaleEdit
from kasse.data.store import Store, import_families
from kasse.domain import Area, Category, ChecklistItem, Danish, Family, Goal, Person, Phase
from kasse.tui.caseload import Caseload
from kasse.tui.forms.confirm import ConfirmScreen
from kasse.tui.forms.form import FormScreen
from kasse.tui.screens.family import FamilyScreen
from tests.tui_support import TODAY, app_on, settle, static_text, write_caseload


def person(ref: str, **fields) -> Person:
    facts = {"name": "Amina Hassan", "category": Category.REFUGEE, "birth_date": date(1990, 1, 1),
             "takeover_date": date(2025, 1, 10), **fields}  # fmt: skip
    return Person(ref=ref, **facts)


FAMILY = Family(
    "F-1",
    (person("P-1", danish=Danish(hours_per_week=17.5)), person("P-2", name="Omar Hassan")),
    checklist=(ChecklistItem(Phase.ARRIVAL, "Bolig klar"),),
)


@pytest.fixture
def path(tmp_path) -> Path:
    return write_caseload(tmp_path / "kasse.db", [FAMILY])


def fill(form: FormScreen, **values) -> None:
    for key, value in values.items():
        widget = form.query_one(f"#field-{key}")
        widget.value = value


def stored(path: Path) -> Family:
    with closing(reader.connect(path)) as connection:
        return reader.read_families(connection, refs=["F-1"])[0]


def versions(path: Path) -> dict[tuple[str, str], int]:
    with closing(reader.connect(path)) as connection:
        return reader.read_versions(connection, ["F-1"])


def hours(amina: Person, value: float) -> Person:
    return replace(amina, danish=replace(amina.danish, hours_per_week=value))


def window(path: Path) -> tuple[Caseload, Person]:
    """A second app on the file: its caseload and Amina as it read her."""
    caseload = Caseload(path, TODAY)
    return caseload, caseload.family("F-1").members[0]


def test_the_second_save_of_the_same_field_is_refused_and_the_first_value_survives(path):
    first, amina_first = window(path)
    second, amina_second = window(path)

    first.save_person("F-1", hours(amina_first, 20.0), based_on=amina_first)
    with pytest.raises(StaleEdit) as refused:
        second.save_person("F-1", hours(amina_second, 25.0), based_on=amina_second)

    assert stored(path).members[0].danish.hours_per_week == 20.0
    assert refused.value.message == (
        "Ikke gemt: Personen P-1 er ændret af en anden, mens du redigerede.\n  Timer pr. uge: din værdi 25 - gemt 20"
    )
    assert "25" not in str(refused.value), "the values stay out of the exception's own text (logs, tracebacks)"
    with closing(sqlite3.connect(path)) as connection:
        changes = connection.execute("SELECT new_value FROM audit WHERE field = 'danish.hours_per_week'").fetchall()
    assert changes == [("20.0",)]


def test_after_the_refusal_an_edit_of_the_fresh_read_is_saved(path):
    first, amina_first = window(path)
    second, amina_second = window(path)
    first.save_person("F-1", hours(amina_first, 20.0), based_on=amina_first)
    with pytest.raises(StaleEdit):
        second.save_person("F-1", hours(amina_second, 25.0), based_on=amina_second)

    fresh = second.family("F-1").members[0]
    second.save_person("F-1", hours(fresh, 25.0), based_on=fresh)

    assert stored(path).members[0].danish.hours_per_week == 25.0
    assert versions(path)[("person", "P-1")] == 3


def test_the_refusal_names_every_field_where_the_edit_and_the_saved_record_differ(path):
    first, amina_first = window(path)
    second, amina_second = window(path)
    first.save_person("F-1", replace(amina_first, nationality="Syrien", category=Category.QUOTA_REFUGEE),
                      based_on=amina_first)  # fmt: skip

    with pytest.raises(StaleEdit) as refused:
        second.save_person("F-1", hours(amina_second, 25.0), based_on=amina_second)

    lines = refused.value.message.splitlines()[1:]
    assert lines == [
        "  Kategori: din værdi Flygtning - gemt Kvoteflygtning",
        "  Nationalitet: din værdi (tom) - gemt 'Syrien'",
        "  Timer pr. uge: din værdi 25 - gemt 17,5",
    ]
    assert stored(path).members[0].nationality == "Syrien"


def test_the_same_edit_made_in_both_windows_is_no_conflict(path):
    first, amina_first = window(path)
    second, amina_second = window(path)
    first.save_person("F-1", hours(amina_first, 20.0), based_on=amina_first)

    second.save_person("F-1", hours(amina_second, 20.0), based_on=amina_second)

    assert versions(path)[("person", "P-1")] == 2


def test_each_change_raises_its_records_version_by_one_and_nothing_else_does(path):
    caseload, amina = window(path)
    assert versions(path) == {("family", "F-1"): 1, ("person", "P-1"): 1, ("person", "P-2"): 1}

    caseload.save_person("F-1", hours(amina, 20.0), based_on=amina)
    family = caseload.family("F-1")
    # The plan changes the members' derived deadline index, not their facts: their versions stay.
    caseload.save_family(replace(family, members=(), checklist=()), based_on=family)
    family = caseload.family("F-1")
    caseload.save_family(replace(family, members=()), based_on=family)  # nothing changed

    assert versions(path) == {("family", "F-1"): 2, ("person", "P-1"): 2, ("person", "P-2"): 1}


def test_an_import_meanwhile_raises_the_version_so_an_edit_begun_before_it_is_refused(path):
    caseload, amina = window(path)
    with open_database(path) as database:
        import_families(Store(database, actor="import"), [replace(FAMILY, members=(person("P-1", name="Amina H."),))])

    with pytest.raises(StaleEdit, match="Personen P-1 er ændret af en anden"):
        caseload.save_person("F-1", hours(amina, 25.0), based_on=amina)
    assert stored(path).members[0].name == "Amina H."


def test_a_family_edit_over_a_newer_checklist_is_refused(path):
    first, second = Caseload(path, TODAY), Caseload(path, TODAY)
    family_first, family_second = first.family("F-1"), second.family("F-1")
    first.save_family(replace(family_first, members=(), checklist=()), based_on=family_first)

    with pytest.raises(StaleEdit) as refused:
        second.save_family(replace(family_second, members=(), coordinating_department="Jobcenter Syd"),
                           based_on=family_second)  # fmt: skip

    assert "  Tjekliste: din værdi 1 i listen - gemt 0 i listen" in refused.value.message.splitlines()
    assert stored(path).coordinating_department is None


def test_a_person_deleted_meanwhile_is_not_brought_back_by_a_save(path):
    first, second = Caseload(path, TODAY), Caseload(path, TODAY)
    omar_first = first.family("F-1").members[1]
    omar_second = second.family("F-1").members[1]
    assert omar_first == omar_second
    first.delete_person("F-1", "P-2")

    with pytest.raises(StaleEdit, match="Personen P-2 er slettet af en anden"):
        second.save_person("F-1", replace(omar_second, nationality="Syrien"), based_on=omar_second)
    assert [member.ref for member in stored(path).members] == ["P-1"]


def test_a_family_saved_with_a_member_changed_meanwhile_is_refused_and_writes_nothing(path):
    first, amina_first = window(path)
    second = Caseload(path, TODAY)
    family_second = second.family("F-1")
    first.save_person("F-1", hours(amina_first, 20.0), based_on=amina_first)
    amina_second, omar_second = family_second.members

    with pytest.raises(StaleEdit) as refused:
        second.save_family(
            replace(family_second, coordinating_department="Jobcenter Syd",
                    members=(hours(amina_second, 25.0), replace(omar_second, nationality="Syrien"))),
            based_on=family_second,
        )  # fmt: skip

    assert (refused.value.kind, refused.value.ref) == ("person", "P-1")
    assert "  Timer pr. uge: din værdi 25 - gemt 20" in refused.value.message.splitlines()
    saved = stored(path)
    assert saved.members[0].danish.hours_per_week == 20.0
    assert (saved.coordinating_department, saved.members[1].nationality) == (None, None), "all or nothing"


def test_a_family_saved_with_a_member_deleted_meanwhile_does_not_bring_them_back(path):
    first, second = Caseload(path, TODAY), Caseload(path, TODAY)
    family_second = second.family("F-1")
    first.delete_person("F-1", "P-2")

    with pytest.raises(StaleEdit, match="Personen P-2 er slettet af en anden"):
        second.save_family(family_second, based_on=family_second)
    assert [member.ref for member in stored(path).members] == ["P-1"]


# -- in the app


async def test_in_the_app_a_save_over_a_change_made_meanwhile_offers_to_reload(tmp_path):
    app = app_on(tmp_path, FAMILY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1")
        await settle(pilot)
        await pilot.press("5", "e")  # Dansk
        form = app.screen
        assert isinstance(form, FormScreen)

        with open_database(app.caseload.path) as database, Store(database, actor="kollega").transaction() as tx:
            tx.save_person("F-1", hours(stored(app.caseload.path).members[0], 20.0))  # another window saves
        form.query_one("#field-hours_per_week", Input).value = "25"
        await pilot.press("ctrl+s")
        await settle(pilot)

        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Timer pr. uge: din værdi 25 - gemt 20" in question.question
        assert "Genindlæs viser det gemte; din ændring kasseres." in question.question
        assert stored(app.caseload.path).members[0].danish.hours_per_week == 20.0

        await pilot.press("j")  # Genindlæs
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert re.search(r"Timer pr. uge\s+20\n", static_text(app.screen.query_one("#dansk-body")))
    assert stored(app.caseload.path).members[0].danish.hours_per_week == 20.0


async def test_in_the_app_a_goal_added_over_newer_goals_is_refused_even_after_a_reload(tmp_path):
    app = app_on(tmp_path, FAMILY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-1", "plan")
        await settle(pilot)
        await pilot.press("g")  # the goals table's own form: the edit begins on P-1 as this window read her
        assert isinstance(app.screen, FormScreen)

        newer = (Goal(Area.DANISH_EMPLOYMENT, "Bestå Prøve i Dansk 2"), Goal(Area.SOCIAL_HEALTH, "Netværk"))
        with open_database(app.caseload.path) as database, Store(database, actor="kollega").transaction() as tx:
            tx.save_person("F-1", replace(stored(app.caseload.path).members[0], goals=newer))
        app.action_reload()  # as the poll would: the screen underneath now shows the newer goals
        await settle(pilot)
        fill(app.screen, area=Area.ACTIVE_CITIZENSHIP, goal="Frivillig i foreningsliv")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, ConfirmScreen)
        assert "Mål og indsatser: din værdi 1 i listen - gemt 2 i listen" in app.screen.question
        await pilot.press("n")  # Luk
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
    assert stored(app.caseload.path).members[0].goals == newer
