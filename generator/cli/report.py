"""`handbook report`: the nightly job. All checks, the report files, optionally the GitHub issue."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generator import pipeline
from generator.checks import links
from generator.cli.common import add_common, command, github_target, say_as_of, today
from generator.diagnostics import exit_code
from generator.report import RENDERERS, choose, json_format, nightly


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "report",
        "the nightly job: all checks, a Markdown/JSON/JUnit report, optionally a GitHub issue",
    )
    add_common(p, ["text", "json", "markdown", "junit", "github"])
    p.add_argument(
        "--out", type=Path, default=None, help="folder for the report files (default: report/)"
    )
    p.add_argument(
        "--github-issue", action="store_true", help="keep one GitHub tracking issue up to date"
    )
    p.add_argument("--no-links", action="store_true", help="skip the external link check")
    p.add_argument(
        "--usage",
        type=Path,
        metavar="DIR",
        help="a folder of usage inputs: add `handbook reconcile`'s findings (shadow AI, use of "
        "rejected tools, personal accounts) to the report, as counts",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validation, staleness of every usable entry, external links; the files; the issue."""
    github = github_target(os.environ, "--github-issue") if args.github_issue else None
    checked = pipeline.check(args.root, args.as_of, today())
    say_as_of(checked.as_of)
    out = args.out if args.out is not None else Path("report")
    found = pipeline.nightly(
        checked,
        out,
        external_links=not args.no_links,
        now=time.time(),
        progress=links.ProgressLine(sys.stderr),
        usage=args.usage,
        out_given=args.out is not None,
    )
    day, why = checked.today, checked.as_of.why
    fmt = choose(args.format, os.environ)
    brief = nightly.brief(found, day, out, why)
    if fmt in ("text", "github"):
        if fmt == "github" or args.format != "auto":
            sys.stdout.write(RENDERERS[fmt](found))
        sys.stdout.write(brief)
    else:
        if fmt == "json":  # the same document as report.json
            sys.stdout.write(json_format.render(found, meta=nightly.meta(day, why)))
        else:
            sys.stdout.write(RENDERERS[fmt](found))
        sys.stderr.write(brief)
    if github is not None:
        # imported here: only this path needs requests
        from generator import publish
        from generator.report.issue import owner_handles, render_issue, resolved_comment

        api_url, repo, token = github
        handbook = checked.handbook
        result = publish.sync_issue(
            api_url=api_url,
            repo=repo,
            token=token,
            body=render_issue(
                found,
                today=day,
                mention_owners=handbook.policy.mention_owners,
                handles=owner_handles((t.contact, t.github) for t in handbook.tools.values()),
                why=why,
            ),
            comment=resolved_comment(day, why),
        )
        print(result.describe())
    return exit_code(found, strict=args.strict)
