"""YAML text -> marked data, by libyaml's parser and a one-pass builder (see load/__init__)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from generator.diagnostics import Diagnostic, Severity
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


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _mark(node: Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "merge"


class CoreResolver(BaseResolver):
    """YAML 1.2 core schema, with leading-zero numerals kept as strings."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        # BaseResolver.resolve, minus path resolvers (unused): libyaml calls it for every node.
        if kind is ScalarNode:
            if implicit[0]:
                if not value:
                    return _TAG + "null"
                for tag, regexp in self.yaml_implicit_resolvers.get(value[0], ()):
                    if regexp.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "tag:yaml.org,2002:int",
        r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$",
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
]:
    CoreResolver.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


# libyaml's parser lives in yaml.cyaml (``yaml.CParser`` does not exist: cyaml's __all__ omits it).
_CParser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
if _CParser is not None:

    class _Loader(_CParser, CoreResolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            CoreResolver.__init__(self)

else:  # pragma: no cover - pure-Python fallback when PyYAML was built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        CoreResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            CoreResolver.__init__(self)


class _Problem(Exception):
    def __init__(self, rule: str, message: str, mark: Mark | None, hint: str | None = None) -> None:
        super().__init__(message)
        self.rule, self.message, self.mark, self.hint = rule, message, mark, hint


# An explicit !!bool tag accepts YAML 1.1's words too; untagged, only true/false are booleans.
_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _misfit(node: ScalarNode, what: str) -> ConstructorError:
    value = node.value if len(node.value) <= 40 else node.value[:40] + "..."
    message = f"{value!r} is tagged {_short(node.tag)!r} but is not {what}"
    if len(node.value) > 4000:  # past Python's int() limit, tagged or not
        message = f"the number {value!r} has more than 4,000 digits"
    return ConstructorError(None, None, message, node.start_mark)


def _int(node: ScalarNode) -> int:
    value = node.value.replace("_", "")
    try:
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)
    except ValueError:
        raise _misfit(node, "a whole number") from None


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
    _TAG + "int": _int,
    _TAG + "float": _float,
    _TAG + "bool": _bool,
    _TAG + "null": lambda node: None,
    # dates stay the text the user wrote; the schemas check them
    _TAG + "timestamp": lambda node: node.value,
    _TAG + "binary": lambda node: node.value,
}


class _Unusual(Exception):
    """The fast path met something it leaves to the full builder (and its messages)."""


class _PlainBuilder:
    """The fast path: plain dicts and lists, no positions, for files with nothing unusual.

    Anything out of the ordinary (aliases, merge keys, tags, non-text or duplicate keys, limits)
    raises ``_Unusual`` and the file is built again by ``_Builder``, which reports it properly.
    Positions are recorded later, only for files that need them (``Document.locate``).
    """

    def __init__(self) -> None:
        self.count = 0

    def build(self, node: Node, depth: int = 1) -> Any:
        cls = node.__class__
        if cls is ScalarNode:
            if node.tag == _STR:
                return node.value
            make = _SCALARS.get(node.tag)
            if make is None:
                raise _Unusual
            try:
                return make(node)  # type: ignore[arg-type]  # cls is ScalarNode
            except ConstructorError:
                raise _Unusual from None
        if depth >= MAX_DEPTH:
            raise _Unusual
        self.count += len(node.value)
        if self.count > MAX_NODES:
            raise _Unusual
        if cls is MappingNode and node.tag == _MAP:
            data: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not ScalarNode or key_node.tag != _STR:
                    raise _Unusual
                key = key_node.value
                if key in data:
                    raise _Unusual
                data[key] = self.build(value_node, depth + 1)
            return data
        if cls is SequenceNode and node.tag == _SEQ:
            return [self.build(child, depth + 1) for child in node.value]
        raise _Unusual


