"""Where kasse keeps its files: --db wins over KASSE_DB, which wins over the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "KASSE_DB"


def data_dir() -> Path:
    import platformdirs  # ~16 ms: only when no path was given

    return Path(platformdirs.user_data_dir("kasse", appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "kasse.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def resolve_db_path(explicit: str | Path | None = None) -> Path:
    """The database to use: an explicit path, else $KASSE_DB, else kasse.db in the data folder."""
    chosen = explicit or os.environ.get(DB_ENV)
    return Path(chosen).expanduser() if chosen else default_db_path()
