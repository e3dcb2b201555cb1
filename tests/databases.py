"""Fresh caseload files for tests, without running the migrations once per test.

The migrations build a new file in about 0.15 s (seven revisions, some rebuilding tables): hundreds of
tests paying that would spend minutes. `new_database_file` runs them once per test process, through
`open_database` as kasse does, and gives each test a byte copy of that file - a real SQLite file at the
current schema, with its pragmas and triggers. Tests of the migrations themselves (test_db.py,
older_databases.py) and of a file's lineage open their own files.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

_template: Path | None = None


def new_database_file(path: Path) -> Path:
    """An empty caseload file at `path` (which must not exist yet), readable by its owner only."""
    global _template
    from kasse.data.db import create_private_file, open_database

    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="kasse-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        open_database(folder / "kasse.db").close()
        _template = folder / "kasse.db"
    if not create_private_file(path):
        raise FileExistsError(path)
    with _template.open("rb") as source, path.open("r+b") as target:
        shutil.copyfileobj(source, target)
    return path
