"""Product names as people type them -> the products they mean, before any comparison.

A cell may name several products ("ChatGPT, Microsoft M365 Copilot AI, FS Pro"); one product is
spelled many ways ("Microsoft CoPilot", "Copilot for MS 365", "Microsoft365 Copilot"). Here a cell
is split into spellings, placeholders ("N/A", "Various") are recognised, and each spelling gets
two comparison keys: its words in order of the alphabet (``words``) and run together in the
order written (``squashed``), after folding case, expanding abbreviations, separating joined
numbers ("Microsoft365"), and dropping version numbers and words that tell no product apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_SEPARATORS = (",", ";", "\n")
#: Cell texts that name no product, compared case-insensitively after trimming.
DEFAULT_PLACEHOLDERS = (
    "-",
    "--",
    "n/a",
    "na",
    "n.a.",
    "none",
    "nil",
    "various",
    "unknown",
    "tbd",
    "other",
    "not applicable",
    "not known",
)
#: Words that never tell two products apart ("Copilot for Microsoft 365").
STOP_WORDS = frozenset({"for", "the", "of", "by", "with", "and", "a", "an", "in", "on", "app"})
# a word; "+" and "#" at its end belong to it ("C++" and "C#" are not "C")
_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*[+#]*", re.UNICODE)
_VERSION = re.compile(r"v?\d+(?:\.\d+)+|v\d+")
_JOINED = re.compile(r"(?<=[^\W\d_]{3})(?=\d)|(?<=\d)(?=[^\W\d_]{3})")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Spelling:
    """One product name as written (inner whitespace collapsed) and its comparison keys."""

    text: str
    words: str  # sorted distinct words: "365 copilot microsoft"
    squashed: str  # words in written order, run together: "microsoft365copilot"


@dataclass(frozen=True, slots=True)
class Rules:
    """How names are split and cleaned: the import mapping's ``names`` with the defaults."""

    separators: tuple[str, ...] = DEFAULT_SEPARATORS
    placeholders: frozenset[str] = frozenset(DEFAULT_PLACEHOLDERS)
    abbreviations: Mapping[str, str] | None = None
    ignore_words: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, names: Mapping[str, object]) -> Rules:
        """Rules from a valid mapping's ``names`` section (missing keys take the defaults)."""
        seps = names.get("separators")
        places = names.get("placeholders", [])
        abbr = names.get("abbreviations", {})
        ignore = names.get("ignore_words", [])
        assert isinstance(places, list) and isinstance(abbr, dict) and isinstance(ignore, list)
        return cls(
            separators=tuple(seps) if isinstance(seps, list) else DEFAULT_SEPARATORS,
            placeholders=frozenset(DEFAULT_PLACEHOLDERS) | {_fold(p) for p in places},
            abbreviations={_fold(k): _fold(v) for k, v in abbr.items()},
            ignore_words=frozenset(w for i in ignore for w in _fold(i).split()),
        )


def _fold(text: str) -> str:
    """Case folded, compatibility forms unified, accents dropped ("Ärzte" -> "arzte")."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACE.sub(" ", plain).strip()


def split_cell(cell: str, separators: Iterable[str]) -> list[tuple[str, int]]:
    """The pieces of ``cell`` between separators, outside parentheses, trimmed, with the offset
    (0-based character index in the cell) where each starts; empty pieces are dropped.

    >>> split_cell("ChatGPT, Gemma (open LLM, Google)", [","])
    [('ChatGPT', 0), ('Gemma (open LLM, Google)', 9)]
    """
    seps = sorted(set(separators), key=len, reverse=True)
    pieces: list[tuple[str, int]] = []
    depth, start, i = 0, 0, 0
    while i < len(cell):
        ch = cell[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif depth == 0:
            sep = next((s for s in seps if cell.startswith(s, i)), None)
            if sep is not None:
                pieces.append((cell[start:i], start))
                i += len(sep)
                start = i
                continue
        i += 1
    pieces.append((cell[start:], start))
    out = []
    for text, at in pieces:
        stripped = text.strip()
        if stripped:
            out.append((_SPACE.sub(" ", stripped), at + len(text) - len(text.lstrip())))
    return out


def is_placeholder(text: str, rules: Rules) -> bool:
    """Whether ``text`` names no product: a placeholder, or nothing but punctuation."""
    folded = _fold(text)
    return folded in rules.placeholders or not _WORD.search(folded)


def words_of(text: str, rules: Rules) -> list[str]:
    """The words that identify a product, in written order: folded, abbreviations expanded,
    joined numbers separated ("microsoft365" -> "microsoft", "365"), parenthesised remarks,
    versions, stop words and the mapping's ignored words dropped."""
    folded = _fold(re.sub(r"\([^()]*\)", " ", text))
    abbreviations = rules.abbreviations or {}
    out: list[str] = []
    for raw in _WORD.findall(folded):
        word = raw.replace("'", "")
        expanded = abbreviations.get(word)
        parts = expanded.split() if expanded else _JOINED.sub(" ", word).split()
        for part in parts:
            if _VERSION.fullmatch(part):
                continue
            out += [
                piece
                for piece in part.split(".")
                if piece not in STOP_WORDS and piece not in rules.ignore_words
            ]
    return out


def spelling(text: str, rules: Rules) -> Spelling:
    """``text`` with its comparison keys (both '' when no identifying word is left); a word
    written twice counts once ("Microsoft M365 Copilot" is "microsoft365copilot")."""
    words = words_of(text, rules)
    return Spelling(text, " ".join(sorted(set(words))), "".join(dict.fromkeys(words)))
