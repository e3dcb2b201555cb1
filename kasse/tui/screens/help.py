"""The Danish help: kasse/tui/help.md shown in a Markdown widget, its keys filled in from the bindings.

help.md names keys by binding id, never by key: `{{keys:queue}}` stands for the
table of a section's keys (`keys:*` for every id, as kasse.toml's [keys]),
`{{key:family.edit}}` for one key in a sentence. Each is filled in with the keys in force - the user's
from [keys] in kasse.toml, else the declared ones - so the help cannot
disagree with the footer or the palette.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import groupby
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from kasse.tui.keymap import declared, key_label, keys_in_force
from kasse.tui.widgets.footer import KasseFooter

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"
TABLE = re.compile(r"\{\{keys:([\w*]+)\}\}\n?")
ONE_KEY = re.compile(r"\{\{key:([\w.]+)\}\}")


def help_text(areas: Mapping[str, tuple[type, ...]], keymap: Mapping[str, str]) -> str:
    """help.md with its keys filled in; `areas` names who declares the keys of each section."""
    sections: dict[str, list[Binding]] = {}
    seen: set[str] = set()
    for area, holders in areas.items():  # a key shared by several (Home on every table): in the first
        sections[area] = [b for b in declared(*holders) if b.id not in seen]
        seen.update(b.id for b in sections[area])
    every = {b.id: b for bindings in sections.values() for b in bindings}

    def table(match: re.Match) -> str:
        if match[1] == "*":  # as kasse.toml would say it, ready to copy
            width = max(len(binding_id) for binding_id in every)
            lines = [f'{b.id:<{width}} = "{",".join(keys_in_force(keymap, b))}"  # {b.description}'
                     for b in every.values()]
            return "\n".join(["```text", "[keys]", *lines, "```"]) + "\n"
        return "\n".join(["| Tast | Handling |", "|---|---|", *_rows(sections[match[1]], keymap)]) + "\n"

    def one_key(match: re.Match) -> str:
        binding = every.get(match[1])
        return _keys(keymap, binding) if binding else f"`{match[1]}`"

    return ONE_KEY.sub(one_key, TABLE.sub(table, HELP_FILE.read_text(encoding="utf-8")))


def _keys(keymap: Mapping[str, str], binding: Binding) -> str:
    return " eller ".join(f"`{key_label(key)}`" for key in keys_in_force(keymap, binding))


def _rows(bindings: list[Binding], keymap: Mapping[str, str]) -> list[str]:
    """A row for each key, and one for each group of keys (1-8: the tabs)."""
    rows = []
    for group, members in groupby(bindings, key=lambda b: b.group):
        members = list(members)
        if group is None:
            rows += [f"| {_keys(keymap, b)} | {b.tooltip or b.description} |" for b in members]
            continue
        keys = [key_label(key) for b in members for key in keys_in_force(keymap, b)]
        numbers = "".join(keys)
        run = len(keys) > 2 and numbers.isdigit() and numbers in "123456789"
        shown = f"`{keys[0]}`-`{keys[-1]}`" if run else " ".join(f"`{key}`" for key in keys)
        rows.append(f"| {shown} | {group.description}: {', '.join(b.description for b in members)} |")
    return rows


class HelpScreen(Screen):
    area = "help"
    AUTO_FOCUS = "VerticalScroll"
    DEFAULT_CSS = """
    HelpScreen VerticalScroll { padding: 0 2; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Luk hjælpen", id="help.close", tooltip="Luk hjælpen"),
    ]

    def compose(self) -> ComposeResult:
        from kasse.tui.app import key_areas  # the app imports this screen when asked for help

        yield Header()
        with VerticalScroll():
            yield Markdown(help_text(key_areas(), getattr(self.app, "keymap", {})), open_links=False)
        yield KasseFooter()

    def on_mount(self) -> None:
        self.sub_title = "Hjælp"
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss()
