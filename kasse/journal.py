"""The case record beside the deadlines: journal notes (journalnotater) and the caseworker's own tasks (opgaver).

Plain values and pure functions; the data layer (kasse/data/journal.py)
stores them. A note is never changed once written: a correction is a new
note whose `corrects` names the uid of the one it corrects, and both stay.
A task is mutable in its done date only, each change audited by the store.

Identity. Every note and task has a `uid` (`new_uid()`, a random UUID, made
when it is written) that survives export and import into another database,
so importing the same file twice adds nothing. Families and persons are
named by ref, as everywhere in kasse/v1.

Time. `written_at` and `created_at` are naive local wall-clock times to the
second: what the caseworker says and reads ("14:30 in the meeting"), the
same on every machine that opens the file, with no zone to convert. The
audit trail's own `at` stays UTC.

Searching. Danish is searched as Danish: `search_words` folds `å` to `aa`,
so "Ålborg" finds "Aalborg" and back, while "får" stays apart from "far";
case and other accents ("café") are ignored by the index's tokenizer;
`ø` and `æ` are letters of their own ("søster" is not "soster").
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from kasse.dates import check_case_day, parse_date
from kasse.errors import KasseError, shorten
from kasse.rules import Status

# The longest note text: the same bound as any text kasse imports (kasse/interchange/fields.py).
MAX_NOTE_LENGTH = 100_000
MAX_TITLE_LENGTH = 500
MAX_AUTHOR_LENGTH = 200
TASK_RULE = "task"  # a task's `rule` in the deadline lists (FORMAT.md's deadline record)
SHORT_UID_LENGTH = 8  # how much of a uid tables and messages show
MIN_UID_PREFIX = 4  # the shortest start of a uid that names a note (kasse/data/tasks.py: a task)

_UID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WORD = re.compile(r"\w+")
_MOMENT = re.compile(r"(?P<date>\S+)[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?")


class NoteKind(StrEnum):
    NOTE = "note"
    CONVERSATION = "conversation"
    PHONE = "phone"
    LETTER = "letter"
    MEETING = "meeting"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class JournalNote:
    """One journal note about a family, or one of its members when `person_ref` is set."""

    uid: str
    family_ref: str
    person_ref: str | None
    written_at: datetime  # naive local time, whole seconds
    author: str
    kind: NoteKind
    text: str
    corrects: str | None = None  # the uid of the note this one corrects


@dataclass(frozen=True, slots=True)
class Task:
    """One of the caseworker's own tasks ("ring til lægen fredag") for a family or one of its members."""

    uid: str
    family_ref: str
    person_ref: str | None
    title: str
    due: date
    done: date | None
    created_at: datetime  # naive local time, whole seconds
    author: str


@dataclass(frozen=True, slots=True)
class TaskDeadline:
    """A task as a row of the deadline lists, field for field FORMAT.md's deadline record (`rule` = "task")."""

    family: str
    person: str | None
    name: str
    title: str
    due: date
    status: Status
    days: int  # due - today
    met_date: date | None  # the done date, when it is not after today
    uid: str
    rule: str = TASK_RULE
    ruleset: None = None  # a task is no provision of the law: no ruleset, no legal basis
    basis: None = None
    is_milestone: bool = False


def new_uid() -> str:
    """A fresh uid for a note or task: random, so two databases never make the same one."""
    return str(uuid.uuid4())


def short_uid(uid: str) -> str:
    """The start of a uid that a caseworker reads and types back (`kasse task done 3f2a9c1e`)."""
    return uid[:SHORT_UID_LENGTH]


def note_named(notes: Iterable[JournalNote], text: str, where: str = "journalen") -> JournalNote:
    """The note of `notes` (those of `where`, as a message names them) that `text` names: its uid, or the start
    of one (at least four characters) that no other note's uid starts with - as a caseworker types it after
    `kasse note ... --corrects`."""
    wanted = text.strip()
    found = [note for note in notes if note.uid == wanted]
    if not found and len(wanted) >= MIN_UID_PREFIX:
        found = [note for note in notes if note.uid.startswith(wanted)]
    if not found:
        raise KasseError(f"Intet notat i {where} har id '{shorten(wanted)}'")
    if len(found) > 1:
        raise KasseError(f"Flere notater har et id, der begynder med '{shorten(wanted)}' - skriv flere tegn")
    return found[0]


