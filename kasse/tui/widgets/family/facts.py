"""The Helbred, Dansk and Program tabs: a part of the person's facts with its deadlines; `e` edits it."""

from __future__ import annotations

from rich.text import Text

from kasse.tui import editing
from kasse.tui.widgets import person_view as view
from kasse.tui.widgets.family.pane import PersonPane, PersonPart, Shown
from kasse.tui.widgets.family.tabs import Tab


class FactsPane(PersonPane):
    HINTS = ("family.edit", "person.leave", "contract.conversation", "tab.*")

    def update(self, shown: Shown) -> None:
        body = Text("") if shown.person is None else self.render_facts(shown)
        self.query_one(f"#{self.TAB}-body").update(body)

    def render_facts(self, shown: Shown):
        raise NotImplementedError


class HealthPane(FactsPane):
    TAB = Tab.HEALTH
    PART = PersonPart(lambda p: editing.HEALTH, editing.read_health, editing.write_health)

    def render_facts(self, shown: Shown):
        return view.health(shown.person, shown.mine, shown.today)


class DanishPane(FactsPane):
    TAB = Tab.DANISH
    PART = PersonPart(lambda p: editing.DANISH, editing.read_danish, editing.write_danish)

    def render_facts(self, shown: Shown):
        return view.danish(shown.person, shown.mine, shown.today)


class ProgrammePane(FactsPane):
    TAB = Tab.PROGRAMME
    PART = PersonPart(lambda p: editing.PROGRAMME, editing.read_programme, editing.write_programme)

    def render_facts(self, shown: Shown):
        return view.programme(shown.person, shown.mine, shown.today)
