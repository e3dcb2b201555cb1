"""A database as an older kasse left it: built by kasse's own migrations up to a given revision."""

from __future__ import annotations

from pathlib import Path

from kasse.data import db
from kasse.data.db import WRITES_ALLOWED, create_engine_for


def database_at(path: Path, revision: str) -> None:
    """A new database at `path`, migrated up to `revision` only."""
    from alembic import command

    db.create_private_file(path)
    engine = create_engine_for(path)
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITES_ALLOWED: True})
            with connection.begin():
                config = db.alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
    finally:
        engine.dispose()
