"""The loader's decisions, one by one (see the docstring of generator/load.py)."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.load import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    MarkedDict,
    MarkedList,
    decode,
    discover,
    load_tree,
    load_yaml,
    locate,
    parse_yaml,
)


def load(text: str) -> Any:
    data, diags = parse_yaml(text, "f.yaml")
    assert diags == []
    return data


def problems(text: str) -> list[tuple[str, str, str | None]]:
    """(location, rule, message) of each finding; asserts the data is refused or kept as needed."""
    _, diags = parse_yaml(text, "f.yaml")
    assert all(d.severity is Severity.ERROR and d.hint for d in diags)
    return [(d.location, d.rule, d.message) for d in diags]


# -- scalars: YAML 1.2 core schema, with the handbook's own decisions --------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        # Only true/false are booleans: NO is Norway, yes is a word.
        ("NO", "NO"),
        ("no", "no"),
        ("yes", "yes"),
        ("Yes", "Yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        # Integers: decimal, 0o octal, 0x hex; a leading zero or an underscore keeps the text.
        ("12", 12),
        ("-3", -3),
        ("+12", 12),
        ("0", 0),
        ("0700", "0700"),
        ("0o17", 15),
        ("0x1f", 31),
        ("0o8", "0o8"),
        ("0b101", "0b101"),
        ("1_000", "1_000"),
        ("1:20", "1:20"),  # YAML 1.1 would read 80 (sexagesimal)
        # Floats.
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-.5", -0.5),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("+.inf", math.inf),
        # Dates and times are text, quoted or not; model.py makes them dates.
        ("2026-01-31", "2026-01-31"),
        ('"2026-01-31"', "2026-01-31"),
        ("'2026-01-31'", "2026-01-31"),
        ("2026-01-31T10:00:00Z", "2026-01-31T10:00:00Z"),
        ("!!timestamp 2026-01-31", "2026-01-31"),
        # Null.
        ("~", None),
        ("null", None),
        ("Null", None),
        ("", None),
        # Explicit core tags still work.
        ("!!str 12", "12"),
        ('!!int "12"', 12),
        ("!!bool yes", True),
        ("!!float 2", 2.0),
        ("!!binary aGk=", "aGk="),  # kept as its base64 text, never bytes
    ],
)
def test_scalar(written: str, value: Any) -> None:
    got = load(f"v: {written}\n")["v"]
    assert got == value
    assert type(got) is type(value)


def test_nan() -> None:
    assert math.isnan(load("v: .nan\n")["v"])


def test_block_scalars_keep_their_text() -> None:
    assert load("a: |\n  one\n  two\nb: >-\n  folded\n  line\n") == {
        "a": "one\ntwo\n",
        "b": "folded line",
    }


# -- positions -------------------------------------------------------------------------------

NESTED = """\
a: 1
b:
  c: x
  d:
    - p
    -  q
