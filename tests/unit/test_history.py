"""Status timelines from git history: renames followed, deletions dropped, shallow = unknown."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import MakeTree
from gitrepo import GitRepo

from generator import history
from generator.diagnostics import Diagnostic, Severity
from generator.history import StatusChange

CODE = "registry/tools/acme-code.yaml"
CODER = "registry/tools/acme-coder.yaml"


def set_status(g: GitRepo, rel: str, old: str, new: str) -> None:
    g.edit(rel, f"  value: {old}\n", f"  value: {new}\n")


@pytest.fixture
def repo(handbook_tree: MakeTree) -> GitRepo:
    """acme-code: proposed, then sandbox, a rewording, a rename to acme-coder, then pilot;
    globex-notes: added, then deleted."""
    g = GitRepo.init(handbook_tree())
    set_status(g, CODE, "sandbox", "proposed")
    g.commit("Propose the first tools", "2026-01-05")
    set_status(g, CODE, "proposed", "sandbox")
    g.commit("Move Acme Code to the sandbox", "2026-02-01")
    g.edit(CODE, "code takes too long", "code takes far too long")
    g.commit("Reword the problem", "2026-02-10")
    g.git("mv", CODE, CODER)
    g.commit("Rename acme-code to acme-coder", "2026-03-01")
    set_status(g, CODER, "sandbox", "pilot")
    g.commit("Start the Acme Code pilot", "2026-04-01")
    (g.root / "registry/tools/globex-notes.yaml").unlink()
    g.commit("Drop the Globex Notes proposal", "2026-05-01")
    return g


def changes(g: GitRepo, *rows: tuple[str, str | None, str, str]) -> list[StatusChange]:
    """StatusChange rows from (date, old, new, subject), looking each commit up by subject."""
    out = []
    for day, old, new, subject in rows:
        sha = g.git("log", "--format=%H", f"--grep=^{subject}$").strip()
        out.append(StatusChange(date.fromisoformat(day), old, new, sha[:7], subject, sha))
    return out


def test_timelines_follow_renames_and_drop_deleted_files(repo: GitRepo) -> None:
    first = ("2026-01-05", None, "proposed", "Propose the first tools")
    assert history.timelines(repo.root) == {
        "registry/tools/acme-chat.yaml": changes(
            repo, ("2026-01-05", None, "approved", "Propose the first tools")
        ),
        CODER: changes(
            repo,
            first,
            ("2026-02-01", "proposed", "sandbox", "Move Acme Code to the sandbox"),
            ("2026-04-01", "sandbox", "pilot", "Start the Acme Code pilot"),
        ),
    }


def test_one_file_timeline_follows_its_renames(repo: GitRepo) -> None:
    assert history.status_timeline(repo.root, CODER) == changes(
        repo,
        ("2026-01-05", None, "proposed", "Propose the first tools"),
        ("2026-02-01", "proposed", "sandbox", "Move Acme Code to the sandbox"),
        ("2026-04-01", "sandbox", "pilot", "Start the Acme Code pilot"),
    )
    assert history.status_timeline(repo.root, "registry/tools/nope.yaml") == []


def test_last_changed(repo: GitRepo) -> None:
    assert history.last_changed(repo.root, CODER) == date(2026, 4, 1)
    assert history.last_changed(repo.root, "registry/tools/acme-chat.yaml") == date(2026, 1, 5)
    assert history.last_changed(repo.root, "registry/tools/nope.yaml") is None
    found = history.scan(repo.root)
    assert found is not None
    assert found.last_changed == {
        "registry/tools/acme-chat.yaml": date(2026, 1, 5),
        CODER: date(2026, 4, 1),
    }


def test_status_changes_on_a_merged_branch_keep_their_own_commit(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "approve")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-06-01")
    repo.git("checkout", "-q", "main")
    repo.edit("registry/tools/acme-chat.yaml", "an hour each", "an hour or more each")
    repo.commit("Reword the Acme Chat problem", "2026-06-02")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the approval", "approve")
    timeline = history.status_timeline(repo.root, CODER)
    assert timeline is not None
    assert [(c.old, c.new, c.subject) for c in timeline][-1:] == [
        ("pilot", "approved", "Approve Acme Code")
    ]


def test_two_pull_requests_on_one_file_keep_its_status(repo: GitRepo) -> None:
    """A branch that leaves the status alone changes nothing when it is merged after a status
    change on main: the history ends at the committed status, in date order."""
    repo.git("checkout", "-q", "-b", "seats")
    repo.edit(CODER, "problem:", "# more seats asked for\nproblem:")
    repo.commit("Ask for seats", "2026-06-02")
    repo.git("checkout", "-q", "main")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-06-03")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the seats", "seats")
    found = history.scan(repo.root)
    assert found is not None
    assert [(c.old, c.new) for c in found.timelines[CODER]][-2:] == [
        ("sandbox", "pilot"),
        ("pilot", "approved"),
    ]
    assert found.last_changed[CODER] == date(2026, 6, 3)  # the latest, not the last in the log


def test_a_conflict_resolved_to_a_third_status_is_the_merges_change(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "side")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve on a branch", "2026-06-02")
    repo.git("checkout", "-q", "main")
    set_status(repo, CODER, "pilot", "rejected")
    repo.commit("Reject on main", "2026-06-03")
    proc = subprocess.run(
        ["git", "merge", "-q", "side"], cwd=repo.root, env=repo.env, capture_output=True
    )
    assert proc.returncode != 0  # a conflict
    text = (repo.root / CODER).read_text(encoding="utf-8")
    resolved = re.sub(r"<<<<<<<.*?>>>>>>> side\n", "  value: restricted\n", text, flags=re.S)
    (repo.root / CODER).write_text(resolved, encoding="utf-8")
    repo.commit("Merge: restrict instead", "2026-06-04")
    timeline = history.status_timeline(repo.root, CODER)
    assert timeline is not None and timeline[-1].new == "restricted"
    found = history.scan(repo.root)
    assert found is not None
    assert [(c.new, c.subject) for c in found.timelines[CODER]][-1] == (
        "restricted",
        "Merge: restrict instead",
    )


CHAT = "registry/tools/acme-chat.yaml"


def merge(repo: GitRepo, branch: str, message: str) -> None:
    """Merge ``branch``; a conflict is resolved by keeping the work tree as it is."""
    proc = subprocess.run(
        ["git", "merge", "--no-ff", "-m", message, branch],
        cwd=repo.root, env=repo.env, capture_output=True,
    )  # fmt: skip
    if proc.returncode != 0:
        repo.git("checkout", "--ours", "--", ".")
        repo.commit(message, "2026-07-09")


def ends(repo: GitRepo, path: str) -> str | None:
    found = history.scan(repo.root)
    assert found is not None
    line = found.timelines.get(path)
    return line[-1].new if line else None


def test_a_back_merge_then_a_change_on_main_ends_at_the_committed_status(repo: GitRepo) -> None:
    """GitHub's "Update branch": main merged into a feature branch, which is merged later."""
    repo.git("checkout", "-q", "-b", "feat")
    repo.edit(CHAT, "an hour each", "an hour or more each")
    repo.commit("Reword Acme Chat", "2026-07-01")
    repo.git("checkout", "-q", "main")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-07-02")
    repo.git("checkout", "-q", "feat")
    merge(repo, "main", "Merge main into feat")
    repo.git("checkout", "-q", "main")
    set_status(repo, CODER, "approved", "restricted")
    repo.commit("Restrict Acme Code", "2026-07-04")
    merge(repo, "feat", "Merge feat")
    assert ends(repo, CODER) == "restricted"


