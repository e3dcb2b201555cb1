"""Where a printed document goes: a Danish file name in the user's documents folder, written whole or not at all."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from kasse.documents.content import Document
from kasse.domain import Family, Person
from kasse.errors import KasseError

FILE_WORD = {Document.CONTRACT: "kontrakt", Document.PLAN: "plan", Document.DEADLINES: "fristoversigt"}
_UNSAFE_IN_NAME = re.compile(r"[^0-9A-Za-z_-]+")  # a ref is plain ASCII; anything else must not reach a path


def file_name(kind: Document, family: Family, person: Person | None, today: date) -> str:
    """'kontrakt-P-0012-2026-11-23.pdf': the document, whose, and the day (ISO, so the folder sorts by it)."""
    ref = person.ref if kind is Document.CONTRACT and person is not None else family.ref
    return f"{FILE_WORD[kind]}-{_UNSAFE_IN_NAME.sub('_', ref)}-{today.isoformat()}.pdf"


def documents_folder() -> Path:
    """The user's documents folder (platformdirs: ~/Documents, or what the desktop calls it)."""
    import platformdirs

    return Path(platformdirs.user_documents_dir())


def default_target(kind: Document, family: Family, person: Person | None, today: date) -> Path:
    return documents_folder() / file_name(kind, family, person, today)


def write_pdf(pdf: bytes, target: Path) -> Path:
    """Write `pdf` to `target` atomically, readable by its owner alone; the documents folder is made if missing."""
    from kasse.interchange.textfile import replace_file

    target = Path(target).expanduser()
    if target.suffix.lower() != ".pdf":
        raise KasseError(f"Filnavnet skal ende på .pdf: {target.name}")
    if target.parent == documents_folder() and not target.parent.exists():
        try:
            target.parent.mkdir(parents=True, mode=0o700)
        except OSError as error:
            raise KasseError(f"Mappen {target.parent} kan ikke oprettes: {error.strerror}") from None
    replace_file(target, pdf)  # a temporary file (mode 0600) renamed into place
    return target
