"""The spreadsheet columns of kasse/v1, which CSV and Excel share, and the kasse/v1 value a cell stands for.

One row is one person (a family's columns repeated on each of its
members' rows); a cell is read leniently - DD-MM-ÅÅÅÅ dates, a Danish
decimal comma, ja/nej - and what cannot be read is kept as typed, for the
problem report to show.
"""

from __future__ import annotations

import re
from datetime import date, datetime

FAMILY_PREFIX = "family."
# The columns, in the order an export writes them: the family's scalar fields, then the member's.
COLUMNS: tuple[str, ...] = (
    "family.ref", "family.coordinating_department", "family.housing", "family.housing_since",
    "family.plan.made_date", "family.plan.followup_months",
    "ref", "name", "cpr", "birth_date", "category", "role", "nationality",
    "takeover_date", "left_date", "left_reason",
    "programme.exempt_reason", "programme.start_date",
    "um_decision.date", "um_decision.offered",
    "contract.signed_date", "contract.goal_kind", "contract.goal",
    "danish.referral_date", "danish.start_date", "danish.provider", "danish.track", "danish.hours_per_week",
    "danish.paused_from", "danish.paused_to", "danish.passed_date",
    "plan_offer.offered_date", "plan_offer.answer",
    "health.need", "health.need_date",
    "health.offered_date", "health.declined_date", "health.guidance_date", "health.consent",
    "health.result_received_date",
    "assessment.education", "assessment.work_experience", "assessment.languages", "assessment.literacy",
    "assessment.health_summary",
)  # fmt: skip
FAMILY_COLUMNS = tuple(column for column in COLUMNS if column.startswith(FAMILY_PREFIX))
PERSON_COLUMNS = tuple(column for column in COLUMNS if not column.startswith(FAMILY_PREFIX))
DATE_COLUMNS = frozenset(column for column in COLUMNS if column.endswith(("date", "_since", "_from", "_to")))
BOOLEAN_COLUMNS = frozenset({"um_decision.offered", "health.consent", "health.need"})
NUMBER_COLUMNS = frozenset({"danish.hours_per_week", "family.plan.followup_months"})
# What people type freely - refs, names, notes: the columns a spreadsheet could read as a formula (docs/format.md).
TEXT_COLUMNS = frozenset({
    "family.ref", "family.coordinating_department", "ref", "name", "nationality", "left_reason",
    "contract.goal", "danish.provider", "assessment.education", "assessment.work_experience",
    "assessment.languages", "assessment.literacy", "assessment.health_summary",
})  # fmt: skip

DANISH_DATE = re.compile(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})")
_TRUE, _FALSE = frozenset({"true", "ja"}), frozenset({"false", "nej"})
_KINDS = {
    **{column: "date" for column in DATE_COLUMNS},
    **{column: "boolean" for column in BOOLEAN_COLUMNS},
    **{column: "number" for column in NUMBER_COLUMNS},
}


def cell_value(column: str, raw: object) -> object:
    """A cell as the kasse/v1 value it stands for; a value that cannot be read stays as typed, for the report."""
    if type(raw) is str:  # every CSV cell: the fast path (an import reads ~40 cells a person)
        text = raw.strip()
        if not text:
            return None
        kind = _KINDS.get(column)
        if kind is None:
            return text
        if kind == "date":
            return lenient_date(text)
        if kind == "boolean":
            folded = text.casefold()
            return True if folded in _TRUE else False if folded in _FALSE else text
        return _number(text)
    if raw is None:
        return None
    if isinstance(raw, datetime):  # XLSX dates come as datetimes
        raw = raw.date() if column in DATE_COLUMNS else raw
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw.isoformat() if column in DATE_COLUMNS else raw.strftime("%d-%m-%Y")
    if isinstance(raw, bool):
        return raw if column in BOOLEAN_COLUMNS else str(raw).lower()
    if isinstance(raw, int):
        return raw if column in NUMBER_COLUMNS else str(raw)
    if isinstance(raw, float):
        if column in NUMBER_COLUMNS:
            return raw
        return str(int(raw)) if raw.is_integer() else str(raw)
    return cell_value(column, str(raw))


def lenient_date(text: str) -> str:
    """A date cell's text as ISO when it is DD-MM-YYYY or DD.MM.YYYY; anything else as typed, for the report."""
    return text if _is_iso(text) else _iso_date(text)


def _is_iso(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-"


def _iso_date(text: str) -> str:
    """DD-MM-YYYY and DD.MM.YYYY as ISO; anything else (an impossible date too) as typed."""
    match = DANISH_DATE.fullmatch(text)
    if match is None:
        return text
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def _number(text: str) -> object:
    """'18', '7,5' (Danish) or '7.5' as a number; anything else as typed."""
    candidate = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        return int(candidate)
    except ValueError:
        pass
    try:
        return float(candidate)
    except ValueError:
        return text


def shown(raw: object) -> str:
    """A cell as the caseworker sees it, for a report."""
    if raw is None:
        return ""
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    return str(raw)
