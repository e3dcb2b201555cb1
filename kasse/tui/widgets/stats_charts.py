"""The statistics screen's pictures as Rich renderables: the per-rule table and two bar charts drawn in text.

The bars are block characters sized to the width they get, so they read at
80 columns and at 160; each kind of count has its own character as well as
its colour (the legend names them), so they read without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from kasse import words
from kasse.dates import format_date
from kasse.stats import RuleCounts

COUNT_HEADINGS = ("Antal", "Opfyldt", "For sent", "Overskredet", "Åbne", "Lukket", "Til tiden")
# Below this many cells the longer headings take two lines, so a rule's row stays one line.
NARROW = 84
TWO_LINES = {"For sent": "For\nsent", "Overskredet": "Over-\nskredet", "Til tiden": "Til\ntiden"}
EIGHTHS = " ▏▎▍▌▋▊▉"
# How a quarter's deadlines stack up, left to right: (field of RuleCounts, legend word, character, style).
STACK = (("met", "opfyldt", "█", "green"), ("met_late", "for sent", "▓", "dark_orange"),
         ("overdue", "overskredet", "▒", "bold red"), ("open", "åbne", "░", ""), ("closed", "lukket", "·", "dim"))


@dataclass(frozen=True, slots=True)
class Quarter:
    """A calendar quarter, or the part of one inside the period, and the deadlines due in it."""

    number: int  # 1-4
    year: int
    first: date  # the period's first day if it begins inside the quarter
    last: date  # the period's last day if it ends inside the quarter
    counts: RuleCounts
    cut_start: bool  # the period begins after the quarter's first day
    cut_end: bool  # the period ends before the quarter's last day

    @property
    def label(self) -> str:
        """'4. kvt. 2025', with the part shown when the period cuts the quarter: '4. kvt. 2025 fra 26-11'."""
        label = f"{self.number}. kvt. {self.year}"
        if self.cut_start:
            label += f" fra {format_date(self.first)[:5]}"
        if self.cut_end:
            label += f" til {format_date(self.last)[:5]}"
        return label


class Bar:
    """Horizontal bar(s) filling `value / scale` of the width Rich gives it: one coloured run per part."""

    def __init__(self, parts: Sequence[tuple[float, str, str]], scale: float, fine: bool = False) -> None:
        self.parts = parts  # (value, character, style)
        self.scale = scale
        self.fine = fine  # one part, its end drawn in eighths of a cell

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self.scale <= 0:
            yield Segment(" " * width)
            return
        if self.fine:
            value, char, style = self.parts[0]
            eighths = round(value / self.scale * width * 8)
            whole, part = divmod(eighths, 8)
            drawn = char * whole + (EIGHTHS[part] if part else "")
            yield Segment(drawn, Style.parse(style))
            yield Segment("░" * (width - len(drawn)), Style(dim=True))
            return
        cells = _apportion([value / self.scale * width for value, _, _ in self.parts])
        for (_, char, style), count in zip(self.parts, cells, strict=True):
            if count:
                yield Segment(char * count, Style.parse(style))
        yield Segment(" " * (width - sum(cells)))


def _apportion(shares: list[float]) -> list[int]:
    """Whole cells for each share, adding up to their rounded sum (largest remainders get the spare cells)."""
    cells = [int(share) for share in shares]
    spare = round(sum(shares)) - sum(cells)
    for index in sorted(range(len(shares)), key=lambda i: cells[i] - shares[i])[:spare]:
        cells[index] += 1
    return cells


def rate_text(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.0f} %"


def rule_table(rules: Sequence[RuleCounts], total: RuleCounts, width: int) -> Table:
    """The per-rule table of `kasse stats`: a short name, the ruleset, the counts; one line a rule at 80 cells."""
    table = Table(title="Frister med forfald i perioden", title_justify="left", title_style="bold",
                  header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, padding=0)
    table.add_column("Frist", ratio=1, min_width=12, no_wrap=True, overflow="ellipsis")
    table.add_column("Regler", no_wrap=True)
    for heading in COUNT_HEADINGS:
        table.add_column(TWO_LINES.get(heading, heading) if width < NARROW else heading, justify="right",
                         no_wrap=True)
    for row in rules:
        table.add_row(words.RULE_SHORT[row.rule], row.ruleset.value, *_count_cells(row))
    table.add_row("I alt", "", *_count_cells(total), style="bold")
    return table


def _count_cells(row: RuleCounts) -> list[str]:
    return [str(row.due), str(row.met), str(row.met_late), str(row.overdue), str(row.open), str(row.closed),
            rate_text(row.on_time_rate)]


def on_time_chart(rules: Sequence[RuleCounts]) -> Group:
    """Per rule and ruleset: the share met on time of those judged (met, met late or overdue)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_column(no_wrap=True, justify="right")
    for row in rules:
        judged = row.met + row.met_late + row.overdue
        value = f"{rate_text(row.on_time_rate):>5} ({row.met} af {judged})" if judged else "    -"
        grid.add_row(f"{words.RULE_SHORT[row.rule]} {row.ruleset.value}",
                     Bar([(row.met, "█", "green")], judged, fine=True), value)
    return Group(Text("Til tiden pr. frist", style="bold"), grid)


def quarter_chart(quarters: Sequence[Quarter]) -> Group:
    """Per quarter: the deadlines due, stacked by what became of them, scaled to the busiest quarter."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_column(no_wrap=True, justify="right")
    busiest = max((quarter.counts.due for quarter in quarters), default=0)
    for quarter in quarters:
        parts = [(getattr(quarter.counts, field), char, style) for field, _, char, style in STACK]
        grid.add_row(quarter.label, Bar(parts, busiest), f"{quarter.counts.due} · {rate_text(quarter.counts.on_time_rate)}")
    legend = Text()
    for _, word, char, style in STACK:
        legend.append(char, style=style)
        legend.append(f" {word}  ")
    return Group(Text.assemble(("Frister med forfald pr. kvartal", "bold"), " (antal · til tiden)"), grid, legend)
