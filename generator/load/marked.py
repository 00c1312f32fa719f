"""Mappings and lists that remember where each of their keys and values was written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Mark = tuple[int, int]


class MarkedDict(dict[str, Any]):
    """A mapping that knows the position of each key (``keys``) and value (``values_at``)."""

    __slots__ = ("keys_at", "start", "values_at")

    def __init__(self) -> None:
        super().__init__()
        self.start: Mark = (1, 1)
        self.keys_at: dict[str, Mark] = {}
        self.values_at: dict[str, Mark] = {}


class MarkedList(list[Any]):
    __slots__ = ("items_at", "start")

    def __init__(self) -> None:
        super().__init__()
        self.start: Mark = (1, 1)
        self.items_at: list[Mark] = []


def dig(data: Any, *keys: str) -> Any:
    """The value at ``keys`` in nested mappings, or None: for data that has not been validated,
    where any level may be missing or of the wrong type."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def locate(data: Any, where: Sequence[str | int], *, key: bool = False) -> Mark:
    best: Mark = getattr(data, "start", (1, 1))
    node = data
    for i, step in enumerate(where):
        last = i == len(where) - 1
        if isinstance(node, MarkedDict) and isinstance(step, str) and step in node:
            best = node.keys_at[step] if (last and key) else node.values_at[step]
            node = node[step]
        elif isinstance(node, MarkedList) and isinstance(step, int) and 0 <= step < len(node):
            best = node.items_at[step]
            node = node[step]
        else:
            break
    return best
