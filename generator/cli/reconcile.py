"""`handbook reconcile`: usage evidence (IdP exports, card exports, proxy and DNS logs) against
the registry: shadow AI, use of rejected or offboarded tools, personal accounts."""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli.common import add_matching, add_root, command, emit, say, shown, today
from generator.diagnostics import HandbookError, exit_code
from generator.report import choose

if TYPE_CHECKING:
    from generator.reconcile import Reconciled

#: The input kinds (generator.reconcile.sources.KINDS, repeated so --help needs no import).
KINDS = ("idp", "expenses", "proxy", "dns", "inventory")


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "reconcile", "compare what is really in use with what the registry approves")
    p.description = (
        "Read identity-provider exports (Okta, Microsoft Entra), card and expense exports, "
        "Squid proxy logs and BIND or dnsmasq query logs; match every application, merchant "
        "and host against the registry and the catalogue of known AI services; report shadow "
        "AI, use of rejected or offboarded tools, personal accounts and names matched only by "
        "similarity, with counts. Reports hold counts only; --details writes who used what to "
        "a local file."
    )
    p.add_argument("inputs", type=Path, nargs="+", metavar="FILE", help="the usage inputs")
    p.add_argument(
        "--kind", choices=KINDS, help="read every FILE as this kind (default: recognised)"
    )
    p.add_argument(
        "--map",
        type=Path,
        metavar="MAP.yaml",
        help="an import mapping: read inventory sheets (CSV or XLSX) with it, as `handbook "
        "import` does, and match names with its abbreviations",
    )
    p.add_argument(
        "--details",
        type=Path,
        metavar="FILE.csv",
        help="write each matched line (file, line, product, user or host) to this local CSV; "
        "it holds personal data: keep it out of the repository",
    )
    add_matching(p, "the findings")
    add_root(p)
    p.set_defaults(run=run)


def _check_details(path: Path, root: Path) -> None:
    """--details holds personal data: never inside the repository, where it could be committed,
    unless .gitignore keeps it out (``*.details.csv``)."""
    if not path.resolve().is_relative_to(root.resolve()) or path.name.endswith(".details.csv"):
        return
    raise HandbookError(
        f"--details {path} is inside the handbook repository, where it could be committed",
        "write it outside the repository, or name it <name>.details.csv (ignored by git, and "
        "by --usage)",
    )


def run(args: argparse.Namespace) -> int:
    # imported here: rapidfuzz and numpy are only needed by this command
    from generator.reconcile import reconcile
    from generator.reconcile.show import summary

    if args.details is not None:
        _check_details(args.details, args.root)
    names = {p: shown(p) for p in args.inputs}
    result, _ = reconcile(
        args.root,
        args.inputs,
        kind=args.kind,
        catalogues=args.catalogue,
        today=today(),
        shown=names,
        mapping=args.map,
    )
    # the summary is for people: with --format json it goes to standard error
    out = sys.stderr if choose(args.format, os.environ) == "json" else sys.stdout
    out.write(summary(result))
    if result.findings:
        out.write("\n")
    emit(result.findings, args.format)
    if args.details is not None:
        _details(args.details, result)
        say(f"wrote {len(result.matched)} matched lines to {shown(args.details)} (personal data)")
    return exit_code(result.findings, strict=args.strict)


def _details(path: Path, result: Reconciled) -> None:
    try:
        with path.open("x", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["file", "line", "product", "kind", "matched by", "user", "seen"])
            for event, hit in result.matched:
                seen = event.host or event.name or event.merchant
                writer.writerow(
                    [
                        event.path,
                        event.line,
                        hit.known.name,
                        hit.known.kind,
                        hit.how,
                        event.user,
                        seen,
                    ]
                )
    except FileExistsError:
        raise HandbookError(
            f"{path} exists already", "give a new file name for --details; none is replaced"
        ) from None
    except OSError as exc:
        raise HandbookError(f"cannot write {path}: {exc.strerror}") from exc
