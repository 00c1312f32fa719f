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
    p.add_argument(
        "--usage",
        type=Path,
        metavar="DIR",
        help="a folder of usage inputs (what `handbook reconcile` reads): the dashboard and "
        "tool pages then show use per product, as counts",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    checked = pipeline.check(args.root, args.as_of, today())
    usage = None
    if args.usage is not None:
        usage, findings = pipeline.usage_of(checked, args.usage)
        if findings:
            say(
                f"{len(findings)} reconcile finding(s) in {shown(args.usage)}: the dashboard "
                "lists the products; `handbook reconcile` shows each finding"
            )
    built = pipeline.build_site(
        checked, args.site_dir, strict=args.strict, label=shown, usage=usage
    )
    emit(built.diagnostics, args.format)
    if built.stopped is not None:
        say(built.stopped)
        return 1
    say(built.summary)
    return 0
