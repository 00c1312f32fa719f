"""The repository itself: its schemas are valid JSON Schema, its YAML names them, it validates."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from conftest import PINNED, REPO, copy_shipped
from jsonschema import Draft202012Validator

from generator.cli import main
from generator.load import KINDS, SCHEMA_FILES

SCHEMAS = sorted((REPO / "schemas").glob("*.json"))
YAML = sorted(
    [p for p in (REPO / "registry").rglob("*") if p.suffix in {".yaml", ".yml"}]
    + [p for p in (REPO / "content").rglob("*") if p.suffix in {".yaml", ".yml"}]
)
BASE_YAML = sorted((REPO / "tests/cases/base").rglob("*.yaml"))
COMMENT = re.compile(r"# yaml-language-server: \$schema=(?P<target>\S+)")


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize("schema", SCHEMAS, ids=rel)
def test_schema_is_valid_draft_2020_12(schema: Path) -> None:
    data = json.loads(schema.read_text(encoding="utf-8"))
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(data)


def test_every_kind_has_its_schema() -> None:
    assert sorted(SCHEMA_FILES.values()) == sorted(
        p.name for p in SCHEMAS if p.name != "common.schema.json"
    )


@pytest.mark.parametrize("file", YAML + BASE_YAML, ids=rel)
def test_yaml_names_its_schema_on_the_first_line(file: Path) -> None:
    first = file.read_text(encoding="utf-8").lstrip("\ufeff").split("\n", 1)[0]
    match = COMMENT.fullmatch(first)
    assert match, f"{rel(file)}: first line is {first!r}"
    root = REPO / "tests/cases/base" if file in BASE_YAML else REPO  # each tree is a repo root
    target = REPO / (file.parent / match["target"]).resolve().relative_to(root)
    assert target.is_file(), f"{rel(file)} points at {match['target']}, which does not exist"
    kind = next(k for pattern, k in KINDS.items() if file.relative_to(root).match(pattern))
    assert target.name == SCHEMA_FILES[kind]


def test_shipped_repository_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--root", str(REPO), "--format", "text"])
    out, err = capsys.readouterr()
    assert (out, err) == ("no problems found\n", PINNED)
    assert code == 0


def test_shipped_repository_validates_strictly(capsys: pytest.CaptureFixture[str]) -> None:
    """No warnings either: a stray file or a missing schema line is a slip in the example."""
    code = main(["validate", "--root", str(REPO), "--format", "text", "--strict"])
    assert (code, capsys.readouterr().out) == (0, "no problems found\n")


PROPOSE = REPO / "content/pages/propose.md"


def test_the_propose_page_commands_work_in_the_order_it_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """content/pages/propose.md, run as written in a copy of the shipped handbook: the vendor
    first, then the tool; then the check CI runs fails on the scaffolds' placeholders alone,
    as the page says, and on nothing else."""
    text = PROPOSE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert [shlex.split(line)[:2] for line in lines] == [
        ["handbook", "new-vendor"],
        ["handbook", "new-tool"],
        ["handbook", "validate"],
    ]
    monkeypatch.chdir(copy_shipped(tmp_path / "hb"))
    *scaffolds, check = [shlex.split(line)[1:] for line in lines]
    assert [main(argv) for argv in scaffolds] == [0, 0], capsys.readouterr()
    capsys.readouterr()
    assert "--strict" in check
    assert main([*check, "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    assert found and {d["rule"] for d in found} == {"placeholder-left"}
