"""Internal links of a built site, offline: MkDocs directory URLs, relative paths, anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.checks.links import check_site
from generator.checks.links.collect import from_site, scan_site
from generator.cli import main


def html(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>\n{body}\n</body></html>\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    files = {
        "index.html": html(
            '<h1 id="welcome">W</h1>\n'
            '<a href="guide/">guide</a>\n'  # 3: directory URL
            '<a href="guide/#install">install</a>\n'  # 4
            '<a href="guide/index.html#nope">nope</a>\n'  # 5: missing anchor
            '<a href="missing/">missing</a>\n'  # 6: missing page
            '<a href="#welcome">self</a> <a href="#absent">absent</a>\n'  # 7: missing self anchor
            '<a href="caf%C3%A9/">café</a>\n'  # 8: percent-encoded
            '<a href="https://example.com/x#y">ext</a> <a href="mailto:a@b.example">m</a>\n'
            '<a href="guide">no slash</a> <a href="/tools/a/#top">root-relative</a>\n'  # 10
            '<a href="../outside.html">out</a>\n'  # 11: leaves the site
            '<img src="img/logo.png"> <img src="img/missing.png">\n'  # 12
            '<a href="guide/?q=1#install">query</a>\n'
        ),
        "guide/index.html": html(
            '<h2 id="install">Install</h2>\n'
            '<a href="../">home</a> <a href="../index.html#welcome">w</a>\n'
            '<a href="../tools/a/#legacy">legacy anchor</a>\n'
            '<a href="../tools/b/">b</a>\n'  # 5: missing
            '<a href="./#install">dot</a> <a href=".">dot2</a>\n'
        ),
        "tools/a/index.html": html('<a name="legacy"></a><a href="../../caf%C3%A9/#h%C3%A9">x</a>'),
        "café/index.html": html('<h2 id="hé">H</h2>'),
        "chart/index.html": html(  # links inside an SVG image (xlink:href) are checked too
            '<svg><a xlink:href="../guide/#install"><rect/></a>\n'
            '<a xlink:href="../guide/#gone"><rect/></a></svg>\n'  # 3
        ),
        "img/logo.png": "PNG",
        "based/index.html": html(
            '<a href="guide/#install">from base</a> <a href="nowhere.html">bad</a>',
            head='<base href="../">',
        ),
    }
    for rel, text in files.items():
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return root


def test_internal_links(site: Path) -> None:
    diags = check_site(site, label="site")
    got = [(f"{d.path}:{d.line}", d.rule, d.message) for d in diags]
    assert got == [
        (
            "site/based/index.html:2",
            "link-broken",
            "link 'nowhere.html' points to 'nowhere.html', which does not exist",
        ),
        (
            "site/chart/index.html:3",
            "anchor-missing",
            "link '../guide/#gone': 'guide/index.html' has no anchor 'gone'",
        ),
        (
            "site/guide/index.html:5",
            "link-broken",
            "link '../tools/b/' points to 'tools/b/', which does not exist",
        ),
        (
            "site/index.html:5",
            "anchor-missing",
            "link 'guide/index.html#nope': 'guide/index.html' has no anchor 'nope'",
        ),
        (
            "site/index.html:6",
            "link-broken",
            "link 'missing/' points to 'missing/', which does not exist",
        ),
        ("site/index.html:7", "anchor-missing", "link '#absent': this page has no anchor 'absent'"),
        ("site/index.html:11", "link-broken", "link '../outside.html' points outside the site"),
        (
            "site/index.html:12",
            "link-broken",
            "link 'img/missing.png' points to 'img/missing.png', which does not exist",
        ),
    ]
    assert {d.severity.value for d in diags} == {"error"}
    assert all(d.column is not None and d.hint for d in diags)


def test_external_links_of_a_site(site: Path) -> None:
    occ = from_site(scan_site(site, "site"))
    assert [(o.url, o.path, o.line) for o in occ] == [
        ("https://example.com/x#y", "site/index.html", 9),
        ("mailto:a@b.example", "site/index.html", 9),
    ]


def test_cli_internal_only(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check-links",
            "--site",
            str(site),
            "--internal-only",
            "--format",
            "json",
            "--root",
            str(tmp_path),
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 1
    assert '"error": 8' in out


def test_cli_missing_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-links", "--site", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_root_absolute_links_under_the_published_path(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "guide").mkdir(parents=True)
    (root / "index.html").write_text(
        html(
            '<a href="/handbook/guide/#install">ok</a> <a href="/handbook">home</a>\n'
            '<a href="/handbook/nope/">missing</a>',
            head='<link rel="canonical" href="https://docs.example.com/handbook/">',
        ),
        encoding="utf-8",
    )
    (root / "guide/index.html").write_text(html('<h2 id="install">I</h2>'), encoding="utf-8")
    diags = check_site(root, label="out")
    assert [(d.line, d.message) for d in diags] == [
        (3, "link '/handbook/nope/' points to 'nope/', which does not exist")
    ]
    assert from_site(scan_site(root)) == []  # the canonical link is not an external link


def test_an_id_defined_twice_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(
        html('<h2 id="a">A</h2>\n<p id="b">b</p>\n<h2 id="a">again</h2>\n<a name="b"></a>\n'),
        encoding="utf-8",
    )
    diags = check_site(root, label="site")
    assert [(d.location, d.rule, d.message) for d in diags] == [
        (
            "site/index.html:4:1",
            "anchor-duplicate",
            "the page defines id 'a' more than once; links to '#a' reach only the first",
        ),
        (
            "site/index.html:5:1",
            "anchor-duplicate",
            "the page defines id 'b' more than once; links to '#b' reach only the first",
        ),
    ]


def test_a_finding_moves_to_the_line_its_link_is_written_on_not_a_longer_name() -> None:
    """``#x`` is not found inside ``#xyz``: the finding goes where ``#x`` itself is written."""
    from generator.checks.links.sources import at_sources
    from generator.diagnostics import Diagnostic, Severity

    text = "# Notes\n\nSee [one](#xyz).\n\nAnd [two](#x).\n"
    found = [
        Diagnostic(
            "anchor-missing", Severity.ERROR, "link '#x': this page has no anchor 'x'",
            "site/notes/index.html", 40, 3, target="#x",
        )
    ]  # fmt: skip
    moved = at_sources(found, "site", {"notes.md": ("content/pages/notes.md",)},
                       {"content/pages/notes.md": text})  # fmt: skip
    assert (moved[0].path, moved[0].line, moved[0].column) == ("content/pages/notes.md", 5, 11)


