"""What the commands share: common options, output, the clock and the environment."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from generator import dates
from generator.diagnostics import Diagnostic, HandbookError
from generator.pipeline import AsOf
from generator.report import RENDERERS, choose

EPILOG = """\
exit codes:
  0  no errors (warnings allowed unless --strict)
  1  errors found (or warnings, with --strict)
  2  cannot run: bad usage, or the handbook's files are missing
  3  internal error: a bug in the handbook tool; please report it
"""


def parse_date(text: str) -> date:
    try:
        return dates.parse(text, years=None)
    except ValueError as why:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: {why}") from None


def command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    epilog: str = EPILOG,
) -> argparse.ArgumentParser:
    """A subcommand whose --help shows ``summary`` and the exit codes."""
    return sub.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_root(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--root",
        type=Path,
        default=Path(),
        help="the handbook repository (default: the current folder)",
    )


def add_common(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """--root and --as-of; with ``formats`` (commands that report findings) --format, --strict."""
    add_root(p)
    if formats:
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


def today() -> date:
    """The clock's date: read here only (the handbook's dates are local calendar days)."""
    return date.today()  # noqa: DTZ011


def emit(diags: Sequence[Diagnostic], fmt: str) -> None:
    sys.stdout.write(RENDERERS[choose(fmt, os.environ)](diags))


def say(text: str) -> None:
    """A line for people, on standard error: ``handbook: ...``."""
    print(f"handbook: {text}", file=sys.stderr)


def say_as_of(as_of: AsOf, *, always: bool = True) -> None:
    """State the day dates are judged as of (always, or only when it is not today)."""
    if always or as_of.pinned:
        say(f"dates judged {as_of.describe()}")


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def github_target(env: Mapping[str, str], flag: str) -> tuple[str, str, str]:
    """(API URL, owner/name, token) from GitHub Actions' environment, for ``flag``."""
    missing = [k for k in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not env.get(k)]
    if missing:
        raise HandbookError(
            f"{flag} needs {' and '.join(missing)} in the environment",
            "in GitHub Actions: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} "
            "(GITHUB_REPOSITORY is set for you); elsewhere set GITHUB_REPOSITORY=owner/name",
        )
    api_url = env.get("GITHUB_API_URL") or "https://api.github.com"
    return api_url, env["GITHUB_REPOSITORY"], env["GITHUB_TOKEN"]


def add_matching(p: argparse.ArgumentParser, problems: str) -> None:
    """--catalogue, --format and --strict of the commands that match names (import, reconcile);
    ``problems`` says what --format formats."""
    p.add_argument(
        "--catalogue",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a catalogue of AI services to use besides the built-in one (repeatable)",
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "github", "auto"],
        default="auto",
        help=f"format of {problems}",
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
