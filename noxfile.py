"""Every check CI runs, runnable locally: `nox -s tests`, `nox -s build`, `nox -l` for the list."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "validate", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (browser tests need Debian's chromium; in CI they must run)."""
    session.install("-e", ".[test]")
    session.run("python", "tests/e2e/vendor_axe.py")  # axe-core for the accessibility tests
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install(
        "-e",
        ".",
        "mypy>=1.10",
        "types-pyyaml",
        "types-requests",
        "types-Markdown",
        "types-openpyxl",
    )
    session.run("mypy")


@nox.session
def validate(session: nox.Session) -> None:
    """Our own CLI on this repository's registry and content; warnings fail (a forgotten
    scaffold placeholder, markup the site would remove)."""
    session.install("-e", ".")
    session.run("handbook", "validate", "--strict", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Validate, then build the handbook site into site/."""
    session.install("-e", ".")
    session.run("handbook", "build", *session.posargs)


@nox.session
def links_internal(session: nox.Session) -> None:
    """The built site's own links and anchors (no network); run `nox -s build` first."""
    session.install("-e", ".")
    session.run("handbook", "check-links", "--internal-only", "--site", "site", *session.posargs)


@nox.session
def links(session: nox.Session) -> None:
    """Every external URL of registry and content, and the built site's links (network)."""
    session.install("-e", ".")
    session.run("handbook", "check-links", *session.posargs)


@nox.session
def expiry(session: nox.Session) -> None:
    """Expired certifications, overdue reviews and audits."""
    session.install("-e", ".")
    session.run("handbook", "check-expiry", *session.posargs)


@nox.session
def report(session: nox.Session) -> None:
    """The nightly report into report/; `-- --github-issue` also syncs the tracking issue
    (GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL come from the environment)."""
    session.install("-e", ".")
    session.run("handbook", "report", *session.posargs)


@nox.session
def governance_diff(session: nox.Session) -> None:
    """The pull request's governance diff, posted as its one comment: `BASE_SHA` (or
    `-- BASE [--pr N]`) against HEAD; GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_EVENT_PATH come
    from the environment."""
    args = list(session.posargs)
    base = args.pop(0) if args else session.env.get("BASE_SHA") or os.environ.get("BASE_SHA")
    if not base:
        session.error("no base revision: set BASE_SHA, or run `nox -s governance_diff -- BASE`")
    session.install("-e", ".")
    session.run("handbook", "diff", base, "HEAD", "--format", "markdown", "--github-comment", *args)


@nox.session
def benchmarks(session: nox.Session) -> None:
    """Print the benchmark figures (not part of CI; slow)."""
    session.install("-e", ".[test]")
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
