"""KasseApp: the screens, the global keys, the palette, and the one place database work and its errors run.

`make_app(db_path, today, config)` builds the app for the CLI and the tests;
`config.policy` decides the ruleset, the window and the local policy of every
deadline the app shows, and `config.keys` ([keys] in kasse.toml) the keys that
differ from the declared ones (kasse/tui/keymap.py). The app holds the current `Snapshot` of the caseload; every save and every outside
change replaces it and bumps `revision`, which the screens watch.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App
from textual.binding import Binding, Keymap
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from kasse.config import Config
from kasse.dates import format_date
from kasse.domain import Family
from kasse.errors import KasseError
from kasse.failures import describe, explain, unexpected_line, write_crash_report
from kasse.law import RulesChoice
from kasse.retention import retention_reminder
from kasse.tui.caseload import Caseload, Snapshot
from kasse.tui.commands import KasseCommands, KassePalette
from kasse.tui.keymap import check_keymap, declared, keys_in_force

POLL_SECONDS = 2.0
T = TypeVar("T")


class KasseApp(App[None]):
    TITLE = "kasse"
    SUB_TITLE = "sagsstamme og frister"
    CSS_PATH = "kasse.tcss"
    COMMANDS = {KasseCommands}
    NOTIFICATION_TIMEOUT = 4
    BINDINGS = [
        Binding("ctrl+q", "quit", "Afslut", id="app.quit", priority=True, tooltip="Luk kasse"),
        Binding("question_mark,f1", "help", "Hjælp", id="app.help", tooltip="Vis hjælpen: taster og arbejdsgange"),
        Binding("d,f2", "deadlines", "Frister", id="app.deadlines", tooltip="Vis fristoversigten"),
        Binding("f3", "statistics", "Statistik", id="app.statistics", show=False,
                tooltip="Vis statistikken: frister opfyldt til tiden pr. frist og pr. kvartal"),
        # The footer shows the palette's key at its right end by itself.
        Binding("ctrl+p", "command_palette", "Kommandoer", id="app.commands", priority=True, show=False,
                tooltip="Åbn kommandopaletten: søg efter en handling"),
        Binding("ctrl+c", "noop", show=False, system=True),  # not Textual's English "press ctrl+q" notice
    ]

    revision: reactive[int] = reactive(0, init=False)

    def __init__(self, db_path: Path, today: date, config: Config | None = None) -> None:
        super().__init__()
        self.today = today
        self.clock: Callable[[], datetime] = datetime.now  # the time of day a note is written at; tests set it
        self.config = config or Config()
        self.title = header_title(self.config.policy.rules, today, date.today())  # the one look at the clock
        self.caseload = Caseload(db_path, today, self.config.policy, actor=self.config.user)
        self.snapshot = Snapshot.build([], today, self.config.policy)
        self.loaded = False
        self.load_error: str | None = None
        self.warmed = False
        # The user's keys: only read what declares the keys (every screen) when there are any.
        self.keymap, self.key_problems = user_keymap(self.config) if self.config.keys or self.config.key_problems \
            else ({}, [])
        self._first_load = self._start_loading()

    def now(self) -> datetime:
        """The moment a note or task is written: the app's today at the clock's time of day, to the second."""
        return datetime.combine(self.today, self.clock().time().replace(microsecond=0))

    # -- start and reload

    def get_default_screen(self) -> Screen:
        from kasse.tui.screens.queue import QueueScreen

        return QueueScreen()

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
            # The footer looks the palette's key up by this name.
            palette = next(binding for binding in self.BINDINGS if binding.id == "app.commands")
            self.COMMAND_PALETTE_BINDING = keys_in_force(self.keymap, palette)[0]
        if self.key_problems:
            self.notify("\n".join(self.key_problems), title="kasse.toml", severity="warning", timeout=12)
        self.run_db(self._first_load.result, self._loaded, failed=self._not_loaded)

    def set_keymap(self, keymap: Keymap) -> None:
        self.keymap = dict(keymap)  # what the palette, the hint lines and the help read
        super().set_keymap(keymap)

    def get_key_display(self, binding: Binding) -> str:
        if binding.key == "space" and not binding.key_display:
            return "mellemrum"
        return super().get_key_display(binding)

    def _not_loaded(self, error: BaseException) -> None:
        self.load_error = describe(error)
        self.report(error)
        self.revision += 1

    def _start_loading(self) -> Future:
        """Read the caseload from the moment the app exists, while Textual sets up the terminal and
        the screen; on_mount waits for it in a worker. (A thread of our own: no loop runs yet.)"""
        future: Future = Future()

        def load() -> None:
            try:
                created = self.caseload.prepare()
                future.set_result((self.caseload.load(), created))
            except BaseException as error:  # noqa: BLE001 - handed to the worker, which reports it
                future.set_exception(error)

        threading.Thread(target=load, name="kasse-load", daemon=True).start()
        return future

    def _loaded(self, result: tuple[Snapshot, bool]) -> None:
        snapshot, created = result
        self.caseload.watch()
        self.show_snapshot(snapshot)
        if created:
            self.notify(f"Ny, tom database oprettet: {self.caseload.path}", title="Velkommen")
        if reminder := retention_reminder(snapshot.families.values(), self.today, self.config.retention_years):
            self.notify(reminder, title="Opbevaring (GDPR)", severity="warning", timeout=12)
        from kasse.tui.widgets.tasks import due_notice

        if tasks_due := due_notice(snapshot.record.open_tasks, self.today):
            self.notify(tasks_due, title="Egne opgaver", severity="warning", timeout=8)
        self.set_interval(POLL_SECONDS, self._poll)
        self.run_db(self._daily_backup, self._backed_up)

    def _daily_backup(self) -> Path | None:
        from kasse.backup.copies import daily_backup  # off the start-up path

        return daily_backup(self.caseload.path)

    def _backed_up(self, path: Path | None) -> None:
        if path is not None:
            self.notify(f"Dagens sikkerhedskopi er gemt: {path.name}", title="Sikkerhedskopi")

    def warm_up(self) -> None:
        """Import the write path (SQLModel, ~0.4 s) in a worker once a save becomes likely, so the
        first save is quick - not at start-up, where it would slow the first screen and keystrokes."""
        if not self.warmed:
            self.warmed = True
            self.set_timer(0.3, lambda: self.run_db(self.caseload.warm_up, quiet=True))

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.loaded = True
        self.revision += 1

    def _poll(self) -> None:
        """Another program (the CLI, a colleague) wrote: read the caseload again."""
        try:
            changed = self.caseload.changed()
        except sqlite3.Error as error:
            self.report(error)
            return
        if changed:
            self.run_db(self.caseload.load, self._reloaded)

    def _reloaded(self, snapshot: Snapshot) -> None:
        self.show_snapshot(snapshot)
        self.notify("Sagsstammen er opdateret med ændringer fra et andet program.", title="Opdateret")

    def action_reload(self) -> None:
        self.run_db(self.caseload.load, self.show_snapshot)

    # -- database work: in a worker, errors as messages

    def run_db(self, job: Callable[[], T], done: Callable[[T], Any] | None = None, *, quiet: bool = False,
               failed: Callable[[BaseException], Any] | None = None) -> None:
        """Run `job` in a thread; `done(result)` then runs on the app's thread. Errors become notifications
        (or go to `failed`)."""

        def work() -> None:
            try:
                result = job()
            except Exception as error:  # noqa: BLE001 - every error reaches the user as a message
                if failed is not None:
                    self.call_from_thread(failed, error)
                elif not quiet:
                    self.call_from_thread(self.report, error)
                return
            if done is not None:
                self.call_from_thread(done, result)

        self.run_worker(work, thread=True, group="db", exit_on_error=False)

    def report(self, error: BaseException) -> None:
        """The app's one error boundary: a Danish line; for a bug also a report without personal data."""
        message = explain(error)
        if message is None:
            message = unexpected_line(error, write_crash_report(error, command="tui"))
        self.notify(message, title="Fejl", severity="error", timeout=8)

    def _fatal_error(self) -> None:
        """An error nothing caught closes the app (Textual's hook): one Danish line and a report file instead of
        Textual's traceback, whose local variables would print names and CPR numbers on the terminal."""
        from rich.text import Text

        error = sys.exc_info()[1] or self._exception
        self.bell()
        self.panic(Text(unexpected_line(error, write_crash_report(error, command="tui"))))

    def save(self, job: Callable[[Caseload], Family | None], ref: str, message: str,
             then: Callable[[Family | None], Any] | None = None) -> None:
        """Write through the caseload (one store transaction), then show the result everywhere at once.
        A save refused because someone else changed the record meanwhile offers to reload."""

        def saved(family: Family | None) -> None:
            self.caseload.seen()
            self.show_snapshot(self.snapshot.with_family(ref, family))
            self.notify(message, title="Gemt")
            if then is not None:
                then(family)

        self.run_db(lambda: job(self.caseload), saved, failed=self._not_saved)

    def _not_saved(self, error: BaseException) -> None:
        from kasse.data.stale_edit import StaleEdit

        if not isinstance(error, StaleEdit):
            self.report(error)
            return
        from kasse.tui.forms.confirm import ConfirmScreen

        question = f"{error.message}\n\nGenindlæs viser det gemte; din ændring kasseres."
        self.push_screen(ConfirmScreen(question, "Genindlæs", "Luk"), lambda yes: self.action_reload() if yes else None)

    def on_unmount(self) -> None:
        self.caseload.close()

    # -- navigation

    def action_help(self) -> None:
        from kasse.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_queue(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "deadlines":  # not offered (nor shown) where it would do nothing
            from kasse.tui.screens.deadlines import DeadlinesScreen

            return not isinstance(self.screen, DeadlinesScreen | ModalScreen)
        return True

    def action_deadlines(self) -> None:
        """The deadline panel from anywhere: brought forward if open, else opened."""
        from kasse.tui.screens.deadlines import DeadlinesScreen

        if isinstance(self.screen, ModalScreen):
            return
        if any(isinstance(screen, DeadlinesScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, DeadlinesScreen):
                self.pop_screen()
        else:
            self.push_screen(DeadlinesScreen())

    def action_statistics(self) -> None:
        """The statistics from anywhere but a modal: brought forward if open, else opened."""
        from kasse.tui.screens.stats import StatsScreen

        if isinstance(self.screen, ModalScreen):
            return
        if any(isinstance(screen, StatsScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, StatsScreen):
                self.pop_screen()
        else:
            self.push_screen(StatsScreen())

    def open_family(self, family_ref: str, person_ref: str | None = None, tab: str | None = None) -> None:
        from kasse.tui.screens.family import FamilyScreen

        if family_ref not in self.snapshot.families:
            self.notify(f"Familien {family_ref} findes ikke længere.", severity="warning")
            return
        try:
            self.caseload.looked_at(family_ref, self.clock().astimezone())  # the access log: before it is shown
        except KasseError as error:
            self.notify(error.message, severity="error")
            return
        self.push_screen(FamilyScreen(family_ref, person_ref, tab))
        self.warm_up()

    def action_new_family(self) -> None:
        from kasse.tui.screens.new_family import new_family

        new_family(self)
        self.warm_up()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not KassePalette.is_open(self):
            self.push_screen(KassePalette(placeholder="Søg efter en kommando…", id="--command-palette"))

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Messages carry names and refs users typed: never read them as markup (`[/]` must not crash)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_noop(self) -> None:
        pass


def header_title(choice: RulesChoice, today: date, real_today: date) -> str:
    """'kasse · regler 2015 · pr. 25-11-2026': what the header says when the rules are pinned or the
    deadlines are judged as of another day than today - so nobody takes either for the usual view."""
    parts = [KasseApp.TITLE]
    if choice is not RulesChoice.AUTO:
        parts.append(f"regler {choice.value}")
    if today != real_today:
        parts.append(f"pr. {format_date(today)}")
    return " · ".join(parts)


def key_areas() -> dict[str, tuple[type, ...]]:
    """Who declares the app's keys, by the help page's sections (kasse/tui/help.md): every binding with an
    id is declared by one of these classes, and shown in the first section that has it."""
    from kasse.tui.forms.confirm import ConfirmScreen
    from kasse.tui.forms.form import FormScreen
    from kasse.tui.forms.print_form import PrintScreen
    from kasse.tui.screens.deadlines import DeadlinesScreen
    from kasse.tui.screens.family import FamilyScreen
    from kasse.tui.screens.help import HelpScreen
    from kasse.tui.screens.queue import QueueScreen
    from kasse.tui.screens.stats import StatsScreen
    from kasse.tui.widgets.date_input import DateInput
    from kasse.tui.widgets.deadline_table import DeadlineTable
    from kasse.tui.widgets.family.members import MemberTable
    from kasse.tui.widgets.row_table import RowTable

    return {"app": (KasseApp, RowTable, HelpScreen), "queue": (QueueScreen,), "family": (FamilyScreen, MemberTable),
            "deadlines": (DeadlinesScreen, DeadlineTable), "stats": (StatsScreen,),
            "form": (FormScreen, DateInput, ConfirmScreen, PrintScreen)}


def user_keymap(config: Config) -> tuple[dict[str, str], list[str]]:
    """The keys of [keys] in kasse.toml the app can use, and a Danish line for each entry it leaves out."""
    usable, problems = check_keymap(config.keys, declared(*(holder for holders in key_areas().values()
                                                            for holder in holders)))
    return usable, [*config.key_problems, *problems]


def key_problems(config: Config) -> list[str]:
    """What `kasse config` says about [keys]: the entries the app leaves out, in Danish."""
    return user_keymap(config)[1]


def make_app(db_path: Path | str, today: date, config: Config | None = None) -> KasseApp:
    """The app on a database, judging deadlines as of `today` (the CLI passes the real date) under `config`."""
    return KasseApp(Path(db_path), today, config or Config())