def test_a_branch_change_the_merge_did_not_keep_is_not_the_last_word(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "feat")
    set_status(repo, CODER, "pilot", "rejected")
    repo.commit("Reject on a branch", "2026-07-01")
    set_status(repo, CODER, "rejected", "pilot")
    repo.commit("Take it back", "2026-07-02")
    repo.edit(CHAT, "an hour each", "an hour or more each")
    repo.commit("Reword Acme Chat", "2026-07-03")
    repo.git("checkout", "-q", "main")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-07-04")
    merge(repo, "feat", "Merge feat")
    assert ends(repo, CODER) == "approved"


def test_a_file_a_branch_deleted_and_the_merge_kept_keeps_its_history(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "feat")
    repo.git("rm", "-q", CODER)
    repo.edit(CHAT, "an hour each", "an hour or more each")
    repo.commit("Drop Acme Code", "2026-07-01")
    repo.git("checkout", "-q", "main")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-07-02")
    merge(repo, "feat", "Merge feat, keeping Acme Code")
    assert ends(repo, CODER) == "approved"


def test_handbook_in_a_subfolder_of_the_repository(handbook_tree: MakeTree, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    shutil.copytree(handbook_tree(), outer / "handbook")
    g = GitRepo.init(outer)
    g.commit("Add the handbook", "2026-01-05")
    found = history.timelines(outer / "handbook")
    assert found is not None
    assert sorted(found) == [
        "registry/tools/acme-chat.yaml",
        "registry/tools/acme-code.yaml",
        "registry/tools/globex-notes.yaml",
    ]


def test_shallow_clone_has_no_history(repo: GitRepo, tmp_path: Path) -> None:
    clone = repo.shallow_clone(tmp_path / "clone").root
    assert history.timelines(clone) is None
    assert history.scan(clone) is None
    assert history.status_timeline(clone, CODER) is None
    assert history.last_changed(clone, CODER) is None


def test_outside_a_repository_there_is_no_history(handbook_tree: MakeTree) -> None:
    root = handbook_tree()
    assert history.timelines(root) is None
    assert history.status_timeline(root, CODE) is None
    assert history.last_changed(root, CODE) is None


def test_unparsable_revision_has_no_status(repo: GitRepo) -> None:
    """A commit that broke the YAML shows neither a change to nor from 'no status'."""
    (repo.root / CODER).write_text("status: [unclosed\n", encoding="utf-8")
    repo.commit("Break the file", "2026-07-01")
    repo.git("checkout", "HEAD~1", "--", CODER)
    repo.commit("Restore the file", "2026-07-02")
    timeline = history.status_timeline(repo.root, CODER)
    assert timeline is not None
    assert [(c.old, c.new) for c in timeline] == [
        (None, "proposed"),
        ("proposed", "sandbox"),
        ("sandbox", "pilot"),
    ]


def tool_page(root: Path, tool: str) -> str:
    """The tool's page as a build renders it from ``root`` (history read from git)."""
    from generator import pipeline
    from generator.build import inputs_for
    from generator.render import render

    checked = pipeline.check(root, None, date(2026, 11, 1))
    handbook = checked.handbook
    inputs = inputs_for(checked, handbook, pipeline.staleness(checked))
    return render(handbook, inputs)[f"tools/{tool}.md"]


@pytest.fixture
def moved(handbook_tree: MakeTree) -> GitRepo:
    """acme-code proposed, then in the sandbox, then in pilot, one commit each."""
    g = GitRepo.init(handbook_tree())
    set_status(g, CODE, "sandbox", "proposed")
    g.commit("Propose Acme Code", "2026-01-05")
    set_status(g, CODE, "proposed", "sandbox")
    g.commit("Move Acme Code to the sandbox", "2026-02-01")
    set_status(g, CODE, "sandbox", "pilot")
    g.edit(CODE, "since: 2026-10-01", "since: 2026-04-01")
    g.commit("Start the Acme Code pilot", "2026-04-01")
    return g


def test_tool_page_draws_its_status_history(moved: GitRepo) -> None:
    page = tool_page(moved.root, "acme-code")
    history_part = html.unescape(page.split("## Status history", 1)[1].split("\n## ", 1)[0])
    assert '<figure class="hb-figure" id="hb-chart-history">' in history_part
    assert (
        "From the repository's history, dated by commit: "
        "proposed (2026-01-05) → in sandbox (2026-02-01) → "
        "in pilot (2026-04-01); as of 2026-11-01." in history_part
    )
    rows = re.findall(r"<tr><td>([\d-]+)</td><td>([^<]*)</td><td>([^<]*)</td>", history_part)
    assert rows == [
        ("2026-01-05", "(file added)", "proposed"),
        ("2026-02-01", "proposed", "in sandbox"),
        ("2026-04-01", "in sandbox", "in pilot"),
    ]


def history_section(page: str) -> str:
    return html.unescape(page.split("## Status history", 1)[1].split("\n## ", 1)[0])


def test_tool_page_history_ends_at_an_uncommitted_status(moved: GitRepo) -> None:
    """The page shows the work tree: an edited status ends the history, not committed yet,
    dated the build's as-of day."""
    set_status(moved, CODE, "pilot", "sandbox")
    part = history_section(tool_page(moved.root, "acme-code"))
    assert (
        "From the repository's history, dated by commit: "
        "proposed (2026-01-05) → in sandbox (2026-02-01) → in pilot (2026-04-01) → "
        "in sandbox (not committed yet); as of 2026-11-01 (the last change is not committed "
        "yet: the pages show the files as they were when the site was built)." in part
    )
    rows = re.findall(r"<tr><td>([\d-]+)</td><td>([^<]*)</td><td>([^<]*)</td><td>(.*?)</td>", part)
    assert rows[-1] == ("2026-11-01", "in pilot", "in sandbox", "not committed yet")


def test_tool_page_of_a_new_file_says_not_committed_yet(moved: GitRepo) -> None:
    text = (moved.root / CODE).read_text(encoding="utf-8")
    new = text.replace("id: acme-code", "id: acme-new").replace("name: Acme Code", "name: New")
    (moved.root / "registry/tools/acme-new.yaml").write_text(new, encoding="utf-8")
    part = history_section(tool_page(moved.root, "acme-new"))
    assert "No committed change" not in part
    assert (
        "dated by commit: in pilot (not committed yet); as of 2026-11-01 (the last change is "
        "not committed yet" in part
    )


def test_tool_page_in_a_shallow_clone_says_history_is_unavailable(
    moved: GitRepo, tmp_path: Path
) -> None:
    clone = moved.shallow_clone(tmp_path / "clone").root
    page = tool_page(clone, "acme-code")
    assert "History unavailable" in page
    assert 'id="hb-chart-history"' not in page


@pytest.fixture
def own_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """git as the tests' repositories see it: no user or system configuration (a machine's
    ``safe.directory = *`` would hide a refusal)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def unavailable(page: str) -> str:
    """The page's "History unavailable" sentence (HTML), or '' when it draws a history."""
    found = re.search(r"<p>History unavailable: .*?</p>", history_part_html(page))
    return found[0] if found else ""


def history_part_html(page: str) -> str:
    return page.split("## Status history", 1)[1].split("\n## ", 1)[0]


SAFE = "git config --global --add safe.directory"


@pytest.mark.usefixtures("own_git_config")
@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "shallow",
            "<p>History unavailable: this build has no complete git history of the registry (a "
            "shallow clone); in CI, check out with <code>fetch-depth: 0</code>.</p>",
        ),
        (
            "no repository",
            "<p>History unavailable: this build has no git history of the registry (its folder "
            "is not in a git repository); build from a clone of the repository.</p>",
        ),
        (
            "refused",
            "<p>History unavailable: git refused to read the repository (detected dubious "
            "ownership: it belongs to another user than the one building); if you trust it, "
            f"run <code>{SAFE} {{top}}</code>.</p>",
        ),
        (
            "no git",
            "<p>History unavailable: git is not installed (or not on PATH); install git to "
            "show the history.</p>",
        ),
    ],
)
def test_tool_page_says_why_history_is_unavailable(
    moved: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, expected: str
) -> None:
    root = moved.root
    if case == "shallow":
        root = moved.shallow_clone(tmp_path / "clone").root
    elif case == "no repository":
        shutil.rmtree(root / ".git")
    elif case == "refused":
        monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own test switch
    else:
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    page = tool_page(root, "acme-code")
    assert unavailable(page) == expected.format(top=moved.root.resolve())
    assert 'id="hb-chart-history"' not in page


