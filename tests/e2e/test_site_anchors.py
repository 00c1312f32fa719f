"""Anchors by the book, on real MkDocs builds: Unicode heading ids that do not shift, a missing
anchor reported where its link is written with the closest ids as a hint, and ids that a page
would define twice refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_shipped

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "handbook"
    copy_shipped(root)
    return root


LANGUAGES = """\
# Languages

## Überprüfung der Anbieter

## 利用ガイド

Links to [the review](#überprüfung-der-anbieter) and [the guide](#利用ガイド).
"""


def test_headings_in_other_scripts_keep_their_words(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "content/pages/languages.md").write_text(LANGUAGES, encoding="utf-8")
    assert main(["build", "--root", str(root)]) == 0, capsys.readouterr()
    html = (root / "site/languages/index.html").read_text(encoding="utf-8")
    assert 'id="überprüfung-der-anbieter"' in html
    assert 'id="利用ガイド"' in html
    assert 'id="_1"' not in html


def test_a_missing_anchor_is_reported_at_the_markdown_line(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = "# Notes\n\nFirst line.\n\nSee [the matrix](dashboard.md#matrx).\n"
    (root / "content/pages/notes.md").write_text(page, encoding="utf-8")
    before = (root / "content/procedure/1-assess.yaml").read_text(encoding="utf-8")
    (root / "content/procedure/1-assess.yaml").write_text(
        before.replace(
            "  tool was allowed in and which data it may touch.\n",
            "  tool was allowed in and which data it may touch. See the\n"
            "  [shadow AI pitfall](guidance.md#shadow-a).\n",
            1,
        ),
        encoding="utf-8",
    )
    assert main(["build", "--root", str(root), "--format", "text"]) == 1
    out = capsys.readouterr().out
    line = next(i for i, text in enumerate(before.splitlines(), 1) if "may touch." in text) + 1
    assert (
        "content/pages/notes.md:5:18: error[anchor-missing] link '../dashboard/#matrx': "
        "'dashboard/index.html' has no anchor 'matrx'"
    ) in out
    assert "  hint: did you mean '#matrix'?" in out
    assert f"content/procedure/1-assess.yaml:{line}:23: error[anchor-missing]" in out
    assert "  hint: did you mean '#shadow-ai'?" in out


def test_a_tip_and_a_pitfall_with_one_id_are_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guidance = root / "content/guidance.yaml"
    text = guidance.read_text(encoding="utf-8")
    assert "  - id: shadow-ai\n" in text and "  - id: start-small\n" not in text
    first_tip = text.split("tips:\n", 1)[1].split("  - id: ", 2)[1].split("\n", 1)[0]
    guidance.write_text(text.replace("  - id: shadow-ai\n", f"  - id: {first_tip}\n"), "utf-8")
    assert main(["validate", "--root", str(root), "--format", "text"]) == 1
    out = capsys.readouterr().out
    assert f"error[anchor-duplicate] id '{first_tip}' of pitfalls[" in out
    assert f"is also the id of tips[0] ('{first_tip}') on the same page" in out
