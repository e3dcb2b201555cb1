"""Every key declared once, as a binding with an id: the footer, the palette, the tabs' hints and the help derive
from it, and a user's [keys] in kasse.toml changes the key everywhere at once (issue 11)."""

from __future__ import annotations

from textual.widgets import Footer, Markdown, Static

from kasse.config import Config
from kasse.tui.app import key_areas, key_problems
from kasse.tui.commands import commands_for
from kasse.tui.keymap import check_keymap, declared, is_key, key_label, keys_in_force
from kasse.tui.screens.deadlines import DeadlinesScreen
from kasse.tui.screens.family import FamilyScreen
from kasse.tui.screens.help import HelpScreen, help_text
from kasse.tui.screens.queue import QueueScreen
from tests.factories import family, person
from tests.tui_support import app_on, settle, static_text


def every_binding():
    return declared(*(holder for holders in key_areas().values() for holder in holders))


def footer_keys(app) -> list[str]:
    """The footer's keys and words as shown, left to right."""
    footer = app.screen.query_one(Footer)
    return [" ".join(str(part) for part in key.render().plain.split()) for key in footer.query("FooterKey")
            if key.display]


def test_every_key_has_one_id_words_and_a_help_line():
    bindings = every_binding()
    ids = [binding.id for binding in bindings]
    assert len(ids) == len(set(ids)) > 40
    for binding in bindings:
        assert binding.description and binding.tooltip, binding.id
        assert all(is_key(key) for key in keys_in_force({}, binding)), binding.id


def test_the_help_names_every_key_by_its_id_and_with_the_key_in_force():
    text = help_text(key_areas(), {})
    assert "{{" not in text
    for binding in every_binding():
        assert f'{binding.id} ' in text, binding.id  # the list of ids, as kasse.toml takes them
        first = key_label(keys_in_force({}, binding)[0])
        assert f"`{first}`" in text or binding.group and binding.description in text, binding.id
    changed = help_text(key_areas(), {"plan.new_goal": "ctrl+g", "queue.filter": "f3"})
    assert "| `f3` | Søg på navn" in changed and "| `slash` |" not in changed
    assert "I indsatsdelen: `ctrl+g` nyt mål" in changed
    assert 'plan.new_goal         = "ctrl+g"' in changed


def test_an_unknown_id_or_a_key_without_a_name_is_left_out_in_danish():
    usable, problems = check_keymap({"family.edit": "E", "family.edti": "x", "queue.filter": "ctrl+bogus",
                                     "app.help": "?,f12"}, every_binding())
    assert usable == {"family.edit": "E", "app.help": "?,f12"}
    assert problems == [
        "[keys] family.edti: ukendt id - springes over (id'erne står sidst i hjælpen, tast ?)",
        "[keys] queue.filter: 'ctrl+bogus' er ikke en tast - springes over (fx \"e\", \"ctrl+e\", \"f5\", \"space\")",
    ]
    config = Config(keys={"family.edti": "x"}, key_problems=("[keys] x: tasten skal skrives som tekst",))
    assert key_problems(config) == ["[keys] x: tasten skal skrives som tekst", problems[0]]


def test_the_palette_offers_each_key_with_its_words_and_the_key_in_force(tmp_path):
    app = app_on(tmp_path, config=Config(keys={"plan.new_goal": "ctrl+g"}))
    commands = {c.name: c for c in commands_for(app, FamilyScreen("F-1"))}
    assert commands["plan: Nyt mål"].help == "Tilføj et mål i planens indsatsdel (ctrl+g)"
    assert commands["familie: Fjern"].help.endswith("(x eller Delete)")
    assert "person: Slet person" in commands and "app: Frister" in commands
    queue = [c.name for c in commands_for(app, QueueScreen())]
    assert "kø: Overskredne" in queue and "plan: Nyt mål" not in queue


async def test_a_key_from_the_config_file_runs_the_action_and_the_footer_and_help_show_it(tmp_path):
    config = Config(keys={"app.deadlines": "t", "family.edit": "E", "family.edti": "x"})
    app = app_on(tmp_path, family(person("P-1", name="Amina Hassan"), ref="F-1"), config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "t Frister" in footer_keys(app) and "d Frister" not in footer_keys(app)
        assert any("family.edti: ukendt id" in n.message for n in app._notifications), "named, not a crash"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen), "d no longer opens the deadline panel"
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, DeadlinesScreen)
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert "E Rediger" in footer_keys(app)
        hints = static_text(app.screen.query_one("#oversigt-pane .hints", Static))
        assert hints.startswith("E rediger · f fraflyt")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FamilyScreen), "e is not the edit key any more"
        await pilot.press("E")
        await pilot.pause()
        assert app.screen.section.key == "person"
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        assert "| `t` eller `f2` | Vis fristoversigten |" not in source  # the override replaces both keys
        assert "| `t` | Vis fristoversigten |" in source and "| `E` | Ret oplysningerne på fanebladet |" in source
