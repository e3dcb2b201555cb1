"""`kasse stats` (kasse/stats.py): the period's counts per rule agree with `deadlines --all --json` on random
caseloads, and the other figures - categories, time to the first steps, Danish within three years,
self-support - on caseloads small enough to work out by hand."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from kasse.cli import stats_commands
from kasse.cli.output import OutputFormat, write_deadlines
from kasse.domain import Category, Contract, Danish, Family, Health, Programme
from kasse.errors import KasseError
from kasse.law import RulesChoice
from kasse.lookups import Selection, caseload_deadlines
from kasse.policy import Policy
from kasse.stats import is_self_supporting, statistics_of, statistics_record
from tests.cli_helpers import run_kasse
from tests.databases import new_database_file
from tests.factories import d, person

TODAY = d("2026-11-23")
MILESTONES = {"programme_review", "programme_end"}  # dates, not requirements: stats leaves them out
STATUS_COLUMN = {"met": "met", "met_late": "met_late", "overdue": "overdue", "due_soon": "open",
                 "upcoming": "open", "paused": "open", "closed": "closed"}
RULE_KEYS = ["rule", "ruleset", "due", "met", "met_late", "overdue", "open", "closed", "on_time_rate"]


def expected_rules(records: list[dict], start: date, end: date) -> dict[tuple[str, str], Counter]:
    """Per (rule, ruleset), the statuses of the deadlines `deadlines --all --json` lists as due in [start, end]."""
    counted: dict[tuple[str, str], Counter] = {}
    for record in records:
        if record["rule"] in MILESTONES or not start.isoformat() <= record["due"] <= end.isoformat():
            continue
        counts = counted.setdefault((record["rule"], record["ruleset"]), Counter())
        counts[STATUS_COLUMN[record["status"]]] += 1
        counts["due"] += 1
    return counted


def as_counters(stats: dict) -> dict[tuple[str, str], Counter]:
    columns = ("due", "met", "met_late", "overdue", "open", "closed")
    return {(row["rule"], row["ruleset"]): Counter({c: row[c] for c in columns if row[c]}) for row in stats["rules"]}


def deadlines_all_json(path: Path, today: date, rules: str) -> list[dict]:
    """What `kasse deadlines --all --json --today ... --rules ...` prints, read and written by its own code in this
    process (its writer holds the real stdout, out of CliRunner's reach; the subprocess test below runs it)."""
    out = io.StringIO()
    policy = Policy(rules=RulesChoice(rules))
    found = caseload_deadlines(path, today=today, window=policy.window_days, selection=Selection.ALL, policy=policy)
    write_deadlines(found, OutputFormat.JSON, out)
    return json.loads(out.getvalue())


def invoke(app: typer.Typer, *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"KASSE_CONFIG": "/nonexistent/kasse.toml"})
    if result.exception is not None:
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.output


def stats_app() -> typer.Typer:
    """`stats` in a Typer of its own, until cli/main.py registers it (a second entry keeps it a subcommand)."""
    app = typer.Typer()
    app.command("stats")(stats_commands.stats)
    app.command("unused")(lambda: None)
    return app


@pytest.fixture(scope="module")
def caseloads(tmp_path_factory) -> list:
    """Three random demo caseloads of different sizes and days, each in a real database file."""
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families
    from kasse.demo import demo_families

    paths = []
    for seed, count, day in ((1, 25, "2026-11-23"), (5, 40, "2021-03-15"), (9, 15, "2017-06-30")):
        path = tmp_path_factory.mktemp(f"caseload{seed}") / "kasse.db"
        with open_database(new_database_file(path)) as database:
            import_families(Store(database, actor="test"), demo_families(count, seed=seed, today=d(day)))
        paths.append((path, d(day)))
    return paths


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_stats_counts_equal_counts_worked_out_from_deadlines_all_json(caseloads, data):
    path, made_on = data.draw(st.sampled_from(caseloads))
    today = made_on + timedelta(days=data.draw(st.integers(-400, 400)))
    start = made_on + timedelta(days=data.draw(st.integers(-3000, 200)))
    end = start + timedelta(days=data.draw(st.integers(0, 800)))
    rules = data.draw(st.sampled_from(["auto", "2015", "2016"]))
    records = deadlines_all_json(path, today, rules)
    stats = json.loads(invoke(stats_app(), "stats", "--json", "--from", start.isoformat(), "--to",
                              end.isoformat(), "--today", today.isoformat(), "--rules", rules, "--db", str(path)))
    expected = expected_rules(records, start, end)
    assert as_counters(stats) == expected
    assert stats["total"]["due"] == sum(counts["due"] for counts in expected.values())
    for row in stats["rules"]:
        judged = row["met"] + row["met_late"] + row["overdue"]
        assert row["on_time_rate"] == (round(row["met"] / judged, 4) if judged else None)


