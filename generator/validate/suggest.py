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
_NUMBERS = re.compile(r"\d+|(?<![A-Za-z])[ivxlcdmIVXLCDM]+(?![A-Za-z])")
_WORD = re.compile(r"[^\W_]+")


def key(text: str) -> str:
    """Case, width, spacing and punctuation ignored: 'A-6-2-6' and 'a.6.2.6' meet."""
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def numbers(text: str) -> list[str]:
    return [n.casefold() for n in _NUMBERS.findall(unicodedata.normalize("NFKC", text))]


def closest(wanted: str, known: Iterable[str], *, prefix: bool = False) -> str | None:
    """The id of ``known`` that ``wanted`` most likely meant:

    1. the same once case, width, spacing and punctuation are ignored ('ac-1.1' -> 'AC-1.1');
    2. with ``prefix`` (framework ids), the only one it begins ('owasp' -> 'owasp-llm-top10');
    3. the only one with the same first word and numbers ('access-review' -> 'access-control');
    4. the nearest by spelling among those with the same numbers ('GOVREN 6.1' -> 'GOVERN 6.1').
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
    alike = [k for k in known if numbers(k) == nums]
    first = _WORD.findall(wanted.casefold())[:1]
    if first:
        sharing = [k for k in alike if _WORD.findall(k.casefold())[:1] == first]
        if len(sharing) == 1:
            return sharing[0]
    folded = {k.casefold(): k for k in alike}
    close = difflib.get_close_matches(wanted.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None
