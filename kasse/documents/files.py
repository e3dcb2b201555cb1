"""Where a printed document goes: a Danish file name in the user's documents folder, written whole or not at all.

The default name never replaces a file: a second print of the same document on the same day is
`kontrakt-P-0012-2026-11-23-2.pdf`, then `-3`, each name taken with an exclusive create so two prints at
once cannot pick the same one. A path the user names (`-o`) is theirs to overwrite.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from kasse.documents.content import Document
from kasse.domain import Family, Person
from kasse.errors import KasseError, os_reason

FILE_WORD = {Document.CONTRACT: "kontrakt", Document.PLAN: "plan", Document.DEADLINES: "fristoversigt"}
_UNSAFE_IN_NAME = re.compile(r"[^0-9A-Za-z_-]+")  # a ref is plain ASCII; anything else must not reach a path
_MAX_NUMBER = 999  # kontrakt-...-999.pdf: past that the folder is not a folder a person reads


def file_name(kind: Document, family: Family, person: Person | None, today: date, number: int = 1) -> str:
    """'kontrakt-P-0012-2026-11-23.pdf': the document, whose, and the day (ISO, so the folder sorts by it);
    the `number`th print of that day ends '-2.pdf', '-3.pdf'."""
    ref = person.ref if kind is Document.CONTRACT and person is not None else family.ref
    again = f"-{number}" if number > 1 else ""
    return f"{FILE_WORD[kind]}-{_UNSAFE_IN_NAME.sub('_', ref)}-{today.isoformat()}{again}.pdf"


def documents_folder() -> Path:
    """The user's documents folder (platformdirs: ~/Documents, or what the desktop calls it)."""
    import platformdirs

    return Path(platformdirs.user_documents_dir())


def _make_documents_folder(folder: Path) -> None:
    if folder == documents_folder() and not folder.exists():
        try:
            folder.mkdir(parents=True, mode=0o700)
        except OSError as error:
            raise KasseError(f"Mappen {folder} kan ikke oprettes: {os_reason(error)}") from None


def default_target(kind: Document, family: Family, person: Person | None, today: date) -> Path:
    """A new name in the documents folder, taken: the first of 'name.pdf', 'name-2.pdf', ... that does not
    exist is created empty (owner-only) and exclusively, so no other print - in this process or another -
    gets it. write_pdf then fills it."""
    folder = documents_folder()
    _make_documents_folder(folder)
    for number in range(1, _MAX_NUMBER + 1):
        target = folder / file_name(kind, family, person, today, number)
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        except OSError as error:
            raise KasseError(f"Filen {target} kan ikke skrives: {os_reason(error)}") from None
        return target
    raise KasseError(f"Der er allerede {_MAX_NUMBER} udskrifter af dokumentet fra i dag i {folder} - "
                     "ryd op i mappen, eller angiv et filnavn med -o")


def write_pdf(pdf: bytes, target: Path) -> Path:
    """Write `pdf` to `target` atomically, readable by its owner alone; the documents folder is made if missing."""
    from kasse.interchange.textfile import replace_file

    target = Path(target).expanduser()
    if target.suffix.lower() != ".pdf":
        raise KasseError(f"Filnavnet skal ende på .pdf: {target.name}")
    _make_documents_folder(target.parent)
    replace_file(target, pdf)  # a temporary file (mode 0600) renamed into place
    return target


def write_new_pdf(pdf: bytes, kind: Document, family: Family, person: Person | None, today: date) -> Path:
    """Write `pdf` under a new name in the documents folder (default_target); a name taken and not written is
    given back, its empty file removed."""
    target = default_target(kind, family, person, today)
    try:
        return write_pdf(pdf, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
