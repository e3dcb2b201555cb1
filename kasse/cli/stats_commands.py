"""`kasse stats`: the period's figures (kasse/stats.py) as a Danish table, JSON, CSV or an Excel workbook.

Registered as a command in cli/main.py.
"""

from __future__ import annotations

import json
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from kasse.cli.options import CsvOption, DbOption, JsonOption, RulesOption, TodayOption, config_of, db_path, today_of
from kasse.errors import KasseError
from kasse.safe_text import terminal_safe

FromOption = Annotated[str | None, typer.Option(
    "--from", help="Periodens første dag (ellers et år før --to).", metavar="DATO")]
ToOption = Annotated[str | None, typer.Option("--to", help="Periodens sidste dag (ellers i dag).", metavar="DATO")]
XlsxOption = Annotated[Path | None, typer.Option(
    "--xlsx", help="Skriv tallene til en Excel-fil (.xlsx) i stedet.", metavar="FIL")]

CSV_FIELDS = ("rule", "ruleset", "due", "met", "met_late", "overdue", "open", "closed", "on_time_rate")
_COUNT_HEADINGS = ("Antal", "Opfyldt", "For sent", "Overskredet", "Åbne", "Lukket", "Til tiden")
_TIME_TO = {"contract": "kontrakt", "programme_start": "programstart", "health_offer": "helbredstilbud"}
NARROW = 84  # below this many columns "Overskredet" takes two lines, so the short titles fit 80 columns whole


def stats(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    today: TodayOption = None,
    rules: RulesOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """Nøgletal for en periode: frister opfyldt til tiden, tid til kontrakt, dansk inden for 3 år, selvforsørgelse."""
    from kasse.collector import collector_paused
    from kasse.data.stats_reads import families_for_statistics
    from kasse.dates import format_date
    from kasse.lookups import connect
    from kasse.stats import statistics_of

    if sum((as_json, as_csv, xlsx is not None)) > 1:
        raise KasseError("Vælg én af --json, --csv og --xlsx")
    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":
        raise KasseError("--xlsx skriver en Excel-fil: giv filen endelsen .xlsx")
    day = today_of(ctx, today)
    last = _parse(end, "--to") or day
    first = _parse(start, "--from") or _year_before(last)
    if first > last:
        until = "--to" if end is not None else "i dag (--to er ikke givet)"
        raise KasseError(f"--from ({format_date(first)}) ligger efter {until} ({format_date(last)})")
    policy = config_of(ctx, rules).policy
    with closing(connect(db_path(ctx, db))) as connection:
        families = families_for_statistics(connection)
    with collector_paused():  # tens of thousands of deadlines, no cycles among them (kasse/collector.py)
        found = statistics_of(families, start=first, end=last, today=day, policy=policy)
    if xlsx is not None:
        _write_xlsx(found, xlsx)
    elif as_json:
        from kasse.stats import statistics_record

        sys.stdout.write(json.dumps(statistics_record(found), ensure_ascii=False, indent=2) + "\n")
    elif as_csv:
        _write_csv(found)
    else:
        _print_tables(found)


def _parse(text: str | None, option: str) -> date | None:
    from kasse.dates import parse_case_date

    if text is None:
        return None
    try:
        return parse_case_date(text)
    except KasseError as error:
        raise KasseError(f"{option}: {error.message}") from None


def _year_before(last: date) -> date:
    from kasse.dates import add_years

    return add_years(last, -1) + timedelta(days=1)


def _write_csv(found) -> None:
    import csv

    from kasse.stats import counts_record

    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(counts_record(row) for row in found.rules)


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.0f} %"


def _days(median: float | None) -> str:
    return "-" if median is None else f"{median:g}".replace(".", ",")


def _title(row) -> str:
    from kasse.law import LAW

    return "I alt" if row.rule is None else LAW[row.ruleset][row.rule].title


def _count_cells(row) -> list[str]:
    return [str(row.due), str(row.met), str(row.met_late), str(row.overdue), str(row.open), str(row.closed),
            _rate(row.on_time_rate)]


