"""Danish tables for people at a terminal (rich). Text typed by users is never read as markup, and its
control characters are shown as visible symbols (safe_text), never sent to the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kasse import words
from kasse.cli.output import days_text
from kasse.dates import age_on, format_date
from kasse.domain import Person
from kasse.journal import TaskDeadline
from kasse.lookups import Hit, Shown
from kasse.rules import Deadline
from kasse.safe_text import terminal_safe
from kasse.words import STATUS_STYLE

if TYPE_CHECKING:  # kasse.backup.copies is not needed to print a deadline table
    from kasse.backup.copies import BackupFile
    from kasse.config import Config


def plain_console() -> Console:
    return Console(highlight=False)


def user_text(text: object, style: str = "") -> Text:
    """Text a user typed or a file brought (names, refs, notes, paths): literal, controls made visible."""
    return Text(terminal_safe("" if text is None else str(text)), style=style)


WIDE = 110  # from this many columns a deadline table has room for the legal basis and words for the days


def deadline_table(
    found: Sequence[Deadline | TaskDeadline], *, title: str | None = None, with_person: bool = True, width: int = WIDE
) -> Table:
    """Deadlines as a table that fits `width` columns: one line a deadline, long names cut, not wrapped."""
    wide = width >= WIDE
    days = [days_text(d.days) if wide else f"{d.days:+d}" for d in found]
    statuses = [words.STATUS[d.status] for d in found]
    table = Table(title=title, header_style="bold", title_justify="left", box=box.HEAVY_HEAD if wide else box.SIMPLE,
                  expand=True)
    # The short columns keep their width; the texts share what is left and are cut with an ellipsis.
    table.add_column("Forfald", no_wrap=True, min_width=10)
    table.add_column("Dage", justify="right", no_wrap=True, min_width=max(map(len, days), default=4))
    table.add_column("Status", no_wrap=True, min_width=max(map(len, statuses), default=6))
    table.add_column("Frist", no_wrap=True, overflow="ellipsis", ratio=3, min_width=12)
    if wide:
        table.add_column("Hjemmel", no_wrap=True, overflow="ellipsis", ratio=2)
    if with_person:
        table.add_column("Borger", no_wrap=True, overflow="ellipsis", ratio=2, min_width=8)
        table.add_column("Familie", no_wrap=True, min_width=max((len(d.family) for d in found), default=7))
    for deadline, day_text, status in zip(found, days, statuses, strict=True):
        own = isinstance(deadline, TaskDeadline)
        row = [
            format_date(deadline.due),
            day_text,
            Text(status, style=STATUS_STYLE[deadline.status]),
            # A task's title is the caseworker's text, marked as theirs where the table has no basis column.
            user_text(deadline.title if wide else f"Opgave: {deadline.title}") if own else deadline.title,
        ]
        if wide:
            basis = words.OWN_TASK if own else words.legal_basis(deadline.basis, deadline.ruleset)
            row.append(Text(basis, style="dim"))
        if with_person:
            row += [user_text(deadline.name), user_text(deadline.family)]
        table.add_row(*row)
    return table


def print_deadline_table(found: Sequence[Deadline | TaskDeadline], *, with_tasks: bool = False) -> None:
    console = plain_console()
    if not found:
        console.print("Ingen frister eller opgaver at vise." if with_tasks else "Ingen frister at vise.")
        return
    console.print(deadline_table(found, width=console.width))
    tasks = sum(isinstance(deadline, TaskDeadline) for deadline in found)
    legal = len(found) - tasks
    count = f"{legal} frist{'er' if legal != 1 else ''}"
    console.print(f"{count}, {tasks} opgave{'r' if tasks != 1 else ''}" if with_tasks else count)


def print_search(found: Sequence[Hit], today: date) -> None:
    console = plain_console()
    if not found:
        console.print("Ingen borgere fundet.")
        return
    table = Table(header_style="bold")
    for heading in ("Ref", "Navn", "Familie", "Kategori", "Alder", "Nationalitet"):
        table.add_column(heading)
    for hit in found:
        person = hit.person
        table.add_row(
            user_text(person.ref),
            user_text(person.name),
            user_text(hit.family.ref),
            words.CATEGORY[person.category],
            str(age_on(person.birth_date, today)),
            user_text(person.nationality),
        )
    console.print(table)


def print_family(shown: Shown, today: date) -> None:
    """One family (or one of its members, in bold) with the deadlines that concern it."""
    family, person = shown.family, shown.person
    console = plain_console()
    header = Text.assemble(("Familie ", "bold"), user_text(family.ref, "bold"))
    if family.coordinating_department:
        header.append(f"  ·  Koordinerende forvaltning: {terminal_safe(family.coordinating_department)}")
    if family.housing:
        since = f" siden {format_date(family.housing_since)}" if family.housing_since else ""
        header.append(f"  ·  {words.HOUSING[family.housing]}{since}")
    console.print(header)
    plan = family.plan
    if plan.made_date:
        months = plan.followup_months or 12
        console.print(f"Integrationsplan udarbejdet {format_date(plan.made_date)}, opfølgning hver {months}. måned")
    console.print(members_table(family.members, person, today, width=console.width))
    found = shown.deadlines
    console.print(deadline_table(found, title="Frister", width=console.width) if found else "Ingen frister.")


def members_table(members: Sequence[Person], person: Person | None, today: date, *, width: int = WIDE) -> Table:
    """A family's members (`person` in bold) as a table that fits `width` columns: one line a member, long names
    and categories cut, not wrapped. Below WIDE without the box's lines and padding: eight columns need all of
    80, and the short ones (refs, CPR, dates) are never cut."""
    wide = width >= WIDE
    roles = [words.ROLE[member.role] if member.role else "" for member in members]
    table = Table(title="Medlemmer", header_style="bold", title_justify="left", expand=True,
                  box=box.HEAVY_HEAD if wide else box.SIMPLE, padding=(0, 1) if wide else 0, show_edge=wide)
    table.add_column("Ref", no_wrap=True, min_width=max((len(member.ref) for member in members), default=3))
    table.add_column("Navn", no_wrap=True, overflow="ellipsis", ratio=3, min_width=8)
    table.add_column("Rolle", no_wrap=True, min_width=max(map(len, roles), default=5))
    table.add_column("Kategori", no_wrap=True, overflow="ellipsis", ratio=2, min_width=8)
    table.add_column("Alder", justify="right", no_wrap=True, min_width=5)
    table.add_column("CPR", no_wrap=True, min_width=11 if any(member.cpr for member in members) else 3)
    table.add_column("Overtaget", no_wrap=True, min_width=10)
    table.add_column("Fraflyttet", no_wrap=True, min_width=10)
    for member, role in zip(members, roles, strict=True):
        style = "bold" if member is person else ""
        table.add_row(
            user_text(member.ref, style),
            user_text(member.name, style),
            role,
            words.CATEGORY[member.category],
            str(age_on(member.birth_date, today)),
            user_text(member.cpr),
            format_date(member.takeover_date),
            format_date(member.left_date),
        )
    return table


_BACKUP_KIND = {"auto": "automatisk", "manual": "manuel"}  # kasse.backup.files.Kind, not imported to print a table


def print_backups(found: Sequence[BackupFile], folder: Path) -> None:
    """One row per backup; below 100 columns without the size and with families/persons in one column, so the
    file name (what `kasse restore` needs) stays on one line."""
    console = plain_console()
    narrow = console.width < 100
    table = Table(title=user_text(f"Sikkerhedskopier i {folder}", "table.title"), header_style="bold",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=narrow)
    table.add_column("Tidspunkt", no_wrap=True)
    table.add_column("Art", min_width=10, max_width=10 if narrow else None)
    if narrow:
        table.add_column("Fam/pers", justify="right", no_wrap=True)
    else:
        for name in ("Størrelse", "Familier", "Personer"):
            table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Fil", overflow="fold")  # never cut: break a long name rather than lose its end
    for item in found:
        unknown = "-" if item.encrypted else "?"  # the Art column says why
        kind = _BACKUP_KIND[item.kind] + (", krypteret" if item.encrypted else "")
        families = unknown if item.families is None else str(item.families)
        persons = unknown if item.persons is None else str(item.persons)
        if narrow:
            counts = [f"{families}/{persons}"]
        else:
            counts = [f"{item.size / 1_000_000:.1f} MB".replace(".", ","), families, persons]
        table.add_row(item.taken.astimezone().strftime("%d-%m-%Y %H:%M"), kind, *counts, user_text(item.path.name))
    console.print(table)


def print_policy(config: Config) -> None:
    """The rules and local policy in force, as `kasse check` shows them."""
    from kasse.law import LAW, Setting, due_text

    policy = config.policy
    console = plain_console()
    console.print(user_text(f"Konfiguration: {config.path or 'ingen fil - standardværdierne gælder'}"))
    console.print(f"Regelsæt:      {words.RULES_CHOICE[policy.rules]}")
    console.print(
        f"Lokal praksis: window_days={policy.window_days}, health_guidance_days={policy.health_guidance_days}, "
        f"health_followup_months={policy.health_followup_months}, "
        f"danish_resume_months={policy.danish_resume_months}, plan_deadlines={str(policy.plan_deadlines).lower()}"
    )
    settings = {
        Setting.HEALTH_GUIDANCE_DAYS: policy.health_guidance_days,
        Setting.HEALTH_FOLLOWUP_MONTHS: policy.health_followup_months,
    }
    table = Table(header_style="bold", box=box.SIMPLE)
    for heading in ("Regler", "Kode", "Frist", "Forfalder", "Hjemmel"):
        table.add_column(heading)
    for ruleset, provisions in LAW.items():
        for item in provisions.values():
            if item.local_policy and not policy.plan_deadlines:
                continue
            table.add_row(ruleset.value, item.rule.value, item.title, due_text(item, settings), item.basis)
    console.print(table)
