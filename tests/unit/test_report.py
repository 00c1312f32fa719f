"""The text, json and github renderers on a fixed list of diagnostics: whole outputs."""

from __future__ import annotations

import json

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.report import RENDERERS, choose, github, json_format, text

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

# Deliberately out of order: renderers sort by (path, line, column, rule).
DIAGS = [
    Diagnostic(
        "schema-unknown-key",
        E,
        "unknown key 'licence' in (top level)",
        "registry/tools/b.yaml",
        13,
        1,
        hint="did you mean 'license'?",
    ),
    Diagnostic("file-unexpected", W, "file is not read by the handbook", "content/x.txt", 1, 1),
    Diagnostic(
        "date-future",
        E,
        "status.since is 2027-01-01, after 2026-11-01",
        "registry/tools/a.yaml",
        11,
        10,
        hint="record evidence once it exists",
        subject="a",
        days=-61,
    ),
    Diagnostic("file-unreadable", E, "the handbook has no policy file", "registry/policy.yaml"),
    Diagnostic("id-duplicate", E, "id 'a' clashes with 'A'", "registry/tools/a.yaml", 3, 5),
    Diagnostic("cert-expiring", N, "a note without a file"),
]


def test_text() -> None:
    assert text.render(DIAGS) == (
        "<handbook>: note[cert-expiring] a note without a file\n"
        "content/x.txt:1:1: warning[file-unexpected] file is not read by the handbook\n"
        "registry/policy.yaml: error[file-unreadable] the handbook has no policy file\n"
        "registry/tools/a.yaml:3:5: error[id-duplicate] id 'a' clashes with 'A'\n"
        "registry/tools/a.yaml:11:10: error[date-future] "
        "status.since is 2027-01-01, after 2026-11-01\n"
        "  hint: record evidence once it exists\n"
        "registry/tools/b.yaml:13:1: error[schema-unknown-key] "
        "unknown key 'licence' in (top level)\n"
        "  hint: did you mean 'license'?\n"
        "4 errors, 1 warning, 1 note\n"
    )


@pytest.mark.parametrize(
    ("diags", "summary"),
    [
        ([], "no problems found\n"),
        (
            [DIAGS[1]],
            "content/x.txt:1:1: warning[file-unexpected] file is not read by the handbook"
            "\n1 warning\n",
        ),
        (
            [DIAGS[3]],
            "registry/policy.yaml: error[file-unreadable] the handbook has no policy file"
            "\n1 error\n",
        ),
    ],
)
def test_text_summary(diags: list[Diagnostic], summary: str) -> None:
    assert text.render(diags) == summary


def test_text_sorts_lines_numerically() -> None:
    diags = [
        Diagnostic("schema", E, "b", "f.yaml", 10, 1),
        Diagnostic("schema", E, "a", "f.yaml", 9, 30),
        Diagnostic("schema", E, "c", "f.yaml", 10, 2),
    ]
    assert text.render(diags).splitlines()[:3] == [
        "f.yaml:9:30: error[schema] a",
        "f.yaml:10:1: error[schema] b",
        "f.yaml:10:2: error[schema] c",
    ]


def test_json() -> None:
    assert json.loads(json_format.render(DIAGS)) == {
        "version": 1,
        "summary": {"error": 4, "warning": 1, "note": 1},
        "diagnostics": [
            {
                "rule": "cert-expiring",
                "severity": "note",
                "message": "a note without a file",
                "path": None,
                "line": None,
                "column": None,
                "hint": None,
            },
            {
                "rule": "file-unexpected",
                "severity": "warning",
                "message": "file is not read by the handbook",
                "path": "content/x.txt",
                "line": 1,
                "column": 1,
                "hint": None,
            },
            {
                "rule": "file-unreadable",
                "severity": "error",
                "message": "the handbook has no policy file",
                "path": "registry/policy.yaml",
                "line": None,
                "column": None,
                "hint": None,
            },
            {
                "rule": "id-duplicate",
                "severity": "error",
                "message": "id 'a' clashes with 'A'",
                "path": "registry/tools/a.yaml",
                "line": 3,
                "column": 5,
                "hint": None,
            },
            {
                "rule": "date-future",
                "severity": "error",
                "message": "status.since is 2027-01-01, after 2026-11-01",
                "path": "registry/tools/a.yaml",
                "line": 11,
                "column": 10,
                "hint": "record evidence once it exists",
                "subject": "a",
                "days": -61,
            },
            {
                "rule": "schema-unknown-key",
                "severity": "error",
                "message": "unknown key 'licence' in (top level)",
                "path": "registry/tools/b.yaml",
                "line": 13,
                "column": 1,
                "hint": "did you mean 'license'?",
            },
        ],
    }


