"""A small git repository in tmp_path for the diff and history tests.

Commits get fixed dates, author and committer, and git ignores the machine's own configuration,
so every run builds the same history.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitRepo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test Author",
            "GIT_AUTHOR_EMAIL": "author@example.com",
            "GIT_COMMITTER_NAME": "Test Author",
            "GIT_COMMITTER_EMAIL": "author@example.com",
        }

    def git(self, *args: str, cwd: Path | None = None) -> str:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd or self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout

    @classmethod
    def init(cls, root: Path) -> GitRepo:
        repo = cls(root)
        repo.git("init", "-q", "-b", "main")
        return repo

    def commit(self, message: str, day: str = "2026-10-01") -> str:
        """Commit everything in the work tree; returns the abbreviated sha."""
        self.git("add", "-A")
        stamp = f"{day}T12:00:00+00:00"
        self.env["GIT_AUTHOR_DATE"] = self.env["GIT_COMMITTER_DATE"] = stamp
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.short("HEAD")

    def short(self, rev: str) -> str:
        return self.git("rev-parse", "--short", rev).strip()

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace ``old`` (which must occur exactly once) in a file."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def shallow_clone(self, dest: Path) -> GitRepo:
        self.git("clone", "-q", "--depth", "1", self.root.as_uri(), str(dest), cwd=dest.parent)
        return GitRepo(dest)
