"""kasse/data/ is the only place with SQL: no module outside it holds an SQL statement or runs one.

Each module outside kasse/data/ is parsed with `ast` and searched for a
string that starts (after whitespace) with an SQL keyword, and for a call
of `.execute`, `.executemany`, `.executescript` or `.backup` (SQLite's
backup API) on anything. Catching `sqlite3.Error` is fine; building or
running SQL is not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kasse"
DATA = PACKAGE / "data"

_KEYWORDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "PRAGMA", "BEGIN", "CREATE", "DROP", "ALTER", "COMMIT",
             "ROLLBACK", "ATTACH", "VACUUM", "WITH")  # fmt: skip
_SQL_START = re.compile(rf"^\s*(?:{'|'.join(_KEYWORDS)})\b")
_SQL_CALLS = frozenset({"execute", "executemany", "executescript", "backup"})


def sql_found(source: str) -> list[str]:
    """'line N: what' for every SQL string and SQL call in the module `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_START.match(node.value):
            found.append(f"line {node.lineno}: SQL text {node.value.strip()[:40]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SQL_CALLS:
            found.append(f"line {node.lineno}: call of .{node.func.attr}()")
    return sorted(found, key=lambda text: int(text.split(":")[0].removeprefix("line ")))


def modules_outside_data() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if DATA not in path.parents)


def test_the_scan_covers_the_package_but_not_data():
    scanned = {path.relative_to(PACKAGE).as_posix() for path in modules_outside_data()}
    assert {"lookups.py", "backup/copies.py", "backup/restore.py", "backup/integrity.py"} <= scanned
    assert not any(name.startswith("data/") for name in scanned)


@pytest.mark.parametrize(
    "planted",
    [
        'ROWS = "SELECT ref FROM family"',
        'sql = """\n    DELETE FROM person WHERE id = ?"""',
        'query = f"  PRAGMA busy_timeout={5000}"',
        "connection.execute(query)",
        "cursor.executemany(sql, rows)",
        "get().executescript(script)",
        "source.backup(target)",
        'def f():\n    return "WITH x AS (SELECT 1) SELECT * FROM x"',
    ],
)
def test_the_checker_finds_planted_sql(planted):
    assert sql_found(planted)


@pytest.mark.parametrize(
    "harmless",
    [
        'message = "Selected families"',  # a word that starts like a keyword
        'text = "with the family"',  # lower case: prose, not a statement
        'note = "The backup is SELECT-free"',  # a keyword not at the start
        "try:\n    pass\nexcept sqlite3.Error:\n    pass",  # catching the driver's errors is fine
        "take_backup(path)",  # a function named backup-something, not the API's method
    ],
)
def test_the_checker_lets_ordinary_code_pass(harmless):
    assert sql_found(harmless) == []


def test_no_sql_outside_data():
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in modules_outside_data()
        if (found := sql_found(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "\n".join(f"{name}: {', '.join(found)}" for name, found in offenders.items())
