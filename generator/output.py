"""Output folders published all or nothing, and only ever folders the handbook made itself.

``handbook build`` (``site/``), ``handbook report`` (``report/``) and the work folder
``build/`` write through :func:`staged`:

1. :func:`check_target` refuses, before anything is written, an output folder that is, contains
   or lies inside one of the handbook's inputs (``content/``, ``registry/``, ``schemas/``,
   ``.git``, ``mkdocs.yml``, the installed package), or that is or contains the repository root,
   or that is not a folder this tool made (one holding files but no :data:`MARKER`).
2. Everything is written into a new folder beside the target (same parent, so the swap is a
   rename on one file system) that carries the :data:`MARKER` file.
3. Only when every step has passed does :meth:`Stage.commit` swap it in: the old folder is renamed
   aside, the new one renamed into place, the old one deleted. A failure before that leaves the
   target exactly as it was and removes the staging folder.

The marker (a small text file, like a CACHEDIR.TAG) is how a later run knows that a folder is
its own to replace; the tool never deletes a folder without it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import generator
from generator.diagnostics import HandbookError

MARKER = ".handbook-output"
MARKER_TEXT = (
    "This folder was written by the handbook tool (`handbook build`, `handbook report`).\n"
    "It is replaced as a whole on every run: do not keep your own files in it.\n"
)
#: The repository's inputs, relative to its root: an output may not overlap any of them.
INPUTS = ("content", "registry", "schemas", ".git", ".github", "mkdocs.yml", "generator")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def inputs(root: Path) -> list[Path]:
    """The resolved paths of everything the handbook reads (see :data:`INPUTS`)."""
    package = Path(generator.__file__).resolve().parent
    return [*((root / name).resolve() for name in INPUTS), package]


def check_target(root: Path, target: Path, flag: str, others: Iterable[Path] = ()) -> None:
    """Refuse ``target`` as an output folder (HandbookError, exit 2) when it overlaps an input,
    the repository root, or another output folder in ``others``, or when it holds files it was
    not made by this tool."""
    if target.is_symlink():
        owned(target, flag)  # refuses it, saying so
    root, target = root.resolve(), target.resolve()
    if _inside(root, target):
        raise HandbookError(
            f"{flag} {target} is the handbook's folder or contains it; the build replaces its "
            "output folder as a whole",
            f"choose a new folder inside the repository, e.g. {flag} site",
        )
    for source in inputs(root):
        if _inside(target, source) or _inside(source, target):
            raise HandbookError(
                f"{flag} {target} overlaps {source}, which the handbook reads; "
                "an output folder is replaced as a whole",
                f"choose a folder of its own, e.g. {flag} site",
            )
    for other in others:
        other = other.resolve()
        if _inside(target, other) or _inside(other, target):
            raise HandbookError(
                f"{flag} {target} overlaps the output folder {other}",
                "give each output a folder of its own",
            )
    owned(target, flag)


def owned(target: Path, flag: str) -> None:
    """Refuse a folder that exists, holds files and lacks the marker (or is not a folder)."""
    if target.is_symlink():
        raise HandbookError(
            f"{flag} {target} is a symbolic link; the tool replaces output folders and will not "
            "follow a link to do so",
            "remove the link, or choose another folder",
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise HandbookError(f"{flag} {target} is a file, not a folder", "choose another folder")
    if (target / MARKER).is_file():
        return
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        raise HandbookError(f"cannot read {target}: {exc.strerror}") from None
    if not empty:
        raise HandbookError(
            f"{flag} {target} holds files but was not made by this tool (it has no {MARKER} "
            "file), so it will not be replaced",
            f"delete or move the folder yourself if it is an old output, or choose another {flag}",
        )


@dataclass
class Stage:
    """A folder being written; :meth:`commit` puts it in the target's place."""

    path: Path
    target: Path
    committed: bool = False

    def commit(self) -> None:
        """Swap the staged folder in; the previous target (if any) is deleted afterwards."""
        old: Path | None = None
        if self.target.exists():
            owned(self.target, "output folder")  # re-checked: it may have changed meanwhile
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=self.target.parent))
            old.rmdir()
            self.target.rename(old)
        try:
            self.path.rename(self.target)
        except OSError:
            if old is not None:
                old.rename(self.target)
            raise
        self.committed = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Stage]:
    """A new, marked folder beside ``target``; removed unless committed before the block ends."""
    target = target.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    except OSError as exc:
        raise HandbookError(f"cannot write next to {target}: {exc.strerror}") from None
    (path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    path.chmod(0o755)
    stage = Stage(path, target)
    try:
        yield stage
    finally:
        if not stage.committed:
            shutil.rmtree(path, ignore_errors=True)


def work_folder(root: Path, name: str) -> Path:
    """A folder under ``root`` that the tool keeps between runs (``build/``), marked as its own;
    refused when it exists, holds files and is not marked."""
    folder = root / name
    owned(folder, f"{name}/")
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")
    return folder
