"""`handbook import`: an inventory spreadsheet -> proposed tool and vendor entries."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.cli.common import add_matching, add_root, command, emit, today
from generator.diagnostics import exit_code
from generator.report import choose


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "import", "turn an inventory spreadsheet (CSV or XLSX) into proposed entries")
    p.description = (
        "Read an inventory spreadsheet with a mapping file, group the product names it holds "
        "into distinct products, and show what would be created. With --write, create a "
        "proposed tool entry (and a vendor entry when the vendor is new) for each product that "
        "is not registered yet. Existing entries are never changed."
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the inventory: .csv or .xlsx")
    p.add_argument(
        "--map",
        type=Path,
        required=True,
        metavar="MAP.yaml",
        help="the mapping file (schemas/import-map.schema.json)",
    )
    p.add_argument("--sheet", help="the XLSX sheet to read (default: the mapping's, or the first)")
    p.add_argument("--write", action="store_true", help="create the entries (default: a dry run)")
    add_matching(p, "the problems (the plan is always text)")
    add_root(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here: rapidfuzz and numpy are only needed by this command
    from generator.inventory import import_table
    from generator.inventory.show import render

    result = import_table(
        args.root,
        args.file,
        args.map,
        sheet=args.sheet,
        catalogues=args.catalogue,
        today=today(),
        write=args.write,
        # written into every entry: a path relative to the repository, else the file's name
        # (never an absolute path: it names someone's folders)
        source=_source(args.file, args.root),
    )
    # the plan is for people: with --format json it goes to standard error, so standard
    # output is one JSON document
    plan_out = sys.stderr if choose(args.format, os.environ) == "json" else sys.stdout
    if result.plan is not None:
        plan_out.write(render(result.plan, result.files, written=result.written, asked=args.write))
    if result.problems:
        plan_out.write("\n")
    emit(result.problems, args.format)
    if args.write and not result.written:
        print("handbook: nothing was written: fix the errors above first", file=sys.stderr)
    return exit_code(result.problems, strict=args.strict)


def _source(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
