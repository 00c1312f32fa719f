"""`handbook validate` end to end through main([...]): output, exit codes, and no tracebacks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import PINNED, REPO, MakeTree, copy_shipped

from generator import pipeline
from generator.cli import main
from generator.validate import Validation

Capture = pytest.CaptureFixture[str]

FUTURE = (
    "registry/tools/acme-code.yaml:20:11: error[date-future] "
    "evidence.privacy_audit.date is 2026-11-02, after 2026-11-01\n"
    "  hint: record evidence once it exists, with the date it happened\n"
    "1 error\n"
)
STRAY = (
    "registry/tools/extra.txt:1:1: warning[file-unexpected] file is not read by the handbook\n"
    "  hint: registry, content and framework files end in .yaml; see the README for the layout\n"
    "1 warning\n"
)


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("HANDBOOK_DEBUG", raising=False)


@pytest.fixture
def future(handbook_tree: MakeTree) -> Path:
    """A tree with one error: evidence dated the day after the policy's as_of."""
    rel = "registry/tools/acme-code.yaml"
    text = (Path(__file__).parent / "cases/base" / rel).read_text(encoding="utf-8")
    return handbook_tree(files={rel: text.replace("date: 2026-09-10", "date: 2026-11-02")})


@pytest.fixture
def stray(handbook_tree: MakeTree) -> Path:
    """A tree with one warning."""
    return handbook_tree(files={"registry/tools/extra.txt": "id: extra\n"})


