"""`handbook validate`: every YAML file against its schema and the cross-file rules."""

from __future__ import annotations

import argparse

from generator import pipeline
from generator.cli.common import add_common, command, emit, say_as_of, today
from generator.diagnostics import exit_code


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub, "validate", "check every YAML file against its schema and the cross-file rules"
    )
    p.description = "Check registry/ and content/ against schemas/ and the handbook's rules."
    add_common(p, ["text", "json", "github"])
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    checked = pipeline.check(args.root, args.as_of, today())
    say_as_of(checked.as_of, always=False)
    emit(checked.diagnostics, args.format)
    return exit_code(checked.diagnostics, strict=args.strict)
