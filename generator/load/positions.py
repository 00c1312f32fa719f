"""Positions of the fast path's plain data, recovered from the text only when a finding asks.

The fast path (``PlainBuilder``) builds plain dicts and lists without positions, and only for
files with nothing unusual: no aliases, merge keys or odd tags, every key a distinct text scalar.
The mappings of such data are the file's mappings, key for key and in order, so the position of
one value can be found by following its path through libyaml's parser events, skipping whatever
lies before it and stopping there: no nodes, no second copy of the data, nothing kept. The marks
are those of the events the composer builds nodes from, so they equal the full ``Builder``'s.

When the root is a block mapping, loading noted where its keys start, and those of its values
that are block mappings (the *outline*, see :class:`~generator.load.construct.PlainBuilder`).
Only the entry that holds the path is then parsed: the text from the start of the line where
its key is written (nothing but spaces before the key) to the line where the next one is, or
to the end of the entry above. libyaml reads the same events from there, lines counted from
the cut. Once the walks in a file have read as much text as it holds, it is indexed instead
(every path's marks from one pass over its events, about 1.4 times a walk of the whole text):
a file with many findings costs about what parsing it again with the Builder used to.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from generator.load.marked import Mark
from generator.load.yamlfile import Outline, event_parser

Path_ = tuple[str | int, ...]
BREAKS = "\n\r\x85\u2028\u2029"  # what libyaml counts as a line break ("\r\n" once)
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_DEPTH = {
    ScalarEvent: 0,
    AliasEvent: 0,
    MappingStartEvent: 1,
    SequenceStartEvent: 1,
    MappingEndEvent: -1,
    SequenceEndEvent: -1,
}


def resolve(data: Any, where: Sequence[str | int], key: bool) -> tuple[Path_, bool]:
    """The part of ``where`` that exists in ``data``, and whether to give its last key's mark.

    As :func:`~generator.load.marked.locate` does: a text step into a mapping that has it, a
    whole-number step into a list that long; the first other step ends the path. ``key`` counts
    only when the whole of ``where`` exists and ends in a mapping key.
    """
    steps: list[str | int] = []
    node = data
    for step in where:
        if isinstance(node, dict):
            there = isinstance(step, str) and step in node
        else:
            there = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not there:
            break
        node = node[step]
        steps.append(step)
    whole = len(steps) == len(where)
    return tuple(steps), key and whole and bool(steps) and isinstance(steps[-1], str)


def _mark(event: Any, lines: int = 0) -> Mark:
    """1-based line and column where an event starts (``lines`` added to the line)."""
    return (event.start_mark.line + lines + 1, event.start_mark.column + 1)


def _skip(get: Callable[[], Any]) -> None:
    """Consume one value's events: a scalar's one, a collection's up to its end."""
    depth = _DEPTH[get().__class__]
    while depth:
        depth += _DEPTH[get().__class__]


def walk(text: str, steps: Path_, key: bool, lines: int = 0) -> Mark:
    """The (line, column) of the value at ``steps``, which exist, or of its key.

    ``text`` may be cut at a line start: ``lines`` is the number of lines before the cut.
    """
    parser = event_parser(text)
    try:
        get = parser.get_event
        get()  # stream start
        get()  # document start
        best = _mark(get(), lines)  # the root's
        last = len(steps) - 1
        for i, step in enumerate(steps):
            if isinstance(step, str):
                while (name := get()).value != step:  # a key
                    _skip(get)
                best = _mark(name if key and i == last else get(), lines)
            else:
                for _ in range(step):
                    _skip(get)
                best = _mark(get(), lines)
        return best
    finally:
        parser.dispose()


class Index:
    """Every path's marks in one text: ``values[path]``, and ``keys[path]`` for mapping keys."""

    def __init__(self, text: str) -> None:
        self.values: dict[Path_, Mark] = {}
        self.keys: dict[Path_, Mark] = {}
        parser = event_parser(text)
        try:
            get = parser.get_event
            get()  # stream start
            get()  # document start
            self._node(get, get(), ())
        finally:
            parser.dispose()

    def _node(self, get: Callable[[], Any], event: Any, path: Path_) -> None:
        self.values[path] = _mark(event)
        if isinstance(event, MappingStartEvent):
            while not isinstance(name := get(), MappingEndEvent):
                inner = (*path, name.value)
                self.keys[inner] = _mark(name)
                self._node(get, get(), inner)
        elif isinstance(event, SequenceStartEvent):
            i = 0
            while not isinstance(item := get(), SequenceEndEvent):
                self._node(get, item, (*path, i))
                i += 1


