"""Shared fixtures: a fixed TODAY, a small valid handbook tree to copy and break, golden files.

``handbook_tree`` lays out ``tests/cases/base/`` (a minimal, complete, valid handbook that does
not depend on the shipped content) plus the repository's ``schemas/`` in a temporary folder.
Tests then overlay a case folder, or write and delete single files.

Run ``pytest --update-golden`` to rewrite expected outputs instead of comparing them; review the
diff before committing it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

TODAY = date(2026, 11, 1)  # the base tree's policy pins as_of to the same day
#: What a command says on standard error about the base tree's (and the shipped) pinned date.
PINNED = "handbook: dates judged as of 2026-11-01 (pinned in registry/policy.yaml)\n"
REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"
BASE = CASES / "base"

# Files in a case folder that describe the case rather than belong to the tree.
CASE_FILES = {"expected.txt", "case.toml", ".delete"}

Files = Mapping[str, "str | bytes | None"]
MakeTree = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files (tests/cases/**/expected.txt) instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def today() -> date:
    return TODAY


def copy_shipped(root: Path) -> Path:
    """A copy of the repository's own handbook (registry, content, schemas, mkdocs.yml) at
    ``root``, for tests that build the real thing."""
    for folder in ("registry", "content", "frameworks", "schemas", "evidence"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def overlay(root: Path, case: Path) -> None:
    """Copy ``case`` over ``root``: files replace files; ``.delete`` lists paths to remove."""
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_dir() or rel.as_posix() in CASE_FILES:
            continue
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    marker = case / ".delete"
    if marker.is_file():
        remove(root, marker.read_text(encoding="utf-8").split("\n"))


def remove(root: Path, paths: Iterable[str]) -> None:
    for line in paths:
        rel = line.split("#", 1)[0].strip()
        if not rel:
            continue
        target = root / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()


def write(root: Path, files: Files) -> None:
    """Write text (UTF-8) or bytes; None deletes the path."""
    for rel, content in files.items():
        target = root / rel
        if content is None:
            remove(root, [rel])
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))


@pytest.fixture
def handbook_tree(tmp_path: Path) -> MakeTree:
    """A factory: ``handbook_tree(case_dir=None, files=None, schemas=True) -> root``.

    Each call builds a fresh tree under tmp_path (tree, tree-2, ...), so a test can make several.
    """
    made = 0

    def make(
        case_dir: Path | None = None, files: Files | None = None, *, schemas: bool = True
    ) -> Path:
        nonlocal made
        made += 1
        root = tmp_path / ("tree" if made == 1 else f"tree-{made}")
        shutil.copytree(BASE, root)
        if schemas:
            shutil.copytree(REPO / "schemas", root / "schemas")
        if case_dir is not None:
            overlay(root, case_dir)
        if files:
            write(root, files)
        return root

    return make


# -- the browser, for e2e modules that define a `site` fixture (a built site folder) -----------


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The module's ``site`` served on 127.0.0.1 (tests/e2e/browser.py)."""
    from browser import serving

    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser import launch

    yield from launch()


@pytest.fixture
def visit(browser: Any, base_url: str) -> Iterator[Any]:
    from browser import Visit

    v = Visit(browser, base_url)
    try:
        yield v
    finally:
        v.context.close()


class _ConfigLoader(yaml.SafeLoader):
    """Reads build/mkdocs.yml in tests: the Python tags the build writes become their text."""


_ConfigLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/",
    lambda loader, suffix, node: f"!!python/{suffix}",
)


def read_config(text: str) -> Any:
    """The generated MkDocs configuration as data (tags as '!!python/...' strings)."""
    return yaml.load(text, Loader=_ConfigLoader)
