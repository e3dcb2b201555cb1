"""Reading a file a user named as UTF-8 text, with a Danish message for every way it can fail."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from kasse.errors import KasseError, os_reason


def read_utf8(path: str | Path, *, save_as: str = "UTF-8") -> str:
    """The text of a UTF-8 file, with or without BOM ('-' reads standard input).

    `save_as` names the encoding to ask for when the file is not UTF-8
    (Excel's own wording for a CSV file, say).
    """
    name = str(path)
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise KasseError(f"Filen {name} findes ikke") from None
    except IsADirectoryError:
        raise KasseError(f"{name} er en mappe, ikke en fil") from None
    except PermissionError:
        raise KasseError(f"Filen {name} kan ikke læses (ingen adgang)") from None
    except OSError as error:
        raise KasseError(f"Filen {name} kan ikke læses: {os_reason(error)}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise KasseError(f"Filen {name} er ikke UTF-8 (ugyldig byte i linje {line}); gem den som {save_as}") from None


def replace_file(target: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then an atomic rename."""
    target = Path(target)
    if not target.parent.is_dir():
        raise KasseError(f"Mappen {target.parent} findes ikke")
    if target.is_dir():
        raise KasseError(f"{target} er en mappe, ikke en fil")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        # A rename would replace the link, device or pipe itself with a file holding the caseload.
        raise KasseError(f"{target} er ikke en almindelig fil - vælg et andet filnavn")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # the new content is on disk before its name is
        os.replace(temporary, target)
    except PermissionError:
        raise KasseError(f"Filen {target} kan ikke skrives (ingen adgang)") from None
    except OSError as error:
        raise KasseError(f"Filen {target} kan ikke skrives: {os_reason(error)}") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
