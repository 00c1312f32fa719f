"""The handbook's YAML files at one revision: ``git ls-tree`` + ``git cat-file --batch``, or the
working tree. Git itself runs through :class:`generator.history.Repo`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.history import SYMLINK_MODE, Repo
from generator.load import MAX_BYTES, decode, discover, files, kind_of, parse_yaml

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
        if data is not None and not isinstance(data, dict):
            found = [*found, not_a_mapping(path, data)]
        docs[path] = data if isinstance(data, dict) else None
        problems += found
    return Snapshot(label, rev, docs, tuple(problems))


def not_a_mapping(path: str, data: object) -> Diagnostic:
    """A file whose top level is a list or a single value: it cannot be compared key by key, so
    it is reported as unreadable rather than silently left out."""
    what = "a list" if isinstance(data, list) else "a single value"
    return Diagnostic(
        "schema",
        Severity.ERROR,
        f"(top level) should be a mapping (key: value lines), not {what}",
        path,
        1,
        1,
        hint="start from an example in the same folder",
    )


def _parse_all(
    label: str, rev: str | None, raw: Mapping[str, bytes], refused: list[Diagnostic]
) -> Snapshot:
    """A snapshot of ``raw`` plus the files refused unread: they are unreadable (None), so
    the comparison reports them as problems, not as removed entries."""
    snap = _parse(label, rev, raw)
    docs = dict(snap.docs)
    for problem in refused:
        if problem.path is not None and kind_of(problem.path):
            docs[problem.path] = None
    return Snapshot(label, rev, docs, tuple(refused) + snap.problems)


def at_revision(repo: Repo, rev: str) -> Snapshot:
    """The YAML files at ``rev``; links and files above the size limit are refused unread."""
    sha = repo.resolve(rev)
    short = repo.short(sha)
    refused: list[Diagnostic] = []
    paths = []
    for entry in repo.files(sha, FOLDERS):
        if entry.mode == SYMLINK_MODE:  # a linked file or folder: nothing behind it is read
            refused.append(files.symlink_problem(entry.path))
        elif not kind_of(entry.path):
            continue
        elif entry.size > MAX_BYTES:
            refused.append(files.too_large(entry.path, entry.size, MAX_BYTES, "yaml-too-large"))
        else:
            paths.append(entry.path)
    return _parse_all(short, sha, repo.read(sha, paths), refused)


def working_tree(root: Path) -> Snapshot:
    """The YAML files of the working tree, read like every other input (generator.load.files)."""
    found = discover(root)
    raw: dict[str, bytes] = {}
    refused = [p for p in found.problems if p.rule == "file-symlink"]
    for rel, _kind in found.documents:
        data, problems = files.read(root, rel, too_large_rule="yaml-too-large")
        refused += problems
        if data is not None:
            raw[rel] = data
    return _parse_all("working tree", None, raw, refused)