LINKTEST = (
    "# Links\n"  # 1
    "\n"
    "## Intro\n"  # 3
    "\n"
    "See [intro](#intro).\n"  # 5
    "\n"
    "## What's new\n"  # 7
    "\n"
    "Other [x](propose.md#intro).\n"  # 9
    "\n"
    "One [m](#missing-one).\n"  # 11
    "\n"
    "Two [m](#missing-one).\n"  # 13
    "\n"
    "New [new](#what's-new) and [fi](#\ufb01le).\n"  # 15
)


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        (["../propose/#intro"], [(9, 11)]),  # the cross-page link, not the valid #intro above
        (["#missing-one", "#missing-one"], [(11, 9), (13, 9)]),  # each its own line
        (["#what-s-new"], [(15, 11)]),  # as the sanitizer published the written fragment
        (["#\ufb01le"], [(15, 33)]),  # a character the message shows escaped
    ],
)
def test_a_link_finding_goes_to_the_place_its_link_is_written(
    urls: list[str], expected: list[tuple[int, int]]
) -> None:
    from generator.checks.links.sources import at_sources
    from generator.diagnostics import Diagnostic, Severity

    found = [
        Diagnostic(
            "anchor-missing", Severity.ERROR, f"link {u!r}: no such anchor",
            "site/linktest/index.html", 900 + i, 3, target=u,
        )
        for i, u in enumerate(urls)
    ]  # fmt: skip
    moved = at_sources(found, "site", {"linktest.md": ("content/pages/linktest.md",)},
                       {"content/pages/linktest.md": LINKTEST})  # fmt: skip
    assert [(d.path, d.line, d.column) for d in moved] == [
        ("content/pages/linktest.md", line, column) for line, column in expected
    ]
