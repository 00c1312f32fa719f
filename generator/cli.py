"""The `handbook` command: parse arguments, call the stages, return an exit code. Nothing else.

Exit codes: 0 clean; 1 error-level findings (warnings too under --strict); 2 cannot run (bad
usage, missing files); 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator import __version__
from generator.diagnostics import Diagnostic, HandbookError, exit_code
from generator.load import Tree, load_tree
from generator.report import RENDERERS, choose
from generator.schema import Schemas
from generator.validate import validate

EPILOG = """\
exit codes:
  0  no errors (warnings allowed unless --strict)
  1  errors found (or warnings, with --strict)
  2  cannot run: bad usage, or the handbook's files are missing
  3  internal error: a bug in the handbook tool; please report it
"""


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def add_common(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    p.add_argument(
        "--root",
        type=Path,
        default=Path(),
        help="the handbook repository (default: the current folder)",
    )
    p.add_argument(
        "--format",
        choices=[*formats, "auto"],
        default="auto",
        help="output format; auto = github inside GitHub Actions, else text",
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument(
        "--as-of",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="check dates as of this day (default: the policy's as_of, else today)",
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
    p = sub.add_parser(
        "validate",
        help="check every YAML file against its schema and the cross-file rules",
        description="Check registry/ and content/ against schemas/ and the handbook's rules.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common(p, ["text", "json", "github"])
    p.set_defaults(run=run_validate)
    return parser


# -- wiring ------------------------------------------------------------------------------------


def check_root(root: Path) -> None:
    if not (root / "registry").is_dir() and not (root / "content").is_dir():
        raise HandbookError(
            f"{root.resolve()} has no registry/ or content/ folder",
            "run the command from the handbook repository, or pass --root",
        )


def resolve_as_of(given: date | None, tree: Tree) -> date:
    """--as-of, else the policy's pinned as_of, else today (the only place the clock is read)."""
    if given is not None:
        return given
    for doc in tree.of_kind("policy"):
        pinned = doc.data.get("as_of") if isinstance(doc.data, dict) else None
        if isinstance(pinned, str):
            try:
                return date.fromisoformat(pinned)
            except ValueError:
                pass  # the schema check reports the malformed date
    return date.today()  # noqa: DTZ011 - the handbook's dates are local calendar days


def load_and_validate(root: Path, as_of: date | None) -> tuple[Tree, list[Diagnostic], date]:
    check_root(root)
    schemas = Schemas(root / "schemas")
    tree, diags = load_tree(root)
    today = resolve_as_of(as_of, tree)
    diags += validate(tree, schemas, today)
    return tree, diags, today


def emit(diags: Sequence[Diagnostic], fmt: str) -> None:
    sys.stdout.write(RENDERERS[choose(fmt, os.environ)](diags))


# -- commands ----------------------------------------------------------------------------------


def run_validate(args: argparse.Namespace) -> int:
    _, diags, _ = load_and_validate(args.root, args.as_of)
    emit(diags, args.format)
    return exit_code(diags, strict=args.strict)


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
