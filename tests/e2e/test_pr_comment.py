"""The governance-diff pull-request comment against the fake GitHub of test_github_sync.py.

One comment per pull request, found by its marker: posted on the first push, edited (never
duplicated) when the diff changes, left alone when it does not. Everyone else's comments are never
touched, a fork's read-only token is a warning, and the token appears nowhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_github_sync import NOW, REPO, TOKEN, FakeGitHub, Recorded, Sleeps, serve
from unit.gitrepo import GitRepo

from generator.cli import main
from generator.diagnostics import HandbookError
from generator.diff.render import MARKER
from generator.publish import GitHubError, SyncResult, event_pr_number, upsert_comment

LIST = re.compile(rf"(?:/api/v3)?/repos/{REPO}/issues/(\d+)/comments")
ONE = re.compile(rf"(?:/api/v3)?/repos/{REPO}/issues/comments/(\d+)")
FIRST_ID = 1001


@dataclass
class FakeComments(FakeGitHub):
    """FakeGitHub plus pull-request comments: list (paginated), post, edit."""

    notes: dict[int, dict[str, Any]] = field(default_factory=dict)  # by comment id

    def say(
        self,
        number: int,
        body: str,
        *,
        login: str = "github-actions[bot]",
        association: str = "NONE",
    ) -> int:
        cid = FIRST_ID + len(self.notes)
        self.notes[cid] = {
            "id": cid,
            "number": number,  # not in GitHub's answer; dropped by on()
            "body": body,
            "user": {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"},
            "author_association": association,
            "html_url": f"https://github.example/{REPO}/pull/{number}#issuecomment-{cid}",
        }
        return cid

    def on(self, number: int) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in c.items() if k != "number"}
            for _, c in sorted(self.notes.items())
            if c["number"] == number
        ]

    def handle(self, method: str, target: str, headers: dict[str, str], raw: str) -> Any:
        url = urlsplit(target)
        listing, one = LIST.fullmatch(url.path), ONE.fullmatch(url.path)
        if listing is None and one is None:
            return super().handle(method, target, headers, raw)
        with self.lock:
            self.requests.append(Recorded(method, target, headers, raw))
            if self.scripted:
                return self.scripted.pop(0)
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401, {}, {"message": "Bad credentials"}
            data = json.loads(raw) if raw else {}
            if listing is not None and int(listing[1]) not in self.items:
                return 404, {}, {"message": "Not Found"}
            if listing is not None and method == "GET":
                return self.list_comments(int(listing[1]), parse_qs(url.query))
            if listing is not None and method == "POST":
                self.say(int(listing[1]), data["body"], login="github-actions[bot]")
                return 201, {}, self.on(int(listing[1]))[-1]
            if one is not None and method == "PATCH" and int(one[1]) in self.notes:
                self.notes[int(one[1])]["body"] = data["body"]
                return 200, {}, {k: v for k, v in self.notes[int(one[1])].items() if k != "number"}
            return 404, {}, {"message": "Not Found"}

    def list_comments(self, number: int, query: dict[str, list[str]]) -> Any:
        size = self.page_size or int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        mine = self.on(number)
        headers = {}
        if page * size < len(mine):
            nxt = f"{self.api_url}/repos/{REPO}/issues/{number}/comments"
            nxt += f"?per_page={size}&page={page + 1}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        return 200, headers, mine[(page - 1) * size : page * size]

    def bodies(self, number: int) -> list[str]:
        return [c["body"] for c in self.on(number)]


@pytest.fixture
def github() -> Iterator[FakeComments]:
    yield from serve(FakeComments())


@pytest.fixture
def ghes() -> Iterator[FakeComments]:
    yield from serve(FakeComments(prefix="/api/v3"))


def upsert(fake: FakeGitHub, number: int, body: str, **kwargs: Any) -> SyncResult:
    kwargs.setdefault("sleep", Sleeps())
    return upsert_comment(
        api_url=fake.api_url,
        repo=REPO,
        token=TOKEN,
        number=number,
        body=body,
        marker=MARKER,
        clock=lambda: NOW,
        timeout=5,
        **kwargs,
    )


def comment(text: str) -> str:
    return f"{MARKER}\n### Governance changes\n\n{text}\n"


def link(cid: int, number: int = 1) -> str:
    return f"https://github.example/{REPO}/pull/{number}#issuecomment-{cid}"


# -- the life of one comment ------------------------------------------------------------------


def test_a_strangers_marked_comment_is_never_edited(github: FakeComments) -> None:
    pr = github.add("Approve acme-chat", pull=True)
    github.say(pr, comment("everything is fine, trust me"), login="someone")
    result = upsert(github, pr, comment("acme-chat: pilot → approved"))
    assert result.action == "created"
    assert github.bodies(pr) == [
        comment("everything is fine, trust me"),
        comment("acme-chat: pilot → approved"),
    ]


def test_created_then_left_alone_then_edited_never_duplicated(github: FakeComments) -> None:
    pr = github.add("Approve acme-chat", pull=True)
    other = github.add("another pull request", pull=True)
    github.say(pr, "LGTM")
    github.say(pr, f"The bot's comment starts with `{MARKER}`, mine does not.")
    github.say(other, comment("the other pull request's diff"), login="github-actions[bot]")

    first = upsert(github, pr, comment("acme-chat: pilot → approved"))
    assert first == SyncResult("created", pr, link(1004), kind="comment")
    assert first.describe() == (
        f"github pull request #1: governance-diff comment created: {link(1004)}"
    )
    assert github.writes() == [("POST", f"/repos/{REPO}/issues/1/comments")]
    assert json.loads(github.requests[-1].body) == {"body": comment("acme-chat: pilot → approved")}

    github.requests.clear()
    again = upsert(github, pr, comment("acme-chat: pilot → approved"))
    assert again == SyncResult("unchanged", pr, link(1004), kind="comment")
    assert [(r.method, r.path) for r in github.requests] == [
        ("GET", f"/repos/{REPO}/issues/1/comments?per_page=100")
    ]

    github.requests.clear()
    changed = upsert(github, pr, comment("acme-chat: pilot → approved\nacme-ai: SOC 2 renewed"))
    assert changed == SyncResult("updated", pr, link(1004), kind="comment")
    assert github.writes() == [("PATCH", f"/repos/{REPO}/issues/comments/1004")]
    assert github.bodies(pr) == [
        "LGTM",
        f"The bot's comment starts with `{MARKER}`, mine does not.",
        comment("acme-chat: pilot → approved\nacme-ai: SOC 2 renewed"),
    ]
    assert github.bodies(other) == [comment("the other pull request's diff")]


def test_line_endings_and_trailing_space_are_not_a_change(github: FakeComments) -> None:
    pr = github.add("a pull request", pull=True)
    github.say(pr, comment("one\ntwo").replace("\n", "\r\n") + "\r\n\r\n")
    assert upsert(github, pr, comment("one\ntwo")).action == "unchanged"
    assert github.writes() == []


def test_the_oldest_marked_comment_on_a_later_page_is_edited(github: FakeComments) -> None:
    github.page_size = 2
    pr = github.add("a pull request", pull=True)
    for i in range(3):
        github.say(pr, f"review comment {i}")
    github.say(pr, comment("old"), login="github-actions[bot]")  # 1004, on page 2
    github.say(pr, comment("older copy"), login="github-actions[bot]")  # 1005, page 3
    result = upsert(github, pr, comment("new"))
    assert result == SyncResult("updated", pr, link(1004), (1005,), kind="comment")
    assert result.describe() == (
        f"github pull request #1: governance-diff comment updated: {link(1004)} "
        "(other comments with the marker, left alone: 1005)"
    )
    assert [(r.method, r.path) for r in github.requests] == [
        ("GET", f"/repos/{REPO}/issues/1/comments?per_page=100"),
        ("GET", f"/repos/{REPO}/issues/1/comments?per_page=2&page=2"),
        ("GET", f"/repos/{REPO}/issues/1/comments?per_page=2&page=3"),
        ("PATCH", f"/repos/{REPO}/issues/comments/1004"),
    ]
    assert github.bodies(pr)[3:] == [comment("new"), comment("older copy")]


def test_enterprise_server_and_rate_limits(ghes: FakeComments) -> None:
    pr = ghes.add("a pull request", pull=True)
    ghes.then_answer(429, {"Retry-After": "3"}, {"message": "slow down"})
    sleeps = Sleeps()
    result = upsert(ghes, pr, comment("x"), sleep=sleeps)
    assert result == SyncResult("created", pr, link(1001), kind="comment")
    assert sleeps == [3.0]
    assert [(r.method, r.path.split("?")[0]) for r in ghes.requests] == [
        ("GET", f"/api/v3/repos/{REPO}/issues/1/comments"),
        ("GET", f"/api/v3/repos/{REPO}/issues/1/comments"),
        ("POST", f"/api/v3/repos/{REPO}/issues/1/comments"),
    ]


def test_a_read_only_token_is_a_403_with_a_hint(github: FakeComments) -> None:
    pr = github.add("from a fork", pull=True)
    github.then_answer(200, {}, [])
    github.then_answer(403, {}, {"message": "Resource not accessible by integration"})
    with pytest.raises(GitHubError) as caught:
        upsert(github, pr, comment("x"))
    assert (caught.value.status, caught.value.method) == (403, "POST")
    assert caught.value.message == (
        f"GitHub answered 403 to POST /repos/{REPO}/issues/1/comments: "
        "Resource not accessible by integration"
    )
    assert caught.value.hint == (
        "the token needs permission to comment on pull requests (permissions: pull-requests: "
        "write); a pull request from a fork only ever gets a read-only token"
    )
    assert github.bodies(pr) == []


def test_no_token_no_request(github: FakeComments) -> None:
    with pytest.raises(HandbookError) as caught:
        upsert_comment(
            api_url=github.api_url, repo=REPO, token="", number=1, body=comment("x"), marker=MARKER
        )
    assert caught.value.message == "no GitHub token to post the pull-request comment with"
    assert github.requests == []


# -- the event file ---------------------------------------------------------------------------


def test_event_pr_number(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": 42}}))
    assert event_pr_number(event) == 42


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the GitHub event file '{path}': No such file or directory"),
        ("{not json", "the GitHub event file '{path}' is not JSON"),
        (
            json.dumps({"ref": "refs/heads/main", "commits": []}),
            "the GitHub event in '{path}' is not a pull request's: it has no pull_request.number",
        ),
        (
            json.dumps({"pull_request": {"number": "42"}}),
            "the GitHub event in '{path}' is not a pull request's: it has no pull_request.number",
        ),
    ],
)
def test_event_pr_number_refuses_other_events(
    tmp_path: Path, content: str | None, message: str
) -> None:
    event = tmp_path / "event.json"
    if content is not None:
        event.write_text(content, encoding="utf-8")
    with pytest.raises(HandbookError) as caught:
        event_pr_number(event)
    assert caught.value.message == message.format(path=event)
    assert caught.value.hint == "run on a pull_request event, or pass --pr N"


# -- through the CLI, as the pull-request workflow runs it ------------------------------------

TOOL = "registry/tools/acme-code.yaml"
PROBLEM = "problem: Boilerplate code takes too long to write and review."
EXPECTED = """\
<!-- handbook:governance-diff -->
### Governance changes

