"""Renderers: list[Diagnostic] -> str. Pure, sorted by (path, line, column, rule)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from generator.diagnostics import Diagnostic
from generator.report import github, json_format, junit, markdown, text

Renderer = Callable[[Sequence[Diagnostic]], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "github": github.render,
    "markdown": markdown.render,
    "junit": junit.render,
}


def choose(name: str, env: Mapping[str, str]) -> str:
    """Resolve ``auto``: GitHub annotations inside GitHub Actions, plain text elsewhere."""
    if name != "auto":
        return name
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
