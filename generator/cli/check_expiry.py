"""`handbook check-expiry`: expired certifications, overdue reviews and audits."""

from __future__ import annotations

import argparse
import os
import sys

from generator import pipeline
from generator.cli.common import add_common, command, emit, say, say_as_of, today
from generator.diagnostics import Severity, exit_code
from generator.report import choose, json_format, nightly


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "check-expiry", "report expired certifications, overdue reviews and audits")
    add_common(p, ["text", "json", "markdown", "junit", "github"])
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    checked = pipeline.check(args.root, args.as_of, today())
    say_as_of(checked.as_of)
    found = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    if found:
        say(
            "some entries failed validation: they are reported below and checked as far as "
            "their valid parts go; every other entry was checked in full"
        )
    found += pipeline.staleness(checked)
    if choose(args.format, os.environ) == "json":  # the check date travels with the findings
        meta = nightly.meta(checked.today, checked.as_of.why)
        sys.stdout.write(json_format.render(found, meta=meta))
    else:
        emit(found, args.format)
    return exit_code(found, strict=args.strict)
