"""How long does printing one document take? Each document rendered for the demo families, against Typst itself.

    python -m bench.documents [FAMILIES]

For each kind - the contract of every adult with one, each family's plan and
its deadline overview - the median and the slowest render (domain values ->
PDF bytes, `kasse.documents.document_pdf`, what `kasse print` and the app
call), in this process, after one warm-up render that loads Typst and its
fonts (reported apart: a first print in a session pays it once). Each
document is rendered once: Typst remembers what it compiled, so a second
render of the same content would time its cache. Baseline: the same Typst
compiler on a trivial one-line document. Last, `kasse print plan` as a
whole process (start-up, read, render, write) beside `kasse show` on the same
family. Target: every render under 0.5 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import TODAY, median_ms, time_processes
from bench.lookups import kasse_argv

TARGET_S = 0.5
TRIVIAL = '#set page(paper: "a4")\nEn linje tekst.\n'


def main(families: int = 40) -> int:
    from kasse.config import Config
    from kasse.demo import demo_families
    from kasse.documents import Document, document_pdf
    from kasse.errors import KasseError

    caseload = demo_families(families, seed=7, today=TODAY)
    config = Config(municipality="Demo Kommune", user="bench")
    started = time.perf_counter()
    document_pdf(Document.PLAN, caseload[0], None, today=TODAY, config=config)
    first = time.perf_counter() - started

    timings: dict[Document, list[float]] = {kind: [] for kind in Document}
    for family in caseload:
        for kind in Document:
            for person in family.members if kind is Document.CONTRACT else (None,):
                started = time.perf_counter()
                try:
                    document_pdf(kind, family, person, today=TODAY, config=config)
                except KasseError:  # no contract for a child, a resident spouse: nothing rendered
                    continue
                timings[kind].append(time.perf_counter() - started)
    baseline = trivial_renders(30)

    print(f"{families} demo families; first render (loads Typst and its fonts) {first:.3f} s")
    print(f"{'document':<14} {'renders':>7} {'median':>9} {'max':>9}")
    worst = 0.0
    for kind, found in timings.items():
        worst = max(worst, max(found))
        print(f"{kind.value:<14} {len(found):>7} {statistics.median(found):>8.3f}s {max(found):>8.3f}s")
    print(f"{'trivial typst':<14} {len(baseline):>7} {statistics.median(baseline):>8.3f}s {max(baseline):>8.3f}s"
          "  (baseline: one line of text, same compiler)")
    print_ms, show_ms = whole_processes(caseload)
    print(f"kasse print plan (process) median {print_ms:6.0f} ms;  kasse show (process) {show_ms:6.0f} ms")
    print(f"target every render < {TARGET_S} s: {'met' if max(worst, first) < TARGET_S else 'NOT met'}")
    return 0 if worst < TARGET_S else 1


def whole_processes(caseload, runs: int = 7) -> tuple[float, float]:
    """Median ms of `kasse print plan REF -o FILE` and of `kasse show REF`, the first family, as processes."""
    import os

    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families

    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "bench.db"
        database = open_database(db)
        try:
            import_families(Store(database, actor="bench"), caseload)
        finally:
            database.close()
        env = {**os.environ, "KASSE_CONFIG": os.devnull + ".kasse.toml"}
        common = [caseload[0].ref, "--today", TODAY.isoformat(), "--db", str(db)]
        timings = time_processes({
            "print": ([*kasse_argv(), "print", "plan", *common, "-o", str(Path(scratch) / "plan.pdf")], env),
            "show": ([*kasse_argv(), "show", *common], env),
        }, runs)
    return median_ms(timings["print"]), median_ms(timings["show"])


def trivial_renders(count: int) -> list[float]:
    """Typst compiling a one-line document `count` times (a new text each time, so nothing is cached)."""
    import typst

    timings = []
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "trivial.typ"
        compiler = typst.Compiler(root=scratch)
        for index in range(count):
            source.write_text(TRIVIAL + f"Nummer {index}.\n", encoding="utf-8")
            started = time.perf_counter()
            compiler.compile(input=str(source), format="pdf")
            timings.append(time.perf_counter() - started)
    return timings


if __name__ == "__main__":
    sys.exit(main(*(int(arg) for arg in sys.argv[1:])))
