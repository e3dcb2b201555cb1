"""The documents kasse prints for the citizen: the contract, the family's plan and its deadlines, as PDF.

`content.py` turns domain values and the engine's deadlines into each
document's data (plain dicts of Danish text, no markup); `render.py` lays
that data out with the Typst templates beside it (`*.typ`); `files.py` says
where a document goes and writes it. `print_document` is the one call both
skins make.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kasse.documents.content import Document

if TYPE_CHECKING:
    from kasse.config import Config
    from kasse.domain import Family, Person

__all__ = ["Document", "document_pdf", "print_document"]


def document_pdf(kind: Document, family: Family, person: Person | None, *, today: date, config: Config) -> bytes:
    """The PDF of one document on `today` under the config's policy; `person` is needed for the contract."""
    from kasse.documents.content import document_content
    from kasse.documents.render import render_pdf

    content = document_content(kind, family, person, today=today, policy=config.policy,
                               municipality=config.municipality, caseworker=config.user)
    return render_pdf(kind, content)


def print_document(kind: Document, family: Family, person: Person | None, *, today: date, config: Config,
                   target: Path | None = None) -> Path:
    """Render one document and write it to `target` (else a new name in the user's documents folder); the path
    written. The file is readable by its owner alone: it holds CPR numbers and health information."""
    from kasse.documents.files import write_new_pdf, write_pdf

    pdf = document_pdf(kind, family, person, today=today, config=config)
    return write_pdf(pdf, target) if target is not None else write_new_pdf(pdf, kind, family, person, today)
