"""The handbook's YAML files at one revision: ``git ls-tree`` + ``git cat-file --batch``, or the
working tree. Git itself runs through :class:`generator.history.Repo`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.history import Repo
from generator.load import decode, discover, files, kind_of, parse_yaml

FOLDERS = ("registry", "content")


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
    found = discover(root)
    raw: dict[str, bytes] = {}
    for rel, _kind in found.documents:
        data, _ = files.read(root, rel)
        if data is not None:  # unreadable files are reported by `handbook validate`
            raw[rel] = data
    return _parse("working tree", None, raw)