Comparing `{base}` with `{head}`: 0 warnings, {attention} other change.
{urgent}
#### Tools

**Tool `acme-code`** Acme Code · `registry/tools/acme-code.yaml`
{lines}
<sub>Posted by <code>handbook diff</code>. It states what changed; <code>handbook validate</code> checks the rules.</sub>
"""  # noqa: E501 - the comment, line for line
WIDENED = "data classifications widened: `personal` newly allowed (now `internal`, `personal`)"
REWORDED = (
    "`problem`: “Boilerplate code takes too long to write and review.” → "
    "“Boilerplate code takes too long to write.”"
)


def expected(base: str, head: str, *, widened: bool) -> str:
    if not widened:
        return EXPECTED.format(
            base=base,
            head=head,
            attention="0 need attention, 1",
            urgent="",
            lines=f"\n- {REWORDED}\n",
        )
    return EXPECTED.format(
        base=base,
        head=head,
        attention="1 needs attention, 1",
        urgent=(f"\n#### Needs a reviewer's attention\n\n- ⚠️ **Tool `acme-code`**: {WIDENED}\n"),
        lines=f"\n- ⚠️ {WIDENED}\n- {REWORDED}\n",
    )


@pytest.fixture
def repo(handbook_tree: Callable[..., Path]) -> GitRepo:
    g = GitRepo.init(handbook_tree())
    g.commit("Add the registry", "2026-10-01")
    return g


@pytest.fixture
def actions(github: FakeComments, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeComments:
    """The environment of a pull_request workflow run for pull request #1."""
    github.add("Widen acme-code's data classes", pull=True)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": 1}}))
    monkeypatch.setenv("GITHUB_API_URL", github.api_url)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return github


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    return code, out, err


