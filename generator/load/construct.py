"""Node graph -> data: YAML's construction step, two builders, and the size limits they enforce.

``yamlfile`` parses text into nodes and maps errors to diagnostics; this module turns the nodes
into data: plain dicts and lists on the fast path, MarkedDict / MarkedList with positions otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.load.marked import Mark, MarkedDict, MarkedList

MAX_NODES = 100_000
MAX_DEPTH = 100


_KEY_TYPES: dict[type, str] = {
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
    MarkedDict: "a mapping",
    MarkedList: "a list",
}


def short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def node_mark(node: Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ, _MERGE = TAG + "str", TAG + "map", TAG + "seq", TAG + "merge"
PYTHON_NAME = TAG + "python/name:"


@dataclass(frozen=True, slots=True)
class PythonName:
    """A ``!!python/name:module.attr`` value a file was allowed to name (see ``Builder.names``);
    it is never imported here, only written back into the configuration MkDocs reads."""

    name: str


class Problem(Exception):
    def __init__(self, rule: str, message: str, mark: Mark | None, hint: str | None = None) -> None:
        super().__init__(message)
        self.rule, self.message, self.mark, self.hint = rule, message, mark, hint


# An explicit !!bool tag accepts YAML 1.1's words too; untagged, only true/false are booleans.
_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _misfit(node: ScalarNode, what: str, *, too_long: bool = False) -> ConstructorError:
    value = node.value if len(node.value) <= 40 else node.value[:40] + "..."
    message = f"{value!r} is tagged {short_tag(node.tag)!r} but is not {what}"
    if too_long or len(node.value) > 4000:  # past Python's int() limit, tagged or not
        message = f"the number {value!r} has more than 4,000 digits"
    return ConstructorError(None, None, message, node.start_mark)


#: Python refuses to print a whole number of more than 4,300 digits (and so would every message
#: and report quoting it); int() reads longer ones in base 8 and 16, so they are refused here.
_TOO_LONG = 10**4000


def _int(node: ScalarNode) -> int:
    value = node.value.replace("_", "")
    try:
        if value.startswith("0o"):
            number = int(value[2:], 8)
        elif value.startswith("0x"):
            number = int(value[2:], 16)
        else:
            number = int(value, 10)
    except ValueError:
        raise _misfit(node, "a whole number") from None
    if abs(number) >= _TOO_LONG:
        raise _misfit(node, "a whole number", too_long=True)
    return number


def _float(node: ScalarNode) -> float:
    value = node.value.replace("_", "").lower()
    if value.endswith(".inf"):
        return float("-inf") if value.startswith("-") else float("inf")
    if value == ".nan":
        return float("nan")
    try:
        return float(value)
    except ValueError:
        raise _misfit(node, "a number") from None


def _bool(node: ScalarNode) -> bool:
    value = _BOOLS.get(node.value.lower())
    if value is None:
        raise _misfit(node, "true or false")
    return value


_SCALARS: dict[str, Callable[[ScalarNode], Any]] = {
    TAG + "int": _int,
    TAG + "float": _float,
    TAG + "bool": _bool,
    TAG + "null": lambda node: None,
    # dates stay the text the user wrote; the schemas check them
    TAG + "timestamp": lambda node: node.value,
    TAG + "binary": lambda node: node.value,
}


class Unusual(Exception):
    """The fast path met something it leaves to the full builder (and its messages)."""


class PlainBuilder:
    """The fast path: plain dicts and lists, no positions, for files with nothing unusual.

    Anything out of the ordinary (aliases, merge keys, tags, non-text or duplicate keys, limits)
    raises ``Unusual`` and the file is built again by ``Builder``, which reports it properly.
    Positions are found later, only for files that need them (``Document.locate``), helped by
    the ``outline``: when the root is a block mapping, the character offset where each of its
    keys starts, then those of each of its values that is a block mapping, in the file's order
    (one tuple each). :mod:`generator.load.positions` cuts the text there.
    """

    def __init__(self) -> None:
        self.count = 0
        self.offsets: list[list[int]] = []

    @property
    def outline(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(keys) for keys in self.offsets)

    def build(self, node: Node, depth: int = 1) -> Any:
        cls = node.__class__
        if cls is ScalarNode:
            if node.tag == STR:
                return node.value
            make = _SCALARS.get(node.tag)
            if make is None:
                raise Unusual
            try:
                return make(node)  # type: ignore[arg-type]  # cls is ScalarNode
            except ConstructorError:
                raise Unusual from None
        if depth >= MAX_DEPTH:
            raise Unusual
        self.count += len(node.value)
        if self.count > MAX_NODES:
            raise Unusual
        if cls is MappingNode and node.tag == MAP:
            outlined = depth == 1 or (depth == 2 and self.offsets)  # the root, then its values
            if outlined and not node.flow_style:  # type: ignore[attr-defined]
                offsets: list[int] = []
                self.offsets.append(offsets)
                return self._mapping(node, depth, offsets)  # type: ignore[arg-type]
            return self._mapping(node, depth, None)  # type: ignore[arg-type]
        if cls is SequenceNode and node.tag == SEQ:
            return [self.build(child, depth + 1) for child in node.value]
        raise Unusual

    def _mapping(self, node: MappingNode, depth: int, offsets: list[int] | None) -> dict[str, Any]:
        """A mapping of plain text keys, built as in ``build``; for a block mapping of the
        outline, ``offsets`` notes where each key starts."""
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode or key_node.tag != STR:
                raise Unusual
            key = key_node.value
            if key in data:
                raise Unusual
            if offsets is not None:
                offsets.append(key_node.start_mark.index)
            data[key] = self.build(value_node, depth + 1)
        return data


class Builder:
    """Node graph -> MarkedDict / MarkedList / scalars, in one pass, positions included.

    Replaces PyYAML's generic constructor (generators, per-node dispatch through several
    layers), which costs more than libyaml's parsing itself. Aliased containers are built once
    and shared, as PyYAML does; ``check_size`` has already bounded what they expand to.
    """

    def __init__(self, root: Node, names: frozenset[str] = frozenset()) -> None:
        self.problems: list[Problem] = []
        self.built: dict[int, Any] = {}
        self.root = root
        self.count = 0
        self.names = names  # the !!python/name: values this file may use (mkdocs.yml's)

    def build(self, node: Node, depth: int = 1) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise TooLarge(
                f"file holds more than {MAX_NODES:,} values",
                self.root,
                "split it or remove what does not belong in a registry entry",
            )
        if depth > MAX_DEPTH:
            raise TooLarge(DEEP, node, FLATTEN)
        if isinstance(node, ScalarNode):
            if node.tag == STR:
                return node.value
            make = _SCALARS.get(node.tag)
            if make is None:
                name = node.tag.removeprefix(PYTHON_NAME)
                if node.tag.startswith(PYTHON_NAME) and name in self.names and not node.value:
                    return PythonName(name)
                raise self._refuse(node)
            return make(node)
        done = self.built.get(id(node))
        if done is not None:
            return done
        if isinstance(node, MappingNode):
            if node.tag != MAP:
                raise self._refuse(node)
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                raise self._refuse(node)
            items = MarkedList()
            items.start = node_mark(node)
            self.built[id(node)] = items
            for child in node.value:
                items.append(self.build(child, depth + 1))
                items.items_at.append(node_mark(child))
            return items
        raise self._refuse(node)  # pragma: no cover - libyaml yields only these three

    def _mapping(self, node: MappingNode, depth: int) -> MarkedDict:
        data = MarkedDict()
        data.start = node_mark(node)
        self.built[id(node)] = data
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                key = self._key_problem(key_node, key)
            elif key in data.keys_at:
                line = data.keys_at[key][0]
                self.problems.append(
                    Problem(
                        "yaml-duplicate-key",
                        f"duplicate key {key!r} (first defined at line {line})",
                        node_mark(key_node),
                        "keep one of the two entries; YAML would silently drop the first",
                    )
                )
            data[key] = self.build(value_node, depth + 1)
            data.keys_at[key] = node_mark(key_node)
            data.values_at[key] = node_mark(value_node)
        for source in self._merge_sources(node, merges, depth):
            for key, value in source.items():
                if key not in data:  # keys written here win over merged ones
                    data[key] = value
                    data.keys_at[key] = source.keys_at[key]
                    data.values_at[key] = source.values_at[key]
        return data

    def _merge_sources(self, node: MappingNode, merges: list[Node], depth: int) -> list[MarkedDict]:
        """The mappings '<<' merges, in priority order (PyYAML's and YAML 1.1's semantics)."""
        sources: list[MarkedDict] = []
        for value_node in merges:
            parts = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for part in parts:
                if not isinstance(part, MappingNode):
                    raise ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "expected a mapping or list of mappings for merging, "
                        f"but found {getattr(part, 'id', 'a value')}",
                        part.start_mark,
                    )
                sources.append(self.build(part, depth + 1))
        return sources

    def _key_problem(self, key_node: Node, key: Any) -> str:
        # Carry on with the key as written, so later messages quote what the user typed.
        written = key_node.value if isinstance(key_node, ScalarNode) else str(key)
        self.problems.append(
            Problem(
                "yaml-key-type",
                f"key {written!r} is read as {_KEY_TYPES.get(type(key), 'a value')}, not as text",
                node_mark(key_node),
                f'put the key in quotes: "{written}":'
                if isinstance(key_node, ScalarNode)
                else "use a plain word as the key",
            )
        )
        return str(written)

    @staticmethod
    def _refuse(node: Node) -> ConstructorError:
        need = {MAP: "a mapping", SEQ: "a list", STR: "text"}.get(node.tag)
        if need is not None:  # a known tag on the wrong kind of node: !!map [1]
            return ConstructorError(
                None, None, f"the tag {short_tag(node.tag)!r} needs {need} here", node.start_mark
            )
        return ConstructorError(
            None,
            None,
            f"could not determine a constructor for the tag {node.tag!r}",
            node.start_mark,
        )


class TooLarge(Exception):
    def __init__(self, message: str, node: Node, hint: str) -> None:
        super().__init__(message)
        self.message, self.node, self.hint = message, node, hint


DEEP = f"nesting is too deep: lists and mappings may be nested at most {MAX_DEPTH} levels"
FLATTEN = "flatten the structure: fewer levels of lists and mappings"


def check_size(root: Node) -> None:
    """Refuse, before building anything, alias bombs, self-referencing aliases and deep nesting.

    Walks the node graph once; an aliased node is measured once and its (size, height) reused,
    so a "billion laughs" file costs as many steps as it has distinct nodes.
    """
    known: dict[int, tuple[int, int]] = {}  # id(node) -> (values once expanded, height)
    open_: set[int] = set()
    total = 0

    def walk(node: Node, depth: int) -> tuple[int, int]:
        nonlocal total
        key = id(node)
        if key in open_:
            raise TooLarge(
                "an alias refers to the list or mapping that contains it, so it never ends",
                node,
                "point the alias (*name) at a value defined before it, outside it",
            )
        if key in known:
            size, height = known[key]
            total += size
        else:
            if depth > MAX_DEPTH:
                raise TooLarge(DEEP, node, FLATTEN)
            open_.add(key)
            size, height = 1, 1
            total += 1
            children: list[Node] = []
            if isinstance(node, MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, SequenceNode):
                children = node.value
            for child in children:
                child_size, child_height = walk(child, depth + 1)
                size += child_size
                height = max(height, child_height + 1)
            open_.discard(key)
            known[key] = (size, height)
        if total > MAX_NODES:
            if len(known) + len(open_) > MAX_NODES:
                raise TooLarge(
                    f"file holds more than {MAX_NODES:,} values",
                    root,
                    "split it or remove what does not belong in a registry entry",
                )
            raise TooLarge(
                f"aliases expand to more than {MAX_NODES:,} values",
                root,
                "write the values out instead of nesting aliases (&anchor / *alias)",
            )
        if depth + height - 1 > MAX_DEPTH:
            raise TooLarge(DEEP, node, FLATTEN)
        return size, height

    walk(root, 1)
