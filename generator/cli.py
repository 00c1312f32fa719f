"""The `handbook` command: parse arguments, call the stages, return an exit code. Nothing else.

Exit codes: 0 clean; 1 error-level findings (warnings too under --strict); 2 cannot run (bad
usage, missing files); 3 internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from generator import __version__
from generator.checks import expiry, links
from generator.diagnostics import Diagnostic, HandbookError, Severity, exit_code
from generator.load import Tree, load_tree
from generator.model import build
from generator.report import RENDERERS, choose, nightly
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
    """--root and --as-of; with ``formats`` (commands that report findings) --format, --strict."""
    p.add_argument(
        "--root",
        type=Path,
        default=Path(),
        help="the handbook repository (default: the current folder)",
    )
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
    add_common(p, [])
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
    p.add_argument("--no-links", action="store_true", help="skip the external link check")
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
    p.add_argument(
        "--cache",
        type=Path,
        default=links.DEFAULT_CACHE,
        metavar="FILE",
        help="remember working links here (default: .handbook-cache/links.json under --root)",
    )
    p.add_argument("--no-cache", action="store_true", help="check every link afresh")
    p.set_defaults(run=run_check_links)

    # -- pull requests -------------------------------------------------------------------------
    p = command(sub, "new-tool", "scaffold registry/tools/ID.yaml")
    p.add_argument("--root", type=Path, default=Path())
    p.add_argument("id", help="the new tool's id: lower-case letters, digits and hyphens")
    p.add_argument("--vendor", required=True, help="the vendor's id (registry/vendors/VENDOR.yaml)")
    p.add_argument("--name", help="the tool's name (default: from the id)")
    p.add_argument(
        "--owner",
        help="the owning team's contact address, or its GitHub handle (@org/team)",
    )
    p.set_defaults(run=run_new_tool)

    p = command(sub, "new-vendor", "scaffold registry/vendors/ID.yaml")
    p.add_argument("--root", type=Path, default=Path())
    p.add_argument("id", help="the new vendor's id: lower-case letters, digits and hyphens")
    p.add_argument("--name", help="the vendor's name (default: from the id)")
    p.set_defaults(run=run_new_vendor)

    p = command(sub, "diff", "what a change means for governance, between two git revisions")
    p.add_argument("--root", type=Path, default=Path())
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
    p.set_defaults(run=run_diff)

    p = command(sub, "codeowners", "generate .github/CODEOWNERS from the registry's owners")
    p.add_argument("--root", type=Path, default=Path())
    p.add_argument(
        "--check", action="store_true", help="fail when the committed file is out of date"
    )
    p.epilog = (
        "exit codes:\n"
        "  0  written, or already up to date\n"
        "  1  with --check: the file is missing or out of date (the diff is printed)\n"
        "  2  cannot run: the handbook's files are missing\n"
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


def banner_text(given: date | None, pinned: date | None, today: date) -> str | None:
    """The as-of banner shown on every page while the date is not today's."""
    if given is not None:
        return f"Dates are checked as of {today.isoformat()} (set with --as-of)"
    if pinned is not None:
        return f"Dates are checked as of {today.isoformat()} (pinned in registry/policy.yaml)"
    return None


def run_build(args: argparse.Namespace) -> int:
    from generator import build as site  # imports MkDocs: only for the commands that need it

    tree, diags, today = load_and_validate(args.root, args.as_of)
    if exit_code(diags):
        emit(diags, args.format)
        print("handbook: the site was not built: fix the validation errors", file=sys.stderr)
        return 1
    handbook = build(tree)
    stale = expiry.check(handbook, today)
    diags += stale
    if exit_code(diags, strict=args.strict):
        emit(diags, args.format)
        why = "stale entries" if exit_code(stale) else "warnings (--strict)"
        print(
            f"handbook: the site was not built: {why} as of {today.isoformat()}; "
            "a stale approval must not be published as current",
            file=sys.stderr,
        )
        return 1
    layout = site.Layout.at(args.root, args.site_dir)
    inputs = site.inputs_for(layout.root, handbook, today, stale)
    banner = banner_text(args.as_of, handbook.policy.as_of, today)
    result = site.build_site(layout, handbook, inputs, banner=banner)
    problems = result.problems or links.check_site(layout.site_dir, label=shown(layout.site_dir))
    emit(diags + problems, args.format)
    t = result.timings
    if result.problems:
        print("handbook: MkDocs reported problems (strict): site not built", file=sys.stderr)
        return 1
    if exit_code(problems):
        print("handbook: the built site has broken internal links or anchors", file=sys.stderr)
        return 1
    print(
        f"handbook: built {layout.site_dir} from {t.files} generated files "
        f"({t.written} changed) as of {today.isoformat()}: generate {t.generate:.2f} s, "
        f"write {t.write:.2f} s, MkDocs {t.mkdocs:.2f} s",
        file=sys.stderr,
    )
    return 0


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def run_serve(args: argparse.Namespace) -> int:
    from generator import serve  # imports MkDocs: only for the commands that need it

    host, _, port = args.dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise HandbookError(f"--dev-addr {args.dev_addr!r} is not HOST:PORT", "e.g. 127.0.0.1:8000")
    return serve.serve(
        args.root,
        host,
        int(port),
        today_of=lambda tree: resolve_as_of(args.as_of, tree),
        banner=lambda today, handbook: banner_text(args.as_of, handbook.policy.as_of, today),
    )


