"""generator/report/markdown.py and junit.py: whole outputs, ordering, escaping of user data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.report import RENDERERS, junit, markdown

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

AUDIT = Diagnostic(
    "output-audit-overdue",
    E,
    "the output audit of 'Acme Chat' is overdue by 3 days (due 2026-10-29)",
    "registry/tools/acme-chat.yaml",
    45,
    11,
    "do the output audit",
    subject="acme-chat",
    step="output-audit",
    owner="km@example.com",
    due="2026-10-29",
    days=-3,
)
REVIEW = Diagnostic(
    "access-review-due",
    W,
    "the access review of 'Acme Chat' is due in 10 days (on 2026-11-11)",
    "registry/tools/acme-chat.yaml",
    34,
    18,
    "do the access review",
    subject="acme-chat",
    step="access-control",
    owner="km@example.com",
    due="2026-11-11",
    days=10,
)
CERT = Diagnostic(
    "cert-expiring",
    W,
    "ISO/IEC 27001 certificate 'iso27001' of vendor 'Acme AI' expires on 2026-11-04",
    "registry/vendors/acme-ai.yaml",
    21,
    14,
    None,
    subject="acme-ai",
    step="vendor-due-diligence",
    owner="km@example.com, dev@example.com",
    due="2026-11-04",
    days=3,
)
ACCEPTED = Diagnostic(
    "vendor-review-overdue",
    N,
    "the vendor review of 'Acme Code' is overdue by 1 day (accepted until 2026-11-30)",
    "registry/tools/acme-code.yaml",
    50,
    11,
    None,
    subject="acme-code",
    owner="dev@example.com",
    due="2026-10-31",
    days=-1,
)
SCHEMA = Diagnostic("schema", E, "'vendor' is a required property", "registry/tools/x.yaml", 1, 1)


def test_markdown_whole_output_grouped_by_owner_worst_first() -> None:
    got = markdown.render([ACCEPTED, REVIEW, CERT, SCHEMA, AUDIT], title="Governance report")
    assert got == (
        "# Governance report\n"
        "\n"
        "**2 errors, 2 warnings, 1 note**\n"
        "\n"
        "## km@\u200dexample.com\n"
        "\n"
        "1 error, 2 warnings\n"
        "\n"
        "| Severity | Subject | Finding | Due | Where |\n"
        "|---|---|---|---|---|\n"
        "| error | `acme-chat`"
        " | the output audit of 'Acme Chat' is overdue by 3 days \\(due 2026-10-29\\)"
        " (`output-audit-overdue`)<br>Fix: do the output audit"
        " | 2026-10-29 (3 days overdue) | `registry/tools/acme-chat.yaml:45:11` |\n"
        "| warning | `acme-ai`"
        " | ISO/IEC 27001 certificate 'iso27001' of vendor 'Acme AI' expires on 2026-11-04"
        " (`cert-expiring`)"
        " | 2026-11-04 (3 days left) | `registry/vendors/acme-ai.yaml:21:14` |\n"
        "| warning | `acme-chat`"
        " | the access review of 'Acme Chat' is due in 10 days \\(on 2026-11-11\\)"
        " (`access-review-due`)<br>Fix: do the access review"
        " | 2026-11-11 (10 days left) | `registry/tools/acme-chat.yaml:34:18` |\n"
        "\n"
        "## dev@\u200dexample.com\n"
        "\n"
        "1 warning, 1 note\n"
        "\n"
        "| Severity | Subject | Finding | Due | Where |\n"
        "|---|---|---|---|---|\n"
        "| warning | `acme-ai`"
        " | ISO/IEC 27001 certificate 'iso27001' of vendor 'Acme AI' expires on 2026-11-04"
        " (`cert-expiring`)"
        " | 2026-11-04 (3 days left) | `registry/vendors/acme-ai.yaml:21:14` |\n"
        "| note | `acme-code`"
        " | the vendor review of 'Acme Code' is overdue by 1 day \\(accepted until"
        " 2026-11-30\\) (`vendor-review-overdue`)"
        " | 2026-10-31 (1 day overdue) | `registry/tools/acme-code.yaml:50:11` |\n"
        "\n"
        "## No owner\n"
        "\n"
        "1 error\n"
        "\n"
        "| Severity | Subject | Finding | Due | Where |\n"
        "|---|---|---|---|---|\n"
        "| error | — | 'vendor' is a required property (`schema`) | —"
        " | `registry/tools/x.yaml:1:1` |\n"
    )


def test_markdown_is_deterministic_whatever_the_input_order() -> None:
    diags = [ACCEPTED, REVIEW, CERT, SCHEMA, AUDIT]
    assert markdown.render(diags) == markdown.render(list(reversed(diags)))


def test_markdown_empty() -> None:
    assert markdown.render([]) == (
        "# Governance report\n\n**no problems found**\n\nNothing is stale and nothing is broken.\n"
    )


def test_markdown_due_today() -> None:
    today = Diagnostic("output-audit-due", W, "m", "p.yaml", 1, 1, due="2026-11-01", days=0)
    assert "| 2026-11-01 (due today) |" in markdown.render([today])


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("a | b", "a \\| b"),
        ("`code`", "\\`code\\`"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"),
        ("<script>", "&lt;script&gt;"),
        ("ping @org/team", "ping @\u200dorg/team"),
        ("[click](https://evil.example)", "\\[click\\]\\(https\\://evil.example\\)"),
        ("![x](https://evil.example/x.png)", "\\!\\[x\\]\\(https\\://evil.example/x.png\\)"),
        ("see www.evil.example", "see www\\.evil.example"),
        ("fixes #12", "fixes #\u200d12"),
        ("a\nb\r\nc", "a b c"),
        ("*bold* _it_ ~s~", "\\*bold\\* \\_it\\_ \\~s\\~"),
        ("&lt;", "&amp;lt;"),
        ("back\\slash", "back\\\\slash"),
        ("rtl\u202eevil", "rtl evil"),
    ],
)
def test_markdown_escape(value: str, escaped: str) -> None:
    assert markdown.escape(value) == escaped


def test_markdown_user_data_cannot_break_the_table_or_inject() -> None:
    evil = Diagnostic(
        "schema",
        E,
        "value '| x | <b>y</b> @here ![i](http://a/b)\n| injected | row |'",
        "registry/tools/a|b.yaml",
        1,
        1,
        owner="@everyone | x",
        subject="a`b",
    )
    got = markdown.render([evil])
    table_rows = [line for line in got.splitlines() if line.startswith("| error")]
    assert len(table_rows) == 1
    row = table_rows[0]
    # only the five cell separators remain unescaped
    assert row.replace("\\|", "").count("|") == 6
    assert "<b>" not in got
    assert "![" not in got
    assert "@here" not in got
    assert "@everyone" not in got
    assert "http://" not in got
    assert "## @\u200deveryone \\| x" in got


def test_junit_whole_output() -> None:
    got = junit.render([CERT, AUDIT, ACCEPTED])
    assert got == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="handbook" tests="3" failures="2" errors="0" skipped="1">\n'
        '  <testsuite name="cert-expiring" tests="1" failures="1" errors="0" skipped="0">\n'
        '    <testcase name="registry/vendors/acme-ai.yaml:21:14 (acme-ai)" '
        'classname="cert-expiring" file="registry/vendors/acme-ai.yaml" line="21">\n'
        "      <failure message=\"ISO/IEC 27001 certificate 'iso27001' of vendor 'Acme AI' "
        'expires on 2026-11-04" type="warning">registry/vendors/acme-ai.yaml:21:14: '
        "warning[cert-expiring] ISO/IEC 27001 certificate 'iso27001' of vendor 'Acme AI' "
        "expires on 2026-11-04\n"
        "owner: km@example.com, dev@example.com\n"
        "due: 2026-11-04\n"
        "days: 3</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        '  <testsuite name="output-audit-overdue" tests="1" failures="1" errors="0" skipped="0">\n'
        '    <testcase name="registry/tools/acme-chat.yaml:45:11 (acme-chat)" '
        'classname="output-audit-overdue" file="registry/tools/acme-chat.yaml" line="45">\n'
        "      <failure message=\"the output audit of 'Acme Chat' is overdue by 3 days "
        '(due 2026-10-29)" type="error">registry/tools/acme-chat.yaml:45:11: '
        "error[output-audit-overdue] the output audit of 'Acme Chat' is overdue by 3 days "
        "(due 2026-10-29)\n"
        "hint: do the output audit\n"
        "owner: km@example.com\n"
        "due: 2026-10-29\n"
        "days: -3</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        '  <testsuite name="vendor-review-overdue" tests="1" failures="0" errors="0" skipped="1">\n'
        '    <testcase name="registry/tools/acme-code.yaml:50:11 (acme-code)" '
        'classname="vendor-review-overdue" file="registry/tools/acme-code.yaml" line="50">\n'
        "      <skipped message=\"the vendor review of 'Acme Code' is overdue by 1 day "
        '(accepted until 2026-11-30)">registry/tools/acme-code.yaml:50:11: '
        "note[vendor-review-overdue] the vendor review of 'Acme Code' is overdue by 1 day "
        "(accepted until 2026-11-30)\n"
        "owner: dev@example.com\n"
        "due: 2026-10-31\n"
        "days: -1</skipped>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_junit_empty_is_one_passing_suite() -> None:
    root = ET.fromstring(junit.render([]))
    assert root.attrib == {
        "name": "handbook",
        "tests": "0",
        "failures": "0",
        "errors": "0",
        "skipped": "0",
    }
    assert [s.attrib["name"] for s in root] == ["handbook"]


def test_junit_escapes_markup_and_strips_characters_xml_cannot_hold() -> None:
    evil = Diagnostic(
        "schema",
        E,
        'bad "value" </failure><x> & \x00\x1b end\nnext',
        'registry/tools/"q".yaml',
        3,
        4,
        hint="<hint>",
    )
    got = junit.render([evil])
    root = ET.fromstring(got)  # well-formed
    (case,) = root.iter("testcase")
    (failure,) = case
    # the Diagnostic shows the controls as escapes; clean() is the last lock for the XML
    assert failure.attrib["message"] == 'bad "value" </failure><x> & \\u0000\\u001b end\\nnext'
    assert junit.clean("a\x00\x1bb\n") == "a\ufffd\ufffdb\n"
    assert failure.text is not None
    assert failure.text.endswith("hint: <hint>")
    assert case.attrib["file"] == 'registry/tools/"q".yaml'


def test_junit_one_suite_per_rule_sorted() -> None:
    root = ET.fromstring(junit.render([SCHEMA, REVIEW, AUDIT, CERT]))
    assert [(s.attrib["name"], s.attrib["tests"]) for s in root] == [
        ("access-review-due", "1"),
        ("cert-expiring", "1"),
        ("output-audit-overdue", "1"),
        ("schema", "1"),
    ]


def test_renderers_registered() -> None:
    assert RENDERERS["markdown"] is markdown.render
    assert RENDERERS["junit"] is junit.render
