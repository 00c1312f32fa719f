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
  aliases may not expand to more than ``MAX_NODES`` nodes (the "billion laughs" bomb); nesting
  deeper than libyaml's limit is refused by the parser.

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

    def construct_yaml_map(self, node: MappingNode) -> Any:
        data = MarkedDict()
        data.start = _mark(node)
        yield data
        seen: dict[Any, Mark] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str) and key in seen:
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
                self.problems.append(
                    _Problem(
                        "yaml-key-type",
                        f"key {key!r} is a {type(key).__name__}, not text",
                        _mark(key_node),
                        "quote the key",
                    )
                )
                key = str(key)
            data[key] = self.construct_object(value_node, deep=True)
            data.keys_at[key] = _mark(key_node)
            data.values_at[key] = _mark(value_node)

    def construct_yaml_seq(self, node: SequenceNode) -> Any:
        data = MarkedList()
        data.start = _mark(node)
        yield data
        for child in node.value:
            data.append(self.construct_object(child, deep=True))
            data.items_at.append(_mark(child))

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = str(self.construct_scalar(node)).replace("_", "")
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = str(self.construct_scalar(node)).lower()
        if value.endswith(".inf"):
            return float("-inf") if value.startswith("-") else float("inf")
        if value == ".nan":
            return float("nan")
        return float(value)

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
    "timestamp": MarkingConstructor.construct_as_text,
    "binary": MarkingConstructor.construct_as_text,
    "set": MarkingConstructor.refuse,
    "omap": MarkingConstructor.refuse,
    "pairs": MarkingConstructor.refuse,
}.items():
    MarkingConstructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _make)  # type: ignore[arg-type]

_CParser = getattr(yaml, "CParser", None)
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


def _expanded_size(root: Node, limit: int) -> int:
    """Number of nodes once aliases are expanded; stops counting past ``limit``."""
    sizes: dict[int, int] = {}

    def size(node: Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
                if total > limit:
                    break
        elif isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
                if total > limit:
                    break
        sizes[id(node)] = total
        return total

    return size(root, 0)


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
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
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


def parse_yaml(text: str, path: str) -> tuple[Any, list[Diagnostic]]:
    """Text to marked data. Problems come back as diagnostics; data is None when unusable."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
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
        if _expanded_size(node, MAX_NODES) > MAX_NODES:
            return None, [
                Diagnostic(
                    "yaml-too-large",
                    Severity.ERROR,
                    f"aliases expand to more than {MAX_NODES:,} values",
                    path,
                    *_mark(node),
                    hint="write the values out instead of nesting aliases (&anchor / *alias)",
                )
            ]
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = str(exc.problem or exc.context or "invalid YAML")
        rule = "yaml-syntax"
        if "another document" in problem or "single document" in str(exc.context):
            rule = "yaml-multiple-documents"
            problem = "file holds more than one YAML document"
        if "could not determine a constructor" in problem:
            rule = "yaml-unsafe-tag"
            tag = problem.rsplit(" ", 1)[-1].strip("'")
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            problem = f"tag {tag!r} is not allowed (only plain values are)"
        hint = {
            "yaml-multiple-documents": "keep one document per file: remove the extra '---'",
            "yaml-unsafe-tag": "remove the '!!' tag; write plain values",
        }.get(rule, "check indentation, colons and quotes on this line and the one above")
        return None, [Diagnostic(rule, Severity.ERROR, problem, path, line, col, hint=hint)]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        return None, [Diagnostic("yaml-syntax", Severity.ERROR, str(exc), path, 1, 1)]
    except RecursionError:
        return None, [
            Diagnostic(
                "yaml-too-large",
                Severity.ERROR,
                "nesting is too deep",
                path,
                1,
                1,
                hint="flatten the structure",
            )
        ]
    finally:
        loader.dispose()
    problems = [
        Diagnostic(p.rule, Severity.ERROR, p.message, path, *(p.mark or (1, 1)), hint=p.hint)
        for p in loader.problems
    ]
    return data, problems


def load_yaml(file: Path, root: Path, kind: str) -> tuple[Document, list[Diagnostic]]:
    rel = file.relative_to(root).as_posix()
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return Document(rel, kind, None), [
            Diagnostic("file-unreadable", Severity.ERROR, f"cannot read file: {exc.strerror}", rel)
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
            if f.is_file():
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
            text, problems = decode(f.read_bytes(), rel)
            diags += problems
            if text is not None:
                pages.append(Page(rel, f.stem, text))
    return Tree(root, documents, pages), diags
