"""A database as an older kasse left it: built by kasse's own migrations up to a given revision."""

from __future__ import annotations

from pathlib import Path

from kasse.data import db
from kasse.data.db import WRITES_ALLOWED, create_engine_for

# Every revision before the head, which `open_database` migrates from.
OLDER_REVISIONS = ("0001", "0002", "0003", "0004")


def database_at(path: Path, revision: str) -> None:
    """A database at `path` (new, or at an older revision) migrated up to `revision` only."""
    from alembic import command

    db.create_private_file(path)
    engine = create_engine_for(path)
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITES_ALLOWED: True})
            # As `db.migrate` does: a batch table rebuild would otherwise cascade-delete the rows under it.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            with connection.begin():
                config = db.alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
    finally:
        engine.dispose()