def test_json_has_the_shape_the_issue_gives(caseloads):
    path, day = caseloads[0]
    stats = json.loads(invoke(stats_app(), "stats", "--json", "--today", day.isoformat(), "--db", str(path)))
    assert list(stats)[:4] == ["from", "to", "today", "rules"]
    assert stats["to"] == stats["today"] == day.isoformat()
    assert stats["from"] == (date(day.year - 1, day.month, day.day) + timedelta(days=1)).isoformat()
    assert stats["rules"] and all(list(row) == RULE_KEYS for row in stats["rules"])
    assert set(stats) >= {"total", "categories", "time_to", "danish_within_three_years", "self_supporting"}


def test_the_table_csv_and_workbook_say_the_same(caseloads, tmp_path):
    path, day = caseloads[1]
    common = ["--today", day.isoformat(), "--from", "2015-01-01", "--db", str(path)]
    stats = json.loads(invoke(stats_app(), "stats", "--json", *common))
    table = invoke(stats_app(), "stats", *common)
    assert "Nøgletal for 01-01-2015 - 15-03-2021" in table and "I alt" in table
    assert "Dansk bestået inden for 3 år" in table and "Flygtning" in table
    lines = invoke(stats_app(), "stats", "--csv", *common).splitlines()
    assert lines[0] == ",".join(RULE_KEYS) and len(lines) == len(stats["rules"]) + 1
    workbook = tmp_path / "tal.xlsx"
    assert str(workbook) in invoke(stats_app(), "stats", "--xlsx", str(workbook), *common)
    book = load_workbook(workbook)
    assert book.sheetnames == ["Frister", "Borgere", "Nøgletal"]
    total = list(book["Frister"].iter_rows(values_only=True))[-1]
    assert total[0] == "I alt" and total[3] == stats["total"]["due"]


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-05-01", "--to", "2026-04-01"], "--from (01-05-2026) ligger efter --to (01-04-2026)"),
    (["--from", "2027-01-01", "--today", "2026-11-25"],
     "--from (01-01-2027) ligger efter i dag (--to er ikke givet) (25-11-2026)"),
    (["--today", "0001-01-01"], "Datoen '0001-01-01' ligger for langt tilbage (tidligst 01-01-1990)"),
    (["--to", "0001-06-01"], "--to: Datoen '0001-06-01' ligger for langt tilbage (tidligst 01-01-1990)"),
    (["--to", "2026-02-30"], "--to: Datoen '2026-02-30' findes ikke"),
    (["--json", "--csv"], "Vælg én af --json, --csv og --xlsx"),
    (["--xlsx", "tal.csv"], "--xlsx skriver en Excel-fil: giv filen endelsen .xlsx"),
])  # fmt: skip
def test_mistakes_are_one_danish_message(caseloads, args, message):
    with pytest.raises(KasseError) as raised:
        invoke(stats_app(), "stats", *args, "--db", str(caseloads[0][0]))
    assert raised.value.message == message


# -- the other figures, on caseloads worked out by hand ------------------------------------------------------