e: {f: 1, g: [2, 3]}
"""


def test_positions_of_keys_and_values() -> None:
    data = load(NESTED)
    assert isinstance(data, MarkedDict)
    assert data.start == (1, 1)
    assert data.keys_at == {"a": (1, 1), "b": (2, 1), "e": (7, 1)}
    assert data.values_at == {"a": (1, 4), "b": (3, 3), "e": (7, 4)}
    assert data["b"].keys_at == {"c": (3, 3), "d": (4, 3)}
    assert data["b"].values_at == {"c": (3, 6), "d": (5, 5)}
    assert isinstance(data["b"]["d"], MarkedList)
    assert data["b"]["d"].start == (5, 5)
    assert data["b"]["d"].items_at == [(5, 7), (6, 8)]
    assert data["e"].values_at == {"f": (7, 8), "g": (7, 14)}
    assert data["e"]["g"].items_at == [(7, 15), (7, 18)]


@pytest.mark.parametrize(
    ("where", "key", "mark"),
    [
        ([], False, (1, 1)),
        (["a"], False, (1, 4)),
        (["a"], True, (1, 1)),
        (["b", "d", 1], False, (6, 8)),
        (["b", "d"], True, (4, 3)),
        (["b", "missing", "deeper"], False, (3, 3)),  # the nearest parent that exists
        (["b", "d", 7], False, (5, 5)),
        (["e", "g", 0], False, (7, 15)),
    ],
)
def test_locate(where: list[str | int], key: bool, mark: tuple[int, int]) -> None:
    assert locate(load(NESTED), where, key=key) == mark


def test_columns_count_characters_not_bytes() -> None:
    data = load("k: {a: éé, b: 1}\nm: 😀 x\n")
    assert data["k"].values_at == {"a": (1, 8), "b": (1, 15)}
    assert problems("k: éé: x\n") == [
        ("f.yaml:1:6", "yaml-syntax", "mapping values are not allowed in this context")
    ]


def test_crlf_line_endings() -> None:
    data = load("k: 1\r\nm:\r\n  - a\r\n")
    assert data == {"k": 1, "m": ["a"]}
    assert data.values_at == {"k": (1, 4), "m": (3, 3)}


# -- keys ------------------------------------------------------------------------------------


def test_duplicate_keys_are_errors_at_the_second_key() -> None:
    data, diags = parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "f.yaml")
    assert sorted((d.location, d.rule, d.message) for d in diags) == [
        ("f.yaml:4:3", "yaml-duplicate-key", "duplicate key 'c' (first defined at line 3)"),
        ("f.yaml:5:1", "yaml-duplicate-key", "duplicate key 'a' (first defined at line 1)"),
    ]
    assert data == {"a": 3, "b": {"c": 2}}  # still loaded, so later stages can report more


def test_duplicate_keys_in_flow_mappings() -> None:
    assert problems("a: {x: 1, x: 2}\n") == [
        ("f.yaml:1:11", "yaml-duplicate-key", "duplicate key 'x' (first defined at line 1)")
    ]


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            "2026: x\n",
            "key '2026' is read as a number, not as text",
            'put the key in quotes: "2026":',
        ),
        ("1.5: x\n", "key '1.5' is read as a number, not as text", 'put the key in quotes: "1.5":'),
        (
            "true: x\n",
            "key 'true' is read as a boolean, not as text",
            'put the key in quotes: "true":',
        ),
        ("~: x\n", "key '~' is read as null, not as text", 'put the key in quotes: "~":'),
        (
            "? [a, b]\n: x\n",
            "key \"['a', 'b']\" is read as a list, not as text",
            "use a plain word as the key",
        ),
        (
            "? {a: 1}\n: x\n",
            "key \"{'a': 1}\" is read as a mapping, not as text",
            "use a plain word as the key",
        ),
    ],
)
def test_key_must_be_text(text: str, message: str, hint: str) -> None:
    data, diags = parse_yaml(text, "f.yaml")
    assert [(d.rule, d.message, d.hint) for d in diags] == [("yaml-key-type", message, hint)]
    assert all(isinstance(k, str) for k in data)  # loading carries on with the key as written


def test_yaml_1_1_words_as_keys_are_text() -> None:
    assert load("on: 1\nno: 2\nyes: 3\n") == {"on": 1, "no": 2, "yes": 3}


def test_merge_keys() -> None:
    data = load("base: &b\n  x: 1\n  y: 2\nt:\n  <<: *b\n  y: 3\n")
    assert data == {"base": {"x": 1, "y": 2}, "t": {"x": 1, "y": 3}}
    assert "<<" not in data["t"]
    assert data["t"].keys_at == {"x": (2, 3), "y": (6, 3)}  # merged keys point at the anchor


def test_merge_of_several_mappings() -> None:
    data = load("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n")
    assert data["c"] == {"x": 1, "y": 2, "z": 3}


def test_a_local_key_twice_next_to_a_merge_is_still_a_duplicate() -> None:
    assert problems("a: &a {x: 1}\nc:\n  <<: *a\n  y: 1\n  y: 2\n") == [
        ("f.yaml:5:3", "yaml-duplicate-key", "duplicate key 'y' (first defined at line 4)")
    ]


def test_merging_a_scalar_is_an_error() -> None:
    _, diags = parse_yaml("b: 1\n<<: 3\n", "f.yaml")
    assert [(d.location, d.rule, d.hint) for d in diags] == [
        (
            "f.yaml:2:5",
            "yaml-syntax",
            "'<<' merges mappings: write '<<: *name' where &name marks a mapping",
        )
    ]


def test_aliases_share_values() -> None:
    assert load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


# -- documents, tags, syntax -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "---\n", "--- \n...\n", "~\n", "null\n"]
)
def test_empty(text: str) -> None:
    assert problems(text) == [("f.yaml:1:1", "yaml-empty", "file has no YAML content")]


def test_one_document_with_markers_is_fine() -> None:
    assert load("---\na: 1\n...\n") == {"a": 1}


@pytest.mark.parametrize(
    ("text", "where"),
    [("a: 1\n---\nb: 2\n", "f.yaml:2:1"), ("a: 1\n...\n---\n", "f.yaml:3:1")],
)
def test_multiple_documents(text: str, where: str) -> None:
    assert problems(text) == [
        (where, "yaml-multiple-documents", "file holds more than one YAML document")
    ]


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:os.system x", "!!python/object:os.system"),
        ("!!python/object/apply:os.system [ls]", "!!python/object/apply:os.system"),
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!!pairs [a: 1]", "!!pairs"),
        ("!secret x", "!secret"),
        ("!<tag:example.com,2026:x> y", "tag:example.com,2026:x"),
    ],
)
def test_unsafe_tags(value: str, tag: str) -> None:
    data, diags = parse_yaml(f"a: {value}\n", "f.yaml")
    assert data is None
    assert [(d.location, d.rule, d.message, d.hint) for d in diags] == [
        (
            "f.yaml:1:4",
            "yaml-unsafe-tag",
            f"tag {tag!r} is not allowed (only plain values are)",
            "remove the tag; write plain values",
        )
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int abc", "'abc' is tagged '!!int' but is not a whole number"),
        ("!!int 0o9", "'0o9' is tagged '!!int' but is not a whole number"),
        ("!!float x", "'x' is tagged '!!float' but is not a number"),
        ("!!bool maybe", "'maybe' is tagged '!!bool' but is not true or false"),
        ("!!map [1]", "the tag '!!map' needs a mapping here"),
        ("!!seq {a: 1}", "the tag '!!seq' needs a list here"),
        ("!!str {a: 1}", "the tag '!!str' needs text here"),
    ],
)
def test_values_that_do_not_fit_their_tag(value: str, message: str) -> None:
    _, diags = parse_yaml(f"a: {value}\n", "f.yaml")
    assert [(d.location, d.rule, d.message, d.hint) for d in diags] == [
        ("f.yaml:1:4", "yaml-syntax", message, "remove the tag, or write a value that fits it")
    ]


@pytest.mark.parametrize(
    "number", ["1" + "0" * 5000, "0x" + "f" * 3400, "0o" + "7" * 4500], ids=["10", "16", "8"]
)
def test_a_number_too_long_for_python(number: str) -> None:
    """Python cannot print a whole number of more than 4,300 digits (its messages and the
    reports could not quote it): in hex or octal, it is fewer characters than that."""
    _, diags = parse_yaml(f"a: {number}\n", "f.yaml")
    assert [(d.location, d.rule, d.message, d.hint) for d in diags] == [
        (
            "f.yaml:1:4",
            "yaml-syntax",
            f"the number {number[:40] + '...'!r} has more than 4,000 digits",
            "quote it to keep it as text",
        )
    ]
    _, diags = parse_yaml(f"a: {number}\n", "f.yaml", marks=False)
    assert len(diags) == 1


def test_long_misfit_values_are_shortened() -> None:
    _, diags = parse_yaml("a: !!int " + "x" * 100 + "\n", "f.yaml")
    assert [d.message for d in diags] == [
        f"{'x' * 40 + '...'!r} is tagged '!!int' but is not a whole number"
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\n  b: 2\n", "f.yaml:2:4", "mapping values are not allowed in this context"),
        (
            "a: 'abc\nb: 2\n",
            "f.yaml:3:1",
            "found unexpected end of stream "
            "(while scanning a quoted scalar started at line 1, column 4)",
        ),
        ("a:\n\tb: 1\n", "f.yaml:2:1", "found character that cannot start any token"),
        (
            "a: [1, 2\n",
            "f.yaml:2:1",
            "did not find expected ',' or ']' "
            "(while parsing a flow sequence started at line 1, column 4)",
        ),
        ("a: *nope\n", "f.yaml:1:4", "found undefined alias"),
        ("a: x\x07y\n", "f.yaml:1:5", "character '\\x07' (U+0007) is not allowed in YAML"),
        ("a:\n  b: 'é\x1b'\n", "f.yaml:2:8", "character '\\x1b' (U+001B) is not allowed in YAML"),
    ],
)
def test_syntax_errors(text: str, where: str, message: str) -> None:
    assert problems(text) == [(where, "yaml-syntax", message)]


# -- size limits: each ends quickly with a clear error -----------------------------------------


def lol(levels: int) -> str:
    """The "billion laughs": each level holds ten aliases of the one before."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_ends_quickly() -> None:
    started = time.perf_counter()
    found = problems(lol(12))  # 10**12 values once expanded
    elapsed = time.perf_counter() - started
    assert found == [
        ("f.yaml:1:1", "yaml-too-large", f"aliases expand to more than {MAX_NODES:,} values")
    ]
    assert elapsed < 5, f"the alias bomb took {elapsed:.1f}s"  # a guard, not a benchmark