def test_handbook_diff_github_comment_across_pushes(
    repo: GitRepo, actions: FakeComments, capsys: pytest.CaptureFixture[str]
) -> None:
    actions.say(1, "Why does acme-code need this?", login="reviewer")
    base = repo.short("HEAD")
    argv = ["diff", "--root", str(repo.root), base, "HEAD", "--format", "markdown"]

    # First push: the problem statement is reworded. The comment is posted.
    repo.edit(TOOL, PROBLEM, "problem: Boilerplate code takes too long to write.")
    first = repo.commit("Reword the problem", "2026-10-02")
    code, out, err = run(capsys, *argv, "--github-comment")
    assert (code, out) == (0, expected(base, first, widened=False))
    assert err == f"github pull request #1: governance-diff comment created: {link(1002)}\n"
    assert actions.bodies(1) == ["Why does acme-code need this?", out]

    # The same push again (a re-run): nothing is written.
    actions.requests.clear()
    code, out, err = run(capsys, *argv, "--github-comment")
    assert (code, out) == (0, expected(base, first, widened=False))
    assert err == f"github pull request #1: governance-diff comment unchanged: {link(1002)}\n"
    assert actions.writes() == []

    # Second push: personal data is allowed too. The same comment is edited.
    actions.requests.clear()
    repo.edit(TOOL, "  allowed:\n    - internal\n", "  allowed:\n    - internal\n    - personal\n")
    second = repo.commit("Allow personal data", "2026-10-03")
    code, out, err = run(capsys, *argv, "--github-comment")
    assert (code, out) == (0, expected(base, second, widened=True))
    assert err == f"github pull request #1: governance-diff comment updated: {link(1002)}\n"
    assert actions.writes() == [("PATCH", f"/repos/{REPO}/issues/comments/1002")]
    assert actions.bodies(1) == ["Why does acme-code need this?", out]

    for r in actions.requests:
        assert r.headers["Authorization"] == f"Bearer {TOKEN}"
        assert TOKEN not in r.path + r.body