@pytest.mark.usefixtures("own_git_config")
def test_refused_repository_is_one_warning(moved: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    found = history.read(moved.root)
    assert isinstance(found, history.Unavailable)
    assert found.problems() == [
        Diagnostic(
            "history-unreadable",
            Severity.WARNING,
            "history unavailable: git refused to read the repository (detected dubious "
            "ownership: it belongs to another user than the one building); the tool pages "
            "show no status history",
            hint=f"if you trust it, run `{SAFE} {moved.root.resolve()}`",
        )
    ]
    assert history.scan(moved.root) is None


@pytest.mark.usefixtures("own_git_config")
def test_expected_gaps_are_no_warning(moved: GitRepo, tmp_path: Path) -> None:
    """A copy without git, or a shallow clone, is how such builds are made: the pages say so."""
    clone = moved.shallow_clone(tmp_path / "clone").root
    shutil.rmtree(moved.root / ".git")
    for root in (clone, moved.root):
        found = history.read(root)
        assert isinstance(found, history.Unavailable) and found.problems() == []


def test_a_repository_with_no_commit_yet(handbook_tree: MakeTree) -> None:
    """Every entry is not committed yet: an empty history, not an unavailable one."""
    root = GitRepo.init(handbook_tree()).root
    assert history.scan(root) == history.History({}, {})
    assert history.timelines(root) == {}
    assert history.status_timeline(root, CODE) == []
    page = tool_page(root, "acme-code")
    assert unavailable(page) == ""
    assert "dated by commit: in sandbox (not committed yet); as of 2026-11-01" in html.unescape(
        page
    )
    assert "<td>Entry last changed</td>\n<td>unknown (not committed yet)</td>" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: a\nstatus:\n  value: pilot\n  since: 2026-01-01\nproblem: x\n", "pilot"),
        ("status: {value: approved, since: 2026-01-01}\n", "approved"),
        ("status:\n  # the decision\n  value: 'sandbox'  # quoted\n\n  since: x\n", "sandbox"),
        # a block scalar mentioning the key, indented: not a key
        ("problem: |\n  status:\n    value: rejected\nstatus:\n  value: pilot\n", "pilot"),
        # an alias into another key: the status lines alone cannot say; the full parse does
        ("base: &s\n  value: approved\nstatus: *s\n", "approved"),
        # what the event stream cannot say is the loader's reading: two keys (the last),
        # merge keys, tags, numbers, a second document
        ("status:\n  value: pilot\nstatus:\n  value: approved\n", "approved"),
        ("status:\n  <<: {value: restricted}\n", "restricted"),
        ("d: &d\n  status: {value: pilot}\n<<: *d\n", "pilot"),
        ("status:\n  value: !foo pilot\n", None),
        ("status:\n  value: 1\n", None),
        ("status:\n  value: yes\n", "yes"),  # the loader reads YAML 1.2: a word
        ("status:\n  value: pilot\n---\nstatus:\n  value: approved\n", None),
        ("--- hello\n---\nstatus:\n  value: approved\n", None),
        ("a: " + "[" * 200 + "]" * 200 + "\nstatus:\n  value: approved\n", None),
        ("status:\n  value: ''\n", None),
        # a "status:" line inside a quoted value is text; the quoted key is the key
        (
            'description: "A chatbot.\nstatus: {value: approved}\nend"\n'
            '"status":\n  value: rejected\n',
            "rejected",
        ),
        ("status:\n  since: 2026-01-01\n  value: ~\n", None),
        ("status:\n  reason: {value: approved}\n  value: pilot\n", "pilot"),
        ("- status: {value: pilot}\n", None),
        ("status: approved\n", None),
        ("name: no status here\n", None),
        ("status:\n  value: [broken\n", None),
    ],
)
def test_status_read_from_a_revision(text: str, expected: str | None) -> None:
    assert history._status(text.encode(), "registry/tools/x.yaml") == expected


