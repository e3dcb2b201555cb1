"""The Statistik screen (F3): for a period, the deadlines due per rule - met on time, late, overdue - as
`kasse stats` counts them (kasse/stats.py), with bars per rule and per quarter.

The period starts as the last 12 months up to the app's today; < and > move
it a quarter, - and + a year. The engine's deadlines for the snapshot are
worked out once, in a worker (0.1 s for 10,000 persons), and each period is
counted from them there too, so keys never wait for the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from kasse.dates import add_months, add_years, format_date
from kasse.law import LAW
from kasse.rules import Deadline, unsorted_deadlines
from kasse.stats import COUNT_COLUMNS, RuleCounts, rule_counts
from kasse.tui.caseload import Snapshot
from kasse.tui.widgets.footer import KasseFooter
from kasse.tui.widgets.stats_charts import Quarter, on_time_chart, quarter_chart, rule_table

QUARTER = Binding.Group("Kvartal", compact=True)
YEAR = Binding.Group("År", compact=True)
WIDE = 150  # from this many columns the two charts stand side by side
FARTHEST = 12 * 100  # months the period may move from the last 12: a century either way


@dataclass(frozen=True, slots=True)
class Figures:
    start: date
    end: date
    rules: tuple[RuleCounts, ...]
    total: RuleCounts
    quarters: tuple[Quarter, ...]


def counted(found: list[Deadline], start: date, end: date) -> Figures:
    """The deadlines due in [start, end] per rule and ruleset, in all, and per calendar quarter."""
    in_period = [deadline for deadline in found if start <= deadline.due <= end]
    rules = rule_counts(in_period, start=start, end=end)
    quarters = tuple(
        Quarter(number, year, first, last, total_of(rule_counts(in_period, start=first, end=last)),
                first > whole_first, last < whole_last)
        for number, year, whole_first, whole_last, first, last in quarters_of(start, end)
    )
    return Figures(start, end, rules, total_of(rules), quarters)


def quarters_of(start: date, end: date) -> list[tuple[int, int, date, date, date, date]]:
    """The calendar quarters [start, end] touches: number, year, the quarter's days, and the part inside."""
    found = []
    first = date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    while first <= end:
        after = add_months(first, 3)
        found.append((first.month // 3 + 1, first.year, first, after - timedelta(days=1),
                      max(first, start), min(after - timedelta(days=1), end)))
        first = after
    return found


def total_of(rows: tuple[RuleCounts, ...]) -> RuleCounts:
    return RuleCounts(None, None, **{column: sum(getattr(row, column) for row in rows)
                                     for column in COUNT_COLUMNS if column != "due"})


def deadlines_to_count(snapshot: Snapshot) -> list[Deadline]:
    """Every deadline of the snapshot the statistics count (milestones are dates, not requirements)."""
    found = unsorted_deadlines(snapshot.families.values(), today=snapshot.today, window=snapshot.policy.window_days,
                               policy=snapshot.policy)
    return [deadline for deadline in found if not LAW[deadline.ruleset][deadline.rule].milestone]


class StatsScreen(Screen):
    area = "stats"
    AUTO_FOCUS = "#stats-body"
    DEFAULT_CSS = """
    StatsScreen #stats-period { height: auto; padding: 0 1; }
    StatsScreen #stats-body { padding: 0 1; }
    StatsScreen #stats-charts { height: auto; margin-top: 1; }
    StatsScreen #stats-charts Static { height: auto; }
    StatsScreen #stats-quarters { margin-top: 1; }
    StatsScreen #stats-charts.-wide { layout: horizontal; }
    StatsScreen #stats-charts.-wide Static { width: 1fr; margin-top: 0; }
    StatsScreen #stats-charts.-wide #stats-on-time { margin-right: 4; }
    """
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="stats.back", tooltip="Tilbage til det forrige billede"),
        Binding("less_than_sign", "move(-3)", "Kvartal tilbage", id="stats.quarter_back", group=QUARTER,
                tooltip="Flyt perioden et kvartal tilbage"),
        Binding("greater_than_sign", "move(3)", "Kvartal frem", id="stats.quarter_forward", group=QUARTER,
                tooltip="Flyt perioden et kvartal frem"),
        Binding("minus", "move(-12)", "År tilbage", id="stats.year_back", group=YEAR,
                tooltip="Flyt perioden et år tilbage"),
        Binding("plus", "move(12)", "År frem", id="stats.year_forward", group=YEAR, tooltip="Flyt perioden et år frem"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.months = 0  # the period's distance from the last 12 months, in months
        self.figures: Figures | None = None
        self._found: tuple[Snapshot, list[Deadline]] | None = None  # the deadlines of the snapshot last counted

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="stats-period")
        with VerticalScroll(id="stats-body"):
            yield Static(Text("Regner …", style="dim"), id="stats-rules")
            with Container(id="stats-charts"):
                yield Static(id="stats-on-time")
                yield Static(id="stats-quarters")
        yield KasseFooter()

    def on_mount(self) -> None:
        self.sub_title = "Statistik"
        self.watch(self.app, "revision", self.recount, init=False)
        self.on_resize()
        self.recount()

    @property
    def period(self) -> tuple[date, date]:
        """The last 12 months up to the app's today, moved `months`."""
        today = self.app.today
        return add_months(add_years(today, -1) + timedelta(days=1), self.months), add_months(today, self.months)

    def recount(self) -> None:
        """Count the period in a worker; the figures are shown when they come, if the period is still this one."""
        start, end = self.period
        self.show_period(counting=True)
        snapshot = self.app.snapshot

        def count() -> Figures:
            found = self._found
            if found is None or found[0] is not snapshot:
                found = self._found = (snapshot, deadlines_to_count(snapshot))
            return counted(found[1], start, end)

        self.app.run_db(count, self.show)

    def show(self, figures: Figures) -> None:
        if (figures.start, figures.end) != self.period or not self.is_attached:
            return  # the period moved on meanwhile: its own count follows
        self.figures = figures
        self.show_period(counting=False)
        self.show_figures()

    def show_period(self, counting: bool) -> None:
        start, end = self.period
        line = Text(f"Periode {format_date(start)} - {format_date(end)}", style="bold")
        line.append(f"  pr. {format_date(self.app.today)}" + ("  regner …" if counting else ""))
        self.query_one("#stats-period", Static).update(line)

    def show_figures(self) -> None:
        figures = self.figures
        if figures is None:
            return
        rules = self.query_one("#stats-rules", Static)
        if figures.rules:
            rules.update(rule_table(figures.rules, figures.total, self.size.width - 4))
            self.query_one("#stats-on-time", Static).update(on_time_chart(figures.rules))
        else:
            rules.update(Text("Ingen frister med forfald i perioden."))
            self.query_one("#stats-on-time", Static).update("")
        self.query_one("#stats-quarters", Static).update(quarter_chart(figures.quarters))

    def on_resize(self) -> None:
        self.query_one("#stats-charts").set_class(self.app.size.width >= WIDE, "-wide")
        self.show_figures()  # "Overskredet" on one line or two

    def action_move(self, months: int) -> None:
        self.months = max(-FARTHEST, min(self.months + months, FARTHEST))
        self.recount()

    def action_back(self) -> None:
        self.dismiss()
