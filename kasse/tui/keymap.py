"""Keys declared once: each is a Textual `Binding` with an id, on the app, a screen or a widget; this module reads them.

The footer shows them by itself; the palette, the tabs' key hints and the help page
ask here which keys are in force - the declared ones, or the user's from `[keys]`
in kasse.toml (`binding-id = "key"`), which the app applies with Textual's keymap.
An unknown id or a key Textual has no name for is left out with a Danish line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from rich.text import Text
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, format_key

MODIFIERS = ("ctrl", "shift", "alt", "super", "meta", "hyper")
# How a key is written for a Danish user; anything else as Textual writes it.
KEY_WORDS = {"space": "mellemrum", "escape": "Esc", "enter": "Enter", "tab": "Tab", "delete": "Delete",
             "home": "Home", "end": "End", "pageup": "PgUp", "pagedown": "PgDn", "backspace": "Backspace"}
_NAMED = {key.value.rsplit("+", 1)[-1] for key in Keys if not key.value.startswith("<")}


@dataclass(frozen=True, slots=True)
class Hint:
    """A key a hint line names that is not a binding of ours (Enter on a table row): shown as written."""

    key: str
    words: str


def declared(*holders: type) -> list[Binding]:
    """The bindings with an id that these classes declare (their own BINDINGS and their bases'), in order."""
    found: dict[str, Binding] = {}
    for holder in holders:
        for binding in _declared_by(holder):
            found.setdefault(binding.id, binding)
    return list(found.values())


@cache
def _declared_by(holder: type) -> tuple[Binding, ...]:
    return tuple(binding for cls in reversed(holder.__mro__) for binding in vars(cls).get("BINDINGS", ())
                 if isinstance(binding, Binding) and binding.id and not binding.system)


def near(node: DOMNode) -> list[Binding]:
    """The bindings a hint on `node` may name: those of the node, its ancestors (the screen, the app) and
    their children (the family screen's members table, next to the tab a hint is on)."""
    holders = {type(node): None}
    for ancestor in node.ancestors_with_self:
        holders[type(ancestor)] = None
        holders.update((type(child), None) for child in ancestor.children)
    return declared(*holders)


def keys_in_force(keymap: Mapping[str, str], binding: Binding) -> list[str]:
    """The keys that run `binding` now: the user's from the keymap, else the declared ones."""
    return [key.strip() for key in keymap.get(binding.id or "", binding.key).split(",")]


def key_label(key: str) -> str:
    """One key as a Danish user reads it: 'mellemrum', 'ctrl+s', '?', 'Delete'."""
    *modifiers, name = key.split("+")
    shown = KEY_WORDS.get(name) or (name if len(name) == 1 else format_key(name))
    return "+".join([*modifiers, shown])


def keys_label(keymap: Mapping[str, str], binding: Binding, joiner: str = "/") -> str:
    """The keys in force for `binding`, written for the user: 'x/Delete'."""
    return joiner.join(key_label(key) for key in keys_in_force(keymap, binding))


def run_label(labels: list[str]) -> str:
    """'1-8' for the keys 1 to 8, else the keys one by one."""
    return f"{labels[0]}-{labels[-1]}" if is_run(labels) else " ".join(labels)


def is_run(labels: list[str]) -> bool:
    """Whether the keys are three or more digits in a row (1 2 3 4)."""
    joined = "".join(labels)
    return len(labels) > 2 and joined.isdigit() and joined in "123456789"


def hint_line(node: DOMNode, items: Iterable[str | Hint]) -> Text:
    """A dim line of keys and what they do ('e rediger · k samtale · 1-8 faner'), with the keys in force: each
    item a binding id near `node` (see `near`), 'prefix.*' for a group of them, or a fixed `Hint`."""
    keymap = getattr(node.app, "keymap", {})
    bindings = near(node)
    parts = []
    for item in items:
        if isinstance(item, Hint):
            parts.append(f"{item.key} {item.words}")
        elif item.endswith(".*"):
            group = [b for b in bindings if b.id.startswith(item[:-1])]
            if group:
                words = group[0].group.description if group[0].group else group[0].description
                parts.append(f"{run_label([keys_label(keymap, b) for b in group])} {words.lower()}")
        else:
            binding = next((b for b in bindings if b.id == item), None)
            if binding is not None:
                parts.append(f"{keys_label(keymap, binding)} {binding.description.lower()}")
    return Text(" · ".join(parts), style="dim")


def key_of(node: DOMNode, binding_id: str) -> str:
    """The keys in force for one binding near `node`, for a sentence ('tryk p for at tilføje en person')."""
    binding = next((b for b in near(node) if b.id == binding_id), None)
    return keys_label(getattr(node.app, "keymap", {}), binding) if binding else ""


# -- the user's [keys]


def check_keymap(keys: Mapping[str, str], bindings: Iterable[Binding]) -> tuple[dict[str, str], list[str]]:
    """The overrides the app can use, and a Danish line for each it cannot (an unknown id, a key without a name)."""
    known = {binding.id for binding in bindings}
    usable, problems = {}, []
    for binding_id, value in keys.items():
        if binding_id not in known:
            problems.append(f"[keys] {binding_id}: ukendt id - springes over (id'erne står sidst i hjælpen, tast ?)")
            continue
        bad = [key for key in value.split(",") if not is_key(key.strip())]
        if bad:
            problems.append(f"[keys] {binding_id}: {bad[0].strip()!r} er ikke en tast - springes over "
                            "(fx \"e\", \"ctrl+e\", \"f5\", \"space\")")
            continue
        usable[binding_id] = ",".join(key.strip() for key in value.split(","))
    return usable, problems


def is_key(key: str) -> bool:
    """Whether Textual has a name for `key`: a character, a named key (f5, space, delete) or a character's
    name (question_mark, slash), after modifiers (ctrl+, shift+, alt+)."""
    *modifiers, name = key.split("+")
    if not name or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    return len(name) == 1 and name.isprintable() or name in _NAMED or len(format_key(name)) == 1
