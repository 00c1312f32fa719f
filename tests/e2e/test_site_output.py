"""Output folders are published all or nothing, and only folders the tool made are replaced.

Real MkDocs builds: a failure at any step (validation, staleness, MkDocs strict, the internal
link check) leaves the previous site/ byte for byte as it was; an output folder that overlaps an
input, or that the tool did not make, is refused with exit 2 before anything is written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_shipped

from generator import sitenames
from generator.cli import main
from generator.output import MARKER

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (links recorded as their target)."""
    out: dict[str, bytes] = {}
    for f in sorted(folder.rglob("*")):
        rel = f.relative_to(folder).as_posix()
        if f.is_symlink():
            out[rel] = b"-> " + str(f.readlink()).encode()
        elif f.is_file():
            out[rel] = f.read_bytes()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped handbook, built once; tests copy it."""
    root = tmp_path_factory.mktemp("built") / "handbook"
    copy_shipped(root)
    assert main(["build", "--root", str(root)]) == 0
    return root


@pytest.fixture
def root(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "handbook"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_top_level_entry_of_the_site_has_a_declared_name(built: Path) -> None:
    """What MkDocs and Material write is listed in generator/sitenames.py beside the generator's
    own output, so validation keeps every page name off it (a new MkDocs output fails here)."""
    top = sitenames.top_level()
    pages = {p.stem for p in (built / "content/pages").glob("*.md")}
    for entry in (built / "site").iterdir():
        if entry.name != MARKER:
            name = entry.name.split(".", 1)[0]
            assert name in top or name in pages, entry.name


def test_the_site_carries_the_marker(root: Path) -> None:
    assert (root / "site" / MARKER).is_file()
    assert (root / "build" / MARKER).is_file()


FAILURES = {
    # a procedure step that links to a tool page that does not exist: MkDocs (strict) refuses
    "mkdocs": (
        "content/procedure/1-assess.yaml",
        "  tool was allowed in and which data it may touch.\n",
        "  tool was allowed in and which data it may touch. See\n"
        "  [the tool](../tools/no-such-tool.md).\n",
        "MkDocs reported problems",
    ),
    # a page whose markup breaks the internal link check (MkDocs does not look inside raw HTML)
    "links": (
        "content/pages/propose.md",
        "\n",
        '\n<p><a href="../dashboard/#no-such-anchor">the matrix</a></p>\n\n',
        "broken internal links or anchors",
    ),
    # a stale approval
    "stale": ("registry/policy.yaml", "as_of: 2026-11-01", "as_of: 2027-06-01", "stale entries"),
    # a validation error
    "invalid": (
        "registry/tools/northwind-assist.yaml",
        "vendor: northwind-ai",
        "vendor: nobody",
        "fix the validation errors",
    ),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_build_leaves_the_previous_site_as_it_was(
    root: Path, failure: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, old, new, why = FAILURES[failure]
    before = snapshot(root / "site")
    edit(root, rel, old, new)
    assert main(["build", "--root", str(root), "--format", "text"]) == 1
    assert why in capsys.readouterr().err
    assert snapshot(root / "site") == before
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site.")]
    assert leftovers == []  # no half-built staging folder left behind


def test_a_successful_build_replaces_the_site_whole(root: Path) -> None:
    (root / "site" / "stray.html").write_text("left from an old build", encoding="utf-8")
    edit(root, "content/pages/propose.md", "\n", "\nA new sentence on the page.\n\n")
    assert main(["build", "--root", str(root)]) == 0
    assert not (root / "site" / "stray.html").exists()
    assert "A new sentence on the page." in (root / "site/propose/index.html").read_text("utf-8")
    assert (root / "site" / MARKER).is_file()


@pytest.mark.parametrize(
    "target",
    [
        "content",
        "registry",
        "registry/tools",
        "schemas",
        ".git",
        ".",
        "..",
        "build",
        "content/pages/site",
        "mkdocs.yml",
    ],
)
def test_an_output_overlapping_an_input_is_refused(
    root: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = snapshot(root)
    code = main(["build", "--root", str(root), "--site-dir", str(root / target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "--site-dir" in err and "internal error" not in err
    assert snapshot(root) == before


def test_the_package_itself_is_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = REPO / "generator"
    assert main(["build", "--root", str(root), "--site-dir", str(package / "site")]) == 2
    assert "overlaps" in capsys.readouterr().err
    assert not (package / "site").exists()


def test_a_folder_the_tool_did_not_make_is_never_replaced(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "important.txt").write_text("do not lose this", encoding="utf-8")
    assert main(["build", "--root", str(root), "--site-dir", str(mine)]) == 2
    assert "was not made by this tool" in capsys.readouterr().err
    assert snapshot(mine) == {"important.txt": b"do not lose this"}
    # an empty folder is fine: nothing can be lost
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build", "--root", str(root), "--site-dir", str(empty)]) == 0
    assert (empty / "index.html").is_file()


def test_a_site_folder_that_is_a_link_is_refused(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep", encoding="utf-8")
    shutil.rmtree(root / "site")
    (root / "site").symlink_to(elsewhere)
    assert main(["build", "--root", str(root)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert snapshot(elsewhere) == {"keep.txt": b"keep"}


@pytest.mark.parametrize("target", ["content", "registry", ".", "schemas"])
def test_the_report_folder_obeys_the_same_rules(
    root: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(root)
    code = main(["report", "--root", str(root), "--no-links", "--out", str(root / target)])
    assert code == 2, capsys.readouterr().err
    assert snapshot(root) == before


def test_a_report_that_fails_midway_leaves_the_previous_one(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = root / "report"
    assert main(["report", "--root", str(root), "--no-links", "--out", str(out)]) == 0
    before = snapshot(out)
    from generator.report import nightly

    def broken(*args: object) -> dict[str, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nightly, "contents", broken)
    assert main(["report", "--root", str(root), "--no-links", "--out", str(out)]) == 3
    capsys.readouterr()
    assert snapshot(out) == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".report.")] == []


def test_a_linked_asset_is_refused_and_never_copied(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    (root / "content/assets/passwd.txt").symlink_to("/etc/passwd")
    before = snapshot(root / "site")
    assert main(["build", "--root", str(root), "--format", "text"]) == 1
    out = capsys.readouterr().out
    assert "content/assets/passwd.txt: error[file-symlink]" in out
    assert snapshot(root / "site") == before
    assert not any(
        "root:" in p.read_text("utf-8", "replace")
        for p in (root / "build").rglob("*")
        if p.is_file()
    )


def test_an_interrupted_run_leaves_nothing_for_long(root: Path) -> None:
    """A staging folder left by a killed build is removed by the next one; a folder of the
    same name the tool did not make is left alone."""
    left = root / ".site.new-killed"
    shutil.copytree(root / "site", left)
    foreign = root / ".site.new-yours"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("keep", encoding="utf-8")
    assert main(["build", "--root", str(root)]) == 0
    assert not left.exists()
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_an_earlier_versions_report_folder_is_recognised(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = root / "report"
    out.mkdir()
    for name in ("report.md", "report.json", "report.junit.xml"):
        (out / name).write_text("old", encoding="utf-8")
    assert main(["report", "--root", str(root), "--no-links", "--out", str(out)]) == 0
    assert (out / MARKER).is_file()
    assert (out / "report.md").read_text(encoding="utf-8") != "old"
