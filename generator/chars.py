"""Characters a reader cannot see: the one list of them, used two ways.

* The schemas' text types refuse them. ``line`` (names, titles, people, list items: every
  single-line field) refuses line breaks, every control character, bidirectional controls and
  invisible characters; ``text`` (multi-line prose) refuses the controls YAML can smuggle in
  through escapes and the bidirectional embeddings, overrides and isolates that make text display
  in another order than it is stored ("Trojan Source"). ``schemas/common.schema.json`` holds the
  patterns built by :func:`pattern` from the ranges here; a test keeps the two equal.
* :func:`first_refused` says which character broke the pattern, by code point and name, for the
  schema's message (:mod:`generator.schema`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

Ranges = tuple[tuple[int, int], ...]

#: Bidirectional embeddings, overrides and isolates: text displays in another order than stored.
BIDI_OVERRIDES: Ranges = ((0x202A, 0x202E), (0x2066, 0x2069))
#: Unicode tag characters: invisible, yet read by language models ("ASCII smuggling").
TAGS: Ranges = ((0xE0000, 0xE007F),)

#: Refused in ``text``: controls other than tab and line breaks, DEL, C1, bidi overrides, tags.
TEXT_REFUSED: Ranges = (
    (0x00, 0x08),
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0x7F, 0x9F),
    *BIDI_OVERRIDES,
    *TAGS,
)

#: Refused in ``line``: everything ``text`` refuses, every control (tab and line feed too),
#: line and paragraph separators, the bidi marks, and the invisible (default-ignorable)
#: characters, variation selectors excepted (emoji need them).
LINE_REFUSED: Ranges = (
    (0x00, 0x1F),  # C0 controls: tab, line feed, carriage return...
    (0x7F, 0x9F),  # DEL, C1 controls (U+0085 NEXT LINE)
    (0xAD, 0xAD),  # SOFT HYPHEN
    (0x34F, 0x34F),  # COMBINING GRAPHEME JOINER
    (0x61C, 0x61C),  # ARABIC LETTER MARK
    (0x115F, 0x1160),  # HANGUL CHOSEONG and JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ and AA
    (0x180E, 0x180E),  # MONGOLIAN VOWEL SEPARATOR
    (0x200B, 0x200F),  # ZERO WIDTH SPACE, NON-JOINER, JOINER; LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK
    (0x2028, 0x2029),  # LINE SEPARATOR, PARAGRAPH SEPARATOR
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # WORD JOINER, invisible operators, bidi isolates, deprecated format controls
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (byte order mark)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFFB),  # interlinear annotation controls
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT controls
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN/END BEAM, TIE, SLUR, PHRASE
    *TAGS,
)

# Names Unicode gives controls only as aliases (unicodedata.name has none for them).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def _escape(code: int) -> str:
    """The code point in a pattern: ``\\u0000`` in the BMP; above it the character itself, the
    one spelling that ECMA-262 (editors), Rust (jsonschema-rs) and Python regular expressions
    all read the same (the schema file stores it as a JSON surrogate pair, ``\\udb40\\udc00``)."""
    return f"\\u{code:04X}" if code <= 0xFFFF else chr(code)


def char_class(ranges: Ranges) -> str:
    """The ranges as the inside of a regular-expression character class (ECMA-262 syntax)."""
    return "".join(_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in ranges)


def pattern(ranges: Ranges) -> str:
    """A JSON Schema pattern: none of ``ranges``, and something besides white space."""
    refused = char_class(ranges)
    return f"^[^{refused}]*[^{refused}\\s][^{refused}]*$"


LINE_PATTERN = pattern(LINE_REFUSED)
TEXT_PATTERN = pattern(TEXT_REFUSED)
PATTERNS = {LINE_PATTERN: LINE_REFUSED, TEXT_PATTERN: TEXT_REFUSED}


def _py_class(ranges: Ranges) -> str:
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )


@functools.cache
def _finder(ranges: Ranges) -> re.Pattern[str]:
    return re.compile(f"[{_py_class(ranges)}]")


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character by code point and name."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = "<control>" if category == "Cc" else "<unnamed>"
    return f"U+{code:04X} {name}"


def first_refused(value: str, ranges: Ranges) -> tuple[int, str] | None:
    """(1-based position, character) of the first character of ``value`` in ``ranges``."""
    found = _finder(ranges).search(value)
    return (found.start() + 1, found.group()) if found else None


def why_refused(char: str) -> str:
    """What a refused character does, for the hint."""
    code = ord(char)
    if char in "\n\r\x85\u2028\u2029":
        return (
            "write the value on one line: a '|' or '>' block keeps its line breaks, so use "
            "plain or quoted text (or '>-', which folds lines into spaces)"
        )
    if any(lo <= code <= hi for lo, hi in BIDI_OVERRIDES) or code in (0x200E, 0x200F, 0x61C):
        return (
            "bidirectional controls make text display in another order than it is stored; "
            "delete it (retype the value if you cannot see where it is)"
        )
    if unicodedata.category(char) == "Cc":
        return "control characters have no place in the handbook's text; delete it"
    return (
        "invisible characters make different values look the same; delete it "
        "(retype the value if you cannot see where it is)"
    )

