"""Calendar arithmetic the law needs: months, years, the 18th birthday, CPR dates.

Pure functions; no clock. Danish display format is DD-MM-YYYY.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from kasse.errors import KasseError

_CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{4})$")
_DANISH_DATE = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})$")


@lru_cache(maxsize=65536)  # a caseload repeats its dates; the engine asks tens of thousands of times
def add_months(day: date, months: int) -> date:
    """Same day number `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:  # only data from before imports were bounded (LATEST_DATE) gets here
        return date.max
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


# The latest date kasse accepts in a fact: the engine adds at most 18 years (the 18th
# birthday) to a recorded date, and every deadline must stay within Python's year 9999.
LATEST_DATE = date(9980, 12, 31)
EARLIEST_CASE_DATE = date(1990, 1, 1)  # before the Integration Act (1999): no case of kasse's is older


def add_years(day: date, years: int) -> date:
    """Same date `years` later, clamped (29 Feb + 1 year = 28 Feb)."""
    return add_months(day, 12 * years)


@lru_cache(maxsize=65536)
def birthday(birth: date, age: int) -> date:
    """The day a person turns `age`; someone born 29 Feb has it on 1 March in common years."""
    if birth.year + age > date.max.year:
        return date.max
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return date(birth.year + age, 3, 1)


def is_adult_on(birth: date, day: date) -> bool:
    """18 or older on `day`."""
    return day >= birthday(birth, 18)


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day`."""
    years = day.year - birth.year
    return years if day >= birthday(birth, years) else years - 1


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def cpr_birth_date(cpr: str) -> date:
    """The birth date a CPR number encodes; the 7th digit gives the century.

    Raises KasseError with a Danish message for a malformed number or a date
    that does not exist. No modulus-11 check: numbers issued since 2007 need
    not pass it.
    """
    match = _CPR.match(cpr.strip())
    if not match:
        raise KasseError("CPR-nummeret skal have formen DDMMÅÅ-SSSS")
    dd, mm, yy = (int(part) for part in match.group(1, 2, 3))
    year = yy + _cpr_century(int(match.group(4)[0]), yy)
    try:
        return date(year, mm, dd)
    except ValueError:
        raise KasseError(f"CPR-nummerets datodel {match.group(1)}-{match.group(2)}-{year} findes ikke") from None


def _cpr_century(seventh_digit: int, yy: int) -> int:
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def normalise_cpr(cpr: str) -> str:
    """The stored form DDMMYY-SSSS (hyphen added when typed without)."""
    digits = cpr.strip().replace("-", "")
    return f"{digits[:6]}-{digits[6:]}"


def parse_date(text: str) -> date:
    """A date typed by a user: DD-MM-YYYY, DD.MM.YYYY or ISO YYYY-MM-DD, no later than LATEST_DATE."""
    text = text.strip()
    match = _DANISH_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return _within_range(date(year, month, day), text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _within_range(date.fromisoformat(text), text)
    except ValueError:
        raise KasseError(f"Datoen '{text}' findes ikke") from None
    raise KasseError(f"'{text}' er ikke en dato (skriv DD-MM-ÅÅÅÅ)")


def parse_case_date(text: str) -> date:
    """A day of casework typed by a user (`--today`, a period, a task's due date): as `parse_date`, and not
    before EARLIEST_CASE_DATE - a year such as 0001 is a typing error, and windows before it cannot be counted."""
    day = parse_date(text)
    if day < EARLIEST_CASE_DATE:
        raise KasseError(f"Datoen '{text.strip()}' ligger for langt tilbage (tidligst {format_date(EARLIEST_CASE_DATE)})")
    return day


def check_case_day(day: date, what: str) -> None:
    """Refuse a day of casework outside EARLIEST_CASE_DATE..LATEST_DATE; `what` names it ("Opgavens frist")."""
    if not EARLIEST_CASE_DATE <= day <= LATEST_DATE:
        raise KasseError(f"{what} ({format_date(day)}) skal ligge mellem {format_date(EARLIEST_CASE_DATE)} "
                         f"og {format_date(LATEST_DATE)}")


def _within_range(day: date, text: str) -> date:
    if day > LATEST_DATE:
        raise KasseError(f"Datoen '{text}' ligger for langt ude i fremtiden (senest {format_date(LATEST_DATE)})")
    return day


def parse_iso_date(text: str) -> date:
    """A date in the interchange format, strictly YYYY-MM-DD."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise KasseError(f"'{text}' er ikke en dato på formen ÅÅÅÅ-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise KasseError(f"Datoen '{text}' findes ikke") from None


def format_date(day: date | None) -> str:
    """DD-MM-YYYY, the way Danish users read dates; empty for no date."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}" if day else ""  # strftime drops a year's zeros