def test_any_subject_or_file_name_reads_as_written(moved: GitRepo) -> None:
    """git's output is split on NUL only, and subjects are read apart: a subject or a file name
    holding the separators of another format (or a line that looks like a commit) is text."""
    odd = "registry/tools/odd\x1e0123456789abcdef0123456789abcdef01234567 2026-01-01.yaml"
    (moved.root / odd).write_text("status:\n  value: pilot\n", encoding="utf-8")
    moved.commit("Add an odd file", "2026-05-01")
    set_status(moved, CODE, "pilot", "approved")
    subject = "Approve \x1e it \x1f now\x1e0123456789abcdef0123456789abcdef01234567 2026-01-01"
    moved.commit(subject, "2026-06-01")
    found = history.timelines(moved.root)
    assert found is not None
    assert [(c.new, c.subject) for c in found[CODE]][-1] == ("approved", subject)
    assert [c.new for c in found[odd]] == ["pilot"]


# -- a change a merge brought in: the commit on the merged side that wrote that content ---------


def at(g: GitRepo, day: str) -> None:
    """Date the next git command's commits (a merge, a revert) ``day``."""
    g.env["GIT_AUTHOR_DATE"] = g.env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"


def merge_at(g: GitRepo, day: str, message: str, *branches: str) -> None:
    at(g, day)
    g.git("merge", "-q", "--no-ff", "-m", message, *branches)


