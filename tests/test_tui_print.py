"""Printing from the app (issue 13): a key on the family screen and the palette write a PDF to the documents folder
in a worker and say where; a document that cannot be made is one Danish line."""

from __future__ import annotations

import pytest

from kasse.domain import Category, Contract
from kasse.tui.commands import commands_for
from kasse.tui.forms.print_form import PrintScreen
from kasse.tui.screens.family import FamilyScreen
from tests.factories import d, family, person
from tests.tui_support import app_on, settle

AMINA = person("P-1", name="Amina Hassan", contract=Contract(signed_date=d("2025-01-20")))
SPOUSE = person("P-2", name="Omar Hassan", category=Category.RESIDENT_SPOUSE, takeover=None)


@pytest.fixture
def documents(tmp_path, monkeypatch):
    """The user's documents folder (platformdirs reads $XDG_DOCUMENTS_DIR), not made yet."""
    folder = tmp_path / "Dokumenter"
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(folder))
    return folder


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_family(pilot) -> FamilyScreen:
    await settle(pilot)
    pilot.app.open_family("F-1", "P-1")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FamilyScreen)
    return pilot.app.screen


async def test_w_then_k_writes_the_contract_to_the_documents_folder_and_says_where(tmp_path, documents):
    app = app_on(tmp_path, family(AMINA, SPOUSE, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PrintScreen)
        await pilot.press("k")
        await settle(pilot)
        written = documents / "kontrakt-P-1-2025-03-01.pdf"
        assert written.read_bytes().startswith(b"%PDF")
        assert written.stat().st_mode & 0o077 == 0, "CPR and health: readable by its owner alone"
        assert isinstance(app.screen, FamilyScreen)
        assert "Skriver kontrakten …" in messages(app)
        assert any(m.startswith(f"Kontrakten er skrevet til {written}") for m in messages(app))


async def test_enter_on_a_choice_writes_it_and_escape_writes_nothing(tmp_path, documents):
    app = app_on(tmp_path, family(AMINA, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot)
        await pilot.press("w", "escape")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen) and not documents.exists()
        await pilot.press("w", "down", "enter")  # the contract is highlighted first; down: the plan
        await settle(pilot)
        assert [p.name for p in documents.iterdir()] == ["plan-F-1-2025-03-01.pdf"]
        assert any(m.startswith("Planen er skrevet til") for m in messages(app))


async def test_the_palette_writes_the_deadlines_without_asking(tmp_path, documents):
    app = app_on(tmp_path, family(AMINA, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_family(pilot)
        names = {command.name: command for command in commands_for(app, screen)}
        assert {"familie: Udskriv", "udskriv: Kontrakt som PDF", "udskriv: Plan som PDF"} <= set(names)
        await screen.run_command(names["udskriv: Fristoversigt som PDF"].action)
        await settle(pilot)
        assert (documents / "fristoversigt-F-1-2025-03-01.pdf").is_file()


async def test_a_contract_that_cannot_be_made_is_one_danish_line_and_no_file(tmp_path, documents):
    app = app_on(tmp_path, family(SPOUSE, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_family("F-1", "P-2")
        await settle(pilot)
        await pilot.press("w", "k")
        await settle(pilot)
        assert not documents.exists()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        assert errors[0].message.startswith("Der indgås ikke kontrakt med P-2: personen er ikke omfattet")


async def test_the_screen_answers_keys_while_a_document_is_written(tmp_path, documents, monkeypatch):
    """The render runs in a worker: a slow one leaves the family screen's keys working meanwhile."""
    import threading

    import kasse.documents as documents_module

    release = threading.Event()
    real = documents_module.print_document

    def slow(*args, **kwargs):
        release.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(documents_module, "print_document", slow)
    app = app_on(tmp_path, family(AMINA, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_family(pilot)
        await pilot.press("w", "p")
        await pilot.pause()
        await pilot.press("2")  # another tab while the plan is being written
        await pilot.pause()
        assert screen.tab == "kontrakt" and not documents.exists()
        release.set()
        await settle(pilot)
        assert (documents / "plan-F-1-2025-03-01.pdf").is_file()


def looks(app) -> list[tuple]:
    from contextlib import closing

    from kasse.data import access_log, reader

    with closing(reader.connect(app.caseload.path)) as connection:
        return [(e.command, e.record_kind, e.record_ref) for e in reversed(access_log.entries(connection))]


async def test_every_print_is_in_the_access_log_as_kasse_print_writes_it(tmp_path, documents):
    app = app_on(tmp_path, family(AMINA, SPOUSE, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot)
        await pilot.press("w", "k")
        await settle(pilot)
        await pilot.press("w", "p")
        await settle(pilot)
        assert looks(app) == [("app", "family", "F-1"), ("print contract", "person", "P-1"),
                              ("print plan", "family", "F-1")]


async def test_a_print_that_cannot_be_logged_is_not_made(tmp_path, documents, monkeypatch):
    from kasse.data import access_log
    from kasse.errors import KasseError

    app = app_on(tmp_path, family(AMINA, ref="F-1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_family(pilot)

        def refused(*args, **kwargs):
            raise KasseError("Databasen er skrivebeskyttet - adgangen kan ikke logges.")

        monkeypatch.setattr(access_log, "log", refused)
        await pilot.press("w", "k")
        await settle(pilot)
        assert not documents.exists()
        assert "Databasen er skrivebeskyttet - adgangen kan ikke logges." in messages(app)
        assert "Skriver kontrakten …" not in messages(app)
