"""Characters a reader cannot see, or could take for others: the one list, used three ways.

* The schemas' text types refuse them. ``line`` (names, titles, people, list items: every
  single-line field) refuses line breaks, every control character, bidirectional controls and
  invisible characters; ``text`` (multi-line prose) refuses the controls YAML can smuggle in
  through escapes and the bidirectional embeddings, overrides and isolates that make text display
  in another order than it is stored ("Trojan Source"). ``schemas/common.schema.json`` holds the
  patterns built by :func:`pattern` from the ranges here; a test keeps the two equal.
* :func:`first_refused` says which character broke the pattern, by code point and name, for the
  schema's message (:mod:`generator.schema`).
* :func:`reveal` shows, in every message that quotes a value, the characters a reader could
  mistake for others as ``\\u0456``-style escapes (see its docstring for which).
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
#: characters, the variation selectors emoji need (1-16) excepted.
LINE_REFUSED: Ranges = (
    (0x00, 0x1F),  # C0 controls: tab, line feed, carriage return...
    (0x7F, 0x9F),  # DEL, C1 controls (U+0085 NEXT LINE)
    (0xAD, 0xAD),  # SOFT HYPHEN
    (0x34F, 0x34F),  # COMBINING GRAPHEME JOINER
    (0x61C, 0x61C),  # ARABIC LETTER MARK
    (0x115F, 0x1160),  # HANGUL CHOSEONG and JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ and AA
    (0x180B, 0x180F),  # MONGOLIAN FREE VARIATION SELECTORS, VOWEL SEPARATOR
    (0x200B, 0x200F),  # ZERO WIDTH SPACE, NON-JOINER, JOINER; LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK
    (0x2028, 0x2029),  # LINE SEPARATOR, PARAGRAPH SEPARATOR
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # WORD JOINER, invisible operators, bidi isolates, deprecated format controls
    (0x2800, 0x2800),  # BRAILLE PATTERN BLANK (an empty-looking letter)
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (byte order mark)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFFB),  # interlinear annotation controls
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT controls
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN/END BEAM, TIE, SLUR, PHRASE
    *TAGS,
    (0xE0100, 0xE01EF),  # VARIATION SELECTORS 17-256 (emoji use only 1-16)
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


# -- look-alikes in messages ---------------------------------------------------------------------

# Letters of other scripts that look like ASCII letters (after Unicode's confusables.txt), by
# code point so that this file holds no look-alike itself. A word spelt only with these, in a
# text with no other letter of their script, is shown escaped.
CONFUSABLE_LETTERS = frozenset(
    # Cyrillic a e o p c y x s i j h d q w l y; A B E 3 K M H O P C T Y X S I J Y Q W l
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0455\u0456\u0458\u04bb\u0501\u051b\u051d\u04cf\u04af"
    "\u0410\u0412\u0415\u0417\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0423\u0425\u0405\u0406\u0408"
    "\u04ae\u051a\u051c\u04c0"
    # Greek a o v p u i x y c j; A B E Z H I K M N O P T Y X C J
    "\u03b1\u03bf\u03bd\u03c1\u03c5\u03b9\u03c7\u03b3\u03f2\u03f3"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03f9\u037f"
    # Armenian o u n h q g; U O
    "\u0585\u057d\u0578\u0570\u0566\u0581\u054d\u0555"
)
# Scripts that mix with Latin in one word in ordinary writing (UTS #39 "highly restrictive").
_MIXES_WITH_LATIN = frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})
# A word: letters and digits, with any combining marks (a decomposed 'ü' stays one word).
_MARKS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
_VARIATION = re.compile(r"[\ufe00-\ufe0f]")


@functools.cache
def script(char: str) -> str:
    """A letter's script, from its Unicode name: 'LATIN', 'CYRILLIC', 'CJK'..."""
    words = unicodedata.name(char, "").replace("-", " ").split()
    while words and words[0] in {"FULLWIDTH", "HALFWIDTH"}:
        words.pop(0)
    head = words[0] if words else ""
    return "CJK" if head == "IDEOGRAPHIC" else head


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@functools.cache
def _hidden(char: str) -> bool:
    """Invisible, or a compatibility form of an ASCII character (full-width, mathematical...)."""
    code = ord(char)
    if code < 0x80:
        return not char.isprintable()
    category = unicodedata.category(char)
    if category[0] in "CZ":
        return True  # controls, format characters, unassigned; spaces other than ' '
    if any(lo <= code <= hi for lo, hi in LINE_REFUSED):
        return True  # fillers and other default-ignorable characters
    folded = unicodedata.normalize("NFKC", char)
    if folded == char or not folded.isascii():
        return False
    return (
        category[0] == "L"
        or category in {"Nd", "Nl"}
        or 0xFF00 <= code <= 0xFFEF  # full-width and half-width forms
        or 0xFE50 <= code <= 0xFE6F  # small form variants: ﹦ ﹢ ﹣ ﹫
    )


def reveal(text: str) -> str:
    """``text`` with every character a reader could mistake shown as a ``\\u``-escape.

    Shown escaped: invisible characters (controls, format characters such as U+202E or U+200B,
    separators and spaces other than the ASCII space, fillers); compatibility forms of ASCII
    characters (full-width letters and U+FF1D FULLWIDTH EQUALS SIGN, mathematical letters, the
    ligature U+FB01); letters of another script inside a word with ASCII letters
    ('publ\\u0456c', a Cyrillic i), except the scripts that mix with Latin in ordinary writing
    (Han, Hiragana, Katakana, Hangul); and a word spelt only with letters that look like ASCII
    ones (Cyrillic '\\u0440\\u0430\\u0443', "pay") when the text has no other letter of that
    script. Ordinary text of any script stays readable: German, Japanese (also mixed with ASCII,
    as in 'AI' followed by katakana), Russian. Variation selectors stay after a symbol (emoji)
    and are shown anywhere else.
    """
    if text.isascii() and text.isprintable():
        return text
    marked = [False] * len(text)
    for i, char in enumerate(text):
        if char.isascii():
            marked[i] = not char.isprintable()
        elif _VARIATION.match(char):
            marked[i] = i == 0 or unicodedata.category(text[i - 1]) != "So"
        else:
            marked[i] = _hidden(char)
    words = list(_WORD.finditer(text))
    genuine = {
        script(c)
        for w in words
        for c in w.group()
        if c.isalpha() and not c.isascii() and c not in CONFUSABLE_LETTERS
    }
    for w in words:
        word = w.group()
        if word.isascii():
            continue
        letters = [c for c in word if c.isalpha()]
        if any(c.isascii() for c in letters):
            for j, c in enumerate(word, w.start()):
                if c.isalpha() and not c.isascii() and script(c) not in _MIXES_WITH_LATIN:
                    marked[j] = True
        elif (
            letters
            and all(c in CONFUSABLE_LETTERS for c in letters)
            and not {script(c) for c in letters} & genuine
        ):
            for j in range(w.start(), w.end()):
                marked[j] = True
    if not any(marked):
        return text
    return "".join(_escaped(c) if m else c for c, m in zip(text, marked, strict=True))
