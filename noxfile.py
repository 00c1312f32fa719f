"""Every check CI runs, runnable locally: `nox -s tests`, `nox -s build`, `nox -l` for the list."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "validate", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (browser tests need Debian's chromium; in CI they must run)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".", "mypy>=1.10", "types-pyyaml", "types-requests")
    session.run("mypy")


@nox.session
def validate(session: nox.Session) -> None:
    """Our own CLI on this repository's registry and content."""
    session.install("-e", ".")
    session.run("handbook", "validate", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Validate, then build the handbook site into site/."""
    session.install("-e", ".")
    session.run("handbook", "build", *session.posargs)


@nox.session
def benchmarks(session: nox.Session) -> None:
    """Print the benchmark figures (not part of CI; slow)."""
    session.install("-e", ".[test]")
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