def conflict(g: GitRepo, branch: str) -> None:
    """Start merging ``branch`` into the current branch; it must conflict."""
    proc = subprocess.run(
        ["git", "merge", "-q", branch], cwd=g.root, env=g.env, capture_output=True
    )
    assert proc.returncode != 0


def tail(g: GitRepo, path: str, n: int) -> list[tuple[str, str | None, str, str]]:
    """The last ``n`` changes of ``path`` (read by the whole registry's scan) as (date, old, new,
    subject); the one-file timeline (``--follow``) must agree."""
    found = history.scan(g.root)
    assert found is not None
    line = found.timelines[path]
    assert history.status_timeline(g.root, path) == line
    return [(str(c.date), c.old, c.new, c.subject) for c in line[-n:]]


def test_a_revert_merged_from_a_branch_is_dated_by_the_revert(repo: GitRepo) -> None:
    """GitHub's "Revert" button: a revert on a branch, merged with a merge commit. Its content
    was written long before, on the main line ("Start the Acme Code pilot")."""
    repo.git("checkout", "-q", "-b", "pr1")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-06-01")
    repo.git("checkout", "-q", "main")
    merge_at(repo, "2026-06-02", "Merge PR1", "pr1")
    repo.git("checkout", "-q", "-b", "pr2")
    at(repo, "2026-07-01")
    repo.git("revert", "--no-edit", "pr1")
    repo.git("checkout", "-q", "main")
    merge_at(repo, "2026-07-02", "Merge PR2", "pr2")
    assert tail(repo, CODER, 3) == [
        ("2026-04-01", "sandbox", "pilot", "Start the Acme Code pilot"),
        ("2026-06-01", "pilot", "approved", "Approve Acme Code"),
        ("2026-07-01", "approved", "pilot", 'Revert "Approve Acme Code"'),
    ]