def test_stdout_keeps_its_format_the_comment_is_markdown(
    repo: GitRepo,
    actions: FakeComments,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_EVENT_PATH")
    base = repo.short("HEAD")
    repo.edit(TOOL, PROBLEM, "problem: Boilerplate code takes too long to write.")
    head = repo.commit("Reword the problem", "2026-10-02")
    root = str(repo.root)
    code, out, err = run(
        capsys,
        "diff",
        "--root",
        root,
        base,
        head,
        "--format",
        "json",
        "--github-comment",
        "--pr",
        "1",
    )
    assert code == 0
    assert json.loads(out)["summary"] == {"warning": 0, "attention": 0, "info": 1}
    assert err == f"github pull request #1: governance-diff comment created: {link(1001)}\n"
    assert actions.bodies(1) == [expected(base, head, widened=False)]


@pytest.mark.parametrize("existing", [False, True])
def test_a_forks_read_only_token_is_a_warning(
    repo: GitRepo, actions: FakeComments, capsys: pytest.CaptureFixture[str], existing: bool
) -> None:
    base = repo.short("HEAD")
    if existing:
        actions.say(1, comment("from an earlier run"), login="github-actions[bot]")
    repo.edit(TOOL, PROBLEM, "problem: Boilerplate code takes too long to write.")
    head = repo.commit("Reword the problem", "2026-10-02")
    actions.then_answer(200, {}, actions.on(1))
    actions.then_answer(403, {}, {"message": "Resource not accessible by integration"})
    code, out, err = run(capsys, "diff", "--root", str(repo.root), base, head, "--github-comment")
    write = (
        "PATCH /repos/o/r/issues/comments/1001" if existing else "POST /repos/o/r/issues/1/comments"
    )
    assert (code, out) == (
        0,
        f"governance changes from {base} to {head}: "
        "0 warnings, 0 need attention, 1 other change\n"
        "\n"
        "tool acme-code (Acme Code)  registry/tools/acme-code.yaml\n"
        "  info       problem: Boilerplate code takes too long to write and review. → "
        "Boilerplate code takes too long to write.\n",
    )
    assert err == (
        f"handbook: warning: the comment was not posted: GitHub answered 403 to {write}: "
        "Resource not accessible by integration\n"
        "  hint: the token needs permission to comment on pull requests (permissions: "
        "pull-requests: write); a pull request from a fork only ever gets a read-only token\n"
    )


@pytest.mark.parametrize(
    ("status", "message", "shown", "hint"),
    [
        (
            401,
            f"Bad credentials: Bearer {TOKEN}",
            "Bad credentials: Bearer ***",
            "the token is missing, expired or revoked (GITHUB_TOKEN)",
        ),
        (
            403,  # reading the comments is refused: not a fork's read-only token
            "Resource not accessible by integration",
            "Resource not accessible by integration",
            "the token needs permission to comment on pull requests (permissions: "
            "pull-requests: write); a pull request from a fork only ever gets a read-only token",
        ),
        (
            404,
            "Not Found",
            "Not Found",
            "check the repository name (GITHUB_REPOSITORY), the pull-request number, and that "
            "the token can see them",
        ),
    ],
)
def test_other_api_failures_exit_2(
    repo: GitRepo,
    actions: FakeComments,
    capsys: pytest.CaptureFixture[str],
    status: int,
    message: str,
    shown: str,
    hint: str,
) -> None:
    actions.then_answer(status, {}, {"message": message})
    code, out, err = run(capsys, "diff", "--root", str(repo.root), "HEAD", "--github-comment")
    assert (code, out) == (  # the diff is shown before the comment is attempted
        2,
        f"governance changes from {repo.short('HEAD')} to working tree: "
        "0 warnings, 0 need attention, 0 other changes\n",
    )
    assert err == (
        f"handbook: error: GitHub answered {status} to GET /repos/{REPO}/issues/1/comments: "
        f"{shown}\n"
        f"  hint: {hint}\n"
    )


@pytest.mark.parametrize(
    ("env", "extra", "error", "hint"),
    [
        (
            {"GITHUB_EVENT_PATH": None},
            [],
            "--github-comment needs the pull request's number",
            "pass --pr N, or run in a pull_request workflow (GitHub sets GITHUB_EVENT_PATH)",
        ),
        (
            {"GITHUB_TOKEN": None},
            [],
            "--github-comment needs GITHUB_TOKEN in the environment",
            "in GitHub Actions: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} "
            "(GITHUB_REPOSITORY is set for you); elsewhere set GITHUB_REPOSITORY=owner/name",
        ),
        (
            {"GITHUB_REPOSITORY": "not a repository"},
            [],
            "'not a repository' is not a repository name like 'owner/name'",
            "set GITHUB_REPOSITORY",
        ),
        (
            {"GITHUB_API_URL": "ftp://example.com"},
            [],
            "the GitHub API address 'ftp://example.com' is not an http(s) URL",
            "use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server",
        ),
        ({}, ["--pr", "0"], "0 is not a pull-request number", "pass --pr N with N >= 1"),
    ],
)
def test_usage_errors_exit_2_before_any_request(
    repo: GitRepo,
    actions: FakeComments,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str | None],
    extra: list[str],
    error: str,
    hint: str,
) -> None:
    for key, value in env.items():
        if value is None:
            monkeypatch.delenv(key)
        else:
            monkeypatch.setenv(key, value)
    code, out, err = run(
        capsys, "diff", "--root", str(repo.root), "HEAD", "--github-comment", *extra
    )
    assert (code, out, err) == (2, "", f"handbook: error: {error}\n  hint: {hint}\n")
    assert actions.requests == []


def test_a_push_event_is_not_a_pull_request(
    repo: GitRepo,
    actions: FakeComments,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    push = tmp_path / "push.json"
    push.write_text(json.dumps({"ref": "refs/heads/main"}), encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(push))
    code, out, err = run(capsys, "diff", "--root", str(repo.root), "HEAD", "--github-comment")
    assert (code, out) == (2, "")
    assert err == (
        f"handbook: error: the GitHub event in {str(push)!r} is not a pull request's: "
        "it has no pull_request.number\n"
        "  hint: run on a pull_request event, or pass --pr N\n"
    )
    assert actions.requests == []


def test_pr_without_github_comment_is_a_usage_error(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "diff", "--root", str(repo.root), "HEAD", "--pr", "3")
    assert (code, out, err) == (
        2,
        "",
        "handbook: error: --pr only makes sense with --github-comment\n"
        "  hint: add --github-comment\n",
    )
