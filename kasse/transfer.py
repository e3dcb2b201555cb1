"""Moving a whole caseload in and out as kasse/v1 JSON: the work behind `kasse import` and `kasse export`."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from kasse.data import reader
from kasse.interchange.v1 import dump_document, load_json_file, parse_document, write_json
from kasse.lookups import connect


def import_file(source: Path, db_path: Path, *, dry_run: bool = False) -> str:
    """Validate a whole file, then write all of it in one transaction (or, dry, roll it back).

    Returns a Danish summary. A file with any problem raises InvalidDocument
    naming every record, field and reason, and the database is not touched.
    """
    families = parse_document(load_json_file(source))
    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families

    database = open_database(db_path)
    try:
        summary = import_families(Store(database), families, dry_run=dry_run)
    finally:
        database.close()
    verb = "ville blive" if dry_run else "blev"
    return (
        f"{source.name}: {summary.families_created} familier og {summary.persons_created} personer {verb} oprettet, "
        f"{summary.families_updated} familier og {summary.persons_updated} personer {verb} opdateret, "
        f"{summary.families_unchanged} familier uændret."
        + (" Intet er gemt (--dry-run)." if dry_run else "")
    )


def export_file(db_path: Path, target: str) -> str:
    """Write every family as kasse/v1 to a file, or to standard output for '-'."""
    with closing(connect(db_path)) as conn:
        families = reader.read_families(conn)
    write_json(dump_document(families), target)
    persons = sum(len(family.members) for family in families)
    return f"{len(families)} familier og {persons} personer skrevet til {target}"