def small_caseload() -> list[Family]:
    """Four adults and a child taken over in 2022-2026, worked out below for the period 2025."""
    signed_early = person("P-1", takeover="2025-02-01", contract=Contract(signed_date=d("2025-02-11")),
                          programme=Programme(start_date=d("2025-02-21")), health=Health(offered_date=d("2025-03-03")))
    signed_late = person("P-2", takeover="2025-03-01", contract=Contract(signed_date=d("2025-04-10")),
                         left="2025-10-01", left_reason="Selvforsørgende")
    passed = person("P-3", takeover="2022-05-01", danish=Danish(passed_date=d("2024-12-01")),
                    left="2025-06-01", left_reason="Flyttet til anden kommune",
                    contract=Contract(signed_date=d("2024-12-24")))  # signed before the period: not counted
    not_passed = person("P-4", category=Category.QUOTA_REFUGEE, takeover="2022-09-01",
                        left="2025-12-31", left_reason="Startet på uddannelse")
    planned = person("P-5", category=Category.FAMILY_REUNIFIED, takeover="2025-06-01",
                     contract=Contract(signed_date=d("2026-01-05")))  # after the period
    child = person("P-6", born="2015-01-01", category=Category.UNACCOMPANIED_MINOR, takeover="2022-07-01")
    spouse = person("P-7", category=Category.RESIDENT_SPOUSE, takeover=None)
    return [Family("F-1", (signed_early, signed_late, passed, spouse)), Family("F-2", (not_passed, planned, child))]


def test_time_to_danish_self_support_and_categories_of_a_small_caseload():
    found = statistics_of(small_caseload(), start=d("2025-01-01"), end=d("2025-12-31"), today=TODAY)
    assert found.time_to["contract"].persons == 2 and found.time_to["contract"].median_days == (10 + 40) / 2
    assert (found.time_to["programme_start"].persons, found.time_to["programme_start"].median_days) == (1, 20)
    assert (found.time_to["health_offer"].persons, found.time_to["health_offer"].median_days) == (1, 30)
    # Three years end in 2025 for P-3 (passed) and P-4 (did not); the child is not counted.
    assert (found.danish.persons, found.danish.passed, found.danish.pending, found.danish.rate) == (2, 1, 0, 0.5)
    # Left in 2025: P-2 (self-supporting, 214 days), P-3 (moved), P-4 (education, 1217 days).
    support = found.self_support
    assert (support.left, support.persons, support.median_days) == (3, 2, (214 + 1217) / 2)
    by_category = {row.category: (row.active, row.taken_over, row.left) for row in found.categories}
    assert by_category[Category.REFUGEE] == (1, 2, 2)  # P-1 still here; P-1, P-2 taken over; P-2, P-3 left
    assert by_category[Category.QUOTA_REFUGEE] == (0, 0, 1)
    assert by_category[Category.FAMILY_REUNIFIED] == (1, 1, 0)
    assert by_category[Category.UNACCOMPANIED_MINOR] == (1, 0, 0)
    assert by_category[Category.RESIDENT_SPOUSE] == (1, 0, 0)


def test_what_happens_after_today_is_not_counted_yet():
    """On 2025-08-31 P-2 has not left, P-4's three years are not over (pending), the period's end not reached."""
    found = statistics_of(small_caseload(), start=d("2025-01-01"), end=d("2025-12-31"), today=d("2025-08-31"))
    assert found.self_support.left == 1 and found.self_support.persons == 0  # only P-3, who moved
    assert (found.danish.persons, found.danish.passed, found.danish.pending, found.danish.rate) == (2, 1, 1, 1.0)
    record = statistics_record(found)
    assert record["today"] == "2025-08-31" and record["danish_within_three_years"]["pending"] == 1
    assert record["self_supporting"]["median_days"] is None


@pytest.mark.parametrize(("reason", "expected"), [
    ("Selvforsørgende", True), ("I job som buschauffør", True), ("Startet på uddannelse", True),
    ("Ordinær beskæftigelse", True), ("Fuldtidsjob", False), ("Danskuddannelse afsluttet", False),
    ("Flyttet til anden kommune", False), ("Integrationsprogram afsluttet", False), (None, False),
])  # fmt: skip
def test_self_supporting_is_read_from_the_reason_for_leaving(reason, expected):
    assert is_self_supporting(reason) is expected


