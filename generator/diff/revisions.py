"""The handbook's YAML files at one revision: ``git ls-tree`` + ``git cat-file --batch``, or the
working tree. Git itself runs through :class:`generator.history.Repo`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.history import Repo
from generator.load import KINDS, decode, discover, parse_yaml

FOLDERS = ("registry", "content")


def kind_of(path: str) -> str | None:
    for pattern, kind in KINDS.items():
        if path.count("/") == pattern.count("/") and fnmatch.fnmatchcase(path, pattern):
            return kind
    return None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The handbook's YAML files at one revision (``rev`` None: the working tree)."""

    label: str
    rev: str | None
    docs: Mapping[str, Any]  # path -> parsed data; None when the file cannot be read
    problems: tuple[Diagnostic, ...] = ()

    def of(self, kind: str) -> dict[str, Any]:
        return {p: d for p, d in self.docs.items() if kind_of(p) == kind}


def _parse(label: str, rev: str | None, raw: Mapping[str, bytes]) -> Snapshot:
    docs: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for path, content in sorted(raw.items()):
        text, found = decode(content, path)
        data = None
        if text is not None:
            data, found = parse_yaml(text, path)
        docs[path] = data if isinstance(data, dict) else None
        problems += found
    return Snapshot(label, rev, docs, tuple(problems))


def at_revision(repo: Repo, rev: str) -> Snapshot:
    sha = repo.resolve(rev)
    paths = [p for p in repo.files(sha, FOLDERS) if kind_of(p)]
    return _parse(repo.short(sha), sha, repo.read(sha, paths))


def working_tree(root: Path) -> Snapshot:
    files, _ = discover(root)
    raw: dict[str, bytes] = {}
    for file, _kind in files:
        rel = file.relative_to(root).as_posix()
        try:
            raw[rel] = file.read_bytes()
        except OSError:
            continue  # reported by `handbook validate`
    return _parse("working tree", None, raw)
