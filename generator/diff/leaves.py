"""Every changed value between two versions of one entry, as :class:`Delta` values.

Mappings are walked key by key down to their leaves. A list of mappings (exceptions,
certifications, audits, prompts, guidance entries) is walked item by item, each item matched with
its earlier self by identity: its ``id``, else ``rule``, else ``name``, else ``date``, else its
position; a repeated identity gets ``#2``, ``#3`` in order of appearance, so two exceptions for the
same rule are matched by rule, then by order. An item that appears or disappears is one delta
whose other side is None. Any other list (data classes, prohibited uses, required steps) is one
leaf, compared as a whole.

A path is a tuple of segments: a key, or an item as ``"[identity]"``; :func:`dotted` shows it as
``exceptions[output-audit-overdue].until``. Absent, null and empty are the same value. Each delta
also carries its *record* at both revisions: the list item it lies in (a certification, an
exception), else the whole entry, so that a rule can look at the value's neighbours (looser.py:
a certification valid for longer is backed by a new issue date and evidence link).

Comparisons :meth:`Deltas.take` what they report in their own words; whatever is left is reported
one line per delta (looser.py). That is what makes the diff complete: no changed value can fall
between two comparisons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.diff.changes import Value
from generator.load.construct import PythonName

Path = tuple[str, ...]
IDENTITY = ("id", "rule", "name", "date")


@dataclass(frozen=True, slots=True)
class Delta:
    path: Path
    old: Any  # None: absent
    new: Any
    # the record the value lies in, at both revisions: its list item, else the whole entry
    records: tuple[Any, Any] = field(default=(None, None), compare=False, repr=False)

    @property
    def key(self) -> str:
        return dotted(self.path) or "(top level)"

    @property
    def is_item(self) -> bool:
        """A whole list item that appeared or disappeared."""
        return bool(self.path) and is_item(self.path[-1])


def is_item(segment: str) -> bool:
    return segment.startswith("[") and segment.endswith("]")


def dotted(path: Path) -> str:
    return "".join(s if is_item(s) or i == 0 else "." + s for i, s in enumerate(path))


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same(a: Any, b: Any) -> bool:
    """Equal all the way down, and of the same type except numbers: ``24`` is ``24.0`` (and
    ``.nan`` is ``.nan``), but ``1`` is not ``true`` and ``"1"`` is not ``1``."""
    if _empty(a) and _empty(b):
        return True
    if _number(a) and _number(b):
        return bool(a == b) or (a != a and b != b)  # NaN is not equal to itself
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _identity(item: dict[str, Any], index: int) -> str:
    for key in IDENTITY:
        value = item.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    return str(index)


def keyed(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Items by ``"[identity]"``, repeated identities numbered in order."""
    out: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        ident = _identity(item, i)
        seen[ident] = seen.get(ident, 0) + 1
        out[f"[{ident}#{seen[ident]}]" if seen[ident] > 1 else f"[{ident}]"] = item
    return out


def _records(value: Any) -> bool:
    """A list of mappings, or nothing."""
    return value is None or (isinstance(value, list) and all(isinstance(x, dict) for x in value))


def walk(
    old: Any, new: Any, path: Path = (), records: tuple[Any, Any] | None = None
) -> list[Delta]:
    """The changed leaves under ``path``, in document order (old keys first); ``records``: the
    record ``old`` and ``new`` lie in (default: they are the record)."""
    if same(old, new):
        return []
    records = (old, new) if records is None else records
    if isinstance(old, dict | None) and isinstance(new, dict | None):
        old, new = old or {}, new or {}
        keys = [*old, *(k for k in new if k not in old)]
        return [d for k in keys for d in walk(old.get(k), new.get(k), (*path, str(k)), records)]
    if _records(old) and _records(new):
        before, after = keyed(old or []), keyed(new or [])
        out: list[Delta] = []
        for k in [*before, *(k for k in after if k not in before)]:
            b, a = before.get(k), after.get(k)
            if b is None or a is None:
                out.append(Delta((*path, k), b, a, records))
            else:
                out += walk(b, a, (*path, k), (b, a))
        return out
    return [Delta(path, None if _empty(old) else old, None if _empty(new) else new, records)]


class Literal(str):
    """A value shown as its file writes it: ``null``, ``[]``, ``{}``, a ``!!python/name:``."""

    __slots__ = ()


def exact(value: Any) -> Any:
    """``value`` for files where absent, null and empty differ (a JSON Schema's ``"enum": []``
    accepts nothing, mkdocs.yml's ``plugins: []`` turns search off): each null and empty
    container becomes a :class:`Literal`, so :func:`walk` tells it from an absent key."""
    if value is None:
        return Literal("null")
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()} if value else Literal("{}")
    if isinstance(value, list):
        return [exact(v) for v in value] if value else Literal("[]")
    if isinstance(value, PythonName):
        return Literal(f"!!python/name:{value.name}")
    return value


def container(value: Any) -> str | None:
    """``"mapping"``, ``"records"`` (a list of mappings) or None (a value, or a list of them)."""
    if isinstance(value, dict) and value:
        return "mapping"
    if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
        return "records"
    return None


def inside(delta: Delta) -> list[Delta]:
    """What a mapping or list of records replaced by a value of another shape held, and what
    its replacement holds, as deltas of their own (the old values gone, the new ones new), so
    that a change of shape is judged by what it removes and adds. Otherwise nothing."""
    if delta.is_item or container(delta.old) == container(delta.new):
        return []
    return [*walk(delta.old, None, delta.path), *walk(None, delta.new, delta.path)]


class Deltas:
    """The changed values of one entry, until a comparison takes them."""

    def __init__(self, old: Any, new: Any) -> None:
        self.left = walk(old, new)

    def take(self, *prefix: str, where: Callable[[Delta], bool] | None = None) -> list[Delta]:
        """The deltas at or under ``prefix`` (and ``where`` says so), no longer left for the
        generic report."""

        def wanted(d: Delta) -> bool:
            return d.path[: len(prefix)] == prefix and (where is None or where(d))

        taken = [d for d in self.left if wanted(d)]
        self.left = [d for d in self.left if not wanted(d)]
        return taken


def shown(value: Any) -> Value:
    """A value for a message: a mapping (a whole item) becomes its ``key: value`` lines."""
    if isinstance(value, dict):
        return [f"{d.key}: {_text(d.new)}" for d in walk(None, value)]
    if isinstance(value, list):
        return [_text(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _members(value: Any) -> list[str]:
    """A list's items as text; a mapping's ``key: value`` lines; nothing for a single value."""
    if isinstance(value, list):
        return [_text(x) for x in value]
    if isinstance(value, dict):
        return [f"{d.key}: {_text(d.new)}" for d in walk(None, value)]
    return []


def items(delta: Delta) -> tuple[list[str], list[str]]:
    """A list leaf's items added and removed (a mapping in place of a list counts by its
    ``key: value`` lines); a whole item's identity added or removed."""
    if delta.is_item:
        ident = delta.path[-1][1:-1]
        return ([ident] if delta.old is None else []), ([ident] if delta.new is None else [])
    before, after = _members(delta.old), _members(delta.new)
    return [x for x in after if x not in before], [x for x in before if x not in after]