class _Builder:
    """Node graph -> MarkedDict / MarkedList / scalars, in one pass, positions included.

    Replaces PyYAML's generic constructor (generators, per-node dispatch through several
    layers), which costs more than libyaml's parsing itself. Aliased containers are built once
    and shared, as PyYAML does; ``_check_size`` has already bounded what they expand to.
    """

    def __init__(self, root: Node) -> None:
        self.problems: list[_Problem] = []
        self.built: dict[int, Any] = {}
        self.root = root
        self.count = 0

    def build(self, node: Node, depth: int = 1) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge(
                f"file holds more than {MAX_NODES:,} values",
                self.root,
                "split it or remove what does not belong in a registry entry",
            )
        if depth > MAX_DEPTH:
            raise _TooLarge(_DEEP, node, _FLATTEN)
        if isinstance(node, ScalarNode):
            if node.tag == _STR:
                return node.value
            make = _SCALARS.get(node.tag)
            if make is None:
                raise self._refuse(node)
            return make(node)
        done = self.built.get(id(node))
        if done is not None:
            return done
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                raise self._refuse(node)
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise self._refuse(node)
            items = MarkedList()
            items.start = _mark(node)
            self.built[id(node)] = items
            for child in node.value:
                items.append(self.build(child, depth + 1))
                items.items_at.append(_mark(child))
            return items
        raise self._refuse(node)  # pragma: no cover - libyaml yields only these three

    def _mapping(self, node: MappingNode, depth: int) -> MarkedDict:
        data = MarkedDict()
        data.start = _mark(node)
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
                    _Problem(
                        "yaml-duplicate-key",
                        f"duplicate key {key!r} (first defined at line {line})",
                        _mark(key_node),
                        "keep one of the two entries; YAML would silently drop the first",
                    )
                )
            data[key] = self.build(value_node, depth + 1)
            data.keys_at[key] = _mark(key_node)
            data.values_at[key] = _mark(value_node)
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
            _Problem(
                "yaml-key-type",
                f"key {written!r} is read as {_KEY_TYPES.get(type(key), 'a value')}, not as text",
                _mark(key_node),
                f'put the key in quotes: "{written}":'
                if isinstance(key_node, ScalarNode)
                else "use a plain word as the key",
            )
        )
        return str(written)

    @staticmethod
    def _refuse(node: Node) -> ConstructorError:
        need = {_MAP: "a mapping", _SEQ: "a list", _STR: "text"}.get(node.tag)
        if need is not None:  # a known tag on the wrong kind of node: !!map [1]
            return ConstructorError(
                None, None, f"the tag {_short(node.tag)!r} needs {need} here", node.start_mark
            )
        return ConstructorError(
            None,
            None,
            f"could not determine a constructor for the tag {node.tag!r}",
            node.start_mark,
        )


class _TooLarge(Exception):
    def __init__(self, message: str, node: Node, hint: str) -> None:
        super().__init__(message)
        self.message, self.node, self.hint = message, node, hint


_DEEP = f"nesting is too deep: lists and mappings may be nested at most {MAX_DEPTH} levels"
_FLATTEN = "flatten the structure: fewer levels of lists and mappings"


def _check_size(root: Node) -> None:
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
            raise _TooLarge(
                "an alias refers to the list or mapping that contains it, so it never ends",
                node,
                "point the alias (*name) at a value defined before it, outside it",
            )
        if key in known:
            size, height = known[key]
            total += size
        else:
            if depth > MAX_DEPTH:
                raise _TooLarge(_DEEP, node, _FLATTEN)
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
                raise _TooLarge(
                    f"file holds more than {MAX_NODES:,} values",
                    root,
                    "split it or remove what does not belong in a registry entry",
                )
            raise _TooLarge(
                f"aliases expand to more than {MAX_NODES:,} values",
                root,
                "write the values out instead of nesting aliases (&anchor / *alias)",
            )
        if depth + height - 1 > MAX_DEPTH:
            raise _TooLarge(_DEEP, node, _FLATTEN)
        return size, height

    walk(root, 1)


