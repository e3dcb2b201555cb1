"""Typst templates + a document's data -> PDF bytes, with the `typst` package (its fonts are in the wheel).

The data goes in as JSON through `sys.inputs` and each template reads it
with `json(...)`: user text is a string to Typst, printed as it is, never
markup to evaluate, and its bidi controls are taken out first
(content.without_bidi_controls), so no name prints reversed. Typst is
imported on the first render, never on a lookup's path.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path

from kasse.documents.content import Document, without_bidi_controls

TEMPLATES = Path(__file__).resolve().parent
_LOCK = threading.Lock()  # one compiler, reused (its fonts and templates cached): one render at a time


@cache
def _compiler():
    import typst

    return typst.Compiler(root=str(TEMPLATES))


def render_pdf(kind: Document, content: dict) -> bytes:
    """The PDF of the template `kind` filled with `content`."""
    return render_template(kind.value, content)


def render_template(name: str, content: dict) -> bytes:
    """The PDF of the template `name`.typ beside this module filled with `content`."""
    data = json.dumps(without_bidi_controls(content), ensure_ascii=False)
    with _LOCK:
        return _compiler().compile(input=str(TEMPLATES / f"{name}.typ"), format="pdf", sys_inputs={"data": data})
