"""cache: successes of earlier runs, in a JSON file, so a rerun only asks about what is new.

Only successes are stored (a page that answered, with the anchor the link names); failures are
always checked again. Entries older than the policy's maximum age are dropped on load. The file
is replaced atomically, so an interrupted run never leaves half a cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERSION = 1


@dataclass(frozen=True, slots=True)
class Entry:
    checked: float  # seconds since the epoch
    status: int
    final_url: str | None = None  # set when the link redirected permanently


class Cache:
    def __init__(self, path: Path | None, *, now: float, max_age_hours: float) -> None:
        self.path = path
        self.now = now
        self.max_age = max_age_hours * 3600.0
        self.entries: dict[str, Entry] = {}
        self.changed = False

    @classmethod
    def load(cls, path: Path | None, *, now: float, max_age_hours: float) -> Cache:
        cache = cls(path, now=now, max_age_hours=max_age_hours)
        if path is None or cache.max_age <= 0 or _linked(path):
            return cache
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cache  # missing or unreadable: start afresh
        if not isinstance(doc, dict) or doc.get("version") != VERSION:
            return cache
        entries = doc.get("entries")
        if not isinstance(entries, dict):
            return cache
        for url, raw in entries.items():
            entry = _entry(raw)
            if entry is not None and 0 <= now - entry.checked <= cache.max_age:
                cache.entries[url] = entry
        return cache

    def get(self, url: str) -> Entry | None:
        return self.entries.get(url)

    def put(self, url: str, status: int, final_url: str | None) -> None:
        self.entries[url] = Entry(self.now, status, final_url)
        self.changed = True

    def drop(self, url: str) -> None:
        if self.entries.pop(url, None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the cache (atomically); not when its folder or file is a symbolic link, which
        would put the file elsewhere: the cache is a convenience, so it is skipped."""
        if self.path is None or not self.changed or self.max_age <= 0 or _linked(self.path):
            return
        doc: dict[str, Any] = {
            "version": VERSION,
            "entries": {
                url: {"checked": e.checked, "status": e.status, "final_url": e.final_url}
                for url, e in sorted(self.entries.items())
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".links-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=1)
            Path(tmp).replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise


def _linked(path: Path) -> bool:
    """Whether the cache file or its folder is a symbolic link."""
    return path.is_symlink() or path.parent.is_symlink()


def _entry(raw: object) -> Entry | None:
    if not isinstance(raw, dict):
        return None
    checked, status, final = raw.get("checked"), raw.get("status"), raw.get("final_url")
    if not isinstance(checked, int | float) or not isinstance(status, int):
        return None
    return Entry(float(checked), status, final if isinstance(final, str) else None)
