"""`handbook check-links`: external URLs of registry and content, and a built site's links."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator import pipeline
from generator.checks import links
from generator.cli.common import add_common, command, emit, say, today
from generator.diagnostics import HandbookError, exit_code


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "check-links", "check internal links and anchors, and external URLs")
    add_common(p, ["text", "json", "markdown", "junit", "github"])
    p.add_argument("--internal-only", action="store_true", help="only the built site's own links")
    p.add_argument(
        "--site", type=Path, default=None, metavar="DIR", help="check this folder of built HTML"
    )
    p.add_argument(
        "--allow-private", action="store_true", help="allow loopback and private addresses"
    )
    p.add_argument(
        "--cache",
        type=Path,
        default=links.DEFAULT_CACHE,
        metavar="FILE",
        help="remember working links here (default: .handbook-cache/links.json under --root)",
    )
    p.add_argument("--no-cache", action="store_true", help="check every link afresh")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """External URLs of registry and content, then the built site's links (or --site DIR's)."""
    cache = None if args.no_cache else args.cache
    if cache is not None:
        cache = (args.root / cache).resolve()
    progress = links.ProgressLine(sys.stderr)
    now = time.time()
    if args.site is not None:
        if not args.site.is_dir():
            raise HandbookError(f"{args.site} is not a folder", "build the site first")
        policy = pipeline.policy_of(args.root, today())
        options = links.Options.from_policy(policy.links, allow_private=args.allow_private)
        diags = links.check_site_all(
            args.site,
            options,
            cache_path=cache,
            now=now,
            progress=progress,
            external=not args.internal_only,
        )
        emit(diags, args.format)
        return exit_code(diags, strict=args.strict)
    checked = pipeline.check(args.root, args.as_of, today())
    diags = list(checked.diagnostics)
    if checked.failed:
        emit(diags, args.format)
        return 1
    if not args.internal_only:
        diags += pipeline.external(
            checked, now=now, progress=progress, cache_path=cache, allow_private=args.allow_private
        )
    site = args.root / "site"
    if site.is_dir():
        diags += links.check_site(site, label="site", published=True)
    else:
        say("site/ is not built; internal links were not checked (run 'handbook build' first)")
    emit(diags, args.format)
    return exit_code(diags, strict=args.strict)