def test_content_written_on_main_before_and_again_on_a_branch(repo: GitRepo) -> None:
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-05-01")
    set_status(repo, CODER, "approved", "pilot")
    repo.commit("Back to the pilot", "2026-05-15")
    repo.git("checkout", "-q", "-b", "again")
    set_status(repo, CODER, "pilot", "approved")  # the very content of 2026-05-01
    repo.commit("Approve Acme Code again", "2026-06-01")
    repo.git("checkout", "-q", "main")
    merge_at(repo, "2026-06-02", "Merge the approval", "again")
    assert tail(repo, CODER, 2) == [
        ("2026-05-15", "approved", "pilot", "Back to the pilot"),
        ("2026-06-01", "pilot", "approved", "Approve Acme Code again"),
    ]


def test_content_that_returns_on_the_branch_is_the_newest_writers(repo: GitRepo) -> None:
    """A -> B -> A -> B on a branch: the merge's B is the last commit's, not the first's."""
    repo.git("checkout", "-q", "-b", "feat")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-06-01")
    set_status(repo, CODER, "approved", "pilot")
    repo.commit("Take it back", "2026-06-02")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve it after all", "2026-06-03")
    repo.git("checkout", "-q", "main")
    merge_at(repo, "2026-06-04", "Merge feat", "feat")
    assert tail(repo, CODER, 1) == [("2026-06-03", "pilot", "approved", "Approve it after all")]


def test_an_octopus_merge_credits_each_branch_commit(repo: GitRepo) -> None:
    """Three parents; one branch goes back to content the main line wrote in February."""
    repo.git("checkout", "-q", "-b", "back")
    set_status(repo, CODER, "pilot", "sandbox")  # the content of "Reword the problem"
    repo.commit("Back to the sandbox", "2026-06-01")
    repo.git("checkout", "-q", "-b", "restrict", "main")
    repo.edit(CHAT, "  value: approved\n", "  value: restricted\n")
    repo.commit("Restrict Acme Chat", "2026-06-02")
    repo.git("checkout", "-q", "main")
    merge_at(repo, "2026-06-03", "Merge two branches", "back", "restrict")
    assert repo.git("rev-list", "--parents", "-1", "HEAD").count(" ") == 3  # an octopus
    assert tail(repo, CODER, 1) == [("2026-06-01", "pilot", "sandbox", "Back to the sandbox")]
    assert tail(repo, CHAT, 1) == [("2026-06-02", "approved", "restricted", "Restrict Acme Chat")]


