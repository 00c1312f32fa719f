"""The registry's git history: files at a revision, and each tool's status timeline.

Git is run as a subprocess with list arguments (never a shell); its failures become
``HandbookError``s with a hint. History is reported only when it is complete: outside a git
repository, in a shallow clone, or where git refuses the repository (another user's), the
timeline functions return ``None`` and :func:`read` says why (:class:`Unavailable`), rather
than give a timeline that silently starts at the clone's cut-off. A repository with no commit
yet has an empty history: every entry is not committed yet.

For speed, the whole registry's history comes from one ``git log --raw`` over registry/tools
(blob ids of every change), and the blobs whose status is needed are read by one
``git cat-file --batch``: two processes whatever the number of tools (and the commits' subjects
from a third; when merges brought changes in, one more ``git log`` finds the branch commits
that wrote them and one ``git rev-list`` which merge brought each commit in).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import yaml

from generator.diagnostics import Diagnostic, HandbookError
from generator.load import MAX_BYTES, MAX_DEPTH, decode, parse_yaml
from generator.rules import RULES

TOOLS_DIR = "registry/tools"
_ZERO = "0" * 40
SHORT = 7  # digits of a commit id shown to people, as GitHub shows them
_RAW = re.compile(r"^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$")
#: A merge's entry in a combined diff (``--diff-merges=combined``): one colon per parent, a
#: mode for each parent and the result, a blob for each parent and the result, the codes.
_COMBINED = re.compile(r"^(:{2,})(?:[0-9a-f]+ )+[A-Z]+$")


class GitFailed(HandbookError):
    """A git command exited non-zero; ``stderr`` keeps git's own words."""

    def __init__(self, message: str, stderr: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.stderr = stderr


class GitMissing(HandbookError):
    """git is not installed, or not on PATH."""


class NotARepository(HandbookError):
    """The folder is not inside a git work tree."""


class Refused(HandbookError):
    """git refuses to work in the repository: it belongs to another user than the one running
    git ("detected dubious ownership", common in CI containers). ``command`` tells git to
    trust it."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message, f"if you trust it, run `{command}`")
        self.command = command


#: git's advice when it refuses a repository; the command is the same in every language
#: git's messages are translated to (the path may be quoted in the sentence before it)
_SAFE = re.compile(r"git config --global --add safe\.directory (.+)$", re.M)


def _refusal(stderr: str) -> Refused | None:
    """The refusal git's message states, if it is one, with the command from git's advice."""
    advice = _SAFE.search(stderr)
    if advice is None:
        return None
    path = advice[1].strip()
    return Refused(
        f"git refuses to read the repository at {path}: detected dubious ownership (it "
        "belongs to another user than the one running git)",
        f"git config --global --add safe.directory {shlex.quote(path)}",
    )


#: Variables that point git at a repository other than the one holding ``cwd`` (git's "local
#: environment variables", ``git rev-parse --local-env-vars``), or change how it reads a
#: path. Git hooks and ``git rebase --exec``, where pre-commit runs the handbook, set some of
#: them: the handbook reads the repository its files are in, whatever repository the caller's
#: git was working on.
REPOSITORY_VARIABLES = frozenset({
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_DIR", "GIT_GRAFT_FILE",
    "GIT_IMPLICIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_NAMESPACE", "GIT_NO_REPLACE_OBJECTS", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX",
    "GIT_REPLACE_REF_BASE", "GIT_SHALLOW_FILE", "GIT_WORK_TREE",
    # and the pathspec modes (glob, case-insensitive, literal) a path is read in
    "GIT_GLOB_PATHSPECS", "GIT_ICASE_PATHSPECS", "GIT_LITERAL_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
})  # fmt: skip


def run_git(cwd: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    """Run ``git ARGS`` in ``cwd`` (the repository that holds it: ``REPOSITORY_VARIABLES`` are
    not passed on) and return its standard output."""
    # settings a user's git config could change that would alter the output we parse
    settings = (
        "core.quotepath=off",
        "color.ui=false",
        "log.follow=false",
        "log.showSignature=false",
        "log.showRoot=true",  # a file's first status is in the root commit
        "i18n.logOutputEncoding=UTF-8",  # what every reader here decodes
    )
    command = ["git", *(x for kv in settings for x in ("-c", kv)), *args]
    try:
        env = {k: v for k, v in os.environ.items() if k not in REPOSITORY_VARIABLES}
        proc = subprocess.run(
            command, cwd=cwd, input=stdin, capture_output=True, check=False, env=env
        )
    except FileNotFoundError:
        raise GitMissing(
            "git is not installed (or not on PATH)", "install git to compare revisions"
        ) from None
    except OSError as exc:
        raise HandbookError(f"cannot run git in {cwd}: {exc.strerror}") from None
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace").strip()
        first = stderr.splitlines()[0] if stderr else f"exit status {proc.returncode}"
        raise GitFailed(f"git {args[0]} failed: {first}", stderr)
    return proc.stdout


SYMLINK_MODE = "120000"


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """A file in a commit: handbook-relative path, git mode (``120000``: a link), size, and the
    blob's object name (to read a file whose name git's line-based batch cannot carry)."""

    path: str
    mode: str
    size: int
    sha: str = ""


@dataclass(frozen=True, slots=True)
class Repo:
    """A handbook inside a git work tree; ``prefix`` is the handbook's folder from the top."""

    top: Path
    prefix: str

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        return run_git(self.top, args, stdin)

    def full(self, rel: str) -> str:
        return self.prefix + rel

    def rel(self, full: str) -> str | None:
        return full[len(self.prefix) :] if full.startswith(self.prefix) else None

    @property
    def shallow(self) -> bool:
        return self.git("rev-parse", "--is-shallow-repository").strip() == b"true"

    @property
    def born(self) -> bool:
        """False in a repository with no commit yet."""
        try:
            self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitFailed:
            return False
        return True

    def resolve(self, rev: str) -> str:
        """The commit ``rev`` names, as a full sha; a clear error when it does not exist."""
        if not rev or rev.startswith("-"):
            raise HandbookError(f"{rev!r} is not a revision", "name a commit, branch or tag")
        try:
            out = self.git(
                "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"
            )
        except GitFailed:
            hint = "check the name with `git log --oneline`; fetch the branch if it is remote"
            if self.shallow:
                hint = (
                    "this is a shallow clone, so older commits are missing: fetch them with "
                    "`git fetch --unshallow` (in GitHub Actions: actions/checkout with "
                    "fetch-depth: 0)"
                )
            raise HandbookError(f"revision {rev!r} is not in this repository", hint) from None
        return out.decode().strip()

    def short(self, sha: str) -> str:
        return self.git("rev-parse", "--short", sha).decode().strip()

    def files(self, rev: str, folders: Iterable[str]) -> list[TreeEntry]:
        """The files under ``folders`` at ``rev``: handbook-relative path, mode and size."""
        out = self.git("ls-tree", "-r", "-l", "-z", rev, "--", *map(self.full, folders))
        entries = []
        for record in out.decode("utf-8", "replace").split("\0"):
            meta, _, path = record.partition("\t")
            parts = meta.split()
            rel = self.rel(path) if path else None
            if len(parts) != 4 or rel is None:
                continue
            mode, kind, sha, size = parts
            if kind == "blob":
                entries.append(TreeEntry(rel, mode, int(size) if size.isdigit() else 0, sha))
        return sorted(entries, key=lambda e: e.path)

    def read(self, rev: str, paths: Sequence[str], *, limit: int = MAX_BYTES) -> dict[str, bytes]:
        """The content of each path at ``rev``, read by one ``git cat-file --batch``; paths
        larger than ``limit`` bytes are left out unread (see :meth:`blobs`)."""
        return self.blobs([f"{rev}:{self.full(p)}" for p in paths], keys=paths, limit=limit)

    def sizes(self, specs: Sequence[str]) -> dict[str, int]:
        """The size in bytes of each blob named in ``specs`` (``git cat-file --batch-check``)."""
        if not specs:
            return {}
        out = self.git("cat-file", "--batch-check", stdin="".join(s + "\n" for s in specs).encode())
        found: dict[str, int] = {}
        for spec, line in zip(specs, out.decode("utf-8", "replace").splitlines(), strict=False):
            parts = line.split()
            if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
                found[spec] = int(parts[2])
        return found

    def blobs(
        self, specs: Sequence[str], keys: Sequence[str] | None = None, *, limit: int = MAX_BYTES
    ) -> dict[str, bytes]:
        """Objects by name (``sha`` or ``rev:path``), keyed by ``keys``; missing ones, and blobs
        larger than ``limit`` bytes (never read: their sizes are asked first), left out."""
        sizes = self.sizes(specs)
        pairs = [
            (s, k) for s, k in zip(specs, keys or specs, strict=True) if sizes.get(s, 0) <= limit
        ]
        specs, keys = [s for s, _ in pairs], [k for _, k in pairs]
        if not specs:
            return {}
        out = self.git("cat-file", "--batch", stdin="".join(s + "\n" for s in specs).encode())
        found: dict[str, bytes] = {}
        pos = 0
        for key in keys or specs:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) != 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            if header[1] == b"blob":
                found[key] = out[pos : pos + size]
            pos += size + 1
        return found

    def renames(self, base: str, head: str | None, folders: Iterable[str]) -> dict[str, str]:
        """Old path -> new path for the files git's rename detection pairs between revisions."""
        revs = [base] if head is None else [base, head]
        out = self.git(
            "diff",
            "-M",
            "--name-status",
            "-z",
            "--no-ext-diff",
            *revs,
            "--",
            *map(self.full, folders),
        )
        parts = out.decode("utf-8", "replace").split("\0")
        pairs: dict[str, str] = {}
        i = 0
        while i < len(parts) - 1:
            code = parts[i]
            if code.startswith(("R", "C")):
                old, new = self.rel(parts[i + 1]), self.rel(parts[i + 2])
                if code.startswith("R") and old is not None and new is not None:
                    pairs[old] = new
                i += 3
            else:
                i += 2
        return pairs


