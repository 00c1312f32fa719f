"""The tracking issue's body: grouping, order, quoting of user data, mentions, the size cap."""

from __future__ import annotations

import re
from datetime import date

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.report.issue import (
    GITHUB_LIMIT,
    MARKER,
    owner_handles,
    render_issue,
    resolved_comment,
)
from generator.report.markdown import code
from generator.report.markdown import escape as text

TODAY = date(2026, 11, 27)
E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


def diag(
    rule: str = "cert-expired",
    severity: Severity = E,
    message: str = "certification 'SOC 2' expired",
    *,
    tool: str = "acme-chat",
    owner: str | None = "@acme/ml-platform",
    days: int | None = -3,
    due: str | None = "2026-11-24",
    line: int = 7,
) -> Diagnostic:
    return Diagnostic(
        rule,
        severity,
        message,
        path=f"registry/tools/{tool}.yaml",
        line=line,
        subject=tool,
        owner=owner,
        due=due,
        days=days,
    )


def test_nothing_stale_gives_no_body() -> None:
    assert render_issue([], today=TODAY, mention_owners=True) is None
    notes = [diag(severity=N), diag("pilot-ending", N)]
    assert render_issue(notes, today=TODAY, mention_owners=True) is None


def test_whole_body_grouped_by_owner_worst_first() -> None:
    diags = [
        diag("review-due", W, "review due in 10 days", tool="zeta", owner="@acme/ml", days=10),
        diag("cert-expired", E, "certification 'ISO 27001' expired", tool="alpha", owner=None),
        diag("review-overdue", W, "review is overdue", tool="beta", owner="@acme/ml", days=-40),
        diag("cert-expired", E, "certification 'SOC 2' expired", tool="beta", owner="@acme/ml"),
        diag("pilot-ending", N, "pilot ends soon", tool="beta", owner="@acme/ml"),
        diag("audit-overdue", E, "audit is overdue", tool="gamma", owner="Data Team", days=-1),
    ]
    body = render_issue(diags, today=TODAY, mention_owners=True)
    assert body == "\n".join(
        [
            MARKER,
            "## Stale AI-tool approvals",
            "",
            "Checked on **2026-11-27**: 3 errors and 2 warnings for 4 tools.",
            "Not stale yet, so not listed: 1 note (see the report artifact).",
            "",
            "### @acme/ml (1 error and 2 warnings)",
            "",
            "- **error** · tool `beta` · rule `cert-expired` · due 2026-11-24, 3 days overdue"
            " · `registry/tools/beta.yaml:7`",
            "  certification 'SOC 2' expired",
            "- **warning** · tool `beta` · rule `review-overdue` · due 2026-11-24, 40 days"
            " overdue · `registry/tools/beta.yaml:7`",
            "  review is overdue",
            "- **warning** · tool `zeta` · rule `review-due` · due 2026-11-24, 10 days left"
            " · `registry/tools/zeta.yaml:7`",
            "  review due in 10 days",
            "",
            "### `Data Team` (1 error)",
            "",
            "- **error** · tool `gamma` · rule `audit-overdue` · due 2026-11-24, 1 day overdue"
            " · `registry/tools/gamma.yaml:7`",
            "  audit is overdue",
            "",
            "### No owner recorded (1 error)",
            "",
            "- **error** · tool `alpha` · rule `cert-expired` · due 2026-11-24, 3 days overdue"
            " · `registry/tools/alpha.yaml:7`",
            "  certification 'ISO 27001' expired",
            "",
            "---",
            "*Kept up to date by the nightly `handbook report --github-issue`; it closes this"
            " issue when every approval is current. Fix the entries in `registry/`, not this"
            " text.*",
            "",
        ]
    )


def test_deterministic_whatever_the_input_order() -> None:
    diags = [
        diag(tool=t, owner=o, days=d) for t in "abc" for o in ("@x", "@y", None) for d in (1, -1)
    ]
    first = render_issue(diags, today=TODAY, mention_owners=False)
    assert render_issue(diags[::-1], today=TODAY, mention_owners=False) == first


