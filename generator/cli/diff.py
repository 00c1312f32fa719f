"""`handbook diff`: what a change means for governance, between two git revisions."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.cli.common import add_root, command, github_target
from generator.diagnostics import HandbookError


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "diff", "what a change means for governance, between two git revisions")
    add_root(p)
    p.add_argument("base", help="the revision to compare from, e.g. origin/main")
    p.add_argument("head", nargs="?", default=None, help="default: the working tree")
    p.add_argument(
        "--format",
        choices=["markdown", "json", "text"],
        default="text",
        help="markdown is the pull-request comment; json is versioned",
    )
    p.add_argument(
        "--github-comment",
        action="store_true",
        help="also post the Markdown as the pull request's one governance-diff comment, edited "
        "on later runs (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL from the environment)",
    )
    p.add_argument(
        "--pr",
        type=int,
        metavar="N",
        help="the pull request to comment on (default: from GITHUB_EVENT_PATH's pull_request)",
    )
    p.epilog = (
        "exit codes:\n"
        "  0  compared (the diff informs; it never fails a build); with --github-comment, also\n"
        "     when GitHub refuses the token write access (a fork's pull request): a warning\n"
        "  2  cannot run: not a git repository, a revision is missing (shallow clone?), or\n"
        "     the comment could not be posted\n"
        "  3  internal error: a bug in the handbook tool; please report it\n"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator import diff
    from generator.diff import render

    if not args.github_comment:
        if args.pr is not None:
            raise HandbookError(
                "--pr only makes sense with --github-comment", "add --github-comment"
            )
        result = diff.diff(args.root, args.base, args.head)
        sys.stdout.write(render.RENDERERS[args.format](result))
        return 0

    from generator import publish  # only this path needs requests

    api_url, repo, token = github_target(os.environ, "--github-comment")
    event = os.environ.get("GITHUB_EVENT_PATH")
    if args.pr is not None:
        number = args.pr
    elif event:
        number = publish.event_pr_number(Path(event))
    else:
        raise HandbookError(
            "--github-comment needs the pull request's number",
            "pass --pr N, or run in a pull_request workflow (GitHub sets GITHUB_EVENT_PATH)",
        )
    publish.check_comment_target(api_url=api_url, repo=repo, token=token, number=number)
    result = diff.diff(args.root, args.base, args.head)
    sys.stdout.write(render.RENDERERS[args.format](result))
    sys.stdout.flush()
    try:
        posted = publish.upsert_comment(
            api_url=api_url,
            repo=repo,
            token=token,
            number=number,
            body=render.render_markdown(result),
            marker=render.MARKER,
        )
    except publish.GitHubError as exc:
        if exc.status != 403 or exc.method == "GET":
            raise
        print(f"handbook: warning: the comment was not posted: {exc.message}", file=sys.stderr)
        print(f"  hint: {exc.hint}", file=sys.stderr)
        return 0
    print(posted.describe(), file=sys.stderr)
    return 0
