"""`handbook codeowners`: .github/CODEOWNERS generated from the registry's owners."""

from __future__ import annotations

import argparse
import sys

from generator import pipeline
from generator.cli.common import add_root, command
from generator.load import load_tree

EPILOG = (
    "exit codes:\n"
    "  0  written, or already up to date\n"
    "  1  with --check: the file is missing or out of date (the diff is printed)\n"
    "  2  cannot run: the handbook's files are missing\n"
)


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "codeowners", "generate .github/CODEOWNERS from the registry's owners", EPILOG)
    add_root(p)
    p.add_argument(
        "--check", action="store_true", help="fail when the committed file is out of date"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator import codeowners

    pipeline.check_root(args.root)
    tree, _ = load_tree(args.root)
    wanted = codeowners.generate(tree)
    current = codeowners.read(args.root)
    if current == wanted:
        print(f"{codeowners.PATH} is up to date")
        return 0
    if args.check:
        state = "does not exist" if current is None else "is out of date"
        print(f"{codeowners.PATH} {state}; run `handbook codeowners` and commit the result")
        sys.stdout.write(codeowners.unified(current, wanted))
        return 1
    codeowners.write(args.root, wanted)
    print(f"wrote {codeowners.PATH}")
    return 0