class Finder:
    """Positions in one file whose data came from the fast path (plain dicts and lists).

    ``outline``: where keys start in ``text`` (see :class:`~generator.load.construct.PlainBuilder`).
    """

    __slots__ = ("cuts", "data", "index", "read", "text")

    def __init__(self, text: str, data: Any, outline: Outline = ()) -> None:
        self.text, self.data = text, data
        # libyaml does not count a byte-order mark in its offsets
        plain = isinstance(data, dict) and bool(outline) and text[:1] != "\ufeff"
        if plain and "%" in text[: outline[0][0]]:
            plain = False  # a directive (%TAG) the cut text would lack
        self.cuts = Cuts(text, outline) if plain else None
        self.read = 0  # characters walked so far
        self.index: Index | None = None

    def locate(self, where: Sequence[str | int], *, key: bool = False) -> Mark:
        """What :func:`~generator.load.marked.locate` gives on the file's MarkedDict."""
        steps, key = resolve(self.data, where, key)
        if self.index is None and self.read < len(self.text):
            if self.cuts is None or not steps:
                self.read += len(self.text)
                return walk(self.text, steps, key)
            part, depth, lines = self.cuts.entry(self.data, steps)
            self.read += len(part)
            try:
                return walk(part, steps[depth:], key, lines)  # the whole text's events, from there
            except yaml.YAMLError:  # pragma: no cover - a safety net: none is known to fail
                return walk(self.text, steps, key)
        if self.index is None:
            self.index = Index(self.text)
        return (self.index.keys if key else self.index.values)[steps]


class Cuts:
    """Where the text of a file may be cut: the line starts of the keys of its outline."""

    def __init__(self, text: str, outline: Outline) -> None:
        self.text = text
        self.top = outline[0]
        # each inner tuple belongs to the top-level entry its first key lies in
        self.inner = {bisect.bisect_right(self.top, keys[0]) - 1: keys for keys in outline[1:]}

    def entry(self, data: dict[str, Any], steps: Path_) -> tuple[str, int, int]:
        """The text of the deepest outlined entry holding ``steps``, how many steps lead to
        that entry's key (0: a top-level one), and the number of lines before the text."""
        text = self.text
        i = list(data).index(steps[0])  # type: ignore[arg-type]  # a key of data
        bounds = self._bounds(self.top, i, len(text))
        if bounds is None:
            return text, 0, 0
        start, end = bounds
        start = start if i else 0  # the first entry keeps what comes before it (%, ---)
        depth = 0
        inner = self.inner.get(i)
        if inner is not None and len(steps) > 1:
            j = list(data[steps[0]]).index(steps[1])  # type: ignore[index]
            bounds = self._bounds(inner, j, end)
            if bounds is not None:
                (start, end), depth = bounds, 1
        if start == 0:
            return text[:end], depth, 0
        return text[start:end], depth, self._lines_before(start)

    def _bounds(self, keys: tuple[int, ...], i: int, end: int) -> tuple[int, int] | None:
        """From the line of ``keys[i]`` to the line of the next key, else ``end``; None when
        something other than spaces comes before either on its line."""
        start = self._line(keys[i])
        if i + 1 < len(keys):
            end = self._line(keys[i + 1])
        return None if start < 0 or end < 0 else (start, end)

    def _line(self, offset: int) -> int:
        """The start of the line where a key begins at ``offset``, or -1 when anything but
        spaces comes before it on that line."""
        start = offset
        while start and self.text[start - 1] == " ":
            start -= 1
        return start if start == 0 or self.text[start - 1] in BREAKS else -1

    def _lines_before(self, offset: int) -> int:
        text = self.text
        if "\r" in text or not text.isascii():
            return len(_BREAK.findall(text, 0, offset))
        return text.count("\n", 0, offset)