def parse_yaml(text: str, path: str, *, marks: bool = True) -> tuple[Any, list[Diagnostic]]:
    """Text to data. Problems come back as diagnostics; data is None when unusable.

    With ``marks`` (the default) mappings and lists are MarkedDict/MarkedList; without, a file
    with nothing unusual in it is built as plain dicts and lists, several times faster.
    """
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader already checks characters here
        node = loader.get_single_node()
        if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")):
            return None, [
                Diagnostic(
                    "yaml-empty",
                    Severity.ERROR,
                    "file has no YAML content",
                    path,
                    1,
                    1,
                    hint="fill it in, starting from an example in the same folder, or delete it",
                )
            ]
        if not marks and "*" not in text:
            try:
                return _PlainBuilder().build(node), []
            except _Unusual:
                pass
        if "*" in text:  # only aliases can make the values outnumber the nodes
            _check_size(node)
        builder = _Builder(node)
        data = builder.build(node)
    except _TooLarge as exc:
        return None, [
            Diagnostic(
                "yaml-too-large", Severity.ERROR, exc.message, path, *_mark(exc.node), hint=exc.hint
            )
        ]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, path)]
    except yaml.reader.ReaderError as exc:  # a control character, or a lone surrogate
        return None, [_reader_error(exc, text, path)]
    except RecursionError:  # the pure-Python parser recurses once per level: a guard only
        return None, [
            Diagnostic("yaml-too-large", Severity.ERROR, _DEEP, path, 1, 1, hint=_FLATTEN)
        ]
    finally:
        if loader is not None:
            loader.dispose()
    problems = [
        Diagnostic(p.rule, Severity.ERROR, p.message, path, *(p.mark or (1, 1)), hint=p.hint)
        for p in builder.problems
    ]
    return data, problems


def _syntax_error(exc: yaml.MarkedYAMLError, path: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(exc.problem or exc.context or "invalid YAML")
    rule = "yaml-syntax"
    hint = "check indentation, colons and quotes on this line and the one above"
    if "another document" in problem or "single document" in str(exc.context):
        rule = "yaml-multiple-documents"
        problem = "file holds more than one YAML document"
        hint = "keep one document per file: remove the extra '---'"
    elif "could not determine a constructor" in problem:
        rule = "yaml-unsafe-tag"
        tag = _short(problem.rsplit(" ", 1)[-1].strip("'"))
        problem = f"tag {tag!r} is not allowed (only plain values are)"
        hint = "remove the tag; write plain values"
    elif "maximum nesting depth" in problem:
        rule = "yaml-too-large"
        problem, hint = _DEEP, _FLATTEN
    elif "for merging" in problem:
        hint = "'<<' merges mappings: write '<<: *name' where &name marks a mapping"
    elif "digits" in problem:
        hint = "quote it to keep it as text"
    elif isinstance(exc, ConstructorError):
        hint = "remove the tag, or write a value that fits it"
    elif "undefined alias" in problem:
        hint = "an alias (*name) must come after its anchor (&name), in the same file"
    elif "cannot start any token" in problem:
        hint = "indent with spaces, not tabs; quote a value that starts with @ or `"
    if (
        rule == "yaml-syntax"
        and not isinstance(exc, ConstructorError)
        and exc.context
        and exc.context_mark
        and exc.problem_mark
        and (exc.context_mark.line, exc.context_mark.column)
        != (exc.problem_mark.line, exc.problem_mark.column)
    ):
        c = exc.context_mark
        problem += f" ({exc.context} started at line {c.line + 1}, column {c.column + 1})"
    return Diagnostic(rule, Severity.ERROR, problem, path, line, col, hint=hint)


def _reader_error(exc: yaml.reader.ReaderError, text: str, path: str) -> Diagnostic:
    # libyaml counts UTF-8 bytes; the pure-Python reader counts characters.
    if _CParser is not None:
        before = text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "ignore")
    else:  # pragma: no cover
        before = text[: exc.position]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return Diagnostic(
        "yaml-syntax",
        Severity.ERROR,
        f"character {char!r} (U+{ord(char):04X}) is not allowed in YAML",
        path,
        line,
        column,
        hint="delete it: control characters are not allowed, even inside quotes",
    )