def test_no_mentions_unless_asked() -> None:
    diags = [diag(owner="@acme/ml-platform")]
    quiet = render_issue(diags, today=TODAY, mention_owners=False)
    loud = render_issue(diags, today=TODAY, mention_owners=True)
    assert quiet is not None and loud is not None
    assert "### `@acme/ml-platform` (1 error)" in quiet
    assert "### @acme/ml-platform (1 error)" in loud
    assert mentions(quiet) == []
    assert mentions(loud) == ["@acme/ml-platform"]


def test_contact_owners_are_mentioned_through_their_handles() -> None:
    handles = owner_handles(
        [
            ("ml@acme.example", "@acme/ml"),
            ("ml@acme.example", "@acme/ML-leads"),
            ("ml@acme.example", "@acme/ml"),
            ("data@acme.example", "@evil everyone"),
            ("ops@acme.example", None),
        ]
    )
    assert handles == {"ml@acme.example": ("@acme/ml", "@acme/ML-leads")}
    diags = [
        diag(owner="data@acme.example, ml@acme.example", tool="a"),
        diag(owner="data@acme.example", tool="b"),
    ]
    loud = render_issue(diags, today=TODAY, mention_owners=True, handles=handles)
    quiet = render_issue(diags, today=TODAY, mention_owners=False, handles=handles)
    assert loud is not None and quiet is not None
    headings = [line for line in loud.splitlines() if line.startswith("### ")]
    assert headings == [
        "### `data@acme.example` (1 error)",
        "### `data@acme.example, ml@acme.example` @acme/ml @acme/ML-leads (1 error)",
    ]
    assert mentions(loud) == ["@acme/ml", "@acme/ML-leads"]
    assert mentions(quiet) == []


@pytest.mark.parametrize(
    "owner",
    ["@evil everyone", "@acme/ml @other", "acme@example.com", "@-bad", "@a/b\n@c", "ML team"],
)
def test_only_real_handles_are_mentioned(owner: str) -> None:
    body = render_issue([diag(owner=owner)], today=TODAY, mention_owners=True)
    assert body is not None
    assert mentions(body) == []


def mentions(body: str) -> list[str]:
    """What GitHub would turn into mentions: '@handle' outside code spans, not after a word."""
    outside = re.sub(r"(`+).*?\1", "", body)
    return re.findall(r"(?<![\w`])@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9._-]+)?", outside)


