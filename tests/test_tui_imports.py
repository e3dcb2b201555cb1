"""Import hygiene for the app: the data-access facade and the form mappings stay free of Textual, and
opening the app does not pay for SQLModel/SQLAlchemy (only the first save does, in a worker)."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(result.stdout.split())


def test_the_facade_and_the_form_mappings_do_not_import_textual():
    modules = loaded_after("import kasse.tui.caseload, kasse.tui.editing, kasse.tui.fields")
    assert not any(name == "textual" or name.startswith("textual.") for name in modules)


def test_opening_the_app_does_not_import_the_write_path():
    modules = loaded_after("import kasse.tui.app, kasse.tui.screens.queue, kasse.tui.screens.family, kasse.tui.screens.deadlines")
    assert not {"sqlmodel", "sqlalchemy", "alembic", "kasse.data.store"} & modules
