"""Data-driven acceptance tests: every folder under tests/cases/ is a test.

* ``valid/<name>/``: an overlay on ``base/`` that must validate with no findings at all.
* ``invalid/<rule>/<name>/``: an overlay on ``base/`` plus ``expected.txt``, the exact output of
  ``handbook validate --format text`` (paths relative to the tree's root).

A case folder may hold:

* ``.delete``: paths (one a line) to remove from the tree after overlaying;
* ``case.toml``: ``args = [...]`` (extra arguments); ``pending = "why"`` skips a case whose check
  is not wired in yet (it still counts for the every-rule meta-test); and fixtures that are
  awkward to store:
  ``[[encode]] path, encoding`` re-encodes an overlay file kept as UTF-8 (Latin-1, UTF-16), and
  ``[[pad]] path, size`` appends comment lines to a file until it is ``size`` bytes long;
  ``[[symlink]] path, target`` makes ``path`` a symbolic link (``{outside}`` in the target is
  a file beside the tree, outside it).

Adding a case means adding a folder; ``pytest --update-golden`` writes its expected.txt.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, MakeTree

from generator.cli import main
from generator.rules import RULES

VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (CASES / "invalid").glob("*/*") if p.is_dir())
# A path may hold spaces (a file-name case): it ends at the first ": <severity>[".
FINDING = re.compile(r"^(?P<where>.+?): (?P<severity>error|warning|note)\[(?P<rule>[a-z0-9-]+)\] ")
FINDING_ERROR = re.compile(r"^.+?: error\[", re.MULTILINE)
AS_OF_LINE = re.compile(r"(handbook: dates judged as of \d{4}-\d\d-\d\d \([^)\n]+\)\n)?")


def case_id(case: Path) -> str:
    return case.relative_to(CASES).as_posix()


def settings(case: Path) -> dict[str, Any]:
    file = case / "case.toml"
    return tomllib.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}


def build(handbook_tree: MakeTree, case: Path) -> tuple[Path, dict[str, Any]]:
    root = handbook_tree(case)
    conf = settings(case)
    for item in conf.get("encode", []):
        target = root / item["path"]
        target.write_bytes(target.read_text(encoding="utf-8").encode(item["encoding"]))
    for item in conf.get("symlink", []):
        link = root / item["path"]
        link.parent.mkdir(parents=True, exist_ok=True)
        target = item["target"].replace("{outside}", str(root.parent / "outside"))
        link.symlink_to(target)
    for item in conf.get("pad", []):
        target = root / item["path"]
        data = target.read_bytes()
        filler = b"# padding to make the file too large to load\n"
        repeat = (item["size"] - len(data)) // len(filler) + 1
        target.write_bytes(data + filler * repeat)
    return root, conf


def validate(root: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--root", str(root), "--format", "text", *args])
    out, err = capsys.readouterr()
    assert AS_OF_LINE.fullmatch(err), err  # the pinned check date is said; nothing else
    return code, out


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_valid(case: Path, handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]) -> None:
    root, conf = build(handbook_tree, case)
    code, out = validate(root, ["--strict", *conf.get("args", [])], capsys)
    assert out == "no problems found\n"
    assert code == 0


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_invalid(
    case: Path,
    handbook_tree: MakeTree,
    capsys: pytest.CaptureFixture[str],
    update_golden: bool,
) -> None:
    root, conf = build(handbook_tree, case)
    if "pending" in conf:
        pytest.skip(conf["pending"])
    code, out = validate(root, conf.get("args", []), capsys)
    golden = case / "expected.txt"
    if update_golden:
        golden.write_text(out, encoding="utf-8")
    elif not golden.is_file():
        pytest.fail(f"{case_id(case)} has no expected.txt: run pytest --update-golden, review it")
    assert out == golden.read_text(encoding="utf-8")
    assert code == (1 if FINDING_ERROR.search(out) else 0)


def test_base_is_valid(handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(handbook_tree(), ["--strict"], capsys) == (0, "no problems found\n")


# -- the cases themselves -------------------------------------------------------------------


def test_every_load_and_validate_rule_has_a_case() -> None:
    wanted = {r.id for r in RULES.values() if r.stage in {"load", "validate"}}
    have = {p.parent.name for p in INVALID}
    assert sorted(wanted - have) == []
    assert sorted(have - set(RULES)) == []  # a folder named after a rule that does not exist


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_golden_names_its_rule_and_positions(case: Path, handbook_tree: MakeTree) -> None:
    """Each case reports its folder's rule, and every finding says file:line:column.

    The exceptions are findings about a file that does not exist (the policy file is missing)
    or is a symbolic link (never read): there is no line to point at.
    """
    root, conf = build(handbook_tree, case)
    if "pending" in conf:
        pytest.skip(conf["pending"])
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    findings = [m for m in map(FINDING.match, lines) if m]
    assert findings, "a golden without findings belongs in cases/valid/"
    assert case.parent.name in {m["rule"] for m in findings}
    for m in findings:
        path, _, position = m["where"].partition(":")
        if (root / path).exists() and not (root / path).is_symlink():
            assert re.fullmatch(r"\d+:\d+", position), m.group(0)
        else:
            assert position == "", m.group(0)
