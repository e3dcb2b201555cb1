"""User text made safe where it is shown: a terminal (controls made visible) and a spreadsheet (no formulas).

Terminal. A name or note may hold anything an import file held - an ESC
that starts an escape sequence (`\\x1b]0;...\\x07` sets the window title), a
C1 CSI, a carriage return that overwrites what was printed. Shown through
`terminal_safe`, each becomes one visible character in its place, so the
text keeps its length and a table its columns. Both skins use it: the CLI's
tables (`tables.py`) and the TUI's cells (`widgets/status.plain`). Files
and JSON output keep the text exact; this is for the screen only.

Spreadsheet. A CSV cell that begins with `=`, `+`, `-`, `@`, a tab or a
carriage return is read as a formula by Excel and LibreOffice (CSV
injection: `=HYPERLINK(...)` in a name becomes a live link). As OWASP
advises, `quote_formula` puts an apostrophe in front, which the spreadsheet
shows as text; `unquote_formula` takes it off again on import, so a kasse
export imports back unchanged. A text that already begins with apostrophes
before such a character gets one more, so the two are exact inverses.
"""

from __future__ import annotations

import re

# C0 (U+0000-U+001F) as its Unicode control pictures (U+2400-U+241F, so ESC shows as ␛), DEL as ␡ (U+2421).
# C1 (U+0080-U+009F) has no pictures: it shows as the replacement character, as do lone surrogates,
# which cannot even be encoded for the terminal.
_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20)},
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
    **{code: 0xFFFD for code in range(0xD800, 0xE000)},
}
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """`text` with every control character (C0, DEL, C1) and lone surrogate replaced by a visible symbol.

    Printable text comes back as the same object, so the common case costs one regular-expression scan.
    """
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_PICTURES)


# How a cell a spreadsheet reads as a formula begins (OWASP's list); quote_formula also quotes a text that
# begins with apostrophes before one of them, so that unquote_formula can tell the two apart.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def quote_formula(text: str) -> str:
    """A free-text CSV cell a spreadsheet will not read as a formula: `=1+1` -> `'=1+1` (OWASP)."""
    return "'" + text if _FORMULA.match(text) else text


def unquote_formula(text: str) -> str:
    """The text `quote_formula` quoted: `'=1+1` -> `=1+1`; any other text as it is."""
    return text[1:] if text[:1] == "'" and _FORMULA.match(text) else text
