"""The `handbook` command: parse arguments, call the pipeline, return an exit code. Nothing else.

Each command is a small module of this package with ``add(sub)`` (its arguments) and
``run(args) -> int``; the work happens in :mod:`generator.pipeline` and the stages it calls.

Exit codes: 0 clean; 1 error-level findings (warnings too under --strict); 2 cannot run (bad
usage, missing files); 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence

from generator import __version__
from generator.cli import (
    build,
    check_expiry,
    check_links,
    codeowners,
    diff,
    import_table,
    new,
    reconcile,
    report,
    serve,
    validate,
)
from generator.cli.common import EPILOG
from generator.diagnostics import HandbookError

COMMANDS = (
    validate,
    build,
    serve,
    check_expiry,
    report,
    check_links,
    new,
    diff,
    codeowners,
    import_table,
    reconcile,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="AI-tool governance as code: validate the registry, build the handbook site, "
        "and report stale approvals.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"handbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.run(args))
    except HandbookError as exc:
        print(f"handbook: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  hint: {exc.hint}", file=sys.stderr)
        if getattr(args, "format", None) == "json":  # standard output stays one JSON document
            error = {"message": exc.message, "hint": exc.hint}
            print(json.dumps({"version": 1, "diagnostics": [], "error": error}))
        return 2
    except KeyboardInterrupt:
        print("handbook: interrupted", file=sys.stderr)
        return 130
    except Exception:
        print("handbook: internal error (this is a bug; please report it):", file=sys.stderr)
        if os.environ.get("HANDBOOK_DEBUG"):
            traceback.print_exc()
        else:
            last = traceback.format_exc().strip().splitlines()[-1]
            print(f"  {last}", file=sys.stderr)
            print("  set HANDBOOK_DEBUG=1 to see the full trace", file=sys.stderr)
        return 3
