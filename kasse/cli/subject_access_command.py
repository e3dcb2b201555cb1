"""`kasse export --subject-access REF -o FIL`: everything kasse holds about one person, as .json or .pdf.

The look is logged first (a subject access is one, and it is listed in
itself); the record is kasse/subject_access.py's, the PDF
kasse/documents/subject_access.py's. Called by `export` (cli/data_commands.py).
"""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

import typer

from kasse.config import Config
from kasse.errors import KasseError
from kasse.safe_text import terminal_safe

SUFFIXES = (".json", ".pdf")


def export_subject_access(db_path: Path, ref: str, target: str, *, today: date, config: Config) -> None:
    from kasse.cli.access_log_commands import log_look
    from kasse.data.subject_reads import subject_records
    from kasse.interchange.textfile import replace_file
    from kasse.interchange.v1_dump import dump_family, dump_person
    from kasse.lookups import connect, find_ref
    from kasse.subject_access import subject_access

    path = Path(target).expanduser()
    if target == "-" or path.suffix.lower() not in SUFFIXES:
        raise KasseError(f"Indsigten skrives som .json eller .pdf - ikke {terminal_safe(path.name or target)}")
    match = find_ref(db_path, ref)
    if match.person is None:
        refs = ", ".join(member.ref for member in match.family.members)
        raise KasseError(f"Indsigt gives for én person - angiv en persons ref ({terminal_safe(refs)}), ikke familiens")
    family, person = match.family, match.person
    log_look(db_path, family.ref, person.ref, "export subject-access", config.user)
    with closing(connect(db_path)) as connection:
        found = subject_records(connection, family.ref, person.ref)
    record = subject_access(family, person, person_facts=dump_person(person), family_facts=dump_family(family),
                            notes=found.notes, tasks=found.tasks, audit=found.audit, looks=found.looks,
                            extracted_on=today, policy=config.policy)
    if path.suffix.lower() == ".pdf":
        from kasse.documents.subject_access import subject_access_pdf

        data = subject_access_pdf(record, municipality=config.municipality, caseworker=config.user)
    else:
        from kasse.interchange.jsonfile import dumps

        data = dumps(record).encode("utf-8")
    replace_file(path, data)  # a temporary file (mode 0600) renamed into place: it holds CPR numbers
    typer.echo(f"Indsigten for {terminal_safe(person.ref)} er skrevet til {terminal_safe(str(path))}")
