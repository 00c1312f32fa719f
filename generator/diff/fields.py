"""Lookups in registry data that has not been validated: a missing key or a value of the wrong
type reads as None or as an empty list, so a broken file is compared as far as it goes.
"""

from __future__ import annotations

from typing import Any

from generator.diff.changes import Value
from generator.load.marked import dig

get = dig  # the diff reads unvalidated data the same way as every other reader


def get_list(data: Any, *keys: str) -> list[Any]:
    value = get(data, *keys)
    return list(value) if isinstance(value, list) else []


def stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def scalar(value: Any) -> Value:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
