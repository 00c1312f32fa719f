"""YAML text -> nodes (libyaml's parser, YAML 1.2 core resolver) -> data; errors -> diagnostics.

The nodes become data in ``construct`` (see load/__init__ for the decisions both follow).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from generator.diagnostics import Diagnostic, Severity
from generator.load.construct import (
    DEEP,
    FLATTEN,
    MAP,
    SEQ,
    STR,
    TAG,
    Builder,
    PlainBuilder,
    TooLarge,
    Unusual,
    check_size,
    node_mark,
    short_tag,
)


class CoreResolver(BaseResolver):
    """YAML 1.2 core schema, with leading-zero numerals kept as strings."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        # BaseResolver.resolve, minus path resolvers (unused): libyaml calls it for every node.
        if kind is ScalarNode:
            if implicit[0]:
                if not value:
                    return TAG + "null"
                for tag, regexp in self.yaml_implicit_resolvers.get(value[0], ()):
                    if regexp.match(value):
                        return str(tag)
            return STR
        return SEQ if kind is SequenceNode else MAP


#: (tag, pattern, first characters) of every scalar the core schema reads as something other
#: than text; writers quote a string that matches one (generator/inventory/write.py).
CORE_SCALARS: list[tuple[str, re.Pattern[str], Sequence[str]]] = [
    (tag, re.compile(regexp), first)
    for tag, regexp, first in [
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
    ]
]
for _tag, _pattern, _first in CORE_SCALARS:
    CoreResolver.add_implicit_resolver(_tag, _pattern, list(_first))


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


def event_parser(text: str) -> Any:
    """A parser of ``text`` that gives the events the loader composes nodes from, one per
    ``get_event()`` call (``dispose()`` it after)."""
    if _CParser is not None:
        return _CParser(text)
    return _Events(text)  # pragma: no cover


class _Events(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # pragma: no cover
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def parse_yaml(
    text: str, path: str, *, marks: bool = True, names: frozenset[str] = frozenset()
) -> tuple[Any, list[Diagnostic]]:
    """Text to data. Problems come back as diagnostics; data is None when unusable.

    With ``marks`` (the default) mappings and lists are MarkedDict/MarkedList; without, a file
    with nothing unusual in it is built as plain dicts and lists, several times faster.
    ``names``: the ``!!python/name:`` values allowed (as :class:`PythonName`); every other tag
    is refused.
    """
    data, _, problems = _parse(text, path, marks, names)
    return data, problems


Outline = tuple[tuple[int, ...], ...]


def parse_plain(text: str, path: str) -> tuple[Any, Outline, list[Diagnostic]]:
    """``parse_yaml(text, path, marks=False)``, and the outline of plain data (where its keys
    start, see :class:`~generator.load.construct.PlainBuilder`; () for other data)."""
    return _parse(text, path, False, frozenset())


def _parse(
    text: str, path: str, marks: bool, names: frozenset[str]
) -> tuple[Any, Outline, list[Diagnostic]]:
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader already checks characters here
        node = loader.get_single_node()
        if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")):
            return _refused(
                Diagnostic(
                    "yaml-empty",
                    Severity.ERROR,
                    "file has no YAML content",
                    path,
                    1,
                    1,
                    hint="fill it in, starting from an example in the same folder, or delete it",
                )
            )
        if not marks and "*" not in text:
            plain = PlainBuilder()
            try:
                return plain.build(node), plain.outline, []
            except Unusual:
                pass
        if "*" in text:  # only aliases can make the values outnumber the nodes
            check_size(node)
        builder = Builder(node, names)
        data = builder.build(node)
    except TooLarge as exc:
        return _refused(
            Diagnostic(
                "yaml-too-large",
                Severity.ERROR,
                exc.message,
                path,
                *node_mark(exc.node),
                hint=exc.hint,
            )
        )
    except yaml.MarkedYAMLError as exc:
        return _refused(_syntax_error(exc, path))
    except yaml.reader.ReaderError as exc:  # a control character, or a lone surrogate
        return _refused(_reader_error(exc, text, path))
    except RecursionError:  # the pure-Python parser recurses once per level: a guard only
        return _refused(
            Diagnostic("yaml-too-large", Severity.ERROR, DEEP, path, 1, 1, hint=FLATTEN)
        )
    finally:
        if loader is not None:
            loader.dispose()
    problems = [
        Diagnostic(p.rule, Severity.ERROR, p.message, path, *(p.mark or (1, 1)), hint=p.hint)
        for p in builder.problems
    ]
    return data, (), problems


def _refused(problem: Diagnostic) -> tuple[Any, Outline, list[Diagnostic]]:
    return None, (), [problem]


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
        tag = short_tag(problem.rsplit(" ", 1)[-1].strip("'"))
        problem = f"tag {tag!r} is not allowed (only plain values are)"
        hint = "remove the tag; write plain values"
    elif "maximum nesting depth" in problem:
        rule = "yaml-too-large"
        problem, hint = DEEP, FLATTEN
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
