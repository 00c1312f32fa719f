"""The handbook's inputs at one revision: ``git ls-tree`` + ``git cat-file --batch``, or the
working tree. Git itself runs through :class:`generator.history.Repo`.

Every file the site or the checks read is an input, by its *role* (:func:`role_of`): the YAML
files of the registry and the content (their kind: ``tool``, ``policy``, …), the JSON Schemas
(``schemas/*.json``), the site's configuration (``mkdocs.yml``), the hand-written pages
(``content/pages/*.md``), the files published as they are (``content/assets/``) and who must
review what (``.github/CODEOWNERS``, which ``handbook codeowners`` writes). Both ways of
reading see the same files: hidden ones (a name starting with ``.``) are no input, a link is
refused unread wherever it stands, and a file above its size limit (``MAX_ASSET_BYTES`` for an
asset, ``MAX_BYTES`` for the rest) is refused before its content is read: at a revision by the
size git reports, in the working tree by :mod:`generator.load.files`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import chars
from generator.diagnostics import Diagnostic, Severity
from generator.history import SYMLINK_MODE, Repo
from generator.load import (
    ASSETS,
    MAX_ASSET_BYTES,
    MAX_BYTES,
    MAX_DEPTH,
    PAGES,
    decode,
    discover,
    files,
    kind_of,
    parse_yaml,
)
from generator.load.evidence import FOLDER as EVIDENCE_FOLDER
from generator.load.evidence import MAX_EVIDENCE_BYTES
from generator.siteconfig import PATH as SITE_CONFIG
from generator.siteconfig import PYTHON_NAMES

CODEOWNERS = ".github/CODEOWNERS"  # as generator/codeowners.py writes it
FOLDERS = ("registry", "content", "frameworks", "schemas", EVIDENCE_FOLDER, SITE_CONFIG, CODEOWNERS)
SCHEMAS = "schemas"
#: The roles of the inputs that are not registry or content YAML.
SCHEMA, SITE, PAGE, ASSET, OWNERS = "schema", "site", "page", "asset", "codeowners"
TABLE = "evidence-table"  # a CSV under evidence/: a benchmark's task records, an audit's outputs


def role_of(rel: str) -> str | None:
    """What the diff reads ``rel`` (repo-relative) as: a YAML kind (load.KINDS), ``schema``,
    ``site``, ``page``, ``asset`` or ``codeowners``; None for a file that is no input of the
    handbook."""
    if rel == CODEOWNERS:
        return OWNERS
    if any(part.startswith(".") for part in rel.split("/")):
        return None  # as files.walk: editor files, .git, macOS ._ files
    folder, _, name = rel.rpartition("/")
    if rel == SITE_CONFIG:
        return SITE
    if folder == SCHEMAS and name.endswith(".json"):
        return SCHEMA
    kind = kind_of(rel)
    if kind is not None:
        return kind
    if folder == PAGES and name.endswith(".md"):
        return PAGE
    if rel.startswith(ASSETS + "/"):
        return ASSET
    if rel.startswith(EVIDENCE_FOLDER + "/") and name.endswith(".csv"):
        return TABLE
    return None


def _limit(role: str) -> tuple[int, str]:
    """The size limit of an input and the rule that refuses a larger one."""
    if role == ASSET:
        return MAX_ASSET_BYTES, "file-too-large"
    if role == TABLE:
        return MAX_EVIDENCE_BYTES, "file-too-large"
    if role in (SCHEMA, SITE, PAGE, OWNERS):
        return MAX_BYTES, "file-too-large"
    return MAX_BYTES, "yaml-too-large"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The handbook's inputs at one revision (``rev`` None: the working tree)."""

    label: str
    rev: str | None
    # path -> content: YAML and mkdocs.yml as data, a schema as JSON data, a page as text, an
    # asset as bytes; None when the file cannot be read
    docs: Mapping[str, Any]
    problems: tuple[Diagnostic, ...] = ()

    def of(self, kind: str) -> dict[str, Any]:
        return {p: d for p, d in self.docs.items() if role_of(p) == kind}


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


def _depth(data: Any) -> int:
    """How deeply containers nest in ``data`` (counted without recursion)."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        node, depth = todo.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            todo += [(v, depth + 1) for v in (node.values() if isinstance(node, dict) else node)]
    return deepest


def parse_json(text: str, path: str) -> tuple[Any, list[Diagnostic]]:
    """A JSON file as data; not JSON, or nested deeper than YAML may be, is a problem."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        why = str(exc).split("\n", 1)[0] if isinstance(exc, ValueError) else "nested too deeply"
        return None, [files.unreadable(path, f"not valid JSON: {why}", "restore it from git")]
    if _depth(data) > MAX_DEPTH:
        return None, [
            Diagnostic(
                "file-too-large",
                Severity.ERROR,
                f"nested deeper than {MAX_DEPTH} levels",
                path,
                1,
                1,
                hint="flatten it",
            )
        ]
    return data, []


def _content(path: str, role: str, raw: bytes) -> tuple[Any, list[Diagnostic]]:
    """One input's content (None: unusable) and the problems met reading it."""
    if role in (ASSET, TABLE):
        return raw, []
    text, found = decode(raw, path)
    if text is None:
        return None, found
    if role in (PAGE, OWNERS):
        return text, []
    if role == SCHEMA:
        return parse_json(text, path)
    if role == SITE:
        return parse_yaml(text, path, names=PYTHON_NAMES)
    data, found = parse_yaml(text, path)
    if data is not None and not isinstance(data, dict):
        return None, [*found, not_a_mapping(path, data)]
    return data, found


