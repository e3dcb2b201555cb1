"""The journal at scale: 100,000 notes over 10,000 persons - a word search and one family's history read.

Run: python -m bench.journal [PERSONS] [NOTES] [RUNS]. Each figure is the
median of RUNS calls in this process, a connection opened for each as a
command would (target: each under 200 ms). Beside the search: a baseline
over the same notes exported one a line to a text file - `grep -ci` (a
whole process) and a Python scan of the file (read, fold case, count).
The baselines match substrings: "Ålborg" there misses the notes that write
"Aalborg", which kasse's search finds too.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import TODAY, build_caseload

TARGET_MS = 200.0
SEARCHES = ("tolk", "Ålborg", "sygem", "søster lægen")  # common, rare (written both ways), a prefix, two words

# The pieces of a caseworker's note: who was there or called, what it was about, what was agreed.
OPENERS = (
    "Samtale med {name} på kontoret.", "Telefonsamtale med {name}.", "Hjemmebesøg hos familien.",
    "Mail fra sprogskolen om {name}.", "Brev fra lægen modtaget.", "Møde på jobcentret med {name} og mentor.",
    "{name} ringede.", "Opfølgningssamtale efter § 20.", "Netværksmøde med skole og sundhedspleje.",
)
SUBJECTS = (
    "Fraværet fra danskuddannelsen blev drøftet; {name} har været syg i to uger.",
    "Praktikken i Netto går godt, og arbejdsgiveren er tilfreds.",
    "Tolk deltog på arabisk. Familien har spurgt til en større bolig.",
    "Lægen har sygemeldt {name} frem til næste måned.",
    "Hans søster bor i Aalborg og vil gerne have familien til at flytte dertil.",
    "Hendes søster i Ålborg har tilbudt hjælp med børnepasningen.",
    "Børnene er startet i modtageklasse; skolen beskriver god trivsel.",
    "Kontraktens mål er justeret: uddannelse som SOSU-hjælper i stedet for job.",
    "Der er rykket for dokumentation for lægebesøget.",
    "Jobsøgning og CV gennemgået; {name} søger rengøringsjob.",
    "Helbredsvurderingen er modtaget og gennemgået med {name}.",
    "Tolk udeblev, samtalen blev flyttet.",
)
AGREEMENTS = (
    "Ny samtale aftalt om fire uger.", "Sagsbehandler sender indkaldelse.", "Vi følger op på fremmødet.",
    "Ingen aftaler.", "Mentor kontakter arbejdsgiveren.", "Der bestilles tolk til næste møde.",
)


def main(persons: int = 10_000, notes: int = 100_000, runs: int = 15) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        db_path = folder / "kasse.db"
        counted = build_caseload(db_path, persons)
        started = time.perf_counter()
        family_ref, written = _write_notes(db_path, notes)
        print(f"{written} notater til {counted} personer skrevet på {time.perf_counter() - started:.1f} s")
        texts = _export_texts(db_path, folder / "notes.txt")
        ok = _searches(db_path, texts, runs) & _history(db_path, family_ref, runs)
    return 0 if ok else 1


def _write_notes(db_path: Path, count: int) -> tuple[str, int]:
    """`count` notes spread over the caseload's persons and families; returns the family with most notes."""
    from kasse.data.db import open_database
    from kasse.data.journal import journal_transaction
    from kasse.data.reader import connect
    from kasse.data.store import Store
    from kasse.journal import JournalNote, NoteKind, new_uid

    with closing(connect(db_path)) as connection:
        members = connection.execute("SELECT f.ref, p.ref, p.name FROM person p JOIN family f ON f.id = p.family_id")
        members = members.fetchall()
    chance = random.Random(5)
    kinds = list(NoteKind)
    start = datetime.combine(TODAY, datetime.min.time()) - timedelta(days=3 * 365)
    notes = []
    for _ in range(count):
        family_ref, person_ref, name = chance.choice(members)
        given = name.split()[0]
        pieces = (chance.choice(OPENERS), chance.choice(SUBJECTS), chance.choice(AGREEMENTS))
        text = " ".join(piece.format(name=given) for piece in pieces)
        written_at = start + timedelta(minutes=chance.randrange(3 * 365 * 24 * 60))
        about = person_ref if chance.random() < 0.8 else None  # a fifth are the family's own
        notes.append(JournalNote(new_uid(), family_ref, about, written_at, "bench", chance.choice(kinds), text))
    with open_database(db_path) as database, journal_transaction(Store(database, actor="bench")) as writes:
        written = writes.append_notes(notes)
    busiest = Counter(note.family_ref for note in notes).most_common(1)[0][0]
    return busiest, written


def _export_texts(db_path: Path, target: Path) -> Path:
    """Every note's text, one a line (line breaks as spaces), as an export gives them to grep."""
    from kasse.data.journal_reads import all_notes
    from kasse.data.reader import connect

    with closing(connect(db_path)) as connection:
        lines = (note.text.replace("\n", " ") for note in all_notes(connection))
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm the page cache and the imports
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _searches(db_path: Path, texts: Path, runs: int) -> bool:
    from kasse.data.journal_reads import SEARCH_LIMIT, count_notes, search_notes
    from kasse.data.reader import connect

    def search(words: str) -> int:
        """What `kasse search` does: count the notes, show the newest (SEARCH_LIMIT) with their snippets."""
        with closing(connect(db_path)) as connection:
            search_notes(connection, words)
            return count_notes(connection, words)

    def scan(words: str) -> int:
        wanted = words.casefold().split()
        return sum(all(word in line for word in wanted) for line in texts.read_text("utf-8").casefold().splitlines())

    grep = shutil.which("grep")
    ok = True
    for words in SEARCHES:
        found = search(words)
        kasse_ms = _median_ms(lambda words=words: search(words), runs)
        scan_ms = _median_ms(lambda words=words: scan(words), runs)
        line = (
            f"kasse search '{words}': {found} notater (de nyeste {SEARCH_LIMIT} med uddrag), {kasse_ms:.1f} ms"
            f" (mål < {TARGET_MS:.0f} ms); "
            f"Python-gennemløb af tekstfilen: {scan(words)} linjer, {scan_ms:.1f} ms"
        )
        if grep and " " not in words:
            argv = [grep, "-ci", words, str(texts)]
            grep_ms = _median_ms(lambda argv=argv: subprocess.run(argv, capture_output=True, check=False), runs)
            line += f"; grep -ci: {grep_ms:.1f} ms"
        print(line)
        ok &= kasse_ms < TARGET_MS
    return ok


def _history(db_path: Path, family_ref: str, runs: int) -> bool:
    from kasse.data.journal_reads import journal_of
    from kasse.data.reader import connect

    with closing(connect(db_path)) as connection:
        notes = journal_of(connection, family_ref)
    person_ref = Counter(note.person_ref for note in notes if note.person_ref).most_common(1)[0][0]

    def read(person: str | None) -> int:
        with closing(connect(db_path)) as connection:
            return len(journal_of(connection, family_ref, person))

    family_ms = _median_ms(lambda: read(None), runs)
    person_ms = _median_ms(lambda: read(person_ref), runs)
    print(f"Historik for familie {family_ref}: {len(notes)} notater, {family_ms:.1f} ms; "
          f"for person {person_ref}: {read(person_ref)} notater, {person_ms:.1f} ms (mål < {TARGET_MS:.0f} ms)")
    return family_ms < TARGET_MS and person_ms < TARGET_MS


if __name__ == "__main__":
    sys.exit(main(*(int(argument) for argument in sys.argv[1:4])))