def open_repo(root: Path) -> Repo:
    """The git work tree holding ``root``. Raises Refused when git refuses it (another user's),
    GitMissing without git, NotARepository when git finds none (or cannot open it otherwise)."""
    if not root.is_dir():
        raise HandbookError(f"{root} is not a folder", "pass the handbook's folder with --root")
    try:
        out = run_git(root, ["rev-parse", "--show-toplevel", "--show-prefix"])
    except GitFailed as exc:
        refused = _refusal(exc.stderr)
        if refused is not None:
            raise refused from exc
        raise NotARepository(
            f"{root.resolve()} is not inside a git repository",
            "run the command in a clone of the handbook repository",
        ) from exc
    top, prefix = [*out.decode().split("\n"), ""][:2]
    return Repo(Path(top), prefix)


# -- status timelines --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One commit that changed a tool's status.value (``old`` is None where the file began)."""

    date: date
    old: str | None
    new: str
    sha: str  # abbreviated, for display
    subject: str
    commit: str  # the full sha, for links


@dataclass(slots=True)
class _Commit:
    sha: str
    date: date
    #: old blob, new blob, change code (A, M, D, R...), path, and the new path of a rename
    changes: list[tuple[str, str, str, str, str | None]]
    merge: bool = False  # its changes are against its first parent


