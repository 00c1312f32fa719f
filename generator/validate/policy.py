"""Policy rules a schema cannot express: its regular expressions must compile."""

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
