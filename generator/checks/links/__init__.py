"""The link checker: extract -> collect -> probe -> classify -> list[Diagnostic].

* :func:`check_site` checks a built site's own links and anchors, offline.
* :func:`check_external` checks every external URL of the registry and content, each reported
  at the file, line and column where it is written.
* :func:`check_site_external` checks the external URLs found in a folder of built HTML.

Only :mod:`.probe` touches the network. Each URL is requested once per run however often it is
written; successes are remembered in a cache file for ``links.cache_max_age_hours``.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from generator.checks.links.cache import Cache
from generator.checks.links.classify import checkable_fragment, classify, split_fragment
from generator.checks.links.collect import (
    Markdown,
    Occurrence,
    from_site,
    from_tree,
    scan_site,
    scheme,
)
from generator.checks.links.extract import keeping_scans
from generator.checks.links.internal import active, check_internal
from generator.checks.links.probe import Progress, Settings, probe
from generator.checks.links.sources import at_sources
from generator.diagnostics import Diagnostic, HandbookError
from generator.load import Tree
from generator.model import LinkPolicy, Policy

DEFAULT_CACHE = Path(".handbook-cache/links.json")

__all__ = [
    "DEFAULT_CACHE",
    "LinkPolicy",
    "Markdown",
    "Options",
    "ProgressLine",
    "at_sources",
    "check_external",
    "check_site",
    "check_site_all",
    "check_site_external",
    "check_urls",
    "keeping_scans",
]


@dataclass(frozen=True, slots=True)
class Options:
    settings: Settings = field(default_factory=Settings)
    exclude: tuple[re.Pattern[str], ...] = ()
    accept_status: frozenset[int] = frozenset()
    cache_max_age_hours: float = 24.0

    @classmethod
    def from_policy(cls, links: LinkPolicy, *, allow_private: bool = False) -> Options:
        return cls(
            settings=Settings(
                timeout=links.timeout_seconds,
                max_concurrency=links.max_concurrency,
                per_host=links.per_host,
                allow_private=allow_private or links.allow_private,
            ),
            exclude=tuple(_pattern(p) for p in links.exclude),
            accept_status=frozenset(links.accept_status),
            cache_max_age_hours=links.cache_max_age_hours,
        )


def _pattern(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except (re.error, OverflowError, RecursionError) as exc:
        raise HandbookError(
            f"links.exclude pattern {text!r} in the policy is not a regular expression: {exc}",
            "fix the pattern in registry/policy.yaml (Python syntax; escape dots as '\\.')",
        ) from None


def check_urls(
    occurrences: Sequence[Occurrence],
    options: Options,
    *,
    cache_path: Path | None = None,
    now: float | None = None,
    progress: Progress | None = None,
) -> list[Diagnostic]:
    """Probe the http(s) URLs of ``occurrences`` (once each) and check mailto syntax."""
    kept = [
        o
        for o in occurrences
        if scheme(o.url) in ("http", "https", "mailto")
        and not any(p.search(o.url) for p in options.exclude)
    ]
    cache = Cache.load(
        cache_path,
        now=time.time() if now is None else now,
        max_age_hours=options.cache_max_age_hours,
    )
    targets: dict[str, bool] = {}
    for o in kept:
        if scheme(o.url) == "mailto" or cache.get(o.url) is not None:
            continue
        key, fragment = split_fragment(o.url)
        targets[key] = targets.get(key, False) or checkable_fragment(fragment)
    results = probe(targets, options.settings, progress) if targets else {}
    diags = classify(
        kept,
        results,
        cache,
        accept=options.accept_status,
        timeout=options.settings.timeout,
    )
    cache.save()
    return diags


def _cache_file(root: Path, cache_path: Path | None) -> Path | None:
    if cache_path is None:
        return None
    return cache_path if cache_path.is_absolute() else root / cache_path


def check_external(
    tree: Tree,
    policy: Policy,
    markdown: Markdown,
    *,
    allow_private: bool = False,
    cache_path: Path | None = DEFAULT_CACHE,
    now: float | None = None,
    progress: Progress | None = None,
) -> list[Diagnostic]:
    """Every external URL of the registry and content. ``cache_path`` is relative to the tree's
    root; None disables the cache. ``now`` (seconds since the epoch) dates cache entries."""
    return check_urls(
        from_tree(tree, markdown),
        Options.from_policy(policy.links, allow_private=allow_private),
        cache_path=_cache_file(tree.root, cache_path),
        now=now,
        progress=progress,
    )


def check_site(
    site_dir: Path, *, label: str | None = None, published: bool = False
) -> list[Diagnostic]:
    """Internal links and anchors of a folder of built HTML, offline. Paths are shown under
    ``label`` (default: ``site_dir`` as given). ``published``: the folder is the handbook's own
    output, so every page is also held to :mod:`generator.published` (one parse for both)."""
    site = scan_site(site_dir, label)
    return check_internal(site) + (active(site) if published else [])


def check_site_external(
    site_dir: Path,
    options: Options,
    *,
    label: str | None = None,
    cache_path: Path | None = None,
    now: float | None = None,
    progress: Progress | None = None,
) -> list[Diagnostic]:
    """The external links found in a folder of built HTML."""
    occurrences = from_site(scan_site(site_dir, label))
    return check_urls(occurrences, options, cache_path=cache_path, now=now, progress=progress)


def check_site_all(
    site_dir: Path,
    options: Options,
    *,
    label: str | None = None,
    cache_path: Path | None = None,
    now: float | None = None,
    progress: Progress | None = None,
    external: bool = True,
) -> list[Diagnostic]:
    """Internal and (unless ``external`` is False) external links of a built site; scans once."""
    site = scan_site(site_dir, label)
    diags = check_internal(site)
    if external:
        diags += check_urls(
            from_site(site), options, cache_path=cache_path, now=now, progress=progress
        )
    return diags


class ProgressLine:
    """Progress on stderr: one rewritten line on a terminal, a plain line per 10 % elsewhere."""

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._shown = -1

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            end = "\n" if done == total else ""
            self.stream.write(f"\rchecking links: {done}/{total}{end}")
            self.stream.flush()
            return
        step = done * 10 // max(total, 1)
        if step != self._shown and (step > self._shown or done == total):
            self._shown = step
            self.stream.write(f"checking links: {done}/{total} URLs done\n")
            self.stream.flush()
