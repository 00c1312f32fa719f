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

A file with nothing unusual in it (no aliases, merge keys, tags, odd keys) loads as plain dicts
and lists; any other, and any text parsed with ``marks``, as :class:`MarkedDict` and
:class:`MarkedList`: ``dict``/``list`` subclasses that carry the 1-based line and column of each
of their keys and values. :meth:`Document.locate` gives the same positions for both; for plain
data it finds them in the text only when a finding asks (:mod:`.positions`).
"""

from __future__ import annotations

import fnmatch
import gc
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.load import files
from generator.load.construct import MAX_DEPTH, MAX_NODES
from generator.load.evidence import EvidenceFile, read_evidence, references
from generator.load.files import MAX_ASSET_BYTES, MAX_BYTES
from generator.load.marked import Mark, MarkedDict, MarkedList, locate
from generator.load.positions import Finder
from generator.load.text import decode
from generator.load.yamlfile import Outline, parse_plain, parse_yaml

__all__ = [
    "ID_RULE",
    "KINDS",
    "MAX_ASSET_BYTES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "SCHEMA_FILES",
    "Document",
    "EvidenceFile",
    "Found",
    "Mark",
    "MarkedDict",
    "MarkedList",
    "Page",
    "Tree",
    "decode",
    "discover",
    "evidence_of",
    "front_matter",
    "kind_of",
    "load_document",
    "load_page",
    "load_tree",
    "load_yaml",
    "locate",
    "parse_yaml",
    "schema_comment",
    "slug",
]


@dataclass(frozen=True, slots=True)
class Document:
    """One file: its repo-relative path, its kind, its data (None when unreadable), its text."""

    path: str
    kind: str
    data: Any
    text: str = field(repr=False, default="")
    outline: Outline = field(repr=False, default=(), compare=False)  # see PlainBuilder
    _marked: list[Any] = field(default_factory=list, repr=False, compare=False)
    _finder: list[Finder] = field(default_factory=list, repr=False, compare=False)

    def marked(self) -> Any:
        """The data as MarkedDict/MarkedList, parsed again from the text on first use.

        Loading builds plain dicts (fast); positions are only needed for files with findings.
        """
        if isinstance(self.data, (MarkedDict, MarkedList)) or self.data is None:
            return self.data
        if not self._marked:
            self._marked.append(parse_yaml(self.text, self.path)[0])
        return self._marked[0]

    def locate(self, where: Sequence[str | int], *, key: bool = False) -> Mark:
        """Line and column of the value at ``where`` (or of its key), else of the nearest parent.

        Plain data (the fast path's) is located in the text by :mod:`.positions`, path by path.
        """
        plain = isinstance(self.data, (dict, list))
        if not plain or isinstance(self.data, (MarkedDict, MarkedList)) or self._marked:
            return locate(self.marked() if plain else self.data, where, key=key)
        if not self._finder:
            self._finder.append(Finder(self.text, self.data, self.outline))
        return self._finder[0].locate(where, key=key)


def load_yaml(root: Path, rel: str, kind: str) -> tuple[Document, list[Diagnostic]]:
    """One YAML file of the handbook (``rel`` is repo-relative), read through :mod:`.files`."""
    raw, problems = files.read(root, rel, limit=MAX_BYTES, too_large_rule="yaml-too-large")
    if raw is None:
        return Document(rel, kind, None), problems
    text, diags = decode(raw, rel)
    if text is None:
        return Document(rel, kind, None), diags
    data, outline, diags = parse_plain(text, rel)
    return Document(rel, kind, data, text, outline), diags


# --- the tree -------------------------------------------------------------------------------

KINDS: dict[str, str] = {
    "registry/tools/*.yaml": "tool",
    "registry/vendors/*.yaml": "vendor",
    "registry/policy.yaml": "policy",
    "content/procedure/*.yaml": "phase",
    "content/guidance.yaml": "guidance",
    "frameworks/*.yaml": "framework",
}
SCHEMA_FILES = {
    "tool": "tool.schema.json",
    "vendor": "vendor.schema.json",
    "policy": "policy.schema.json",
    "phase": "phase.schema.json",
    "guidance": "guidance.schema.json",
    "framework": "framework.schema.json",  # frameworks/<id>.yaml: entries steps map to
    "page": "page.schema.json",  # a hand-written page's front matter
    "import-map": "import-map.schema.json",  # how `handbook import` reads a spreadsheet
    "catalogue": "catalogue.schema.json",  # known AI services (generator/data/ai-services.yaml)
}
PAGES = "content/pages"
#: The folders whose files the handbook reads (evidence tables are read when a tool names them).
TOPS = ("registry", "content", "frameworks")
ASSETS = "content/assets"
PARALLEL_FROM = 400  # files; below this a second process costs more than it saves


@dataclass(frozen=True, slots=True)
class Page:
    """A hand-written Markdown page from content/pages/: its whole text, and where its Markdown
    starts after the YAML front matter (``---`` ... ``---``), which loads as a Document of kind
    ``page`` (see :func:`front_matter`)."""

    path: str
    name: str
    text: str
    body_start: int = 0  # offset of the Markdown after the front matter

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


@dataclass(frozen=True, slots=True)
class Tree:
    """A loaded handbook: its YAML documents, its pages, and the paths of its assets."""

    root: Path
    documents: list[Document]
    pages: list[Page]
    assets: tuple[str, ...] = ()  # repo-relative paths under content/assets/
    #: The evidence tables tools name (``evidence.benchmark.results``...), by repo-relative path.
    evidence: Mapping[str, EvidenceFile] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]


def kind_of(rel: str) -> str | None:
    """The kind of YAML file a repo-relative path holds (``KINDS``), or None."""
    folder, _, name = rel.rpartition("/")
    for pattern, kind in KINDS.items():
        p_folder, _, p_name = pattern.rpartition("/")
        if folder == p_folder and fnmatch.fnmatchcase(name, p_name):
            return kind
    return None


#: What an id is, for hints about names (the shared ``id`` type of common.schema.json).
ID_RULE = "file names are ids: lower-case ASCII letters, digits and hyphens, e.g. 'acme-chat'"


def slug(text: str) -> str:
    """An id made from ``text`` ('Northwind Code' -> 'northwind-code'), '' when nothing is left.

    Accents are dropped (NFKD), everything but ASCII letters and digits becomes one hyphen."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:64].strip("-")


def _unread(rel: str, present: frozenset[str]) -> Diagnostic:
    """Why ``rel``, a file in a folder the handbook reads, is not read.

    A YAML file ending in ``.yml`` where a ``.yaml`` one would be read is an error
    (``file-extension``): a tool or vendor saved so would otherwise be missing from the
    handbook with only a warning. Its hint names a file that would be read and pass the
    ``file-name`` rule. Anything else is a ``file-unexpected`` warning."""
    base, _, name = rel.rpartition("/")
    if name.endswith(".yml"):
        written = name.removesuffix(".yml")
        better = slug(written)
        named = f"{base}/{better}.yaml"
        if kind_of(f"{base}/{better or 'x'}.yaml") is not None:  # read if it ended in .yaml
            if not better:
                hint = f"rename it to its id followed by .yaml; {ID_RULE}"
            elif named in present:
                hint = (
                    f"{named} exists already: keep one of the two, named {better}.yaml, "
                    "and delete the other"
                )
            else:
                hint = f"rename it to {better}.yaml" + ("" if better == written else f"; {ID_RULE}")
            return Diagnostic(
                "file-extension",
                Severity.ERROR,
                "file is not read by the handbook: it ends in .yml, not .yaml",
                rel,
                1,
                1,
                hint=hint,
            )
    return Diagnostic(
        "file-unexpected",
        Severity.WARNING,
        "file is not read by the handbook",
        rel,
        1,
        1,
        hint="registry, content and framework files end in .yaml; see the README for the layout",
    )


@dataclass(frozen=True, slots=True)
class Found:
    """Every input file of a handbook, by role (repo-relative paths), and what was refused."""

    documents: list[tuple[str, str]]  # (path, kind)
    pages: list[str]
    assets: list[str]
    problems: list[Diagnostic]


def discover(root: Path) -> Found:
    """Every file the handbook reads; links are refused and stray files are warnings."""
    found = Found([], [], [], [])
    for top in TOPS:
        walked = files.walk(root, top)
        found.problems.extend(walked.problems)
        present = frozenset(walked.files)
        for rel in walked.files:
            base, _, name = rel.rpartition("/")
            kind = kind_of(rel)
            if kind is not None:
                found.documents.append((rel, kind))
            elif base == PAGES and name.endswith(".md"):
                found.pages.append(rel)
            elif rel.startswith(ASSETS + "/"):
                found.assets.append(rel)
            elif name != "README.md":  # a folder's README explains it
                found.problems.append(_unread(rel, present))
    found.documents.sort(key=lambda item: item[0].split("/"))
    return found


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


def load_document(root: Path, rel: str, kind: str) -> tuple[Document, list[Diagnostic]]:
    """One YAML document and its load problems, including a missing schema comment."""
    doc, diags = load_yaml(root, rel, kind)
    if doc.data is not None:
        diags += schema_comment(doc, root)
    return doc, diags


def _load_one(args: tuple[Path, str, str]) -> tuple[Document, list[Diagnostic]]:
    return load_document(*args)


# MkDocs' own rule for front matter (mkdocs.utils.meta): a first line of ---, YAML, then a line
# of --- or ... . The handbook reads it first, with its own loader and a schema, so MkDocs only
# ever reads front matter that passed.
_FRONT_MATTER = re.compile(r"\A(-{3}[ \t]*\n(?:.*?\n)?)(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)


def front_matter(page: Page) -> Document | None:
    """The page's front matter as a Document of kind ``page`` (its text is the file's first
    lines, so positions are the file's), or None when it has none."""
    m = _FRONT_MATTER.match(page.text)
    if m is None:
        return None
    data, _ = parse_yaml(m.group(1), page.path, marks=False)
    return Document(page.path, "page", data if data is not None else {}, m.group(1))


def load_page(root: Path, rel: str) -> tuple[Page | None, list[Diagnostic]]:
    """A hand-written page from content/pages/ (UTF-8 Markdown, optional front matter), and
    what stops it from being read, including problems in its front matter's YAML."""
    raw, problems = files.read(root, rel)
    if raw is None:
        return None, problems
    text, problems = decode(raw, rel)
    if text is None:
        return None, problems
    name = rel.rsplit("/", 1)[-1].removesuffix(".md")
    m = _FRONT_MATTER.match(text)
    if m is None:
        return Page(rel, name, text), []
    _, problems = parse_yaml(m.group(1), rel, marks=False)
    return Page(rel, name, text, m.end()), problems


def load_tree(root: Path, *, jobs: int | None = None) -> tuple[Tree, list[Diagnostic]]:
    """Load every file of the handbook under ``root``; files load in parallel when many."""
    found = discover(root)
    diags = list(found.problems)
    work = [(root, rel, kind) for rel, kind in found.documents]
    if jobs is None:
        jobs = min(2, os.cpu_count() or 1) if len(work) >= PARALLEL_FROM else 1
    # Loading allocates millions of small, acyclic objects while keeping them all alive; the
    # cyclic garbage collector would rescan the growing heap again and again (measured: 3x the
    # parse time at 10,000 files). Nothing built here forms a cycle, so pause it meanwhile.
    paused = gc.isenabled()
    gc.disable()
    try:
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs, initializer=gc.disable) as pool:
                chunk = 64  # small chunks keep both workers busy to the end
                results = list(pool.map(_load_one, work, chunksize=chunk))
        else:
            results = [_load_one(w) for w in work]
        documents = []
        for doc, problems in results:
            documents.append(doc)
            diags += problems
        evidence = evidence_of(root, documents)
    finally:
        if paused:
            gc.enable()
    pages = []
    for rel in found.pages:
        page, problems = load_page(root, rel)
        diags += problems
        if page is not None:
            pages.append(page)
            if not problems and (meta := front_matter(page)) is not None:
                documents.append(meta)
    return Tree(root, documents, pages, tuple(found.assets), evidence), diags


def evidence_of(root: Path, documents: Sequence[Document]) -> dict[str, EvidenceFile]:
    """The evidence tables the tools among ``documents`` name, read and parsed
    (see :mod:`.evidence`)."""
    named = (
        (rel, kind) for d in documents if d.kind == "tool" for _, rel, kind in references(d.data)
    )
    return read_evidence(root, named)
