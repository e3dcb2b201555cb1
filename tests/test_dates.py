"""Month arithmetic, birthdays and CPR dates the deadline rules stand on."""

import pytest

from kasse.dates import add_months, add_years, age_on, birthday, cpr_birth_date, format_date, is_adult_on, parse_date
from kasse.errors import KasseError
from tests.factories import d


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-01-10", 12, "2026-01-10"),
        ("2025-05-31", -3, "2025-02-28"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(d(start), months) == d(expected)


def test_add_years_clamps_leap_day():
    assert add_years(d("2024-02-29"), 1) == d("2025-02-28")
    assert add_years(d("2024-02-29"), 4) == d("2028-02-29")


def test_leap_day_birthday_is_first_of_march_in_common_years():
    assert birthday(d("2008-02-29"), 18) == d("2026-03-01")
    assert birthday(d("2004-02-29"), 20) == d("2024-02-29")
    assert not is_adult_on(d("2008-02-29"), d("2026-02-28"))
    assert is_adult_on(d("2008-02-29"), d("2026-03-01"))


def test_adult_on_the_eighteenth_birthday_not_the_day_before():
    assert is_adult_on(d("2007-06-15"), d("2025-06-15"))
    assert not is_adult_on(d("2007-06-15"), d("2025-06-14"))
    assert age_on(d("2007-06-15"), d("2025-06-14")) == 17


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("010190-1234", "1990-01-01"),  # 7th digit 1: 1900s
        ("0101903234", "1990-01-01"),  # hyphen optional
        ("010110-4123", "2010-01-01"),  # 4, yy <= 36: 2000s
        ("010140-4123", "1940-01-01"),  # 4, yy > 36: 1900s
        ("010136-9123", "2036-01-01"),
        ("010137-9123", "1937-01-01"),
        ("010157-5123", "2057-01-01"),  # 5-8, yy <= 57: 2000s
        ("010158-8123", "1858-01-01"),  # 5-8, yy > 57: 1800s
        ("290200-4123", "2000-02-29"),
    ],
)
def test_cpr_century_from_seventh_digit(cpr, born):
    assert cpr_birth_date(cpr) == d(born)


@pytest.mark.parametrize("cpr", ["300290-1234", "290201-4123", "0101901234x", "12345", "320190-1234"])
def test_cpr_with_impossible_date_or_shape_is_refused(cpr):
    with pytest.raises(KasseError):
        cpr_birth_date(cpr)


def test_user_dates_in_danish_and_iso_form():
    assert parse_date("05-02-2025") == d("2025-02-05")
    assert parse_date("5.2.2025") == d("2025-02-05")
    assert parse_date("2025-02-05") == d("2025-02-05")
    assert format_date(d("2025-02-05")) == "05-02-2025"
    with pytest.raises(KasseError, match="findes ikke"):
        parse_date("30-02-2025")
    with pytest.raises(KasseError, match="ikke en dato"):
        parse_date("i morgen")