def parse_moment(text: str) -> datetime:
    """A moment typed by a user: a date as `parse_date` reads it (DD-MM-ÅÅÅÅ or ÅÅÅÅ-MM-DD), a space (or T)
    and a time TT:MM (or TT:MM:SS) - naive local time, as notes keep it."""
    match = _MOMENT.fullmatch(text.strip())
    if match is None:
        raise KasseError(f"'{shorten(text)}' er ikke et tidspunkt (skriv ÅÅÅÅ-MM-DD TT:MM)")
    day = parse_date(match["date"])
    try:
        moment = time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        raise KasseError(f"Klokkeslættet i '{shorten(text)}' findes ikke") from None
    return datetime.combine(day, moment)


def note_kind(text: str) -> NoteKind:
    """The kind named by its code ("phone") or its Danish word ("telefon", kasse/words.py), in any case."""
    from kasse.words import NOTE_KIND  # words.py names the kinds defined here: imported when first asked

    wanted = text.strip().casefold()
    for kind, word in NOTE_KIND.items():
        if wanted in (kind.value, word):
            return kind
    raise KasseError(f"Ukendt notattype '{shorten(text)}' - brug en af: {', '.join(NOTE_KIND.values())}")


# -- validation ----------------------------------------------------------------------------------


def check_note(note: JournalNote) -> None:
    """Refuse a note kasse cannot keep as it is, with a Danish message naming what is wrong."""
    _check_uid(note.uid, "Notatets")
    _check_ref(note.family_ref, "familie")
    if note.person_ref is not None:
        _check_ref(note.person_ref, "person")
    _check_moment(note.written_at, "Notatets tidspunkt")
    _check_author(note.author)
    if not isinstance(note.kind, NoteKind):
        note_kind(str(note.kind))  # raises, naming the kinds there are
    _check_text(note.text, "Notatets tekst", MAX_NOTE_LENGTH)
    if note.corrects is not None:
        _check_uid(note.corrects, "Det rettede notats")
        if note.corrects == note.uid:
            raise KasseError("Et notat kan ikke rette sig selv")


def check_task(task: Task) -> None:
    """Refuse a task kasse cannot keep as it is, with a Danish message naming what is wrong."""
    _check_uid(task.uid, "Opgavens")
    _check_ref(task.family_ref, "familie")
    if task.person_ref is not None:
        _check_ref(task.person_ref, "person")
    _check_text(task.title, "Opgavens titel", MAX_TITLE_LENGTH)
    if _CONTROL.search(task.title):
        raise KasseError("Opgavens titel skal stå på én linje uden kontroltegn")
    if not isinstance(task.due, date) or isinstance(task.due, datetime):
        raise KasseError("Opgavens frist skal være en dato")
    check_case_day(task.due, "Opgavens frist")
    if task.done is not None:
        if not isinstance(task.done, date) or isinstance(task.done, datetime):
            raise KasseError("Opgavens udført-dato skal være en dato")
        check_case_day(task.done, "Opgavens udført-dato")
    _check_moment(task.created_at, "Opgavens oprettelsestidspunkt")
    _check_author(task.author)


def _check_uid(uid: str, whose: str) -> None:
    if not isinstance(uid, str) or not _UID.fullmatch(uid):
        raise KasseError(f"{whose} id '{shorten(str(uid))}' er ugyldigt: 1-64 tegn af bogstaver a-z, cifre og . _ : -")


def _check_ref(ref: str, kind: str) -> None:
    if not isinstance(ref, str) or not ref.strip() or _CONTROL.search(ref) or _LONE_SURROGATE.search(ref):
        raise KasseError(f"Ugyldig reference til {kind}: '{shorten(str(ref))}'")


def _check_moment(moment: datetime, what: str) -> None:
    if not isinstance(moment, datetime):
        raise KasseError(f"{what} skal være en dato og et klokkeslæt")
    if moment.tzinfo is not None:
        raise KasseError(f"{what} skal være lokal tid uden tidszone")
    if moment.microsecond:
        raise KasseError(f"{what} angives i hele sekunder")
    check_case_day(moment.date(), what)