def test_aliases_below_the_limit_load() -> None:
    assert len(load(lol(4))["a3"]) == 10  # 10**4 values once expanded


def test_many_plain_values_are_not_blamed_on_aliases() -> None:
    assert problems("- a\n" * (MAX_NODES + 1)) == [
        ("f.yaml:1:1", "yaml-too-large", f"file holds more than {MAX_NODES:,} values")
    ]


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [[x, *a]]\n"])
def test_self_referencing_alias(text: str) -> None:
    assert problems(text) == [
        (
            "f.yaml:1:4",
            "yaml-too-large",
            "an alias refers to the list or mapping that contains it, so it never ends",
        )
    ]


DEEP = f"nesting is too deep: lists and mappings may be nested at most {MAX_DEPTH} levels"


def flow(levels: int) -> str:
    return "[" * levels + "]" * levels + "\n"


def block(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "x\n"


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5_000, 100_000])
def test_deep_flow_nesting(levels: int) -> None:
    started = time.perf_counter()
    found = problems(flow(levels))
    assert time.perf_counter() - started < 5
    assert found[0][1:] == ("yaml-too-large", DEEP)


@pytest.mark.parametrize("levels", [MAX_DEPTH, 5_000])
def test_deep_block_nesting(levels: int) -> None:
    found = problems(block(levels))
    assert [f[1:] for f in found] == [("yaml-too-large", DEEP)]


