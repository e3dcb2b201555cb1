"""The family screen's tabs, in the order they show, each with its Danish label."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Tab(StrEnum):
    """A tab: its value is the pane's id (what `open_family(tab=...)` names), its label what the tab reads."""

    label: str

    OVERVIEW = "oversigt", "Oversigt"
    CONTRACT = "kontrakt", "Kontrakt"
    PLAN = "plan", "Plan"
    HEALTH = "helbred", "Helbred"
    DANISH = "dansk", "Dansk"
    PROGRAMME = "program", "Program"
    FAMILY = "familie", "Familie"
    CHECKLIST = "tjekliste", "Tjekliste"
    HISTORY = "historik", "Historik"

    def __new__(cls, value: str, label: str) -> Self:
        tab = str.__new__(cls, value)
        tab._value_ = value
        tab.label = label
        return tab

    @property
    def number(self) -> int:
        """Its key: 1 for the first tab, 9 for the last."""
        return list(Tab).index(self) + 1