def _check_author(author: str) -> None:
    if not isinstance(author, str) or not author.strip():
        raise KasseError("Forfatteren må ikke være tom")
    if len(author) > MAX_AUTHOR_LENGTH or _CONTROL.search(author) or _LONE_SURROGATE.search(author):
        raise KasseError(f"Forfatteren '{shorten(author)}' er ugyldig: højst {MAX_AUTHOR_LENGTH} tegn på én linje")


def _check_text(text: str, what: str, limit: int) -> None:
    if not isinstance(text, str) or not text.strip():
        raise KasseError(f"{what} må ikke være tom")
    if len(text) > limit:
        raise KasseError(f"{what} har {len(text)} tegn (højst {limit})")
    surrogate = _LONE_SURROGATE.search(text)
    if surrogate is not None:
        code = ord(surrogate.group())
        raise KasseError(f"{what} indeholder U+{code:04X}, halvdelen af et tegnpar, som ikke kan gemmes")


# -- reading the journal ---------------------------------------------------------------------------


def corrected_by(notes: Iterable[JournalNote]) -> dict[str, tuple[str, ...]]:
    """uid of a corrected note -> the uids of the notes correcting it, oldest first ("rettet ved note ...")."""
    found: dict[str, list[JournalNote]] = {}
    for note in notes:
        if note.corrects is not None:
            found.setdefault(note.corrects, []).append(note)
    return {
        uid: tuple(note.uid for note in sorted(corrections, key=lambda note: note.written_at))
        for uid, corrections in found.items()
    }


def search_words(query: str) -> list[str]:
    """The words of a search as the index holds them: letters and digits, `å` folded to `aa` (see above)."""
    return [_fold(word) for word in _WORD.findall(unicodedata.normalize("NFC", query))]


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of a note's text around the first word a search matched; `spans` mark the matches in it."""

    text: str
    spans: tuple[tuple[int, int], ...]  # (start, end) in `text`


def snippet(text: str, words: Iterable[str], width: int = 80) -> Snippet:
    """About `width` characters of `text` around its first word starting with one of `words` (as
    `search_words` gives them), cut at spaces, with '…' where text was left out; line breaks become spaces."""
    prefixes = tuple(_plain(word) for word in words)

    def matched(found: re.Match[str]) -> bool:
        return bool(prefixes) and _plain(_fold(found.group())).startswith(prefixes)

    # Only as far as the first match: a long note is not read to its end for each hit.
    centre = next((found.start() for found in _WORD.finditer(text) if matched(found)), 0)
    start = max(0, centre - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, centre)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", max(centre, start), end)
        end = space if space > centre else end
    head = "…" if start > 0 else ""
    piece = head + text[start:end].replace("\r", " ").replace("\n", " ") + ("…" if end < len(text) else "")
    offset = len(head) - start
    spans = tuple(
        (found.start() + offset, found.end() + offset) for found in _WORD.finditer(text, start, end) if matched(found)
    )
    return Snippet(piece, spans)


def _fold(word: str) -> str:
    return word.casefold().replace("å", "aa")


def _plain(word: str) -> str:
    """Without accents, as the index's tokenizer (remove_diacritics) reads a word; ø and æ have none."""
    return "".join(char for char in unicodedata.normalize("NFD", word) if not unicodedata.combining(char))


# -- tasks among the deadlines ---------------------------------------------------------------------


def task_deadlines(
    tasks: Iterable[Task], *, today: date, window: int, names: Mapping[str, str] | None = None
) -> list[TaskDeadline]:
    """Each task as a row of the deadline lists on `today`, sorted by due date, family, person, title.

    Status as the engine gives a legal deadline's (kasse/rules.py): met (or
    met late) when done, else overdue, due soon within `window` days, or
    upcoming. A done date after `today` has not happened yet. `names` maps a
    person's ref (or, for a family's own task, the family's ref) to the name
    shown.
    """
    names = names or {}
    rows = []
    for task in tasks:
        done = task.done if task.done is not None and task.done <= today else None
        days = (task.due - today).days
        if done is not None:
            status = Status.MET if done <= task.due else Status.MET_LATE
        elif days < 0:
            status = Status.OVERDUE
        else:
            status = Status.DUE_SOON if days <= window else Status.UPCOMING
        name = names.get(task.person_ref or task.family_ref, "")
        rows.append(
            TaskDeadline(task.family_ref, task.person_ref, name, task.title, task.due, status, days, done, task.uid)
        )
    return sorted(rows, key=lambda row: (row.due, row.family, row.person or "", row.title))