@pytest.mark.usefixtures("clean_env")
class TestValidate:
    def test_clean_tree_exits_0(self, handbook_tree: MakeTree, capsys: Capture) -> None:
        root = handbook_tree()
        assert run(capsys, "validate", "--root", str(root)) == (0, "no problems found\n", PINNED)

    def test_current_folder_is_the_default_root(
        self, handbook_tree: MakeTree, capsys: Capture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(handbook_tree())
        assert run(capsys, "validate") == (0, "no problems found\n", PINNED)

    def test_errors_exit_1(self, future: Path, capsys: Capture) -> None:
        assert run(capsys, "validate", "--root", str(future)) == (1, FUTURE, PINNED)

    def test_paths_are_relative_to_the_root_wherever_it_is_run_from(
        self, future: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(future / "registry")
        assert run(capsys, "validate", "--root", "..") == (1, FUTURE, PINNED)

    def test_warnings_exit_0(self, stray: Path, capsys: Capture) -> None:
        assert run(capsys, "validate", "--root", str(stray)) == (0, STRAY, PINNED)

    def test_strict_turns_warnings_into_exit_1(self, stray: Path, capsys: Capture) -> None:
        assert run(capsys, "validate", "--root", str(stray), "--strict") == (1, STRAY, PINNED)

    def test_as_of_overrides_the_policy(self, future: Path, capsys: Capture) -> None:
        code, out, _ = run(capsys, "validate", "--root", str(future), "--as-of", "2026-11-02")
        assert (code, out) == (0, "no problems found\n")

    def test_without_a_pinned_date_the_clock_is_read(
        self, handbook_tree: MakeTree, capsys: Capture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        root = handbook_tree()
        policy = root / "registry/policy.yaml"
        policy.write_text(
            policy.read_text(encoding="utf-8").replace("as_of: 2026-11-01\n", ""),
            encoding="utf-8",
        )
        seen = []

        def fake_validate(tree: object, schemas: object, today: object) -> Validation:
            seen.append(today)
            return Validation()

        monkeypatch.setattr(pipeline, "validate", fake_validate)
        before = date.today()
        assert run(capsys, "validate", "--root", str(root)) == (
            0,
            "no problems found\n",
            "",  # no date pinned: nothing said about it
        )
        [today] = seen
        assert before <= today <= date.today()  # the local calendar day, even across midnight

    def test_json(self, future: Path, capsys: Capture) -> None:
        code, out, err = run(capsys, "validate", "--root", str(future), "--format", "json")
        assert (code, err) == (1, PINNED)
        assert json.loads(out) == {
            "version": 1,
            "summary": {"error": 1, "warning": 0, "note": 0},
            "diagnostics": [
                {
                    "rule": "date-future",
                    "severity": "error",
                    "message": "evidence.privacy_audit.date is 2026-11-02, after 2026-11-01",
                    "path": "registry/tools/acme-code.yaml",
                    "line": 20,
                    "column": 11,
                    "hint": "record evidence once it exists, with the date it happened",
                }
            ],
        }

    @pytest.mark.parametrize(("env", "github"), [("true", True), ("false", False), (None, False)])
    def test_format_auto(
        self,
        future: Path,
        capsys: Capture,
        monkeypatch: pytest.MonkeyPatch,
        env: str | None,
        github: bool,
    ) -> None:
        if env is not None:
            monkeypatch.setenv("GITHUB_ACTIONS", env)
        code, out, _ = run(capsys, "validate", "--root", str(future))
        assert code == 1
        if github:
            assert out == (
                "::error file=registry/tools/acme-code.yaml,line=20,col=11,"
                "title=date-future (error)::"
                "evidence.privacy_audit.date is 2026-11-02, after 2026-11-01"
                "%0Arecord evidence once it exists, with the date it happened\n"
                "1 error\n"
            )
        else:
            assert out == FUTURE

    def test_a_value_cannot_forge_an_annotation(
        self, handbook_tree: MakeTree, capsys: Capture
    ) -> None:
        rel = "registry/tools/acme-chat.yaml"
        text = (Path(__file__).parent / "cases/base" / rel).read_text(encoding="utf-8")
        forged = '"approved\\n::error file=registry/policy.yaml,line=1::forged"'
        root = handbook_tree(files={rel: text.replace("value: approved", f"value: {forged}")})
        code, out, _ = run(capsys, "validate", "--root", str(root), "--format", "github")
        assert code == 1
        assert out.count("\n") == 2  # one annotation and the summary
        assert out.startswith(f"::error file={rel},line=10,col=10,title=schema (error)::")

    def test_explicit_format_wins_over_github_actions(
        self, future: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        assert run(capsys, "validate", "--root", str(future), "--format", "text")[1] == FUTURE


@pytest.mark.usefixtures("clean_env")
class TestCannotRun:
    def test_not_a_handbook(self, tmp_path: Path, capsys: Capture) -> None:
        assert run(capsys, "validate", "--root", str(tmp_path)) == (
            2,
            "",
            f"handbook: error: {tmp_path.resolve()} has no registry/ or content/ folder\n"
            "  hint: run the command from the handbook repository, or pass --root\n",
        )

    def test_missing_root(self, tmp_path: Path, capsys: Capture) -> None:
        code, out, err = run(capsys, "validate", "--root", str(tmp_path / "nope"))
        assert (code, out) == (2, "")
        assert err.startswith("handbook: error: ")

    def test_bad_as_of(self, handbook_tree: MakeTree, capsys: Capture) -> None:
        root = handbook_tree()
        code, out, err = run(capsys, "validate", "--root", str(root), "--as-of", "2026-02-30")
        assert (code, out) == (2, "")
        assert err.endswith(
            "handbook validate: error: argument --as-of: "
            "'2026-02-30' is not a date: February 2026 has 28 days\n"
        )

    def test_as_of_not_written_yyyy_mm_dd(self, handbook_tree: MakeTree, capsys: Capture) -> None:
        root = handbook_tree()
        code, out, err = run(capsys, "validate", "--root", str(root), "--as-of", "20261101")
        assert (code, out) == (2, "")
        assert err.endswith(
            "handbook validate: error: argument --as-of: "
            "'20261101' is not a date: it is not written YYYY-MM-DD\n"
        )

    def test_bad_format(self, handbook_tree: MakeTree, capsys: Capture) -> None:
        code, out, err = run(capsys, "validate", "--root", str(handbook_tree()), "--format", "xml")
        assert (code, out) == (2, "")
        assert "argument --format: invalid choice: 'xml'" in err

    def test_no_command(self, capsys: Capture) -> None:
        code, out, err = run(capsys)
        assert (code, out) == (2, "")
        assert err.startswith("usage: handbook")

    def test_help_exits_0(self, capsys: Capture) -> None:
        code, out, err = run(capsys, "validate", "--help")
        assert (code, err) == (0, "")
        assert "exit codes:\n  0  no errors" in out

    def test_missing_schemas(self, handbook_tree: MakeTree, capsys: Capture) -> None:
        root = handbook_tree(schemas=False)
        code, out, err = run(capsys, "validate", "--root", str(root))
        assert (code, out) == (2, "")
        assert err == (
            f"handbook: error: schemas missing from {root / 'schemas'}: "
            "framework.schema.json, guidance.schema.json, page.schema.json, phase.schema.json, "
            "policy.schema.json, "
            "tool.schema.json, vendor.schema.json\n"
            "  hint: run the handbook from its repository root, or pass --root\n"
        )

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (
                "{",
                "cannot read schema tool.schema.json: Expecting property name enclosed in "
                "double quotes: line 1 column 2 (char 1)\n  hint: restore it from git",
            ),
            ("[]", "schema tool.schema.json is not a JSON object\n  hint: restore it from git"),
            (
                '{"type": 12}',
                "schema tool.schema.json is not a valid JSON Schema: 12 is not valid under any "
                "of the schemas listed in the 'anyOf' keyword\n"
                "  hint: restore it from git, or check it against the draft 2020-12 metaschema",
            ),
            (
                '{"properties": {"a": {"pattern": "(["}}}',
                'schema tool.schema.json is not a valid JSON Schema: "([" is not a "regex"\n'
                "  hint: restore it from git, or check it against the draft 2020-12 metaschema",
            ),
        ],
    )
    def test_broken_schema(
        self, handbook_tree: MakeTree, capsys: Capture, content: str, message: str
    ) -> None:
        root = handbook_tree(files={"schemas/tool.schema.json": content})
        assert run(capsys, "validate", "--root", str(root)) == (
            2,
            "",
            f"handbook: error: {message}\n",
        )

    def test_schema_pointing_at_a_missing_file(
        self, handbook_tree: MakeTree, capsys: Capture
    ) -> None:
        root = handbook_tree(files={"schemas/tool.schema.json": '{"$ref": "gone.schema.json"}'})
        code, out, err = run(capsys, "validate", "--root", str(root))
        assert (code, out) == (2, "")
        assert err.startswith("handbook: error: the schemas cannot be loaded: ")
        assert err.endswith("\n  hint: restore schemas/ from git\n")


@pytest.mark.usefixtures("clean_env")
class TestInternalError:
    def test_exit_3_with_a_short_message(
        self, handbook_tree: MakeTree, capsys: Capture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def boom(*args: object) -> list[object]:
            raise RuntimeError("boom")

        monkeypatch.setattr(pipeline, "validate", boom)
        assert run(capsys, "validate", "--root", str(handbook_tree())) == (
            3,
            "",
            "handbook: internal error (this is a bug; please report it):\n"
            "  RuntimeError: boom\n"
            "  set HANDBOOK_DEBUG=1 to see the full trace\n",
        )

    def test_debug_shows_the_trace(
        self, handbook_tree: MakeTree, capsys: Capture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def boom(*args: object) -> list[object]:
            raise RuntimeError("boom")

        monkeypatch.setattr(pipeline, "load_tree", boom)
        monkeypatch.setenv("HANDBOOK_DEBUG", "1")
        code = main(["validate", "--root", str(handbook_tree())])
        out, err = capsys.readouterr()
        assert (code, out) == (3, "")
        assert "Traceback (most recent call last)" in err
        assert err.rstrip().endswith("RuntimeError: boom")


# -- bad input never reaches a traceback ---------------------------------------------------------

NASTY: dict[str, str | bytes] = {
    "top-level scalar": "just text\n",
    "top-level list": "- a\n- b\n",
    "null document": "---\n",
    "wrong types everywhere": (
        "id: 12\nname: [a]\nvendor: {x: 1}\nowner: text\nstatus: []\nproblem: 3\n"
        "license: {tier: [enterprise]}\ndata: {allowed: oops}\nevidence: [1, 2]\n"
        "exceptions: {rule: x}\n"
    ),
    "evidence of the wrong shape": (
        "evidence:\n  pilot: {start: 1, end: [x]}\n  benchmark: {tasks: '40'}\n"
        "  offboarding: 7\n  incidents: {date: 2026-01-01}\n"
    ),
    "binary": b"\x00\x01\x02\xff\xfe",
    "tagged values": "id: !!int x\nname: !!python/name:os.system\n",
    "bad merge": "<<: 1\n",
    "huge number": "license: {tier: enterprise, seats: 1" + "0" * 400 + "}\n",
    "far dates": "status: {value: approved, since: 9999-12-31}\n",
}


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("content", NASTY.values(), ids=list(NASTY))
@pytest.mark.parametrize(
    "rel",
    [
        "registry/tools/acme-chat.yaml",
        "registry/vendors/acme-ai.yaml",
        "registry/policy.yaml",
        "content/procedure/1-assess.yaml",
        "content/guidance.yaml",
    ],
)
def test_bad_input_is_reported_not_raised(
    handbook_tree: MakeTree, capsys: Capture, rel: str, content: str | bytes
) -> None:
    root = handbook_tree(files={rel: content})
    code, out, err = run(capsys, "validate", "--root", str(root), "--format", "json")
    assert (code, err) in ((1, ""), (1, PINNED))
    assert json.loads(out)["summary"]["error"] >= 1
    # every other command that reads the tree reports the problem too, never a traceback
    for command in (
        ["check-expiry"],
        ["report", "--no-links", "--out", str(root.parent / "report")],
        ["build"],
    ):
        code, out, err = run(capsys, *command, "--root", str(root), "--format", "json")
        assert code == 1, (command, err)
        assert json.loads(out)["summary"]["error"] >= 1, command
        assert "internal error" not in err, (command, err)


@pytest.mark.usefixtures("clean_env")
def test_far_as_of_with_an_exception(handbook_tree: MakeTree, capsys: Capture) -> None:
    """Adding the policy's exception window to --as-of 9999-12-31 must not overflow."""
    case = Path(__file__).parent / "cases/invalid/exception-invalid/too-long"
    root = handbook_tree(case)
    assert run(capsys, "validate", "--root", str(root), "--as-of", "9999-12-31") == (
        0,
        "no problems found\n",
        "handbook: dates judged as of 9999-12-31 (set with --as-of)\n",
    )


@pytest.mark.usefixtures("clean_env")
def test_readme_validation_example_is_the_whole_output(tmp_path: Path, capsys: Capture) -> None:
    """The README's "A validation message looks like this" block is exactly what `validate`
    prints when `tier` is mistyped `teir` in the shipped northwind-assist.yaml: one error, at
    the typo, not also a "missing required key 'tier'" one at license telling to add it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("A validation message looks like this:\n\n```\n", 1)[1]
    shown = block.split("```", 1)[0]
    root = copy_shipped(tmp_path / "hb")
    tool = root / "registry/tools/northwind-assist.yaml"
    text = tool.read_text(encoding="utf-8")
    assert text.count("\n  tier: enterprise\n") == 1
    tool.write_text(text.replace("\n  tier: enterprise\n", "\n  teir: enterprise\n"), "utf-8")
    code, out, _ = run(capsys, "validate", "--root", str(root), "--format", "text")
    assert (code, out) == (1, shown + "1 error\n")


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"]])
def test_serve_help_names_every_folder_it_watches(argv: list[str], capsys: Capture) -> None:
    """The help lists what the preview rebuilds on, as the README does."""
    from generator.serve import WATCHED

    code, out, _ = run(capsys, *argv)
    assert code == 0
    out = " ".join(out.split())  # unwrapped
    folders = [w for w in WATCHED if "." not in w]
    assert folders == ["content", "registry", "frameworks", "schemas", "evidence"]
    said = "rebuilt when anything under content/, registry/, frameworks/, schemas/ or evidence/"
    assert said in out
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert "`content/`, `registry/`, `frameworks/`, `schemas/` or `evidence/` changes" in readme


FOREIGN = (
    "handbook: error: {named} {folder} holds files but was not made by this tool (it has no "
    ".handbook-output file), so it will not be replaced\n"
    "  hint: delete or move the folder yourself if it is an old output, or choose another folder "
    "with {option}\n"
)


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("given", [False, True], ids=["default", "given"])
def test_a_foreign_output_folder_is_named_as_the_user_named_it(
    given: bool, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message says `--site-dir …` or `--out …` only when the user wrote that option."""
    root = copy_shipped(tmp_path / "hb").resolve()
    for folder in (root / "site", root / "report"):
        folder.mkdir()
        (folder / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(root)  # report/ is relative to the current folder
    for command, option, folder, named in (
        ("build", "--site-dir", root / "site", "the site folder"),
        ("report", "--out", root / "report", "the report folder"),
    ):
        extra = [option, str(folder)] if given else []
        more = ["--no-links"] if command == "report" else []
        code, _, err = run(capsys, command, "--root", str(root), *more, *extra)
        assert code == 2, err
        said = FOREIGN.format(named=option if given else named, folder=folder, option=option)
        assert err.endswith(said), err
        assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


def _long_options() -> list[tuple[str, str]]:
    import argparse

    from generator.cli import build_parser

    subs = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return [
        (name, option)
        for name, parser in subs.choices.items()
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


@pytest.mark.parametrize(("command", "option"), _long_options())
def test_every_option_is_in_the_readme(command: str, option: str) -> None:
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", readme), (command, option)


def test_every_environment_variable_of_ours_is_in_the_readme() -> None:
    """HANDBOOK_* variables read anywhere (the tool, the tests, the benchmarks, CI)."""
    import re

    found = set()
    for folder in ("generator", "tests", "benchmarks", ".github"):
        for file in (REPO / folder).rglob("*"):
            if file.suffix in {".py", ".yml", ".yaml"} and file.is_file():
                found |= set(re.findall(r"HANDBOOK_[A-Z_]+", file.read_text(encoding="utf-8")))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert found >= {"HANDBOOK_DEBUG", "HANDBOOK_CHROMIUM"}
    assert sorted(v for v in found if f"`{v}" not in readme) == []
