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

    # -- build / serve (the site) ------------------------------------------------------------
    p = command(sub, "build", "validate, check, generate the pages and build the site into site/")
    add_common(p, ["text", "json", "github"])
    p.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    p.set_defaults(run=run_build)

    p = command(
        sub, "serve", "live preview on 127.0.0.1, rebuilt when content, registry or schemas change"
    )
    add_common(p, ["text"])
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")
    p.set_defaults(run=run_serve)

    # -- staleness ---------------------------------------------------------------------------
    p = command(sub, "check-expiry", "report expired certifications, overdue reviews and audits")
    add_common(p, ["text", "json", "markdown", "junit", "github"])
    p.set_defaults(run=run_check_expiry)

    p = command(
        sub,
        "report",
        "the nightly job: all checks, a Markdown/JSON/JUnit report, optionally a GitHub issue",
    )
    add_common(p, ["text", "json", "markdown", "junit", "github"])
    p.add_argument("--out", type=Path, default=Path("report"), help="folder for the report files")
    p.add_argument(
        "--github-issue", action="store_true", help="keep one GitHub tracking issue up to date"
    )
    p.set_defaults(run=run_report)

    # -- links -------------------------------------------------------------------------------
    p = command(sub, "check-links", "check internal links and anchors, and external URLs")
    add_common(p, ["text", "json", "markdown", "junit", "github"])
    p.add_argument("--internal-only", action="store_true", help="only the built site's own links")
    p.add_argument(
        "--site", type=Path, default=None, metavar="DIR", help="check this folder of built HTML"
    )
    p.add_argument(
        "--allow-private", action="store_true", help="allow loopback and private addresses"
    )
    p.set_defaults(run=run_check_links)

    # -- pull requests -------------------------------------------------------------------------
    p = command(sub, "new-tool", "scaffold registry/tools/ID.yaml")
    p.add_argument("--root", type=Path, default=Path())
    p.add_argument("id")
    p.add_argument("--vendor", required=True)
    p.add_argument("--name")
    p.add_argument("--owner", help="the owning team's contact address")
    p.set_defaults(run=run_new_tool)

    p = command(sub, "new-vendor", "scaffold registry/vendors/ID.yaml")
    p.add_argument("--root", type=Path, default=Path())
    p.add_argument("id")
    p.add_argument("--name")
    p.set_defaults(run=run_new_vendor)

    p = command(sub, "diff", "what a change means for governance, between two git revisions")
    p.add_argument("--root", type=Path, default=Path())
    p.add_argument("base")
    p.add_argument("head", nargs="?", default=None, help="default: the working tree")
    p.add_argument("--format", choices=["markdown", "json", "text"], default="text")
    p.set_defaults(run=run_diff)

    p = command(sub, "codeowners", "generate .github/CODEOWNERS from the registry's owners")
    p.add_argument("--root", type=Path, default=Path())
    p.add_argument(
        "--check", action="store_true", help="fail when the committed file is out of date"
    )
    p.set_defaults(run=run_codeowners)
    return parser


def command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str
) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


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


def not_ready(name: str) -> int:
    raise HandbookError(f"'handbook {name}' is not available in this version")


def run_build(args: argparse.Namespace) -> int:
    return not_ready("build")


def run_serve(args: argparse.Namespace) -> int:
    return not_ready("serve")


def run_check_expiry(args: argparse.Namespace) -> int:
    return not_ready("check-expiry")


def run_report(args: argparse.Namespace) -> int:
    return not_ready("report")


def run_check_links(args: argparse.Namespace) -> int:
    return not_ready("check-links")


def run_new_tool(args: argparse.Namespace) -> int:
    return not_ready("new-tool")


def run_new_vendor(args: argparse.Namespace) -> int:
    return not_ready("new-vendor")


def run_diff(args: argparse.Namespace) -> int:
    return not_ready("diff")


def run_codeowners(args: argparse.Namespace) -> int:
    return not_ready("codeowners")


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
