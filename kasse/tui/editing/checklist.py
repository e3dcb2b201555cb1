"""The reception checklist: its items, the default list a new family starts with, and ticking one off."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kasse import words
from kasse.domain import (
    ChecklistItem,
    Family,
    Phase,
)
from kasse.tui.fields import Section, Values, choice, day, text

CHECKLIST_ITEM = Section(
    "checklist",
    "Punkt på tjeklisten",
    (
        choice("phase", "Fase", words.PHASE, required=True),
        text("task", "Punkt", required=True),
        day("done_date", "Udført den"),
    ),
)


def read_checklist_item(item: ChecklistItem | None) -> Values:
    if item is None:
        return {"phase": Phase.PREPARATION, "task": None, "done_date": None}
    return {"phase": item.phase, "task": item.task, "done_date": item.done_date}


def write_checklist_item(values: Values) -> ChecklistItem:
    return ChecklistItem(**values)


# The default reception checklist (DOMAIN.md, "Reception checklist phases"); municipalities edit their own.
DEFAULT_CHECKLIST: tuple[tuple[Phase, str], ...] = (
    (Phase.PREPARATION, "Oplysninger fra asylcenter og Udlændingestyrelsen indhentet"),
    (Phase.PREPARATION, "Tilmeldt danskundersøgelse i asylcentret"),
    (Phase.PREPARATION, "Introduktion til kommunen (materiale eller møde)"),
    (Phase.HANDOVER, "Overleveringsmøde med asylcenter/Udlændingestyrelsen"),
    (Phase.ARRIVAL, "Bolig klar"),
    (Phase.ARRIVAL, "Etableringspakke (møbler, køkken, linned, tøj)"),
    (Phase.ARRIVAL, "Penge til de første dage"),
    (Phase.ARRIVAL, "Hjælp til indkøb"),
    (Phase.ARRIVAL, "Introduktion til hvidevarer i boligen"),
    (Phase.RECEPTION, "Henvist til sprogskole"),
    (Phase.RECEPTION, "Skole- og dagtilbud til børnene"),
    (Phase.RECEPTION, "Besøg hos egen læge"),
    (Phase.RECEPTION, "Integrationskontrakt indgået"),
    (Phase.RECEPTION, "Integrationsplan tilbudt"),
    (Phase.RECEPTION, "Helbredsmæssig vurdering tilbudt"),
)


def default_checklist(template: tuple[ChecklistItem, ...] | None = None) -> tuple[ChecklistItem, ...]:
    """The checklist a new family starts with and `s` inserts: the municipality's own from the config file
    (`template`), else kasse's default - open tasks either way."""
    if template:
        return tuple(ChecklistItem(item.phase, item.task) for item in template)
    return tuple(ChecklistItem(phase, task) for phase, task in DEFAULT_CHECKLIST)


def tick(family: Family, index: int, today: date) -> Family:
    """Mark a checklist item done today, or undone when it was done."""
    items = list(family.checklist)
    item = items[index]
    items[index] = replace(item, done_date=None if item.done_date else today)
    return replace(family, checklist=tuple(items))
