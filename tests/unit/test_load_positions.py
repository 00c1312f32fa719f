"""Positions recovered for the fast path's plain data equal the full Builder's, path for path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.load import Document, MarkedDict, MarkedList, locate, parse_yaml
from generator.load.positions import Finder, Index, resolve, walk
from generator.load.yamlfile import parse_plain

REPO = Path(__file__).resolve().parents[2]

TEXTS = [
    "a: 1\nb:\n  c: x\n  d:\n    - p\n    -  q\ne: {f: 1, g: [2, 3]}\n",
    "- 1\n- [a, {b: c}]\n- - x\n  - y\n-\n",  # a list at the root, nested lists, an empty item
    "k: {a: éé, b: 1}\nm: 😀 x\nn: [😀, é]\n",  # columns count characters
    "\ufeffk: 1\r\nm:\r\n  - a\r\n  - b: c\r\n",  # a BOM, CRLF
    "a: &x 1\nb: &y {c: 2}\nc: !!str 3\n'd e': \"f\"\n? g\n: h\n",  # anchors (no alias), tags
    "a:\nb: ~\nc: |\n  line\n  two\nd: >-\n  folded\ne: 'q\n  r'\nf: last\n",  # empty, scalars
    "# comment\n---\nlist:\n- a\n- b:\n    - c\n  d: e\nafter: 1\n...\n",  # indentless lists
    "x: {a: [1, [2, {b: [3]}]], c: {}}\ny: []\nz: {}\n",
    "a: {b: {a: {b: 1}}}\nb: 2\n",  # a key repeated down the path
    # top-level entries the finder cuts the text at
    "%YAML 1.1\n---\n# c\na: 1\n# c\nb: |+\n  x\n\n\nc: 2\n...\n",
    "a: 'x\ny'\nb: \"x\nc: 2\"\nc: [1,\n2]\nd: 3\n",  # continued at column 0
    "&k a: 1\n!!str b: {c: 2}\n",
    "a: 1\x85b: [1,\n2]\u2028c: 'x\u2029y'\nd: 3\n",  # every line break libyaml counts
    "a: é😀\r\nb:\r\n  - c\r\nd: x\r\n",
    # no outline: a flow root, an explicit key, an indented root
    "{a: 1,\nb: [2,\n3]}\n",
    "? a\n: 1\nb: {c: 2}\n",
    "  a: 1\n  b:\n    c: 2\n",
]


def files() -> list[Path]:
    found = [*REPO.glob("registry/**/*.yaml"), *REPO.glob("content/**/*.yaml")]
    found += REPO.glob("tests/cases/**/*.yaml")
    return sorted(found)


def plain(text: str) -> Any:
    """The fast path's data, or None when the file takes the full builder."""
    data, _ = parse_yaml(text, "f.yaml", marks=False)
    if not isinstance(data, (dict, list)) or isinstance(data, (MarkedDict, MarkedList)):
        return None
    return data


def paths(data: Any, here: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield here
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, (*here, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, (*here, i))


def check_every_path(text: str) -> int:
    """Walking the whole text, walking the top-level entry, and the index, for every path."""
    data = plain(text)
    if data is None:
        return 0
    marked, _ = parse_yaml(text, "f.yaml")
    index = Index(text)
    _, outline, _ = parse_plain(text, "f.yaml")
    for where in paths(data):
        for key in (False, True) if where and isinstance(where[-1], str) else (False,):
            expected = locate(marked, where, key=key)
            assert walk(text, where, key) == expected, (where, key)
            assert (index.keys if key else index.values)[where] == expected, (where, key)
            assert Finder(text, data, outline).locate(where, key=key) == expected, (where, key)
    return 1


@pytest.mark.parametrize("text", TEXTS)
def test_every_path_of_a_text(text: str) -> None:
    assert check_every_path(text) == 1


@pytest.mark.parametrize(
    ("text", "outline"),
    [
        ("a: 1\nb:\n  c: 2\n  d: [3]\n", ((0, 5), (10, 17))),
        ("---\na: {x: 1}\nb:\n  - c: 2\n", ((4, 14),)),  # flow and list values: no keys
        ("{a: 1,\nb: 2}\n", ()),
        ("- a: 1\n  b: 2\n", ()),
    ],
)
def test_outline_is_where_the_keys_of_two_levels_start(
    text: str, outline: tuple[tuple[int, ...], ...]
) -> None:
    assert parse_plain(text, "f.yaml")[1] == outline


def test_every_path_of_every_yaml_file_in_the_repository() -> None:
    checked = 0
    for path in files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        checked += check_every_path(text)
    assert checked > 50


@pytest.mark.parametrize(
    ("where", "key", "steps", "use_key"),
    [
        (["a"], True, ("a",), True),
        (["a"], False, ("a",), False),
        (["b", "d", 1], True, ("b", "d", 1), False),  # a list item has no key
        (["b", "missing", "deeper"], True, ("b",), False),  # the nearest parent, its value
        (["b", "d", 7], False, ("b", "d"), False),
        (["b", "d", -1], False, ("b", "d"), False),
        (["b", "d", True], False, ("b", "d", 1), False),  # True is 1, as list indexes go
        (["b", 0], False, ("b",), False),
        (["e", "g", "0"], False, ("e", "g"), False),
        ([], True, (), False),
    ],
)
def test_resolve_follows_locate(
    where: list[str | int], key: bool, steps: tuple[str | int, ...], use_key: bool
) -> None:
    text = TEXTS[0]
    assert resolve(plain(text), where, key) == (steps, use_key)
    marked, _ = parse_yaml(text, "f.yaml")
    assert Document("f.yaml", "tool", plain(text), text).locate(where, key=key) == locate(
        marked, where, key=key
    )


def test_a_file_is_indexed_once_walks_have_read_it_all() -> None:
    text = TEXTS[0]
    data, outline, _ = parse_plain(text, "f.yaml")
    marked, _ = parse_yaml(text, "f.yaml")
    asked = [["a"], ["b", "c"], ["b", "d", 1], ["e", "g", 0], ["e"], ["zz"]]
    whole, cut = Finder(text, data), Finder(text, data, outline)
    for where in asked:
        assert whole.locate(where, key=True) == locate(marked, where, key=True)
        assert cut.locate(where, key=True) == locate(marked, where, key=True)
    assert whole.index is not None  # after one walk of the whole text
    assert cut.index is not None
    one = Finder(text, data, outline)
    assert one.locate(["b", "c"]) == (3, 6)
    assert one.index is None
    assert 0 < one.read < len(text)  # only the line of b.c was read


def test_documents_without_plain_data_locate_as_before() -> None:
    merged = "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n"
    data, _ = parse_yaml(merged, "f.yaml", marks=False)
    doc = Document("f.yaml", "tool", data, merged)
    assert isinstance(data, MarkedDict)
    assert doc.locate(["use", "x"]) == (1, 14)  # where the merged value was written
    assert Document("f.yaml", "tool", "text", "text\n").locate(["a"]) == (1, 1)
    assert Document("f.yaml", "tool", None, "").locate(["a"]) == (1, 1)