def test_json_is_indented_utf8_and_ends_with_a_newline() -> None:
    diag = Diagnostic("schema", E, "name is 'Café ✓'", "f.yaml", 1, 1)
    assert json_format.render([diag]) == (
        "{\n"
        '  "version": 1,\n'
        '  "summary": {\n'
        '    "error": 1,\n'
        '    "warning": 0,\n'
        '    "note": 0\n'
        "  },\n"
        '  "diagnostics": [\n'
        "    {\n"
        '      "rule": "schema",\n'
        '      "severity": "error",\n'
        '      "message": "name is \'Café ✓\'",\n'
        '      "path": "f.yaml",\n'
        '      "line": 1,\n'
        '      "column": 1,\n'
        '      "hint": null\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )


def test_json_when_clean() -> None:
    assert json.loads(json_format.render([])) == {
        "version": 1,
        "summary": {"error": 0, "warning": 0, "note": 0},
        "diagnostics": [],
    }


def test_github() -> None:
    assert github.render(DIAGS) == (
        "::notice title=cert-expiring (note)::a note without a file\n"
        "::warning file=content/x.txt,line=1,col=1,title=file-unexpected (warning)::"
        "file is not read by the handbook\n"
        "::error file=registry/policy.yaml,title=file-unreadable (error)::"
        "the handbook has no policy file\n"
        "::error file=registry/tools/a.yaml,line=3,col=5,title=id-duplicate (error)::"
        "id 'a' clashes with 'A'\n"
        "::error file=registry/tools/a.yaml,line=11,col=10,title=date-future (error)::"
        "status.since is 2027-01-01, after 2026-11-01%0Arecord evidence once it exists\n"
        "::error file=registry/tools/b.yaml,line=13,col=1,title=schema-unknown-key (error)::"
        "unknown key 'licence' in (top level)%0Adid you mean 'license'?\n"
        "4 errors, 1 warning, 1 note\n"
    )


def test_github_escapes_messages() -> None:
    """A YAML value with a newline must not start a second workflow command: the Diagnostic
    already shows it as an escape, and the annotation escapes whatever line break is left."""
    forged = "name is 'x\n::error file=evil.yaml,line=1::forged'; 100% sure\r"
    out = github.render([Diagnostic("schema", E, forged, "f.yaml", 2, 7, hint="50%\nmore")])
    assert out == (
        "::error file=f.yaml,line=2,col=7,title=schema (error)::"
        "name is 'x\\n::error file=evil.yaml,line=1::forged'; 100%25 sure\\r%0A50%25\\nmore\n"
        "1 error\n"
    )
    assert github.escape_data("a\r\nb%") == "a%0D%0Ab%25"
    assert github.escape_property("f:1,2\n") == "f%3A1%2C2%0A"
    assert len(out.splitlines()) == 2


def test_github_escapes_properties() -> None:
    """A file name's line break is shown as an escape by the Diagnostic, like a value's."""
    diag = Diagnostic("schema", W, "m", "registry/tools/a,b:c%\nd.yaml", 1, 1)
    assert github.render([diag]) == (
        "::warning file=registry/tools/a%2Cb%3Ac%25\\nd.yaml,line=1,col=1,"
        "title=schema (warning)::m\n"
        "1 warning\n"
    )


def test_github_escapes_the_title() -> None:
    assert github.annotation(Diagnostic("a:b,c", E, "m")) == "::error title=a%3Ab%2Cc (error)::m"


@pytest.mark.parametrize(
    ("value", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A", "%250A", "%250A"),  # an already-escaped sequence is escaped again
    ],
)
def test_escaping(value: str, data: str, prop: str) -> None:
    assert (github.escape_data(value), github.escape_property(value)) == (data, prop)


@pytest.mark.parametrize(
    ("name", "env", "chosen"),
    [
        ("auto", {}, "text"),
        ("auto", {"GITHUB_ACTIONS": "true"}, "github"),
        ("auto", {"GITHUB_ACTIONS": "false"}, "text"),
        ("json", {"GITHUB_ACTIONS": "true"}, "json"),
        ("text", {"GITHUB_ACTIONS": "true"}, "text"),
    ],
)
def test_choose(name: str, env: dict[str, str], chosen: str) -> None:
    assert choose(name, env) == chosen


@pytest.mark.parametrize("name", ["text", "json", "github"])
def test_renderers_do_not_depend_on_input_order(name: str) -> None:
    render = RENDERERS[name]
    assert render(DIAGS) == render(list(reversed(DIAGS)))