def test_deepest_allowed_nesting_loads() -> None:
    data = load(flow(MAX_DEPTH))
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


def test_first_too_deep_value_is_pointed_at() -> None:
    assert problems(flow(MAX_DEPTH + 1)) == [(f"f.yaml:1:{MAX_DEPTH + 1}", "yaml-too-large", DEEP)]


def test_deep_alias_is_measured_where_it_is_used() -> None:
    text = "x: &x " + flow(60).strip() + "\ny: " + "[" * 50 + "*x" + "]" * 50 + "\n"
    assert problems(text) == [("f.yaml:1:4", "yaml-too-large", DEEP)]


def test_file_over_max_bytes_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "big.yaml"
    file.write_bytes(b"a: 1\n" + b"#" * (MAX_BYTES - 5) + b"\n")
    doc, diags = load_yaml(tmp_path, "big.yaml", "tool")
    assert doc.data is None
    assert diags == [
        Diagnostic(
            "yaml-too-large",
            Severity.ERROR,
            f"file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}",
            "big.yaml",
            1,
            1,
            hint="split it or remove what does not belong in a registry entry",
        )
    ]


def test_file_of_exactly_max_bytes_loads(tmp_path: Path) -> None:
    file = tmp_path / "big.yaml"
    file.write_bytes(b"a: 1\n" + b"#" * (MAX_BYTES - 6) + b"\n")
    doc, diags = load_yaml(tmp_path, "big.yaml", "tool")
    assert (doc.data, diags) == ({"a": 1}, [])


# -- encodings -------------------------------------------------------------------------------


def test_utf8_bom_is_accepted_and_dropped() -> None:
    assert decode(b"\xef\xbb\xbfa: 1\n", "f.yaml") == ("a: 1\n", [])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused(encoding: str) -> None:
    raw = "a: 1\n".encode(encoding)
    if encoding != "utf-16":
        raw = ("\ufeff" + "a: 1\n").encode(encoding)  # with its byte-order mark
    assert decode(raw, "f.yaml") == (
        None,
        [
            Diagnostic(
                "file-encoding",
                Severity.ERROR,
                "file is UTF-16; the handbook reads UTF-8 only",
                "f.yaml",
                1,
                1,
                hint="save the file as UTF-8",
            )
        ],
    )


def test_utf16_without_bom_is_refused() -> None:
    _, diags = decode("ab: 1\n".encode("utf-16-le"), "f.yaml")
    assert [(d.location, d.rule, d.message) for d in diags] == [
        (
            "f.yaml:1:2",
            "file-encoding",
            "file holds NUL bytes: it is UTF-16 without a byte-order mark, or not text",
        )
    ]


