"""Dates written YYYY-MM-DD, and why a text is not one, in words: the one judgement that the
schemas' ``date`` type (generator/schema.py), ``--as-of`` (generator/cli/common.py) and the
import's date cells (generator/inventory/values.py) quote.

A text written the right way can still name no day: ``2026-02-30`` is said to be a day February
2026 does not have, not a date "not written YYYY-MM-DD".
"""

from __future__ import annotations

import calendar
import re
from datetime import date

#: The years the schemas' date type accepts (its pattern: 19xx and 2xxx).
YEARS = (1900, 2999)
_WRITTEN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# In English whatever the locale (calendar.month_name follows LC_TIME).
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def problem(text: str, *, years: tuple[int, int] | None = YEARS) -> str | None:
    """Why ``text`` is not a date written YYYY-MM-DD (within ``years``, if given), or None."""
    m = _WRITTEN.fullmatch(text)
    if m is None:
        return "it is not written YYYY-MM-DD"
    year, month, day = (int(part) for part in m.groups())
    if years is not None and not years[0] <= year <= years[1]:
        return f"the year {year} is outside {years[0]}-{years[1]}"
    if year == 0:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {m[2]}"
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        return "there is no day 00"
    if day > last:
        return f"{_MONTHS[month - 1]} {year} has {last} days"
    return None


def parse(text: str, *, years: tuple[int, int] | None = YEARS) -> date:
    """The date ``text`` names; ValueError saying why (:func:`problem`) when it names none."""
    why = problem(text, years=years)
    if why is not None:
        raise ValueError(why)
    return date.fromisoformat(text)
