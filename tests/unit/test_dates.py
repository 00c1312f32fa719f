"""Why a text is not a date, in one place: the schema's date type, --as-of and the import."""

from __future__ import annotations

from datetime import date

import pytest

from generator import dates


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-03-31", None),
        ("2024-02-29", None),  # a leap year
        ("1900-01-01", None),
        ("2999-12-31", None),
        ("2026-02-30", "February 2026 has 28 days"),
        ("2025-02-29", "February 2025 has 28 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-03-00", "there is no day 00"),
        ("2026-13-01", "there is no month 13"),
        ("2026-00-10", "there is no month 00"),
        ("1850-01-01", "the year 1850 is outside 1900-2999"),
        ("3000-01-01", "the year 3000 is outside 1900-2999"),
        ("2026-3-2", "it is not written YYYY-MM-DD"),
        ("10/09/2026", "it is not written YYYY-MM-DD"),
        ("20261101", "it is not written YYYY-MM-DD"),
        ("2026-W44-7", "it is not written YYYY-MM-DD"),
        ("2026-11-01T10:00", "it is not written YYYY-MM-DD"),
        # full-width digits
        ("\uff12\uff10\uff12\uff16-\uff11\uff11-\uff10\uff11", "it is not written YYYY-MM-DD"),
        ("", "it is not written YYYY-MM-DD"),
    ],
)
def test_problem(text: str, problem: str | None) -> None:
    assert dates.problem(text) == problem


def test_any_year_when_no_range_is_asked() -> None:
    assert dates.problem("9999-12-31", years=None) is None
    assert dates.problem("0001-01-01", years=None) is None
    assert dates.problem("0000-01-01", years=None) == "there is no year 0000"


def test_parse() -> None:
    assert dates.parse("2026-11-01") == date(2026, 11, 1)
    with pytest.raises(ValueError, match=r"^February 2026 has 28 days$"):
        dates.parse("2026-02-30")
