"""`handbook serve`: a live preview on 127.0.0.1, rebuilt when the sources change."""

from __future__ import annotations

import argparse

from generator.cli.common import add_common, command, today
from generator.diagnostics import HandbookError


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "serve",
        "live preview on 127.0.0.1, rebuilt when anything under content/, registry/, "
        "frameworks/, schemas/ or evidence/ changes",
    )
    add_common(p, [])
    p.add_argument(
        "--dev-addr",
        default="127.0.0.1:8000",
        metavar="HOST:PORT",
        help="where the preview listens (default: 127.0.0.1:8000; this machine only)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator import serve  # imports MkDocs: only for the commands that need it

    host, _, port = args.dev_addr.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise HandbookError(f"--dev-addr {args.dev_addr!r} is not HOST:PORT", "e.g. 127.0.0.1:8000")
    return serve.serve(args.root, host, int(port), given=args.as_of, clock=today)
