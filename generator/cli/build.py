"""`handbook build`: validate, check, generate and build the site, published all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator import pipeline
from generator.cli.common import add_common, command, emit, say, shown, today


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "build", "validate, check, generate the pages and build the site into site/")
    add_common(p, ["text", "json", "github"])
    p.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    checked = pipeline.check(args.root, args.as_of, today())
    built = pipeline.build_site(checked, args.site_dir, strict=args.strict, label=shown)
    emit(built.diagnostics, args.format)
    if built.stopped is not None:
        say(built.stopped)
        return 1
    say(built.summary)
    return 0
