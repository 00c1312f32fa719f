"""Policy rules a schema cannot express: its regular expressions must compile, and its ranges
must not be empty."""

from __future__ import annotations

import re

from generator.evidence import stats
from generator.evidence.words import percent
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
    benchmark would fail ("asks for 60 to 50 tasks"); and a bar no benchmark of the largest
    size could clear (:func:`bars`)."""
    bars(check, doc)
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


def bars(check: Checker, doc: Document) -> None:
    """The hallucination bar is judged on the upper end of a 95% interval, which never shrinks
    to 0: even no hallucination in ``benchmark_tasks.max`` tasks has an interval reaching some
    way, so a bar below that fails every tool, whatever it does. (The accuracy gap has no such
    floor: an AI clearly better than the expert clears any gap, 0 included.)"""
    bar = doc.data.get("benchmark") or {}
    n = check.policy.benchmark_max
    perfect = stats.wilson(n, n)  # every task right, for the AI and the expert alike
    reach = 1 - perfect.low
    rate = bar.get("max_hallucination_rate")
    if isinstance(rate, (int, float)) and rate < reach:
        check.emit(
            "policy-range",
            doc,
            ["benchmark", "max_hallucination_rate"],
            f"benchmark.max_hallucination_rate ({rate}) can never be met: even no hallucination "
            f"in {n} tasks (benchmark_tasks.max) has a 95% interval reaching {percent(reach)}",
            f"allow at least {percent(reach)}, or more tasks in benchmark_tasks.max",
        )
