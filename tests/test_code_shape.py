"""The shape issue 11 asks for, kept: no module over ~400 lines, no function over 60 lines without a reason.

A long function says why in a comment on the line above its `def` (or its decorators), starting "# long:".
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kasse"
MODULE_LINES = 400
FUNCTION_LINES = 60
# Migrations are history: a revision is written once and never edited, whatever its length.
EXEMPT = ("data/migrations/versions/",)


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if not any(part in path.as_posix() for part in EXEMPT))


def long_functions(source: str) -> list[tuple[str, int]]:
    """(name, lines) of every function over FUNCTION_LINES lines with no "# long:" comment above it."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.lineno + 1
        first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
        above = lines[first - 2].strip() if first >= 2 else ""
        if length > FUNCTION_LINES and not above.startswith("# long:"):
            found.append((node.name, length))
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_module_is_short_and_its_functions_too(path):
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MODULE_LINES, f"{path.name}: {source.count(chr(10))} lines"
    assert long_functions(source) == []


def test_the_checker_finds_a_long_function_and_accepts_a_reason():
    body = "".join(f"    x{n} = {n}\n" for n in range(FUNCTION_LINES))
    assert long_functions(f"def spread():\n{body}") == [("spread", FUNCTION_LINES + 1)]
    assert long_functions(f"# long: one table, read top to bottom\ndef spread():\n{body}") == []
    assert long_functions("def short():\n    return 1\n") == []
