"""`handbook build` for real: validation, staleness gate, MkDocs strict, the files it publishes."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import MakeTree, copy_shipped, read_config

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def shipped(tmp_path: Path) -> Path:
    """A copy of the repository's own handbook (registry, content, schemas, mkdocs.yml)."""
    root = tmp_path / "handbook"
    copy_shipped(root)
    return root


def test_shipped_handbook_builds_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = shipped(tmp_path)
    assert main(["build", "--root", str(root), "--format", "text"]) == 0
    err = capsys.readouterr().err
    assert f"built {root / 'site'}" in err
    site = root / "site"
    for page in (
        "index.html",
        "which-tools/index.html",
        "procedure/phase-1/index.html",
        "tools/index.html",
        "tools/northwind-assist/index.html",
        "vendors/northwind-ai/index.html",
        "dashboard/index.html",
        "rules/index.html",
        "exports/index.html",
        "propose/index.html",
        "report-inaccuracy/index.html",
        "registry.json",
        "registry.csv",
        "due-dates.ics",
        "assets/which-tools.js",
        "assets/table-filter.js",
        "assets/handbook.css",
        "search/search_index.json",
    ):
        assert (site / page).is_file(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Dates are checked as of 2026-11-01 (pinned in registry/policy.yaml)" in home
    # nothing is loaded from another host: no Google Fonts, no CDN
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", text):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (html, tag)
    assert "fonts.googleapis" not in home
    registry = json.loads((site / "registry.json").read_text(encoding="utf-8"))
    assert registry["version"] == 1
    assert registry["generated"] == "2026-11-01"
    # the generated configuration holds no registry data, only fixed pages
    config = (root / "build" / "mkdocs.yml").read_text(encoding="utf-8")
    for tool in registry["tools"]:
        assert tool["name"] not in config
        assert tool["id"] not in config
    conf = read_config(config)
    assert "INHERIT" not in conf  # the vetted settings of mkdocs.yml are written out instead
    assert conf["site_name"] == "AI tool handbook"
    assert conf["theme"]["custom_dir"] == "overrides"
    assert conf["theme"]["font"] is False
    assert not any("tools/" in str(item) and "index" not in str(item) for item in conf["nav"])


def test_rebuild_rewrites_only_changed_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = shipped(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 0
    assert "(0 changed)" in capsys.readouterr().err


def test_validation_errors_stop_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = shipped(tmp_path)
    tool = root / "registry" / "tools" / "northwind-assist.yaml"
    tool.write_text(
        tool.read_text(encoding="utf-8").replace("vendor: northwind-ai", "vendor: nobody")
    )
    assert main(["build", "--root", str(root), "--format", "text"]) == 1
    out = capsys.readouterr()
    assert "error[ref-unknown-vendor]" in out.out
    assert "fix the validation errors" in out.err
    assert not (root / "site").exists()


def test_stale_entries_stop_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = shipped(tmp_path)
    assert main(["build", "--root", str(root), "--as-of", "2027-06-01", "--format", "text"]) == 1
    out = capsys.readouterr()
    assert re.search(r"error\[[a-z-]+-overdue\]", out.out)
    assert "stale entries as of 2027-06-01" in out.err
    assert not (root / "site").exists()


def test_warnings_fail_only_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = shipped(tmp_path)
    assert main(["build", "--root", str(root), "--strict"]) == 1
    assert "warnings (--strict)" in capsys.readouterr().err


def test_mkdocs_warnings_fail_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = shipped(tmp_path)
    page = root / "content" / "pages" / "extra-page.md"
    page.write_text("# Extra\n\nSee [a missing page](missing.md).\n", encoding="utf-8")
    assert main(["build", "--root", str(root), "--format", "text"]) == 1
    out = capsys.readouterr()
    assert "error[site-build]" in out.out
    assert "missing.md" in out.out


CURRENT = """\
  output_audits:
    - date: 2026-10-20
      reviewer: Ben Carter
      drift: false
  vendor_review:
    date: 2026-09-01
    reviewer: Hannah Okafor (Legal)
    changes: none
"""


def test_minimal_tree_without_mkdocs_yml(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = handbook_tree()
    tool = root / "registry" / "tools" / "acme-chat.yaml"
    tool.write_text(tool.read_text(encoding="utf-8") + CURRENT, encoding="utf-8")
    assert main(["build", "--root", str(root), "--as-of", "2026-11-01"]) == 0, capsys.readouterr()
    config = read_config((root / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "INHERIT" not in config
    assert config["theme"]["font"] is False
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Dates are checked as of 2026-11-01 (set with --as-of)" in home


@pytest.mark.parametrize(
    "written", ["site_name: x\n", "site_name: x\nmarkdown_extensions: [tables]\n"]
)
def test_a_bare_mkdocs_yml_still_builds_the_generated_pages(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    """The generated pages need attr_list, admonition, details and tables: the build adds what
    mkdocs.yml leaves out, and validation renders Markdown with the same extensions."""
    root = handbook_tree()
    tool = root / "registry" / "tools" / "acme-chat.yaml"
    tool.write_text(tool.read_text(encoding="utf-8") + CURRENT, encoding="utf-8")
    (root / "mkdocs.yml").write_text(written, encoding="utf-8")
    assert main(["build", "--root", str(root), "--as-of", "2026-11-01"]) == 0, capsys.readouterr()
    config = read_config((root / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert {"attr_list", "admonition", "pymdownx.details", "tables", "toc"} <= set(names)


def test_a_repository_git_refuses_is_one_warning(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """git refuses a repository another user owns (CI containers): the build says so once,
    with the command that fixes it, and builds; --strict stops at the warning."""
    root = handbook_tree()
    tool = root / "registry" / "tools" / "acme-chat.yaml"
    counted = CURRENT.replace(
        "drift: false\n", "drift: false\n      sample_size: 40\n      errors: 0\n"
    )
    tool.write_text(tool.read_text(encoding="utf-8") + counted, encoding="utf-8")
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@x",
                 "commit", "-q", "-m", "Add the handbook"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own test switch
    assert main(["build", "--root", str(root), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out == (
        "<handbook>: warning[history-unreadable] history unavailable: git refused to read the "
        "repository (detected dubious ownership: it belongs to another user than the one "
        "building); the tool pages show no status history\n"
        "  hint: if you trust it, run `git config --global --add safe.directory "
        f"{root.resolve()}`\n"
        "1 warning\n"
    )
    page = (root / "site" / "tools" / "acme-chat" / "index.html").read_text(encoding="utf-8")
    assert "History unavailable: git refused to read the repository" in page
    assert main(["build", "--root", str(root), "--strict"]) == 1
    assert "warnings (--strict)" in capsys.readouterr().err
