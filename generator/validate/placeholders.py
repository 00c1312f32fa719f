"""What a scaffold leaves to fill in, in one place: written by ``handbook new-tool`` and
``new-vendor`` (generator/scaffold.py) and found by ``placeholder-left``, so a forgotten
scaffold fails ``handbook validate --strict`` (which CI runs) and ``handbook build --strict``
until every placeholder is replaced. It is a warning, so a plain ``handbook build`` still
builds (a preview of a half-filled entry is useful) and says what is left.

The markers: text starting with ``TODO``, the address ``replace-me@example.com`` (also in a
``mailto:`` link) and links under ``https://example.com/replace-me/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.load import Document
from generator.schema import dotted
from generator.validate.checker import Checker

TODO = "TODO"
EMAIL = "replace-me@example.com"
URL = "https://example.com/replace-me/"
_TODO = re.compile(rf"^\s*{TODO}\b")
_QUOTE = 60  # characters of a long placeholder to quote


def todo(what: str) -> str:
    """A text placeholder: ``TODO: the accountable team``."""
    return f"{TODO}: {what}"


def url(entry: str, page: str) -> str:
    """A link placeholder: ``https://example.com/replace-me/acme/website``."""
    return f"{URL}{entry}/{page}"


def kind_of(value: str) -> str | None:
    """What placeholder ``value`` is ('a TODO', 'the placeholder address', ...), or None."""
    if _TODO.match(value):
        return "a TODO"
    if value in (EMAIL, f"mailto:{EMAIL}"):
        return "the placeholder address"
    if value.startswith(URL):
        return "a placeholder link"
    return None


def _strings(data: Any, where: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, [*where, key])
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, [*where, i])


def placeholders(check: Checker, doc: Document) -> None:
    """``placeholder-left`` at each value of ``doc`` a scaffold left to fill in."""
    if TODO not in doc.text and "replace-me" not in doc.text:
        return  # the common case, decided without walking the data
    for where, value in _strings(doc.data, []):
        what = kind_of(value)
        if what is None:
            continue
        shown = value if len(value) <= _QUOTE else value[: _QUOTE - 1].rstrip() + "…"
        check.emit(
            "placeholder-left",
            doc,
            where,
            f"{dotted(where)} is still {what} from the scaffold: {shown!r}",
            "replace it with the real value; `handbook validate --strict` (which CI runs) and "
            "`handbook build --strict` fail while a placeholder is left",
        )
