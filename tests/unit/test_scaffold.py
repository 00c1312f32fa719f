"""`handbook new-tool` and `handbook new-vendor`: the new file validates, mistakes are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PINNED, REPO, MakeTree

from generator.cli import main
from generator.scaffold import describe


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def data_lines(text: str) -> list[str]:
    """The file without its comment lines."""
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def comment_above(text: str, key_line: str) -> str:
    """The comment block right above a line, joined back into one sentence."""
    lines = text.splitlines()
    i = lines.index(key_line) - 1
    block: list[str] = []
    while i >= 0 and lines[i].lstrip().startswith("# "):
        block.insert(0, lines[i].lstrip()[2:])
        i -= 1
    return " ".join(block)


SCHEMAS = {
    f.name: json.loads(f.read_text(encoding="utf-8"))
    for f in (REPO / "schemas").glob("*.schema.json")
}


LEFT_HINT = (
    "  hint: replace it with the real value; `handbook validate --strict` (which CI runs) and "
    "`handbook build --strict` fail while a placeholder is left\n"
)


def replace_placeholders(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_new_tool_validates_and_strict_fails_until_its_placeholders_are_replaced(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = handbook_tree()
    code, out, err = run(
        capsys,
        "new-tool",
        "globex-draft",
        "--vendor",
        "globex",
        "--owner",
        "@example/research",
        "--root",
        str(root),
    )
    assert (code, err) == (0, "")
    assert out == (
        "created registry/tools/globex-draft.yaml\n"
        "next: replace its 4 placeholders (TODOs and replace-me addresses); "
        "`handbook validate --strict` lists those left and fails until none is\n"
    )
    assert run(capsys, "validate", "--root", str(root))[0] == 0  # it validates as written
    file = "registry/tools/globex-draft.yaml"
    assert run(capsys, "validate", "--strict", "--root", str(root)) == (
        1,
        f"{file}:17:9: warning[placeholder-left] owner.team is still a TODO from the scaffold: "
        "'TODO: the accountable team'\n"
        + LEFT_HINT
        + f"{file}:19:12: warning[placeholder-left] owner.contact is still the placeholder "
        "address from the scaffold: 'replace-me@example.com'\n"
        + LEFT_HINT
        + f"{file}:29:10: warning[placeholder-left] problem is still a TODO from the scaffold: "
        "'TODO: the pain point in two to five sentences, without nami\u2026'\n"
        + LEFT_HINT
        + f"{file}:35:7: warning[placeholder-left] uses.approved[0] is still a TODO from the "
        "scaffold: 'TODO: a task the tool would be used for'\n" + LEFT_HINT + "4 warnings\n",
        PINNED,
    )
    text = (root / file).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/tool.schema.json"
    assert data_lines(text) == [
        "",
        "id: globex-draft",
        'name: "Globex Draft"',
        "vendor: globex",
        "owner:",
        '  team: "TODO: the accountable team"',
        '  contact: "replace-me@example.com"',
        '  github: "@example/research"',
        "status:",
        "  value: proposed",
        "  since: 2026-11-01",  # the policy's as_of: the day validation checks dates against
        "problem: >-",
        "  TODO: the pain point in two to five sentences, without naming a product: who is",
        "  affected, how much work (tasks per week, hours), today's workaround and its cost.",
        "uses:",
        "  approved:",
        '    - "TODO: a task the tool would be used for"',
        "  prohibited:",
        "    - Final decisions on financial transactions or HR matters without human oversight",
        "license:",
        "  tier: enterprise",
        "data:",
        "  allowed:",
        "    - public",
    ]
    # each section's comment is the schema's description
    tool = "tool.schema.json"
    assert comment_above(text, "problem: >-") == describe(SCHEMAS, tool, "problem")
    assert comment_above(text, "  since: 2026-11-01") == describe(SCHEMAS, tool, "status", "since")
    assert comment_above(text, "license:") == ""
    assert comment_above(text, "  tier: enterprise") == describe(SCHEMAS, tool, "license", "tier")
    # and the evidence the next status needs, from the policy's requirements
    assert text.endswith(
        "# Before the tool can move to sandbox, the policy asks for:\n"
        f"#   problem: {describe(SCHEMAS, tool, 'problem')}\n"
        f"#   evidence.privacy_audit: {describe(SCHEMAS, tool, 'evidence', 'privacy_audit')}\n"
        "#   evidence.vendor_due_diligence: "
        f"{describe(SCHEMAS, tool, 'evidence', 'vendor_due_diligence')}\n"
        "# schemas/tool.schema.json lists every field; editors complete them as you type.\n"
    )
    # once every placeholder is replaced, the strict run passes
    replace_placeholders(
        root / file,
        ('"TODO: the accountable team"', "Research"),
        ('"replace-me@example.com"', "research@example.com"),
        ("  TODO: the pain point", "  The pain point"),
        ('"TODO: a task the tool would be used for"', "Drafting research briefs"),
    )
    assert run(capsys, "validate", "--strict", "--root", str(root)) == (
        0,
        "no problems found\n",
        PINNED,
    )


def test_new_tool_owner_address_and_name(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = handbook_tree()
    args = ["--name", 'Globex "Draft" Pro', "--owner", "research@example.com"]
    code, _, _ = run(
        capsys, "new-tool", "globex-draft", "--vendor", "globex", *args, "--root", str(root)
    )
    assert code == 0
    text = (root / "registry/tools/globex-draft.yaml").read_text(encoding="utf-8")
    assert 'name: "Globex \\"Draft\\" Pro"' in data_lines(text)
    assert '  contact: "research@example.com"' in data_lines(text)
    assert '  # github: "@your-org/your-team"' in text.splitlines()
    code, out, _ = run(capsys, "validate", "--strict", "--root", str(root))
    assert (code, out.splitlines()[-1]) == (1, "3 warnings")  # no contact placeholder now
    assert "owner.contact" not in out


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["acme-chat", "--vendor", "acme-ai"],
            "registry/tools/acme-chat.yaml already exists",
            "choose another id, or edit the existing file",
        ),
        (
            ["Acme_Chat 2", "--vendor", "acme-ai"],
            "'Acme_Chat 2' is not a valid tool id",
            "ids use lower-case ASCII letters, digits and hyphens, 1-64 characters, starting and "
            "ending with a letter or digit, e.g. 'acme-chat'; try 'acme-chat-2'",
        ),
        (
            ["g1obex-notes", "--vendor", "globex"],
            "id 'g1obex-notes' looks the same as the existing tool 'globex-notes'",
            "ids must differ by more than case or look-alike characters",
        ),
        (
            ["acme-chat-2", "--vendor", "acme-ai", "--name", "ACME  chat"],
            "the tool 'acme-chat' already has the name 'Acme Chat'",
            "edit registry/tools/acme-chat.yaml, or pass a distinct --name",
        ),
        (
            ["acme-draft", "--vendor", "acme"],
            "vendor 'acme' has no file in registry/vendors/",
            "did you mean 'acme-ai'? to add the vendor first, run: handbook new-vendor acme",
        ),
        (
            ["acme-draft", "--vendor", "initech"],
            "vendor 'initech' has no file in registry/vendors/",
            "to add the vendor first, run: handbook new-vendor initech",
        ),
        (
            ["acme-draft", "--vendor", "acme-ai", "--owner", "research team"],
            "--owner 'research team' is neither an e-mail address nor a GitHub handle",
            "pass the owning team's address (team@example.com) or its handle (@org/team)",
        ),
        (
            ["acme-draft", "--vendor", "Globex Corporation"],
            "'Globex Corporation' is not a valid vendor id",
            "ids use lower-case ASCII letters, digits and hyphens, 1-64 characters, starting and "
            "ending with a letter or digit, e.g. 'acme-chat'; try 'globex-corporation'",
        ),
        (
            ["\u00dcberpr\u00fcfung", "--vendor", "acme-ai"],
            "'\u00dcberpr\u00fcfung' is not a valid tool id",
            "ids use lower-case ASCII letters, digits and hyphens, 1-64 characters, starting and "
            "ending with a letter or digit, e.g. 'acme-chat'; try 'uberprufung'",
        ),
        (
            ["index", "--vendor", "acme-ai"],
            "'index' cannot be a tool id: its page would replace the address of the tool "
            "registry's own page tools/index/",
            "choose another id, e.g. index-tool",
        ),
    ],
    ids=[
        "exists",
        "bad-id",
        "look-alike",
        "same-name",
        "did-you-mean",
        "unknown-vendor",
        "owner",
        "bad-vendor-id",
        "accents-dropped",
        "reserved",
    ],
)
def test_new_tool_refuses(
    args: list[str],
    message: str,
    hint: str,
    handbook_tree: MakeTree,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = handbook_tree()
    before = sorted(p.name for p in (root / "registry/tools").iterdir())
    code, out, err = run(capsys, "new-tool", *args, "--root", str(root))
    assert (code, out) == (2, "")
    assert err == f"handbook: error: {message}\n  hint: {hint}\n"
    assert sorted(p.name for p in (root / "registry/tools").iterdir()) == before


def test_a_vendor_file_not_named_by_an_id_is_never_suggested(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = handbook_tree()
    vendors = root / "registry/vendors"
    (vendors / "globex.yaml").rename(vendors / "globex corp.yaml")
    code, _, err = run(capsys, "new-tool", "x", "--vendor", "globex-corp", "--root", str(root))
    assert code == 2
    assert err == (
        "handbook: error: vendor 'globex-corp' has no file in registry/vendors/\n"
        "  hint: to add the vendor first, run: handbook new-vendor globex-corp\n"
    )


def test_new_tool_outside_a_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new-tool", "x", "--vendor", "y", "--root", str(tmp_path))
    assert code == 2
    assert err == (
        f"handbook: error: {tmp_path.resolve()} has no registry/ or content/ folder\n"
        "  hint: run the command from the handbook repository, or pass --root\n"
    )


def test_new_vendor_validates_and_strict_fails_until_its_links_are_replaced(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = handbook_tree()
    code, out, err = run(capsys, "new-vendor", "initech", "--name", "Initech", "--root", str(root))
    assert (code, err) == (0, "")
    assert out == (
        "created registry/vendors/initech.yaml\n"
        "next: replace its 3 placeholders (TODOs and replace-me addresses); "
        "`handbook validate --strict` lists those left and fails until none is\n"
    )
    assert run(capsys, "validate", "--root", str(root))[0] == 0
    file = "registry/vendors/initech.yaml"
    code, out, _ = run(capsys, "validate", "--strict", "--root", str(root))
    assert code == 1
    assert [line for line in out.splitlines() if "[placeholder-left]" in line] == [
        f"{file}:11:10: warning[placeholder-left] website is still a placeholder link from the "
        "scaffold: 'https://example.com/replace-me/initech/website'",
        f"{file}:13:13: warning[placeholder-left] trust_page is still a placeholder link from "
        "the scaffold: 'https://example.com/replace-me/initech/trust'",
        f"{file}:15:17: warning[placeholder-left] privacy_policy is still a placeholder link "
        "from the scaffold: 'https://example.com/replace-me/initech/privacy'",
    ]
    text = (root / file).read_text(encoding="utf-8")
    assert text.splitlines()[:4] == [
        "# yaml-language-server: $schema=../../schemas/vendor.schema.json",
        "# A vendor, scaffolded by `handbook new-vendor` on 2026-11-01.",
        "# The three links below are placeholders under https://example.com/replace-me/: replace",
        "# each with the vendor's real page before the pull request is merged.",
    ]
    assert data_lines(text) == [
        "",
        "id: initech",
        'name: "Initech"',
        "website: https://example.com/replace-me/initech/website",
        "trust_page: https://example.com/replace-me/initech/trust",
        "privacy_policy: https://example.com/replace-me/initech/privacy",
    ]
    vendor = "vendor.schema.json"
    assert comment_above(text, "trust_page: https://example.com/replace-me/initech/trust") == (
        describe(SCHEMAS, vendor, "trust_page")
    )
    replace_placeholders(
        root / file, ("https://example.com/replace-me/initech", "https://initech.example")
    )
    assert run(capsys, "validate", "--strict", "--root", str(root)) == (
        0,
        "no problems found\n",
        PINNED,
    )


def test_new_vendor_then_a_tool_for_it(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(handbook_tree())
    assert run(capsys, "new-vendor", "initech", "--root", root)[0] == 0
    assert run(capsys, "new-tool", "initech-tps", "--vendor", "initech", "--root", root)[0] == 0
    assert run(capsys, "validate", "--root", root)[0] == 0
    code, out, _ = run(capsys, "validate", "--strict", "--root", root)
    assert (code, out.count("[placeholder-left]"), out.splitlines()[-1]) == (1, 7, "7 warnings")


def test_new_vendor_refuses_an_existing_vendor(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = handbook_tree()
    code, _, err = run(capsys, "new-vendor", "globex", "--root", str(root))
    assert code == 2
    assert err == (
        "handbook: error: registry/vendors/globex.yaml already exists\n"
        "  hint: choose another id, or edit the existing file\n"
    )


def test_a_scaffold_that_would_not_validate_is_not_left_behind(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever validation refuses in the new file (here a name with a bidi control, which no
    check before writing looks at), the file is removed again and the command fails."""
    root = handbook_tree()
    before = sorted(p.name for p in (root / "registry/tools").iterdir())
    code, out, _ = run(
        capsys, "new-tool", "evil", "--vendor", "acme-ai", "--name", "Evil\u202eName",
        "--root", str(root),
    )  # fmt: skip
    assert code == 1
    assert "error[schema] name contains U+202E RIGHT-TO-LEFT OVERRIDE" in out
    assert "not created: registry/tools/evil.yaml would not validate" in out
    assert sorted(p.name for p in (root / "registry/tools").iterdir()) == before


def test_new_vendor_refuses_a_reserved_id(
    handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    root = handbook_tree()
    code, out, err = run(capsys, "new-vendor", "index", "--root", str(root))
    assert (code, out) == (2, "")
    assert "'index' cannot be a vendor id" in err
    assert not (root / "registry/vendors/index.yaml").exists()


@pytest.mark.parametrize("ident", ["404", "1e3", "true", "null", "0x1f", "0o17", "123-go"])
def test_an_id_yaml_would_read_as_another_type_is_written_quoted(
    ident: str, handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each id is valid; written plain, YAML would read most as a number, a boolean or null."""
    root = handbook_tree()
    code, out, _ = run(capsys, "new-vendor", ident, "--root", str(root))
    assert code == 0, out
    code, out, _ = run(capsys, "new-tool", ident, "--vendor", ident, "--root", str(root))
    assert code == 0, out
    assert f"created registry/tools/{ident}.yaml" in out
    text = (root / f"registry/tools/{ident}.yaml").read_text(encoding="utf-8")
    assert f"\nid: {ident}\n" in text if ident == "123-go" else f'\nid: "{ident}"\n' in text
    assert main(["validate", "--root", str(root)]) == 0
