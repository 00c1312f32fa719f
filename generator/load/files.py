"""The only way the handbook reads its inputs: regular files inside the repository, never a link.

Every file the tool reads from a handbook (YAML, Markdown pages, assets, schemas, the site's
``mkdocs.yml``, ``.github/CODEOWNERS``) is found by :func:`walk` and read by :func:`read`:

* A symbolic link is refused wherever it stands: the file itself or any folder on the way to it.
  Nothing behind a refused link is read, not even to look at it. ``read`` opens each component
  of the path with ``O_NOFOLLOW`` relative to the folder before it, so a folder swapped for a
  link between finding and reading is refused too.
* Only regular files are read (a FIFO would block forever, a device never ends).
* Every read has a size limit and stops there: a file above it is refused before its content
  is read.

Problems come back as diagnostics at the offending path (``file-symlink``, ``file-unreadable``,
``file-too-large``), never as exceptions.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Severity

MAX_BYTES = 1_000_000  # YAML, Markdown, schemas, configuration
MAX_ASSET_BYTES = 10_000_000  # logos and images under content/assets/

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# Opening relative to a folder's descriptor needs dir_fd support (Linux, macOS, BSDs).
_AT = os.open in os.supports_dir_fd and _NOFOLLOW != 0


def symlink_problem(rel: str, target: str | None = None) -> Diagnostic:
    """``file-symlink`` at ``rel`` (a file or a folder of the handbook)."""
    to = f" to {target!r}" if target else ""
    return Diagnostic(
        "file-symlink",
        Severity.ERROR,
        f"this is a symbolic link{to}; the handbook reads no links, so nothing behind it is read",
        rel,
        hint="replace the link with the file (or folder) itself",
    )


def unreadable(
    rel: str, why: str, hint: str = "check that it exists and you may read it"
) -> Diagnostic:
    """``file-unreadable`` at ``rel``: ``why`` says what is wrong."""
    return Diagnostic("file-unreadable", Severity.ERROR, why, rel, hint=hint)


def too_large(rel: str, size: int, limit: int, rule: str = "file-too-large") -> Diagnostic:
    return Diagnostic(
        rule,
        Severity.ERROR,
        f"file is {size:,} bytes; the limit is {limit:,}",
        rel,
        1,
        1,
        hint="split it or remove what does not belong in a registry entry"
        if rule == "yaml-too-large"
        else "make it smaller: the handbook reads files up to this size",
    )


def _link_target(path: Path) -> str | None:
    try:
        return str(path.readlink())
    except OSError:
        return None


# -- finding files ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Walk:
    """Regular files under a folder (repo-relative POSIX paths, sorted) and what was refused."""

    files: list[str]
    problems: list[Diagnostic]


def walk(root: Path, top: str) -> Walk:
    """Every regular file under ``root/top``, without following links; hidden entries skipped.

    ``top`` itself must be a folder (a missing one gives an empty walk). Links and special
    files are reported where they stand and not descended into.
    """
    files: list[str] = []
    problems: list[Diagnostic] = []
    start = root / top
    try:
        info = start.lstat()
    except FileNotFoundError:
        return Walk(files, problems)
    except OSError as exc:
        return Walk(files, [unreadable(top, f"cannot read folder: {exc.strerror}")])
    if stat.S_ISLNK(info.st_mode):
        return Walk(files, [symlink_problem(top, _link_target(start))])
    if not stat.S_ISDIR(info.st_mode):
        return Walk(files, problems)
    for rel, kind in _scan(start, top, problems):
        if kind == "file":
            files.append(rel)
        elif kind == "link":
            problems.append(symlink_problem(rel, _link_target(root / rel)))
        else:
            problems.append(unreadable(rel, "not a regular file", "replace it with a plain file"))
    files.sort(key=lambda r: r.split("/"))
    return Walk(files, problems)


def _scan(folder: Path, rel: str, problems: list[Diagnostic]) -> Iterator[tuple[str, str]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(unreadable(rel, f"cannot read folder: {exc.strerror}"))
        return
    for entry in entries:
        if entry.name.startswith("."):  # .git, editor files, macOS ._ files
            continue
        path = f"{rel}/{entry.name}"
        try:
            if entry.is_symlink():
                yield path, "link"
            elif entry.is_dir(follow_symlinks=False):
                yield from _scan(Path(entry.path), path, problems)
            elif entry.is_file(follow_symlinks=False):
                yield path, "file"
            else:
                yield path, "special"
        except OSError as exc:
            problems.append(unreadable(path, f"cannot read: {exc.strerror}"))


# -- reading files ---------------------------------------------------------------------------


def read(
    root: Path, rel: str, *, limit: int = MAX_BYTES, too_large_rule: str = "file-too-large"
) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of ``root/rel`` (a POSIX path inside the handbook), or why it was refused.

    Refused: a link anywhere from ``root`` down to the file, anything but a regular file, and a
    file larger than ``limit`` bytes (reported by ``too_large_rule``). A missing file is
    ``file-unreadable``.
    """
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None, [unreadable(rel, "not a path inside the handbook")]
    try:
        fd = _open(root, parts, rel)
    except _Refused as refused:
        return None, [refused.diagnostic]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [unreadable(rel, "not a regular file", "replace it with a plain file")]
        if info.st_size > limit:
            return None, [too_large(rel, info.st_size, limit, too_large_rule)]
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while we read it
            return None, [too_large(rel, size, limit, too_large_rule)]
        return b"".join(chunks), []
    except OSError as exc:
        return None, [unreadable(rel, f"cannot read file: {exc.strerror}")]
    finally:
        os.close(fd)


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _open(root: Path, parts: list[str], rel: str) -> int:
    """A read descriptor for root/parts..., refusing links on the way (see :func:`read`)."""
    if not _AT:  # pragma: no cover - Windows: check each component, then open
        here = root
        for i, part in enumerate(parts):
            here = here / part
            _check(here, "/".join(parts[: i + 1]))
        try:
            return os.open(here, _FILE_FLAGS)
        except OSError as exc:
            raise _Refused(unreadable(rel, f"cannot read file: {exc.strerror}")) from None
    try:
        fd = os.open(root, _DIR_FLAGS)
    except OSError as exc:
        raise _Refused(
            unreadable(rel, f"cannot read the handbook folder: {exc.strerror}")
        ) from None
    try:
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            flags = (_FILE_FLAGS if last else _DIR_FLAGS) | _NOFOLLOW
            try:
                nxt = os.open(part, flags, dir_fd=fd)
            except OSError as exc:
                sub = "/".join(parts[: i + 1])
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK) and _is_link(root / sub):
                    raise _Refused(symlink_problem(sub, _link_target(root / sub))) from None
                if exc.errno == errno.ENOENT:
                    raise _Refused(unreadable(rel, "cannot read file: it does not exist")) from None
                raise _Refused(unreadable(rel, f"cannot read file: {exc.strerror}")) from None
            os.close(fd)
            fd = nxt
        return fd
    except BaseException:
        os.close(fd)
        raise


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(path.lstat().st_mode)
    except OSError:
        return False


def _check(path: Path, rel: str) -> None:  # pragma: no cover - the Windows path
    if _is_link(path):
        raise _Refused(symlink_problem(rel, _link_target(path)))


def read_text_file(path: Path, *, limit: int = MAX_BYTES) -> bytes | None:
    """Bytes of a file that is not part of the handbook (a cache, an event file): no links
    followed for the file itself, a size limit, and None when it cannot be read."""
    data, problems = read(path.parent, path.name, limit=limit)
    return None if problems else data