def run_check_expiry(args: argparse.Namespace) -> int:
    tree, diags, today = load_and_validate(args.root, args.as_of)
    if exit_code(diags):
        emit([d for d in diags if d.severity is Severity.ERROR], args.format)
        print(
            "handbook: cannot check dates while the registry has validation errors; "
            "fix them first (see `handbook validate`)",
            file=sys.stderr,
        )
        return 1
    print(f"handbook: dates checked as of {today.isoformat()}", file=sys.stderr)
    found = expiry.check(build(tree), today)
    emit(found, args.format)
    return exit_code(found, strict=args.strict)


def run_report(args: argparse.Namespace) -> int:
    """The nightly job: validation, staleness, external links; report files; the GitHub issue."""
    github = github_target(os.environ, "--github-issue") if args.github_issue else None
    tree, found, today = load_and_validate(args.root, args.as_of)
    handbook = None
    if exit_code(found):
        print(
            "handbook: dates and links were not checked: the registry has validation errors",
            file=sys.stderr,
        )
    else:
        handbook = build(tree)
        found += expiry.check(handbook, today)
        if not args.no_links:
            found += links.check_external(
                tree,
                handbook.policy,
                cache_path=links.DEFAULT_CACHE,
                now=time.time(),
                progress=links.ProgressLine(sys.stderr),
            )
    nightly.write(found, today, args.out)
    fmt = choose(args.format, os.environ)
    brief = nightly.brief(found, today, args.out)
    if fmt in ("text", "github"):
        if fmt == "github" or args.format != "auto":
            sys.stdout.write(RENDERERS[fmt](found))
        sys.stdout.write(brief)
    else:
        sys.stdout.write(RENDERERS[fmt](found))
        sys.stderr.write(brief)
    if github is not None:
        # imported here: only this path needs requests
        from generator import publish
        from generator.report.issue import owner_handles, render_issue, resolved_comment

        api_url, repo, token = github
        mention = handbook.policy.mention_owners if handbook else False
        handles = (
            owner_handles((t.contact, t.github) for t in handbook.tools.values())
            if handbook
            else None
        )
        result = publish.sync_issue(
            api_url=api_url,
            repo=repo,
            token=token,
            body=render_issue(found, today=today, mention_owners=mention, handles=handles),
            comment=resolved_comment(today),
        )
        print(result.describe())
    return exit_code(found, strict=args.strict)


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


def run_check_links(args: argparse.Namespace) -> int:
    """External URLs of registry and content, then the built site's links (or --site DIR's)."""
    cache = None if args.no_cache else args.cache
    if cache is not None:
        cache = (args.root / cache).resolve()
    progress = links.ProgressLine(sys.stderr)
    now = time.time()
    if args.site is not None:
        if not args.site.is_dir():
            raise HandbookError(f"{args.site} is not a folder", "build the site first")
        options = links.Options.from_policy(links.LinkPolicy(), allow_private=args.allow_private)
        diags = links.check_site_all(
            args.site,
            options,
            cache_path=cache,
            now=now,
            progress=progress,
            external=not args.internal_only,
        )
        emit(diags, args.format)
        return exit_code(diags, strict=args.strict)
    tree, diags, _ = load_and_validate(args.root, args.as_of)
    if exit_code(diags) != 0:
        emit(diags, args.format)
        return 1
    if not args.internal_only:
        diags += links.check_external(
            tree,
            build(tree).policy,
            allow_private=args.allow_private,
            cache_path=cache,
            now=now,
            progress=progress,
        )
    site = args.root / "site"
    if site.is_dir():
        diags += links.check_site(site, label="site")
    else:
        print(
            "handbook: site/ is not built; internal links were not checked "
            "(run 'handbook build' first)",
            file=sys.stderr,
        )
    emit(diags, args.format)
    return exit_code(diags, strict=args.strict)


def run_new_tool(args: argparse.Namespace) -> int:
    from generator import scaffold

    check_root(args.root)
    ctx = scaffold.context(args.root, Schemas(args.root / "schemas").raw)
    name = args.name or scaffold.default_name(args.id)
    scaffold.check_new_id(ctx, "tool", args.id, name)
    scaffold.check_vendor(ctx, args.vendor)
    contact, github = scaffold.split_owner(args.owner)
    today = resolve_as_of(None, ctx.tree)
    text = scaffold.tool_text(ctx, args.id, args.vendor, name, today, contact, github)
    return created(args.root, f"registry/tools/{args.id}.yaml", text)


def run_new_vendor(args: argparse.Namespace) -> int:
    from generator import scaffold

    check_root(args.root)
    ctx = scaffold.context(args.root, Schemas(args.root / "schemas").raw)
    name = args.name or scaffold.default_name(args.id)
    scaffold.check_new_id(ctx, "vendor", args.id, name)
    text = scaffold.vendor_text(ctx, args.id, name, resolve_as_of(None, ctx.tree))
    return created(args.root, f"registry/vendors/{args.id}.yaml", text)


def created(root: Path, rel: str, text: str) -> int:
    """Write a scaffold, then validate the tree and show any finding about the new file."""
    from generator import scaffold

    scaffold.create(root, rel, text)
    _, diags, _ = load_and_validate(root, None)
    mine = [d for d in diags if d.path == rel]
    print(f"created {rel}")
    if mine:
        emit(mine, "text")
    print("next: replace the TODOs and placeholders, then run `handbook validate`")
    return exit_code(mine)


def run_diff(args: argparse.Namespace) -> int:
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


def run_codeowners(args: argparse.Namespace) -> int:
    from generator import codeowners

    check_root(args.root)
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
