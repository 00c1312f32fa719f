"""Lookups in registry data that has not been validated: a missing key or a value of the wrong
type reads as None, an empty list or an empty mapping, so a broken file is compared as far as it
goes. Every reader in the diff goes through these (or checks the type itself) before it iterates,
indexes or calls ``.items()``/``.get()``: any value of any file may be a scalar, a list, a
mapping or null (tests/unit/test_diff.py replaces each one in turn).
"""

from __future__ import annotations

from typing import Any

from generator.diff.changes import Value
from generator.load.marked import dig

get = dig  # the diff reads unvalidated data the same way as every other reader


def get_list(data: Any, *keys: str) -> list[Any]:
    value = get(data, *keys)
    return list(value) if isinstance(value, list) else []


def get_map(data: Any, *keys: str) -> dict[str, Any]:
    value = get(data, *keys)
    return dict(value) if isinstance(value, dict) else {}


def stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def scalar(value: Any) -> Value:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