def key_figures(found) -> list[tuple[str, str]]:
    """The figures below the tables, as (what, value) in Danish: the table's lines and the workbook's rows."""
    lines = [(f"Dage fra overtagelse til {what} (median)",
              f"{_days(found.time_to[name].median_days)} ({found.time_to[name].persons} borgere i perioden)")
             for name, what in _TIME_TO.items()]
    danish = found.danish
    pending = f", {danish.pending} har endnu ikke haft 3 år" if danish.pending else ""
    lines.append(("Dansk bestået inden for 3 år efter overtagelsen",
                  f"{danish.passed} af {danish.persons} ({_rate(danish.rate)}){pending}"))
    support = found.self_support
    lines.append(("Fraflyttet i perioden", str(support.left)))
    median = "" if support.median_days is None else f", median {_days(support.median_days)} dage efter overtagelsen"
    lines.append(("Heraf selvforsørgende (job eller uddannelse)", f"{support.persons}{median}"))
    return lines


def _table(title: str):
    """A table as `kasse stats` prints them: a title, a rule under the headings, columns one space apart."""
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, show_edge=False,
                 padding=0)


def _print_tables(found) -> None:
    from kasse import words
    from kasse.cli.tables import plain_console
    from kasse.dates import format_date

    console = plain_console()
    period = f"{format_date(found.start)} - {format_date(found.end)}"
    console.print(f"Nøgletal for {period} (pr. {format_date(found.today)})", style="bold")
    if found.rules:
        # A short name and the ruleset in a column of its own: one line a rule at 80 columns (the law's titles
        # are in the workbook). Columns one space apart, as the box draws them.
        table = _table("Frister med forfald i perioden")
        table.add_column("Frist", ratio=1, min_width=12)
        table.add_column("Regler", no_wrap=True)
        for heading in _COUNT_HEADINGS:
            wrapped = heading == "Overskredet" and console.width < NARROW
            table.add_column("Over-\nskredet" if wrapped else heading, justify="right", no_wrap=True)
        for row in found.rules:
            table.add_row(words.RULE_SHORT[row.rule], row.ruleset.value, *_count_cells(row))
        table.add_row("I alt", "", *_count_cells(found.total), style="bold")
        console.print(table)
        console.print()
    else:
        console.print("Ingen frister med forfald i perioden.")
    persons = _table("Borgere")
    for heading, justify in (("Kategori", "left"), ("I sagsstammen", "right"), ("Overtaget", "right"),
                             ("Fraflyttet", "right")):
        persons.add_column(heading, justify=justify)
    for row in found.categories:
        persons.add_row(words.CATEGORY[row.category], str(row.active), str(row.taken_over), str(row.left))
    console.print(persons)
    console.print()
    for what, value in key_figures(found):
        console.print(f"{what}: {value}")


def _write_xlsx(found, target: Path) -> None:
    """Three sheets - Frister, Borgere, Nøgletal - with Danish headings; kasse's own words and numbers only."""
    import io

    from openpyxl import Workbook

    from kasse import words
    from kasse.dates import format_date
    from kasse.interchange.textfile import replace_file

    book = Workbook()
    sheet = book.active
    sheet.title = "Frister"
    sheet.append(["Frist", "Regel", "Regler", *_COUNT_HEADINGS[:-1], "Til tiden (andel)"])
    for row in (*found.rules, found.total):
        rule = "" if row.rule is None else row.rule.value
        ruleset = "" if row.ruleset is None else row.ruleset.value
        sheet.append([_title(row), rule, ruleset, row.due, row.met, row.met_late, row.overdue, row.open,
                      row.closed, row.on_time_rate])
    people = book.create_sheet("Borgere")
    people.append(["Kategori", "I sagsstammen", "Overtaget", "Fraflyttet"])
    for row in found.categories:
        people.append([words.CATEGORY[row.category], row.active, row.taken_over, row.left])
    figures = book.create_sheet("Nøgletal")
    figures.append(["Periode", f"{format_date(found.start)} - {format_date(found.end)}"])
    figures.append(["Opgjort pr.", format_date(found.today)])
    for line in key_figures(found):
        figures.append(list(line))
    data = io.BytesIO()
    book.save(data)
    replace_file(target, data.getvalue())
    typer.echo(f"Nøgletallene er skrevet til {terminal_safe(str(target))}")
