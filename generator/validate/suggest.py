""" "Did you mean": the known id a mistyped reference most likely meant, or None.

Shared by every reference check (steps, frameworks, entries, obligations), so that a hint is
never another valid id that merely looks alike: ``MAP 1.7`` is not a typo of ``MAP 1.6`` but
another control, ``Annex I`` is not ``Annex III``, and following such a hint would map a step to
the wrong requirement.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

#: What counts as a number in an id: digits, and roman numerals standing alone ("Annex III",
#: "Chapter IV", "26(ii)").
_NUMBERS = re.compile(r"\d+[A-Za-z]?(?![A-Za-z])|(?<![A-Za-z])[ivxlcdmIVXLCDM]+(?![A-Za-z])")
_WORD = re.compile(r"[^\W_]+")


def key(text: str) -> str:
    """Case, width, spacing and punctuation ignored: 'A-6-2-6' and 'a.6.2.6' meet."""
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def numbers(text: str) -> list[str]:
    return [n.casefold() for n in _NUMBERS.findall(unicodedata.normalize("NFKC", text))]


def _letters(text: str) -> str:
    return "".join(c for c in key(text) if not c.isdigit())


def _alike(wanted: str, candidate: str) -> bool:
    """The words (numbers left out) spelled nearly the same: 'GOVREN' and 'GOVERN', not 'MG'
    (NIST's code for MANAGE) and 'MAP', nor 'vendor-review' and 'vendor-due-diligence'."""
    a, b = _letters(wanted), _letters(candidate)
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def closest(wanted: str, known: Iterable[str], *, prefix: bool = False) -> str | None:
    """The id of ``known`` that ``wanted`` most likely meant:

    1. the same once case, width, spacing and punctuation are ignored ('ac-1.1' -> 'AC-1.1');
    2. with ``prefix`` (framework ids), the only one it begins ('owasp' -> 'owasp-llm-top10');
    3. else the only one with the same numbers (a letter after a digit included: '4a' is not
       '4') whose words are spelled nearly the same ('GOVREN 6.1' -> 'GOVERN 6.1'); when two
       are, or none, no hint: silence is better than another control.
    """
    known = list(dict.fromkeys(known))
    mine = key(wanted)
    same = [k for k in known if key(k) == mine]
    if same:
        return same[0]
    if prefix and mine:
        starts = [k for k in known if key(k).startswith(mine)]
        if len(starts) == 1:
            return starts[0]
    nums = numbers(wanted)
    alike = [k for k in known if numbers(k) == nums and _alike(wanted, k)]
    return alike[0] if len(alike) == 1 else None