@pytest.mark.parametrize(
    ("raw", "where", "byte"),
    [
        (b"a: caf\xe9\n", "f.yaml:1:7", 0xE9),  # Latin-1
        (b"a: 1\nb: \x93quoted\x94\n", "f.yaml:2:4", 0x93),  # Windows-1252 quotes
        (b"a: 1\nb: \xc3\xa9\xff\n", "f.yaml:2:5", 0xFF),  # column in characters: after the "e"
        (b"\xef\xbb\xbfa: \xe9\n", "f.yaml:1:4", 0xE9),  # after a BOM
        (b"a: \xc3\n", "f.yaml:1:4", 0xC3),  # a truncated sequence
    ],
)
def test_invalid_utf8_is_reported_where_it_is(raw: bytes, where: str, byte: int) -> None:
    text, diags = decode(raw, "f.yaml")
    assert text is None
    assert [(d.location, d.rule, d.message) for d in diags] == [
        (where, "file-encoding", f"byte 0x{byte:02x} is not valid UTF-8")
    ]


# -- the tree --------------------------------------------------------------------------------


def test_discover_kinds_and_strays(tmp_path: Path) -> None:
    for rel in [
        "registry/policy.yaml",
        "registry/tools/a.yaml",
        "registry/tools/b.yml",
        "registry/tools/.hidden.yaml",
        "registry/vendors/v.yaml",
        "registry/README.md",
        "content/guidance.yaml",
        "content/procedure/1-a.yaml",
        "content/pages/index.md",
        "content/assets/logo.svg",
        "content/notes.txt",
        "schemas/ignored.txt",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x: 1\n", encoding="utf-8")
    found = discover(tmp_path)
    assert found.pages == ["content/pages/index.md"]
    assert found.assets == ["content/assets/logo.svg"]
    diags = found.problems
    assert found.documents == [
        ("content/guidance.yaml", "guidance"),
        ("content/procedure/1-a.yaml", "phase"),
        ("registry/policy.yaml", "policy"),
        ("registry/tools/a.yaml", "tool"),
        ("registry/vendors/v.yaml", "vendor"),
    ]
    assert [(d.location, d.rule, d.hint) for d in diags] == [
        ("registry/tools/b.yml:1:1", "file-extension", "rename it to b.yaml"),
        (
            "content/notes.txt:1:1",
            "file-unexpected",
            "registry, content and framework files end in .yaml; see the README for the layout",
        ),
    ]


def test_missing_schema_comment_hints(handbook_tree: Any) -> None:
    root = handbook_tree()
    for rel in ("registry/policy.yaml", "registry/tools/acme-code.yaml", "content/guidance.yaml"):
        file = root / rel
        file.write_text(file.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    _, diags = load_tree(root)
    assert [(d.location, d.rule, d.hint) for d in diags] == [
        (
            "content/guidance.yaml:1:1",
            "schema-comment",
            "make the first line: # yaml-language-server: $schema=../schemas/guidance.schema.json",
        ),
        (
            "registry/policy.yaml:1:1",
            "schema-comment",
            "make the first line: # yaml-language-server: $schema=../schemas/policy.schema.json",
        ),
        (
            "registry/tools/acme-code.yaml:1:1",
            "schema-comment",
            "make the first line: # yaml-language-server: $schema=../../schemas/tool.schema.json",
        ),
    ]


def test_schema_comment_after_a_bom_counts(handbook_tree: Any) -> None:
    root = handbook_tree()
    file = root / "registry/tools/acme-code.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    tree, diags = load_tree(root)
    assert diags == []
    assert {d.path for d in tree.documents if d.data is None} == set()


def test_parallel_load_gives_the_same_tree(handbook_tree: Any) -> None:
    root = handbook_tree(files={"registry/tools/globex-notes.yaml": "a: [\n"})
    one, diags_one = load_tree(root, jobs=1)
    two, diags_two = load_tree(root, jobs=2)
    assert diags_one == diags_two
    assert [(d.path, d.kind, d.data) for d in one.documents] == [
        (d.path, d.kind, d.data) for d in two.documents
    ]
    # the marks survive the trip between processes
    chat = next(d for d in two.documents if d.path.endswith("acme-chat.yaml"))
    assert chat.locate(["status", "value"]) == (10, 10)


def test_a_page_that_is_not_a_regular_file_is_reported(handbook_tree: Any) -> None:
    root = handbook_tree()
    (root / "content/pages").mkdir()
    os.mkfifo(root / "content/pages/pipe.md")  # reading it would block forever
    _, diags = load_tree(root)
    assert [(d.location, d.rule, d.message) for d in diags] == [
        ("content/pages/pipe.md", "file-unreadable", "not a regular file")
    ]