HOSTILE = [
    "![x](http://evil/pixel.png)",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "@evil please look",
    "see acme/other#12 and #3",
    "a | table | row",
    "```\ncode block\n```",
    "line one\n\n# heading\n- item",
    "<!-- handbook:stale-approvals -->",
    "$\\sqrt{x}$ and **bold** _em_ ~strike~",
    "www.evil.example and https://evil.example/x",
    "===",
    "---",
    "1. a list",
    "+ another",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_user_data_stays_inert_text(value: str) -> None:
    d = Diagnostic(
        "cert-expired",
        E,
        f"certification {value!r} expired",
        path=f"registry/tools/{value}.yaml",
        line=1,
        hint=value,
        subject=value,
        step=value,
        owner=value,
        due=value,
        days=-1,
    )
    body = render_issue([d], today=TODAY, mention_owners=True)
    assert body is not None
    assert body.startswith(MARKER + "\n")
    # What GitHub renders as Markdown: everything outside code spans, less our own marker.
    outside = re.sub(r"(`+).*?\1", "", body.removeprefix(MARKER))
    assert "<" not in outside and ">" not in outside  # no HTML, no second marker
    assert not re.search(r"(?<!\\)[\[\]!|$]", outside)  # no link, image, table or math syntax
    assert mentions(body) == []
    assert not re.search(r"#\w", outside)  # no issue references
    assert not re.search(r"https?:|www\.evil", outside)  # no autolinks
    # Values stay inside their lines: no headings, fences or HTML blocks of their own.
    lines = body.removeprefix(MARKER).splitlines()
    assert not [line for line in lines if line.startswith(("# ", "```", "<"))]
    assert not [line for line in lines if re.match(r"  ([=+-]|\d+[.)])", line)]
    assert len(lines) == 13


def test_text_and_code_quote_exactly() -> None:
    assert text("a <b> & [c](d) @e #1 `f` | g\nh") == (
        "a &lt;b&gt; &amp; \\[c\\]\\(d\\) @\u200de #\u200d1 \\`f\\` \\| g h"
    )
    assert text("=== heading underline") == "\\=== heading underline"
    assert text("- item") == "\\- item"
    assert text("12) item") == "12\\) item"
    assert text("2026-11-24") == "2026-11-24"
    assert text("see www.x.example") == "see www\\.x.example"
    assert code("plain") == "`plain`"
    assert code("has `one` tick") == "``has `one` tick``"
    assert code("`edge``") == "``` `edge`` ```"
    assert code("two\nlines") == "`two lines`"
    assert code("  ") == "(empty)"


def test_size_cap_keeps_errors_and_counts_the_rest() -> None:
    diags = [
        diag(
            "review-overdue" if i % 5 else "cert-expired",
            W if i % 5 else E,
            "x" * 40 + f" finding {i}",
            tool=f"tool-{i:04d}",
            owner=f"@acme/team-{i % 7}",
            days=-(i % 90),
        )
        for i in range(5000)
    ]
    body = render_issue(diags, today=TODAY, mention_owners=False)
    assert body is not None
    assert len(body) <= 65000 < GITHUB_LIMIT
    assert body.startswith(MARKER)
    assert "Checked on **2026-11-27**: 1000 errors and 4000 warnings for 5000 tools." in body
    shown = body.count("\n- **")
    assert 0 < shown < 5000
    more = re.search(r"…and (\d+) more \(([^)]*)\); see the report artifact\.", body)
    assert more is not None
    assert int(more.group(1)) == 5000 - shown
    # Errors come first, so every warning is among the summarised ones.
    assert "- **warning**" not in body
    assert "\n- `@acme/team-0`: `cert-expired`: " in body or "\n- `@acme/team-0`: " in body


def test_size_cap_shows_all_errors_when_they_fit() -> None:
    diags = [diag("cert-expired", E, f"expired {i}", tool=f"e{i}") for i in range(3)]
    diags += [
        diag("review-overdue", W, "y" * 200, tool=f"w{i:03d}", owner=f"@acme/t{i % 2}")
        for i in range(200)
    ]
    body = render_issue(diags, today=TODAY, mention_owners=False, max_chars=10_000)
    assert body is not None
    assert len(body) <= 10_000
    assert body.count("- **error**") == 3
    assert "- **warning**" not in body
    assert "…and 200 more (200 warnings); see the report artifact." in body
    assert "- `@acme/t0`: `review-overdue`: 100\n" in body
    assert "- `@acme/t1`: `review-overdue`: 100\n" in body


def test_size_cap_with_tiny_limit_still_fits() -> None:
    diags = [diag(tool=f"t{i}", owner=f"@o/t{i}") for i in range(300)]
    body = render_issue(diags, today=TODAY, mention_owners=True, max_chars=600)
    assert body is not None
    assert len(body) <= 600
    assert body.startswith(MARKER)
    more = re.search(r"…and (\d+) more \((\d+) errors\); see the report artifact\.", body)
    assert more is not None
    assert int(more.group(1)) == int(more.group(2)) == 300 - body.count("\n- **error**")


def test_resolved_comment() -> None:
    assert (
        resolved_comment(TODAY) == "All approvals are current as of 2026-11-27. Closing this issue."
    )
