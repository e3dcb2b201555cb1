"""The Statistik screen (F3, issue 13): the per-rule table of `kasse stats` and bars per rule and per quarter, for
a period that moves by quarter and year, readable at 80x24 and 160x48, counted off the app's thread."""

from __future__ import annotations

import threading
from contextlib import closing
from datetime import date

import pytest

from kasse import words
from kasse.data import reader
from kasse.demo import demo_families
from kasse.stats import statistics_of
from kasse.tui.screens import stats as stats_screen
from kasse.tui.screens.stats import StatsScreen, quarters_of
from kasse.tui.widgets.stats_charts import rate_text
from tests.tui_support import app_on, screen_text, settle

TODAY = date(2026, 11, 23)


@pytest.fixture
def app(tmp_path):
    return app_on(tmp_path, *demo_families(30, seed=4, today=TODAY), today=TODAY)


def expected(app, start: date, end: date):
    """The figures as `kasse stats` works them out: a full read of the file, the pure statistics."""
    with closing(reader.connect(app.caseload.path)) as connection:
        families = reader.read_families(connection)
    return statistics_of(families, start=start, end=end, today=TODAY, policy=app.config.policy)


def row_words(row) -> list[str]:
    counts = [row.due, row.met, row.met_late, row.overdue, row.open, row.closed]
    return [*words.RULE_SHORT[row.rule].split(), row.ruleset.value, *map(str, counts), *rate_text(row.on_time_rate).split()]


def screen_lines(app) -> list[str]:
    """The terminal's lines as shown (the SVG screenshot drops the one-space gaps between table columns)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def lines_of(app) -> list[list[str]]:
    return [line.replace("▊", " ").split() for line in screen_lines(app)]


async def open_stats(pilot) -> StatsScreen:
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StatsScreen)
    return pilot.app.screen


async def test_at_80x24_every_rule_is_one_visible_row_and_the_bars_are_below(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(pilot)
        found = expected(app, date(2025, 11, 24), TODAY)
        assert len(found.rules) >= 5
        text = screen_text(app)
        assert "Periode 24-11-2025 - 23-11-2026" in text
        lines = lines_of(app)
        assert ["Frist", "Regler", "Antal", "Opfyldt", "sent", "skredet", "Åbne", "Lukket", "tiden"] in lines
        for row in found.rules:
            assert row_words(row) in lines, row
        total = found.total
        assert ["I", "alt", str(total.due), str(total.met)] == lines[[line[:2] for line in lines].index(["I", "alt"])][:4]
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "Frister med forfald pr. kvartal" in text and "█ opfyldt" in text
        assert "4. kvt. 2026 til 23-11" in text


async def test_at_160x48_table_and_both_charts_show_at_once_side_by_side(app):
    async with app.run_test(size=(160, 48)) as pilot:
        await open_stats(pilot)
        found = expected(app, date(2025, 11, 24), TODAY)
        lines = lines_of(app)
        assert ["Frist", "Regler", "Antal", "Opfyldt", "For", "sent", "Overskredet", "Åbne", "Lukket", "Til",
                "tiden"] in lines
        for row in found.rules:
            assert row_words(row) in lines, row
        text = screen_text(app)
        assert "█ opfyldt" in text
        beside = [line for line in screen_lines(app) if "Kontrakt 2016" in line]
        assert beside and "kvt." in beside[0], "the two charts stand side by side"


async def test_the_period_moves_by_quarter_and_year_and_the_figures_follow(app):
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_stats(pilot)
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert "Periode 24-08-2025 - 23-08-2026" in screen_text(app)
        assert screen.figures.rules == expected(app, date(2025, 8, 24), date(2026, 8, 23)).rules
        await pilot.press("minus", "minus", "greater_than_sign")
        await settle(pilot)
        assert (screen.figures.start, screen.figures.end) == (date(2023, 11, 24), date(2024, 11, 23))
        assert screen.figures.rules == expected(app, date(2023, 11, 24), date(2024, 11, 23)).rules
        quarters = screen.figures.quarters
        assert sum(quarter.counts.due for quarter in quarters) == screen.figures.total.due
        await pilot.press("plus", "plus")
        await settle(pilot)
        assert screen.figures.end == TODAY


async def test_the_figures_are_counted_off_the_apps_thread(app, monkeypatch):
    """10,000 persons take a tenth of a second to judge: a worker does it, so keys never wait."""
    threads = []
    real = stats_screen.counted

    def counted(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(stats_screen, "counted", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(pilot)
        assert threads and threading.main_thread() not in threads


async def test_f3_from_the_palette_and_back_with_escape(app):
    from kasse.tui.commands import commands_for
    from kasse.tui.screens.queue import QueueScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "app: Statistik" in [command.name for command in commands_for(app, app.screen)]
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


def test_quarters_are_calendar_quarters_cut_to_the_period():
    found = quarters_of(date(2025, 11, 24), date(2026, 11, 23))
    assert [(number, year) for number, year, *_ in found] == [(4, 2025), (1, 2026), (2, 2026), (3, 2026), (4, 2026)]
    assert found[0][2:] == (date(2025, 10, 1), date(2025, 12, 31), date(2025, 11, 24), date(2025, 12, 31))
    assert found[-1][4:] == (date(2026, 10, 1), date(2026, 11, 23))
    assert [q[:2] for q in quarters_of(date(2026, 1, 1), date(2026, 3, 31))] == [(1, 2026)]