#: Each commit as a NUL-separated token of its own (``<sha> <date>``); with ``-z`` every raw
#: entry and path is NUL-terminated too, so no file name can be read as a commit. The subjects,
#: which may hold any character but NUL, come from a second command (:func:`_subjects`).
_FORMAT = "%x00%H %cs %P"
_HEAD = re.compile(r"([0-9a-f]{40,64}) (\d+)-(\d{2})-(\d{2})((?: [0-9a-f]{40,64})*)")


def _day(year: str, month: str, day: str) -> date:
    """A commit's date; one past year 9999 (git allows it) is the last day Python knows."""
    return date.max if int(year) > date.max.year else date(int(year), int(month), int(day))


def _parse_log(out: bytes) -> list[_Commit]:
    """The commits of ``git log -z --raw --format=_FORMAT``, newest first."""
    commits: list[_Commit] = []
    tokens = out.decode("utf-8", "replace").split("\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].strip("\n ")
        i += 1
        head = _HEAD.fullmatch(token)
        if head is not None:
            merge = len(head[5].split()) > 1
            commits.append(_Commit(head[1], _day(head[2], head[3], head[4]), [], merge))
            continue
        raw = _RAW.match(token)
        combined = None if raw is not None else _COMBINED.match(token)
        if combined is not None and commits:
            # a merge's file that differs from every parent: the merge wrote the result (one
            # path follows; the first parent's blob stands for "before")
            parents = len(combined[1])
            blobs = token[parents:].split()[parents + 1 : 2 * parents + 2]
            i += 1
            path = tokens[i - 1] if i - 1 < len(tokens) else ""
            commits[-1].changes.append((blobs[0], blobs[-1], "M", path, None))
            continue
        if raw is None or not commits:
            continue  # an empty token between commits
        old_blob, new_blob, code = raw.groups()
        paths = tokens[i : i + (2 if code in "RC" else 1)]
        i += len(paths)
        renamed = paths[1] if code in "RC" and len(paths) == 2 else None
        commits[-1].changes.append((old_blob, new_blob, code, paths[0] if paths else "", renamed))
    return commits


def _subjects(repo: Repo, shas: Iterable[str]) -> dict[str, str]:
    """Each commit's subject line, read apart from the log it came from (a subject may hold
    any character but NUL, so it is never parsed as part of another record)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    out = repo.git(
        "log", "--no-walk=unsorted", "--stdin", "--format=%H%x00%s%x00",
        stdin="".join(f"{sha}\n" for sha in wanted).encode(),
    )  # fmt: skip
    parts = out.decode("utf-8", "replace").split("\0")
    return {parts[j].strip(): parts[j + 1] for j in range(0, len(parts) - 1, 2)}


_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Unsure(Exception):
    """The event stream alone cannot say (an alias, a complex key): parse the whole file."""


def _skip(events: Iterator[yaml.Event], first: yaml.Event) -> None:
    """Consume the rest of the node that starts with ``first``."""
    depth = 1 if isinstance(first, yaml.MappingStartEvent | yaml.SequenceStartEvent) else 0
    while depth:
        event = next(events)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Unsure  # the loader refuses nesting this deep
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


#: A plain scalar the loader reads as the same text (a status is a word); anything else (a
#: number, a boolean or null word, a tag) is left to the loader.
_WORD = re.compile(r"[a-z][a-z0-9-]*")
_NOT_TEXT = frozenset({"yes", "no", "on", "off", "true", "false", "y", "n", "null"})


def _scalar(event: yaml.Event) -> str | None:
    """A status value's text; raises _Unsure for anything the loader may read otherwise."""
    if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
        return None
    if not isinstance(event, yaml.ScalarEvent) or event.tag not in (None, "!"):
        raise _Unsure  # an alias or a tag
    if event.implicit[0] and (not _WORD.fullmatch(event.value) or event.value in _NOT_TEXT):
        raise _Unsure
    return str(event.value)


def _pairs(events: Iterator[yaml.Event]) -> Iterator[tuple[str, yaml.Event]]:
    """A mapping's keys and the first event of each value, until its end; raises _Unsure for
    a key that is not plain text, a merge key (``<<``) or a key given twice."""
    seen: set[str] = set()
    while True:
        key = next(events)
        if isinstance(key, yaml.MappingEndEvent):
            return
        if not isinstance(key, yaml.ScalarEvent) or key.value == "<<" or key.value in seen:
            raise _Unsure
        seen.add(key.value)
        yield key.value, next(events)


def _status_events(text: str) -> str | None:
    """``status.value`` read from libyaml's event stream: no object is built, so a thousand
    tools' history reads in a fraction of the full parse's time, and the reading is the YAML
    parser's own (a ``status:`` line inside a quoted value is text, a quoted ``"status":``
    key is the key). Whatever the project's loader could read differently (merge keys,
    repeated keys, aliases, tags, numbers, a second document) raises _Unsure; a syntax error
    anywhere raises yaml.YAMLError, as the loader would fail."""
    events = iter(yaml.parse(text, Loader=_Parser))
    found: str | None = None
    documents = 0
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Unsure  # a second document: the loader refuses the file
        if isinstance(event, yaml.SequenceStartEvent | yaml.ScalarEvent | yaml.AliasEvent):
            _skip(events, event)  # a document that is not a mapping has no status
            continue
        if not isinstance(event, yaml.MappingStartEvent):
            continue
        found = ""
        for key, value in _pairs(events):
            if key != "status" or not isinstance(value, yaml.MappingStartEvent):
                if key == "status" and isinstance(value, yaml.AliasEvent):
                    raise _Unsure
                _skip(events, value)
                continue
            for inner, item in _pairs(events):
                if inner == "value":
                    found = _scalar(item) or ""
                _skip(events, item)
    return found or None


def _status(raw: bytes | None, path: str) -> str | None:
    if raw is None:
        return None
    text, _ = decode(raw, path)
    if text is None:
        return None
    try:
        return _status_events(text)
    except (_Unsure, yaml.YAMLError, StopIteration):
        pass
    data, _ = parse_yaml(text, path)  # the loader's own reading, for what events cannot say
    status = data.get("status") if isinstance(data, dict) else None
    value = status.get("value") if isinstance(status, dict) else None
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class History:
    """Every tool file's status changes (oldest first) and the date it last changed."""

    timelines: dict[str, list[StatusChange]]
    last_changed: dict[str, date]


def _log(repo: Repo, *args: str) -> list[_Commit]:
    out = repo.git(
        "log", "--topo-order", "-M", "--raw", "-z", "--no-abbrev", "--no-ext-diff",
        f"--format={_FORMAT}", *args,
    )  # fmt: skip
    return _parse_log(out)[::-1]  # oldest first (git's --reverse breaks --follow)


def _introduced(repo: Repo) -> dict[str, str]:
    """Each commit reachable from HEAD -> the commit of HEAD's first-parent chain that first
    made it reachable: itself for a commit of the chain, else the merge that brought it in.
    So a commit is on the merged side of merge M (reachable from M's second or later parents,
    not from its first) exactly when it maps to M. One ``git rev-list`` of the whole graph,
    walked once (each commit is visited once, however many merges there are)."""
    out = repo.git("rev-list", "--parents", "HEAD").decode().split("\n")
    parents = {line.split()[0]: line.split()[1:] for line in out if line.strip()}
    chain: list[str] = []
    sha: str | None = out[0].split()[0]  # rev-list starts with HEAD
    while sha is not None:
        chain.append(sha)
        sha = next(iter(parents.get(sha, ())), None)
    into: dict[str, str] = {}
    for main in reversed(chain):  # oldest first: every earlier commit is already placed
        into[main] = main
        todo = list(parents[main][1:])
        while todo:
            side = todo.pop()
            if side not in into:
                into[side] = main
                todo += parents.get(side, ())
    return into


def _writers(repo: Repo, log_args: Sequence[str]) -> dict[str, list[_Commit]]:
    """Blob -> every commit that wrote it (its content became that blob), oldest first: each
    commit against its parent, and a merge where it differs from all its parents (a conflict
    resolved, say). ``--full-history``: git's default simplification would follow only the
    parent a merge took the files from and drop the commits of the other side."""
    found: dict[str, list[_Commit]] = {}
    for commit in _log(repo, "--full-history", "--diff-merges=combined", *log_args):
        for old_blob, new_blob, *_ in commit.changes:
            if new_blob != old_blob:  # a rename or a mode change alone writes nothing
                found.setdefault(new_blob, []).append(commit)
    return found


def _history(repo: Repo, log_args: Sequence[str]) -> History:
    """Each file's status changes and last change, from ``git log`` and one
    ``git cat-file --batch``.

    The history is the one the main line saw: the first-parent chain of commits, each merge
    read against its first parent, so every status in it is one the file really had there and
    the last is the committed one, however branches crossed (merges in both directions, a
    branch's change a merge did not keep, a rename or a deletion on a branch). A change that a
    merge brought in is credited to the commit on the merged side (reachable from the merge's
    second or later parents, not from its first) that wrote that very file content, the newest
    if several did; to the merge itself when none did (a conflict resolved in the merge), or
    when that commit is older than the file's previous change (the status took effect on the
    main line with the merge, after that change). A revision whose YAML cannot be read is
    passed over, so a commit that broke the file and the one that fixed it do not show as
    changes to and from "no status"."""
    commits = _log(repo, "--first-parent", "--diff-merges=first-parent", *log_args)
    wanted = {b for c in commits for ch in c.changes for b in ch[:2] if b != _ZERO}
    writers: dict[str, list[_Commit]] = {}
    into: dict[str, str] = {}
    if any(c.merge and c.changes for c in commits):
        writers, into = _writers(repo, log_args), _introduced(repo)
    status = {sha: _status(raw, sha) for sha, raw in repo.blobs(sorted(wanted)).items()}
    timelines: dict[str, list[StatusChange]] = {}
    last: dict[str, date] = {}
    for c in commits:
        for _, new_blob, code, path, renamed_to in c.changes:
            rel_old = repo.rel(path)
            if rel_old is None:
                continue
            if code == "D":
                timelines.pop(rel_old, None)
                last.pop(rel_old, None)
                continue
            rel = repo.rel(renamed_to) if renamed_to else rel_old
            if rel is None:
                continue
            line = timelines.pop(rel_old, []) if code == "R" else timelines.get(rel, [])
            if code == "R":
                last.pop(rel_old, None)
            before = line[-1].new if line else None
            after = status.get(new_blob)
            if after is not None and after != before:
                who = c
                if c.merge:
                    side = [
                        w
                        for w in writers.get(new_blob, ())
                        if w.sha != c.sha and into.get(w.sha) == c.sha
                    ]
                    if side and (not line or side[-1].date >= line[-1].date):
                        who = side[-1]  # the newest
                line.append(StatusChange(who.date, before, after, who.sha[:SHORT], "", who.sha))
            timelines[rel] = line
            last[rel] = c.date
    subjects = _subjects(repo, (ch.commit for line in timelines.values() for ch in line))
    for rel, line in timelines.items():
        timelines[rel] = [replace(ch, subject=subjects.get(ch.commit, "")) for ch in line]
    return History(timelines, last)


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Why a build has no status history, as its pages say it: "History unavailable:
    <reason>; <hint> <command>." (``command`` shown as code). ``warn``: the repository's
    history exists but git could not read it, which the build reports once (:meth:`problems`)
    rather than leave it to every page; a copy without git or a shallow clone is how some
    builds are made, and only the pages say so."""

    reason: str
    hint: str = ""
    command: str = ""
    warn: bool = False

    def problems(self) -> list[Diagnostic]:
        """The build's warning (``history-unreadable``), when there is one."""
        if not self.warn:
            return []
        rule = RULES["history-unreadable"]
        hint = f"{self.hint} `{self.command}`" if self.command else self.hint
        return [
            Diagnostic(
                rule.id,
                rule.severity,
                f"history unavailable: {self.reason}; the tool pages show no status history",
                hint=hint or None,
            )
        ]


SHALLOW = Unavailable(
    "this build has no complete git history of the registry (a shallow clone)",
    "in CI, check out with",
    "fetch-depth: 0",
)
NO_REPOSITORY = Unavailable(
    "this build has no git history of the registry (its folder is not in a git repository)",
    "build from a clone of the repository",
)


def _read(root: Path, log_args: Callable[[Repo], list[str]]) -> History | Unavailable:
    """``_history`` of the ``git log`` arguments ``log_args`` gives, or why it is unavailable.
    A repository with no commit yet has an empty history: every entry is not committed yet."""
    try:
        repo = open_repo(root)
        if repo.shallow:
            return SHALLOW
        if not repo.born:
            return History({}, {})
        return _history(repo, log_args(repo))
    except NotARepository:
        return NO_REPOSITORY
    except Refused as exc:
        return Unavailable(
            "git refused to read the repository (detected dubious ownership: it belongs to "
            "another user than the one building)",
            "if you trust it, run",
            exc.command,
            warn=True,
        )
    except GitMissing:
        return Unavailable(
            "git is not installed (or not on PATH)", "install git to show the history"
        )
    except HandbookError as exc:  # git failed otherwise: its own words
        return Unavailable(exc.message, exc.hint or "", warn=True)


def read(root: Path) -> History | Unavailable:
    """The history of every file in registry/tools/, or why it is unavailable."""
    return _read(root, lambda repo: ["--", repo.full(TOOLS_DIR)])


def scan(root: Path) -> History | None:
    """The history of every file in registry/tools/, or None when history is unavailable."""
    found = read(root)
    return found if isinstance(found, History) else None


def timelines(root: Path) -> dict[str, list[StatusChange]] | None:
    """Status timeline of every tool file (handbook-relative path), or None if unavailable."""
    found = scan(root)
    return None if found is None else found.timelines


def status_timeline(root: Path, rel_path: str) -> list[StatusChange] | None:
    """One file's status changes, following renames; None when history is unavailable."""
    found = _read(root, lambda repo: ["--follow", "--", repo.full(rel_path)])
    return found.timelines.get(rel_path, []) if isinstance(found, History) else None


def last_changed(root: Path, rel_path: str) -> date | None:
    """The date of the last commit that changed the file; None if unknown or unavailable."""
    try:
        repo = open_repo(root)
        if repo.shallow:
            return None
        out = repo.git("log", "-1", "--format=%cs", "--", repo.full(rel_path))
    except HandbookError:
        return None
    text = out.decode().strip()
    return date.fromisoformat(text) if text else None
