"""Characters a reader could mistake: shown as escapes in every message, refused in one-liners."""

from __future__ import annotations

import pytest

from generator import chars
from generator.diagnostics import Diagnostic, HandbookError, Severity

# Written with escapes so that this file holds no look-alike itself.
CYRILLIC_I = "\u0456"
PUBLIC = f"publ{CYRILLIC_I}c"  # 'public' with a Cyrillic i


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # a letter of another script inside a Latin word
        (f"'{PUBLIC}'", "'publ\\u0456c'"),
        ("p\u0430yroll", "p\\u0430yroll"),  # Cyrillic a
        ("acme-\u03bfps", "acme-\\u03bfps"),  # Greek omicron
        ("acme\u0436", "acme\\u0436"),  # any Cyrillic letter, look-alike or not
        # a word spelt only with look-alikes, in a text with no other letter of its script
        ("tool '\u0440\u0430\u0443'", "tool '\\u0440\\u0430\\u0443'"),  # Cyrillic 'pay'
        ("\u0391\u0392\u0395", "\\u0391\\u0392\\u0395"),  # Greek ABE
        # compatibility forms of ASCII characters
        ("\uff21\uff43\uff4d\uff45 Chat", "\\uff21\\uff43\\uff4d\\uff45 Chat"),  # full-width
        ("\uff1d1+1", "\\uff1d1+1"),  # full-width equals sign
        ("\ufe661+1", "\\ufe661+1"),  # small equals sign
        (
            "\U0001d41a\U0001d41c\U0001d426\U0001d41e",
            "\\U0001d41a\\U0001d41c\\U0001d426\\U0001d41e",
        ),
        ("pro\ufb01le", "pro\\ufb01le"),  # the ligature fi
        ("Tool \u2160", "Tool \\u2160"),  # ROMAN NUMERAL ONE
        # invisible characters, controls, other spaces
        ("Acme \u202eChat", "Acme \\u202eChat"),
        ("Acme\u200bChat", "Acme\\u200bChat"),
        ("Acme\u00a0Chat", "Acme\\u00a0Chat"),
        ("Acme\u3000Chat", "Acme\\u3000Chat"),
        ("soft\u00adhyphen", "soft\\u00adhyphen"),
        ("x\U000e0041y", "x\\U000e0041y"),  # a tag character
        ("line\nbreak\ttab\rreturn", "line\\nbreak\\ttab\\rreturn"),
        ("bell\x07", "bell\\u0007"),
        ("public\ufe0f", "public\\ufe0f"),  # a variation selector after a letter
    ],
)
def test_reveal_shows_what_a_reader_could_mistake(text: str, shown: str) -> None:
    assert chars.reveal(text) == shown
    assert chars.reveal(shown) == shown  # idempotent: a Diagnostic may be copied


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII, with punctuation: 'id' -> x",
        "Überprüfung der Datenschutzerklärung",
        "café cre\u0300me",  # precomposed and decomposed accents
        "利用ガイド",  # Japanese: usage guide
        "AIツール",  # ASCII and katakana in one word
        # Russian: 'check with care'; its one-letter word is a look-alike, its others are not
        "\u041f\u0440\u043e\u0432\u0435\u0440\u043a\u0430 \u0441 "
        "\u0443\u0447\u0451\u0442\u043e\u043c",
        "\u0645\u0631\u062d\u0628\u0627",  # Arabic
        "안녕 AI",  # Korean
        "✔️ done ⚠️",  # emoji with their variation selectors
        "pilot → approved … — · “quoted”",  # our own punctuation
        "10 m²",  # superscript two is not taken for a digit
    ],
)
def test_reveal_keeps_ordinary_text_readable(text: str) -> None:
    assert chars.reveal(text) == text


def test_every_finding_shows_look_alikes_whoever_wrote_it() -> None:
    d = Diagnostic(
        "schema",
        Severity.ERROR,
        f"data.allowed[0] is '{PUBLIC}', which is not one of: public, internal",
        "registry/tools/a\u202eb.yaml",
        3,
        5,
        hint=f"did you mean 'public'? ('{PUBLIC}' is not it)",
    )
    assert d.message == "data.allowed[0] is 'publ\\u0456c', which is not one of: public, internal"
    assert d.hint == "did you mean 'public'? ('publ\\u0456c' is not it)"
    assert d.path == "registry/tools/a\\u202eb.yaml"
    assert d.with_severity(Severity.WARNING).message == d.message


def test_an_error_that_stops_the_run_shows_look_alikes_too() -> None:
    err = HandbookError(f"vendor '{PUBLIC}' has no file", f"run: handbook new-vendor {PUBLIC}")
    assert (err.message, err.hint) == (
        "vendor 'publ\\u0456c' has no file",
        "run: handbook new-vendor publ\\u0456c",
    )
    assert str(err) == err.message


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\n", "U+000A LINE FEED"),
        ("\x00", "U+0000 NULL"),
        ("\x01", "U+0001 <control>"),
        ("\U000e0020", "U+E0020 TAG SPACE"),
    ],
)
def test_describe(char: str, named: str) -> None:
    assert chars.describe(char) == named


def test_first_refused_counts_characters_from_one() -> None:
    assert chars.first_refused("Acme \u202eChat", chars.LINE_REFUSED) == (6, "\u202e")
    assert chars.first_refused("Acme\u200d", chars.TEXT_REFUSED) is None  # prose may join
    assert chars.first_refused("a\U000e0041", chars.TEXT_REFUSED) == (2, "\U000e0041")
