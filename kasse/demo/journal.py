"""The demo's journal and own tasks: what a caseworker writes down about each family, and plans to do next.

Notes are hung on the facts of the case - the arrival, the contract signed,
the first day at the language school, the GP's letter, the follow-up
conversations and home visits - on the day each happened, at an hour of the
working day, with now and then a call, an e-mail, or a correction of an
earlier note. Tasks ("Ring til lægen fredag") fall due around `today`: some
done, some overdue, some ahead. Nothing is dated before the person's (or the
family's first) takeover, after they left, or after `today`.

Drawn from a stream of its own (`random.Random` seeded apart from the
families'), so adding a journal changed no demo family.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from kasse.domain import Family, Person
from kasse.journal import JournalNote, NoteKind, Task

AUTHORS = ("anna", "anna", "anna", "jonas")  # the caseworker, and a colleague covering now and then
CORRECTION_CHANCE = 0.07
EXTRA_NOTES = (
    (NoteKind.PHONE, "{first} ringede og spurgte til boligstøtten. Vejledt om ansøgning på borger.dk."),
    (NoteKind.PHONE, "Telefon med sprogskolen: {first} har haft fravær de sidste to uger. Aftalt at følge op."),
    (NoteKind.EMAIL, "Mail fra skolen om {first}s trivsel; forældremøde aftalt med tolk."),
    (NoteKind.EMAIL, "Mail fra virksomheden: praktikken kan forlænges med fire uger."),
    (NoteKind.LETTER, "Brev fra Udbetaling Danmark om boligstøtte modtaget og gennemgået med {first}."),
    (NoteKind.NOTE, "{first} kom forbi uden aftale med post, der skulle oversættes. Hjulpet med svar."),
    (NoteKind.CONVERSATION, "Samtale med {first} om økonomi og budget. Tolk deltog over telefon."),
)
CORRECTIONS = (
    "Rettelse: samtalen foregik over telefon med tolk, ikke ved fremmøde.",
    "Rettelse: det næste møde er om to uger, ikke en uge som skrevet.",
    "Rettelse: det var {first}s ægtefælle, der ringede, ikke {first}.",
    "Rettelse: brevet var fra hospitalet, ikke fra egen læge.",
)
TASKS = (
    ("Ring til lægen fredag", True),
    ("Book tolk til næste samtale", True),
    ("Følg op på fravær hos sprogskolen", True),
    ("Send indkaldelse til opfølgningssamtale", True),
    ("Send kopi af kontrakten til {first}", True),
    ("Tjek at børnene er skrevet op til SFO", False),
    ("Hjemmebesøg: se på fugt i lejligheden", False),
    ("Svar boligselskabet om indflytningssyn", False),
)
FRIDAY = 4


def demo_journal(families: list[Family], *, seed: int, today: date) -> tuple[list[JournalNote], list[Task]]:
    """The notes (oldest first) and tasks (by due date) of a demo caseload; the same for the same arguments."""
    writer = _Writer(random.Random(f"journal-{seed}"), today)
    notes, tasks = [], []
    for family in families:
        notes += writer.notes(family)
        tasks += writer.tasks(family)
    notes.sort(key=lambda note: note.written_at)
    tasks.sort(key=lambda task: (task.due, task.created_at))
    return notes, tasks


class _Writer:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today = rng, today

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, day: date) -> datetime:
        """An hour of the working day (8:00-15:59), to the minute."""
        return datetime(day.year, day.month, day.day, 8 + int(self.rng.random() * 8), int(self.rng.random() * 60))

    # -------------------------------------------------------------------- notes

    def notes(self, family: Family) -> list[JournalNote]:
        notes = []
        start = _first_takeover(family)
        for day, person, kind, text in _events(family, self.rng):
            first_day, last_day = _span(person, start, self.today)
            if first_day is None or not first_day <= day <= last_day:
                continue
            note = JournalNote(
                self.uid(), family.ref, person.ref if person else None, self.moment(day),
                self.rng.choice(AUTHORS), kind, text,
            )  # fmt: skip
            notes.append(note)
            if self.rng.random() < CORRECTION_CHANCE:
                notes += self.correction(note, person or family.members[0], last_day)
        return notes

    def correction(self, note: JournalNote, person: Person, last_day: date) -> list[JournalNote]:
        """A new note correcting `note` one to three days later, if that is not after `last_day`."""
        day = note.written_at.date() + timedelta(days=1 + int(self.rng.random() * 3))
        if day > last_day:
            return []
        written = self.moment(day)
        text = self.rng.choice(CORRECTIONS).format(first=_first_name(person))
        return [JournalNote(self.uid(), note.family_ref, note.person_ref, written, note.author, NoteKind.NOTE, text,
                            note.uid)]  # fmt: skip

    # -------------------------------------------------------------------- tasks

    def tasks(self, family: Family) -> list[Task]:
        here = [person for person in family.members if _present(person, self.today)]
        if not here or self.rng.random() < 0.45:
            return []
        chosen = self.rng.sample(TASKS, 1 + (self.rng.random() < 0.4))
        return [self.task(family, here, title, about_person) for title, about_person in chosen]

    def task(self, family: Family, here: list[Person], title: str, about_person: bool) -> Task:
        """A task falling due within three weeks of `today`, made a few days before (not before the takeover)."""
        person = self.rng.choice(here) if about_person else None
        start = min(member.takeover_date for member in ([person] if person else here))
        due = self.today + timedelta(days=int(self.rng.random() * 43) - 21)
        if title.endswith("fredag"):
            due += timedelta(days=(FRIDAY - due.weekday()) % 7)
        created = max(start, min(self.today, due - timedelta(days=2 + int(self.rng.random() * 12))))
        done = None
        if self.rng.random() < (0.6 if due < self.today else 0.2):
            latest = max(created, min(self.today, due + timedelta(days=4)))
            done = created + timedelta(days=int(self.rng.random() * ((latest - created).days + 1)))
        name = _first_name(person or here[0])
        return Task(
            self.uid(), family.ref, person.ref if person else None, title.format(first=name), due, done,
            self.moment(created), self.rng.choice(AUTHORS),
        )  # fmt: skip


def _events(family: Family, rng: random.Random) -> Iterator[tuple[date, Person | None, NoteKind, str]]:
    """(day, person or None for the family, kind, text) of what a caseworker notes about this family."""
    start = _first_takeover(family)
    if start is None:
        return
    yield start, None, NoteKind.MEETING, (
        "Velkomstmøde ved ankomsten. Familien er vist boligen, og etableringspakken er udleveret. Tolk deltog."
    )
    for person in family.members:
        first = _first_name(person)
        if person.contract.signed_date:
            goal = f" Mål: {person.contract.goal}." if person.contract.goal else ""
            yield person.contract.signed_date, person, NoteKind.MEETING, f"Integrationskontrakt underskrevet.{goal}"
        danish = person.danish
        if danish.start_date and danish.provider:
            track = f" på {danish.track.value}" if danish.track else ""
            text = f"Telefon med sprogskolen ({danish.provider}): {first} er startet{track} og mødte op første dag."
            yield danish.start_date, person, NoteKind.PHONE, text
        if danish.paused_from:
            text = f"Sprogskolen ringede: {first} holder pause i danskundervisningen. Ny plan aftales."
            yield danish.paused_from, person, NoteKind.PHONE, text
        if person.health.result_received_date:
            text = "Brev fra lægen: resultatet af den helbredsmæssige vurdering er modtaget. Drøftes ved næste samtale."
            yield person.health.result_received_date, person, NoteKind.LETTER, text
        for followup in person.contract.followups:
            if rng.random() < 0.5:
                detail = f" {followup.note}." if followup.note else ""
                yield followup.date, person, NoteKind.CONVERSATION, f"Opfølgningssamtale med {first}.{detail}"
        if rng.random() < 0.5 and person.takeover_date:
            kind, text = rng.choice(EXTRA_NOTES)
            yield person.takeover_date + timedelta(days=10 + int(rng.random() * 200)), person, kind, text.format(
                first=first
            )
    for followup in family.plan.followups:
        detail = f" {followup.note}." if followup.note else ""
        yield followup.date, None, NoteKind.MEETING, f"Hjemmebesøg og opfølgning på familiens plan.{detail}"


def _first_takeover(family: Family) -> date | None:
    return min((person.takeover_date for person in family.members if person.takeover_date), default=None)


def _span(person: Person | None, family_start: date | None, today: date) -> tuple[date | None, date]:
    """The days a note about `person` (None: the family) may be dated: from their takeover (a resident spouse
    has none: the family's) to the day they left, and never after `today`."""
    first = (person.takeover_date if person else None) or family_start
    last = min(today, person.left_date) if person is not None and person.left_date else today
    return first, last


def _present(person: Person, today: date) -> bool:
    """Taken over by `today` and not left."""
    taken_over = person.takeover_date is not None and person.takeover_date <= today
    return taken_over and (person.left_date is None or person.left_date > today)


def _first_name(person: Person) -> str:
    return person.name.split()[0] if person.name.strip() else person.ref