def test_content_written_by_a_merge_on_the_branch_is_that_merges(repo: GitRepo) -> None:
    """A conflict resolved on the branch (its own merge wrote the content), then merged."""
    repo.git("checkout", "-q", "-b", "feat")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve on feat", "2026-06-01")
    repo.git("checkout", "-q", "-b", "sub", "main")
    set_status(repo, CODER, "pilot", "rejected")
    repo.commit("Reject on sub", "2026-06-02")
    repo.git("checkout", "-q", "feat")
    conflict(repo, "sub")
    text = (repo.root / CODER).read_text(encoding="utf-8")
    resolved = re.sub(r"<<<<<<<.*?>>>>>>> sub\n", "  value: restricted\n", text, flags=re.S)
    (repo.root / CODER).write_text(resolved, encoding="utf-8")
    repo.commit("Merge sub into feat: restrict", "2026-06-03")
    repo.git("checkout", "-q", "main")
    merge_at(repo, "2026-06-04", "Merge feat", "feat")
    assert tail(repo, CODER, 1) == [
        ("2026-06-03", "pilot", "restricted", "Merge sub into feat: restrict")
    ]


def test_a_branch_merged_after_another_keeps_the_first_ones_commit(repo: GitRepo) -> None:
    """Two branches from the same commit, both changing the status; the second merge keeps the
    second branch's content, so git's default history simplification would follow only that
    branch and lose the first branch's commit."""
    repo.git("checkout", "-q", "-b", "one")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve Acme Code", "2026-06-01")
    repo.git("checkout", "-q", "-b", "two", "main")
    set_status(repo, CODER, "pilot", "restricted")
    repo.commit("Restrict Acme Code", "2026-06-03")
    repo.git("checkout", "-q", "main")
    merge_at(repo, "2026-06-02", "Merge one", "one")
    conflict(repo, "two")
    repo.git("checkout", "--theirs", "--", CODER)
    repo.commit("Merge two", "2026-06-04")
    assert tail(repo, CODER, 2) == [
        ("2026-06-01", "pilot", "approved", "Approve Acme Code"),
        ("2026-06-03", "approved", "restricted", "Restrict Acme Code"),
    ]


def test_a_branch_commit_older_than_the_change_before_it_is_dated_by_the_merge(
    repo: GitRepo,
) -> None:
    """A branch's change written before a change on the main line, kept by the merge: the
    status took effect on the main line when the merge was made, so the timeline stays in
    date order (the branch commit's date would put it before the change it replaces)."""
    repo.git("checkout", "-q", "-b", "feat")
    set_status(repo, CODER, "pilot", "approved")
    repo.commit("Approve on feat", "2026-06-01")
    repo.git("checkout", "-q", "main")
    set_status(repo, CODER, "pilot", "rejected")
    repo.commit("Reject on main", "2026-06-05")
    conflict(repo, "feat")
    repo.git("checkout", "--theirs", "--", CODER)
    repo.commit("Merge feat: approve after all", "2026-06-06")
    assert tail(repo, CODER, 2) == [
        ("2026-06-05", "pilot", "rejected", "Reject on main"),
        ("2026-06-06", "rejected", "approved", "Merge feat: approve after all"),
    ]


@pytest.mark.parametrize(
    "variables",
    [
        {"GIT_DIR": "{other}/.git"},
        {"GIT_WORK_TREE": "{other}"},
        {"GIT_INDEX_FILE": "{other}/.git/index"},
        {"GIT_ICASE_PATHSPECS": "1"},
        {"GIT_GLOB_PATHSPECS": "1"},
        # a caller's git configuration (git -c ... in a hook, or the user's own)
        {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "log.showRoot",
            "GIT_CONFIG_VALUE_0": "false",
        },
        {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "i18n.logOutputEncoding",
            "GIT_CONFIG_VALUE_0": "UTF-16",
        },
    ],
)
def test_the_callers_git_environment_does_not_change_what_is_read(
    repo: GitRepo, handbook_tree: MakeTree, monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
) -> None:  # fmt: skip
    """A git hook (pre-commit running the handbook) sets GIT_DIR and friends for its own
    repository, and may pass on -c settings: the handbook still reads the repository its
    files are in, the root commit's status included, as UTF-8."""
    other = GitRepo.init(handbook_tree())
    other.commit("Another repository", "2025-01-01")
    expected = history.timelines(repo.root)
    timeline = history.status_timeline(repo.root, CODER)
    assert expected and timeline and timeline[0].old is None  # starts at the root commit
    for name, value in variables.items():
        monkeypatch.setenv(name, value.format(other=other.root))
    assert history.timelines(repo.root) == expected
    assert history.status_timeline(repo.root, CODER) == timeline
    assert history.last_changed(repo.root, CODER) == date(2026, 4, 1)