def _parse(label: str, rev: str | None, raw: Mapping[str, bytes]) -> Snapshot:
    docs: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for path, content in sorted(raw.items()):
        role = role_of(path)
        if role is None:
            continue
        docs[path], found = _content(path, role, content)
        problems += found
    return Snapshot(label, rev, docs, tuple(problems))


def _parse_all(
    label: str, rev: str | None, raw: Mapping[str, bytes], refused: list[Diagnostic]
) -> Snapshot:
    """A snapshot of ``raw`` plus the files refused unread: they are unreadable (None), so
    the comparison reports them as problems, not as removed entries."""
    snap = _parse(label, rev, raw)
    docs = dict(snap.docs)
    for problem in refused:
        if problem.path is not None and role_of(problem.path):
            docs[problem.path] = None
    return Snapshot(label, rev, docs, tuple(refused) + snap.problems)


def at_revision(repo: Repo, rev: str) -> Snapshot:
    """The inputs at ``rev``; links and files above their size limit are refused unread."""
    sha = repo.resolve(rev)
    short = repo.short(sha)
    refused: list[Diagnostic] = []
    problems: list[Diagnostic] = []
    by_sha: list[tuple[str, str]] = []  # (blob, shown name): two files may share a blob
    paths = []
    for entry in repo.files(sha, FOLDERS):
        role = role_of(entry.path)
        if role is None and any(part.startswith(".") for part in entry.path.split("/")):
            continue  # the working tree's walk skips hidden entries: so does this
        limit, rule = _limit(role or "")
        if entry.mode == SYMLINK_MODE:  # a linked file or folder: nothing behind it is read
            refused.append(files.symlink_problem(entry.path))
        elif role is not None and (
            chars.first_refused(entry.path, chars.LINE_REFUSED) or "\ufffd" in entry.path
        ):  # a name with a line break, or bytes that are not UTF-8 (git's path would differ)
            # git's batch reads one name a line: read it by its object name, shown escaped
            problems.append(_unnameable(entry.path))
            if entry.size <= limit:
                by_sha.append((entry.sha, chars.reveal(entry.path)))
            else:
                refused.append(files.too_large(chars.reveal(entry.path), entry.size, limit, rule))
        elif role is None:
            continue
        elif entry.size > limit:
            refused.append(files.too_large(entry.path, entry.size, limit, rule))
        else:
            paths.append(entry.path)
    # each size was checked against its own limit above; git re-checks the largest
    raw = repo.read(sha, paths, limit=max(MAX_BYTES, MAX_ASSET_BYTES, MAX_EVIDENCE_BYTES))
    if by_sha:
        blobs = [b for b, _ in by_sha]
        raw.update(repo.blobs(blobs, [name for _, name in by_sha], limit=MAX_ASSET_BYTES))
    snap = _parse_all(short, sha, raw, refused)
    return Snapshot(snap.label, snap.rev, snap.docs, tuple(problems) + snap.problems)


def _unnameable(path: str) -> Diagnostic:
    """A file whose name holds a line break or another refused character: a problem beside
    the comparison, which shows the file under its escaped name, never silently left out."""
    return Diagnostic(
        "file-name",
        Severity.ERROR,
        "the file's name holds a line break, control, bidirectional or invisible character, "
        "or bytes that are not UTF-8 (shown escaped here)",
        chars.reveal(path),
        hint="rename it; `handbook validate` refuses such names",
    )


def _present(root: Path, rel: str) -> bool:
    target = root / rel
    return target.exists() or target.is_symlink()


def working_tree(root: Path) -> Snapshot:
    """The inputs in the working tree, read like every other input (generator.load.files)."""
    found = discover(root)
    schemas = files.walk(root, SCHEMAS)
    problems = found.problems + schemas.problems
    refused = [p for p in problems if p.rule == "file-symlink"]
    wanted = [rel for rel, _kind in found.documents] + found.pages + found.assets
    wanted += [rel for rel in schemas.files if role_of(rel) == SCHEMA]
    tables = files.walk(root, EVIDENCE_FOLDER)
    refused += [p for p in tables.problems if p.rule == "file-symlink"]
    wanted += [rel for rel in tables.files if role_of(rel) == TABLE]
    wanted += [rel for rel in (SITE_CONFIG, CODEOWNERS) if _present(root, rel)]
    raw: dict[str, bytes] = {}
    named: list[Diagnostic] = []
    for rel in wanted:
        limit, rule = _limit(role_of(rel) or "")
        data, problems = files.read(root, rel, limit=limit, too_large_rule=rule)
        refused += problems
        key = rel
        if chars.first_refused(rel, chars.LINE_REFUSED):
            named.append(_unnameable(rel))
            key = chars.reveal(rel)  # as a revision shows it, so the two compare
        if data is not None:
            raw[key] = data
    snap = _parse_all("working tree", None, raw, refused)
    return Snapshot(snap.label, snap.rev, snap.docs, tuple(named) + snap.problems)
