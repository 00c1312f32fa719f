"""Positions of the fast path's plain data, recovered from the text only when a finding asks.

The fast path (``PlainBuilder``) builds plain dicts and lists without positions, and only for
files with nothing unusual: no aliases, merge keys or tags, every key a distinct text scalar.
The mappings of such data are the file's mappings, key for key and in order, so the position of
one value can be found by following its path through libyaml's parser events, skipping whatever
lies before it and stopping there: no nodes, no second copy of the data, nothing kept. The marks
are those of the events the composer builds nodes from, so they equal the full ``Builder``'s.

When the root is a block mapping whose keys each start a line, loading noted where each starts
(the *outline*, :func:`~generator.load.construct.outline`), and only the top-level entry that
holds the path is parsed: cut at a line start where a key began, the text parses to the same
events, lines counted from the cut. A file asked for more than ``WALKS`` positions is indexed
once instead (every path's marks, from one pass over its events).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from generator.load.marked import Mark
from generator.load.yamlfile import event_parser

Path_ = tuple[str | int, ...]
WALKS = 2  # walks per file before it is indexed: a whole-file walk costs about what indexing does
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

    ``outline``: where its top-level keys start, (line, offset) pairs flattened, or ().
    """

    __slots__ = ("data", "index", "outline", "text", "walks")

    def __init__(self, text: str, data: Any, outline: tuple[int, ...] = ()) -> None:
        self.text, self.data = text, data
        # libyaml does not count a byte-order mark in its offsets
        self.outline = outline if isinstance(data, dict) and text[:1] != "\ufeff" else ()
        self.walks = 0
        self.index: Index | None = None

    def locate(self, where: Sequence[str | int], *, key: bool = False) -> Mark:
        """What :func:`~generator.load.marked.locate` gives on the file's MarkedDict."""
        steps, key = resolve(self.data, where, key)
        if self.index is None and self.walks < WALKS:
            self.walks += 1
            if not steps or not self.outline:
                return walk(self.text, steps, key)
            part, lines = self._entry(steps[0])
            return walk(part, steps, key, lines)
        if self.index is None:
            self.index = Index(self.text)
        return (self.index.keys if key else self.index.values)[steps]

    def _entry(self, name: str | int) -> tuple[str, int]:
        """The text of the top-level entry ``name`` (the file's start before the first) and the
        number of lines before it."""
        i = 2 * list(self.data).index(name)
        start, lines = (self.outline[i + 1], self.outline[i]) if i else (0, 0)
        end = self.outline[i + 3] if i + 3 < len(self.outline) else len(self.text)
        return self.text[start:end], lines
