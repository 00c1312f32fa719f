"""Policy rules a schema cannot express: its regular expressions must compile, and its ranges
must not be empty."""

from __future__ import annotations

import re

from generator.load import Document
from generator.validate.checker import Checker


def patterns(check: Checker, doc: Document) -> None:
    links = doc.data.get("links") or {}
    for i, pattern in enumerate(links.get("exclude", [])):
        try:
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError) as exc:  # a{99999999999} overflows
            check.emit(
                "regex-invalid",
                doc,
                ["links", "exclude", i],
                f"links.exclude[{i}] {pattern!r} is not a regular expression: {exc}",
                "fix the pattern (Python syntax); escape a literal dot as '\\.'",
            )


def ranges(check: Checker, doc: Document) -> None:
    """``policy-range``: ``benchmark_tasks.min`` at most ``benchmark_tasks.max``, else every
    benchmark would fail ("asks for 60 to 50 tasks")."""
    tasks = doc.data.get("benchmark_tasks") or {}
    low, high = tasks.get("min"), tasks.get("max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        check.emit(
            "policy-range",
            doc,
            ["benchmark_tasks", "min"],
            f"benchmark_tasks.min ({low}) is above benchmark_tasks.max ({high}): no benchmark "
            "could pass",
            "make min at most max (the procedure's benchmark is 20-50 tasks)",
        )
