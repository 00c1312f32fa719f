"""Load YAML and Markdown files into Documents that remember where every value came from.

Decisions taken here, once, so users never meet YAML 1.1 surprises:

* Only safe loading. Unknown tags (``!!python/object``) are errors.
* Scalars resolve by YAML 1.2's core schema: ``true``/``false`` are the only booleans (``yes``,
  ``no``, ``on``, ``off`` stay strings, so ``NO`` is Norway); ``~``/``null``/empty are null;
  decimal integers are integers but a numeral with a leading zero (``0700``) stays a string rather
  than becoming 448 or 700; ``0o17`` and ``0x1f`` are octal and hex; ``1_000`` and ``1:20`` are
  strings.
* Dates are never converted: ``2026-01-31`` and ``"2026-01-31"`` are both the string
  ``"2026-01-31"``; the schemas check the format and ``model.py`` turns them into ``date``.
* Duplicate keys are errors (PyYAML would keep the last one silently).
* One document per file; UTF-8 only (a BOM is accepted); files above ``MAX_BYTES`` are refused;
  aliases may not expand to more than ``MAX_NODES`` nodes (the "billion laughs" bomb), nor refer
  to the value that contains them; nesting deeper than ``MAX_DEPTH`` levels is refused.

Mappings load as :class:`MarkedDict` and sequences as :class:`MarkedList`: plain ``dict``/``list``
subclasses that carry the 1-based line and column of each of their keys and values.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from generator.diagnostics import Diagnostic, Severity

MAX_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_DEPTH = 100

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


class CoreResolver(BaseResolver):
    """YAML 1.2 core schema, with leading-zero numerals kept as strings."""


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


class _Problem(Exception):
    def __init__(self, rule: str, message: str, mark: Mark | None, hint: str | None = None) -> None:
        super().__init__(message)
        self.rule, self.message, self.mark, self.hint = rule, message, mark, hint


class MarkingConstructor(SafeConstructor):
    """SafeConstructor that records positions, refuses duplicate keys and keeps dates as text."""

    problems: list[_Problem]

    def _expect(self, node: Node, kind: type[Node], what: str) -> None:
        if not isinstance(node, kind):
            raise ConstructorError(
                None, None, f"the tag {_short(node.tag)!r} needs {what} here", node.start_mark
            )

    def construct_yaml_map(self, node: MappingNode) -> Any:
        self._expect(node, MappingNode, "a mapping")
        data = MarkedDict()
        data.start = _mark(node)
        yield data
        seen: dict[str, Mark] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                continue  # reported below as yaml-key-type; may be unhashable (a list)
            if key in seen:
                line, _ = seen[key]
                self.problems.append(
                    _Problem(
                        "yaml-duplicate-key",
                        f"duplicate key {key!r} (first defined at line {line})",
                        _mark(key_node),
                        "keep one of the two entries; YAML would silently drop the first",
                    )
                )
            seen.setdefault(key, _mark(key_node))
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                # Carry on with the key as written, so later messages quote what the user typed.
                written = key_node.value if isinstance(key_node, ScalarNode) else str(key)
                self.problems.append(
                    _Problem(
                        "yaml-key-type",
                        f"key {written!r} is read as {_KEY_TYPES.get(type(key), 'a value')}, "
                        "not as text",
                        _mark(key_node),
                        f'put the key in quotes: "{written}":'
                        if isinstance(key_node, ScalarNode)
                        else "use a plain word as the key",
                    )
                )
                key = written
            data[key] = self.construct_object(value_node, deep=True)
            data.keys_at[key] = _mark(key_node)
            data.values_at[key] = _mark(value_node)

    def construct_yaml_seq(self, node: SequenceNode) -> Any:
        self._expect(node, SequenceNode, "a list")
        data = MarkedList()
        data.start = _mark(node)
        yield data
        for child in node.value:
            data.append(self.construct_object(child, deep=True))
            data.items_at.append(_mark(child))

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = str(self.construct_scalar(node)).replace("_", "")
        try:
            if value.startswith("0o"):
                return int(value[2:], 8)
            if value.startswith("0x"):
                return int(value[2:], 16)
            return int(value, 10)
        except ValueError:
            raise self._misfit(node, "a whole number") from None

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = str(self.construct_scalar(node)).lower()
        if value.endswith(".inf"):
            return float("-inf") if value.startswith("-") else float("inf")
        if value == ".nan":
            return float("nan")
        try:
            return float(value)
        except ValueError:
            raise self._misfit(node, "a number") from None

    def construct_yaml_bool(self, node: ScalarNode) -> bool:
        value = str(self.construct_scalar(node)).lower()
        if value not in self.bool_values:
            raise self._misfit(node, "true or false")
        return bool(self.bool_values[value])

    def _misfit(self, node: ScalarNode, what: str) -> ConstructorError:
        value = node.value if len(node.value) <= 40 else node.value[:40] + "..."
        message = f"{value!r} is tagged {_short(node.tag)!r} but is not {what}"
        if len(node.value) > 4000:  # past Python's int() limit, tagged or not
            message = f"the number {value!r} has more than 4,000 digits"
        return ConstructorError(None, None, message, node.start_mark)

    def construct_as_text(self, node: ScalarNode) -> str:
        return str(self.construct_scalar(node))

    def refuse(self, node: Node) -> Any:
        raise ConstructorError(
            None,
            None,
            f"could not determine a constructor for the tag {node.tag!r}",
            node.start_mark,
        )


for _tag, _make in {
    "map": MarkingConstructor.construct_yaml_map,
    "seq": MarkingConstructor.construct_yaml_seq,
    "int": MarkingConstructor.construct_yaml_int,
    "float": MarkingConstructor.construct_yaml_float,
    "bool": MarkingConstructor.construct_yaml_bool,
    "timestamp": MarkingConstructor.construct_as_text,
    "binary": MarkingConstructor.construct_as_text,
    "set": MarkingConstructor.refuse,
    "omap": MarkingConstructor.refuse,
    "pairs": MarkingConstructor.refuse,
}.items():
    MarkingConstructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _make)  # type: ignore[arg-type]

# libyaml's parser lives in yaml.cyaml (``yaml.CParser`` does not exist: cyaml's __all__ omits it).
_CParser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
if _CParser is not None:

    class _Loader(_CParser, MarkingConstructor, CoreResolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            MarkingConstructor.__init__(self)
            CoreResolver.__init__(self)
            self.problems = []

else:  # pragma: no cover - pure-Python fallback when PyYAML was built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        MarkingConstructor,
        CoreResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            MarkingConstructor.__init__(self)
            CoreResolver.__init__(self)
            self.problems = []


@dataclass(frozen=True, slots=True)
class Document:
    """One file: its repo-relative path, its kind, its data (None when unreadable), its text."""

    path: str
    kind: str
    data: Any
    text: str = field(repr=False, default="")

    def locate(self, where: Sequence[str | int], *, key: bool = False) -> Mark:
        """Line and column of the value at ``where`` (or of its key), else of the nearest parent."""
        return locate(self.data, where, key=key)


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


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 with an optional BOM; anything else is a diagnostic with its line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Diagnostic(
                "file-encoding",
                Severity.ERROR,
                "file is UTF-16; the handbook reads UTF-8 only",
                path,
                1,
                1,
                hint="save the file as UTF-8",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8")) + 1  # characters, as editors count
        return None, [
            Diagnostic(
                "file-encoding",
                Severity.ERROR,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                path,
                line,
                column,
                hint="save the file as UTF-8 (it may have been written as Latin-1 or Windows-1252)",
            )
        ]
    if "\x00" in text:  # UTF-16 without a byte-order mark decodes as UTF-8 full of NULs
        at = text.index("\x00")
        return None, [
            Diagnostic(
                "file-encoding",
                Severity.ERROR,
                "file holds NUL bytes: it is UTF-16 without a byte-order mark, or not text",
                path,
                text.count("\n", 0, at) + 1,
                at - (text.rfind("\n", 0, at) + 1) + 1,
                hint="save the file as UTF-8",
            )
        ]
    return text, []


def parse_yaml(text: str, path: str) -> tuple[Any, list[Diagnostic]]:
    """Text to marked data. Problems come back as diagnostics; data is None when unusable."""
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
        _check_size(node)
        data = loader.construct_document(node)
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
        for p in loader.problems
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


def load_yaml(file: Path, root: Path, kind: str) -> tuple[Document, list[Diagnostic]]:
    rel = file.relative_to(root).as_posix()
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return Document(rel, kind, None), [
            Diagnostic(
                "file-unreadable",
                Severity.ERROR,
                f"cannot read file: {exc.strerror}",
                rel,
                hint="check that it exists and that you may read it",
            )
        ]
    if len(raw) > MAX_BYTES:
        return Document(rel, kind, None), [
            Diagnostic(
                "yaml-too-large",
                Severity.ERROR,
                f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                rel,
                1,
                1,
                hint="split it or remove what does not belong in a registry entry",
            )
        ]
    text, diags = decode(raw, rel)
    if text is None:
        return Document(rel, kind, None), diags
    data, diags = parse_yaml(text, rel)
    return Document(rel, kind, data, text), diags


# --- the tree -------------------------------------------------------------------------------

KINDS: dict[str, str] = {
    "registry/tools/*.yaml": "tool",
    "registry/vendors/*.yaml": "vendor",
    "registry/policy.yaml": "policy",
    "content/procedure/*.yaml": "phase",
    "content/guidance.yaml": "guidance",
}
SCHEMA_FILES = {
    "tool": "tool.schema.json",
    "vendor": "vendor.schema.json",
    "policy": "policy.schema.json",
    "phase": "phase.schema.json",
    "guidance": "guidance.schema.json",
}
PARALLEL_FROM = 400  # files; below this a second process costs more than it saves


@dataclass(frozen=True, slots=True)
class Page:
    """A hand-written Markdown page from content/pages/."""

    path: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Tree:
    root: Path
    documents: list[Document]
    pages: list[Page]

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]


def discover(root: Path) -> tuple[list[tuple[Path, str]], list[Diagnostic]]:
    """Every file the handbook reads, with its kind; stray files are warnings."""
    found: dict[Path, str] = {}
    for pattern, kind in KINDS.items():
        for f in sorted(root.glob(pattern)):
            if f.is_file() and not f.name.startswith("."):  # editor and macOS ._ files
                found[f] = kind
    diags: list[Diagnostic] = []
    for top in ("registry", "content"):
        base = root / top
        if not base.is_dir():
            continue
        for f in sorted(base.rglob("*")):
            rel = f.relative_to(root).as_posix()
            if (
                not f.is_file()
                or f in found
                or f.name.startswith(".")
                or f.name == "README.md"
                or (rel.startswith("content/pages/") and f.suffix == ".md")
                or rel.startswith("content/assets/")
            ):
                continue
            hint = "registry and content files end in .yaml; see the README for the layout"
            if f.suffix == ".yml":
                hint = f"rename it to {f.stem}.yaml"
            diags.append(
                Diagnostic(
                    "file-unexpected",
                    Severity.WARNING,
                    "file is not read by the handbook",
                    rel,
                    1,
                    1,
                    hint=hint,
                )
            )
    return sorted(found.items()), diags


def schema_comment(doc: Document, root: Path) -> list[Diagnostic]:
    first = doc.text.lstrip("\ufeff").split("\n", 1)[0]
    if first.startswith("# yaml-language-server: $schema="):
        return []
    schema = root / "schemas" / SCHEMA_FILES[doc.kind]
    rel = Path(*[".."] * (doc.path.count("/"))) / "schemas" / schema.name
    return [
        Diagnostic(
            "schema-comment",
            Severity.WARNING,
            "first line does not name the file's schema",
            doc.path,
            1,
            1,
            hint=f"make the first line: # yaml-language-server: $schema={rel.as_posix()}",
        )
    ]


def _load_one(args: tuple[Path, Path, str]) -> tuple[Document, list[Diagnostic]]:
    file, root, kind = args
    doc, diags = load_yaml(file, root, kind)
    if doc.data is not None:
        diags += schema_comment(doc, root)
    return doc, diags


def load_tree(root: Path, *, jobs: int | None = None) -> tuple[Tree, list[Diagnostic]]:
    """Load every file of the handbook under ``root``; files load in parallel when many."""
    files, diags = discover(root)
    work = [(f, root, kind) for f, kind in files]
    if jobs is None:
        jobs = min(2, os.cpu_count() or 1) if len(work) >= PARALLEL_FROM else 1
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_load_one, work, chunksize=max(1, len(work) // (jobs * 8))))
    else:
        results = [_load_one(w) for w in work]
    documents = []
    for doc, found in results:
        documents.append(doc)
        diags += found
    pages = []
    pages_dir = root / "content" / "pages"
    if pages_dir.is_dir():
        for f in sorted(pages_dir.glob("*.md")):
            rel = f.relative_to(root).as_posix()
            try:
                raw = f.read_bytes()
            except OSError as exc:  # a broken symlink, a permission problem
                diags.append(
                    Diagnostic(
                        "file-unreadable",
                        Severity.ERROR,
                        f"cannot read file: {exc.strerror}",
                        rel,
                        hint="check that it exists and that you may read it",
                    )
                )
                continue
            text, problems = decode(raw, rel)
            diags += problems
            if text is not None:
                pages.append(Page(rel, f.stem, text))
    return Tree(root, documents, pages), diags
