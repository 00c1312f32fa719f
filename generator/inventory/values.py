"""Cell text -> the value a field means: yes/no, a number range, a date, a recoded word.

Each parser returns the value, or raises :class:`Unreadable` with what to write instead; the
caller turns that into a Diagnostic at the cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from generator import dates

TRUE = frozenset({"y", "yes", "true", "1", "x", "✓", "✔"})
FALSE = frozenset({"n", "no", "false", "0"})
_NUMBER = r"(\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+|\d+)"
_DASH = r"(?:-|\u2013|\u2014|to)"
_RANGE = re.compile(rf"^(?:about |approx\.? |~)?{_NUMBER}\s*{_DASH}\s*{_NUMBER}$", re.I)
_ABOVE = re.compile(rf"^(?:over |more than |>\s*)?{_NUMBER}\s*(\+|or more)?$", re.I)


#: The most seats or users a cell may count (more than the people on Earth is a typo).
MAX_COUNT = 10_000_000_000


class Unreadable(ValueError):
    """A cell that does not hold what its column should; ``hint`` says what would."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Range:
    """A count between ``low`` and ``high`` (None: no upper bound), both inclusive."""

    low: int
    high: int | None

    def __str__(self) -> str:
        if self.high is None:
            return f"{self.low:,}+"
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}-{self.high:,}"


def recoded(text: str, table: Mapping[str, object] | None) -> object:
    """``text`` through the mapping's recode table for its field (keys compared trimmed and
    case-insensitively); ``text`` itself when the table has no entry."""
    if table:
        folded = " ".join(text.split()).casefold()
        for key, value in table.items():
            if " ".join(key.split()).casefold() == folded:
                return value
    return text


def boolean(text: str, table: Mapping[str, object] | None = None) -> bool | None:
    """Y/N, yes/no, true/false, 1/0 (or the mapping's own words) -> bool; '' -> None."""
    value = recoded(text, table)
    if isinstance(value, bool):
        return value
    folded = str(value).strip().casefold()
    if not folded:
        return None
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    raise Unreadable(
        f"{text!r} is not yes or no",
        "write Y or N (or yes/no, true/false), or add it to the mapping's recode table",
    )


def _int(text: str) -> int:
    return int(re.sub(r"[,.\u202f\u00a0 ]", "", text))


def count_range(text: str) -> Range | None:
    """'1-100', '10,000-50,000', '50,000+', 'more than 500', '250' -> Range; '' -> None."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    m = _RANGE.match(cleaned)
    if m and max(_int(m[1]), _int(m[2])) > MAX_COUNT:
        raise Unreadable(f"{text!r} is more people than there are", "check the figure")
    if m:
        low, high = _int(m[1]), _int(m[2])
        if high < low:
            raise Unreadable(f"{text!r} runs backwards", "write the smaller number first")
        return Range(low, high)
    m = _ABOVE.match(cleaned)
    if m and _int(m[1]) > MAX_COUNT:
        raise Unreadable(f"{text!r} is more people than there are", "check the figure")
    if m:
        open_ended = bool(m[2]) or cleaned.lower().startswith(("over", "more", ">"))
        return Range(_int(m[1]), None if open_ended else _int(m[1]))
    raise Unreadable(
        f"{text!r} is not a number or a range",
        "write a number (250), a range (1,000-5,000) or a lower bound (50,000+)",
    )


def iso_date(text: str) -> date | None:
    """'2026-03-31' (or a spreadsheet date read as such) -> date; '' -> None.

    Dates written 03/04/2026 are refused: whether that is March or April depends on the country
    the sheet was written in."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        return dates.parse(cleaned[:10], years=None)
    except ValueError as why:
        raise Unreadable(
            f"{text!r} is not a date: {why}",
            "write dates as 2026-03-31, or format the column as a date in the spreadsheet",
        ) from None