def test_no_deadlines_judged_gives_no_rate():
    found = statistics_of(small_caseload(), start=d("2030-01-01"), end=d("2030-12-31"), today=TODAY)
    record = statistics_record(found)
    assert record["rules"] == [] and record["total"]["due"] == 0 and record["total"]["on_time_rate"] is None


def test_the_statistics_core_imports_no_database_skin_or_ui():
    import subprocess
    import sys

    probe = ("import sys, kasse.stats, kasse.documents.content\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlite3', 'typer', 'textual', 'rich', "
             "'sqlalchemy', 'typst'} | {m for m in sys.modules if m.startswith(('kasse.data', 'kasse.cli'))}))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- the real CLI ---------------------------------------------------------------------------------------------


def test_kasse_stats_json_agrees_with_kasse_deadlines_all_json(demo_db):
    records = run_kasse("deadlines", "--all", "--json", "--today", "2026-11-23", db=demo_db).json()
    result = run_kasse("stats", "--json", "--from", "2014-01-01", "--to", "2027-12-31", "--today", "2026-11-23",
                       db=demo_db)
    assert result.code == 0, result.err
    assert as_counters(result.json()) == expected_rules(records, d("2014-01-01"), d("2027-12-31"))


def test_kasse_stats_table_and_mistake_as_a_user_sees_them(demo_db):
    table = run_kasse("stats", "--today", "2026-11-23", db=demo_db)
    assert table.code == 0 and "Frister med forfald i perioden" in table.out and "Til tiden" in table.out
    wrong = run_kasse("stats", "--from", "2026-05-01", "--to", "2026-04-01", db=demo_db)
    assert wrong.code == 1 and wrong.err.strip() == "Fejl: --from (01-05-2026) ligger efter --to (01-04-2026)"


def test_kasse_stats_reads_at_80_columns_one_line_a_rule(demo_db):
    """A short name and the ruleset in a column of its own: no rule wraps, no line is wider than the terminal."""
    from kasse import words
    from kasse.law import Rule, Ruleset

    common = ["stats", "--from", "2014-01-01", "--to", "2027-12-31", "--today", "2026-11-23"]
    stats = run_kasse(*common, "--json", db=demo_db).json()
    table = run_kasse(*common, db=demo_db, env={"COLUMNS": "80"})
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.split() == ["Frist", "Regler", "Antal", "Opfyldt", "For", "sent", "skredet", "Åbne", "Lukket",
                                "Til", "tiden"] for line in lines)
    for row in stats["rules"]:
        rate = "-" if row["on_time_rate"] is None else f"{row['on_time_rate'] * 100:.0f} %"
        cells = [words.RULE_SHORT[Rule(row["rule"])], row["ruleset"], *(str(row[column]) for column in
                 ("due", "met", "met_late", "overdue", "open", "closed")), rate]
        assert any(line.split() == " ".join(cells).split() for line in lines), cells
    assert {Ruleset(row["ruleset"]) for row in stats["rules"]} == set(Ruleset), "both rulesets in the demo"
    wide = run_kasse(*common, db=demo_db, env={"COLUMNS": "120"})
    assert "Overskredet" in wide.out


def test_the_lighter_read_gives_the_figures_of_a_full_read(caseloads):
    """`kasse stats` reads what the engine needs and the reasons for leaving, not the whole caseload."""
    from contextlib import closing

    from kasse.data import reader
    from kasse.data.stats_reads import families_for_statistics

    reasons = 0
    for path, day in caseloads:
        with closing(reader.connect(path)) as connection:
            full = reader.read_families(connection)
            light = families_for_statistics(connection)
        reasons += sum(1 for family in light for member in family.members if member.left_reason)
        for start in (day - timedelta(days=3650), day - timedelta(days=364)):
            figures = [statistics_record(statistics_of(families, start=start, end=day, today=day))
                       for families in (full, light)]
            assert figures[0] == figures[1]
    assert reasons, "the demo records reasons for leaving"
