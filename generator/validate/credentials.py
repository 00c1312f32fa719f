"""Credentials pasted into a file: API keys and private keys, in a value or in a comment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load import Document
from generator.rules import RULES
from generator.schema import dotted
from generator.validate.checker import Checker

_SECRET = re.compile(
    r"\b(?:sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|github_pat_[A-Za-z0-9_]{30,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}"
    r"|AIza[0-9A-Za-z_-]{35})"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"  # no \b: a dash is not a word character
)
# Literal prefixes of _SECRET: a file containing none of them cannot match (a cheap first pass).
_SECRET_PREFIXES = (
    "sk-",
    "gho_",
    "ghp_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "AKIA",
    "xox",
    "AIza",
    "-----BEGIN",
)
_HINT = "remove it, revoke the key at the vendor, and store a reference such as vault://..."


def secrets(check: Checker, doc: Document) -> None:
    """Report each value holding a credential by its key; failing that, the comment holding one."""
    if not any(prefix in doc.text for prefix in _SECRET_PREFIXES):
        return
    found = _SECRET.search(doc.text)
    if found is None:
        return
    in_values = False
    for where, text in _strings(doc.data, []):
        if _SECRET.search(text):
            in_values = True
            check.emit(
                "secret-in-data",
                doc,
                where,
                f"{dotted(where)} looks like it contains a credential",
                _HINT,
            )
    if not in_values:
        line = doc.text.count("\n", 0, found.start()) + 1
        column = found.start() - (doc.text.rfind("\n", 0, found.start()) + 1) + 1
        check.found.append(
            Diagnostic(
                "secret-in-data",
                RULES["secret-in-data"].severity,
                "a comment looks like it contains a credential",
                doc.path,
                line,
                column,
                hint=_HINT,
            )
        )


def _strings(data: Any, where: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, [*where, k])
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, [*where, i])
