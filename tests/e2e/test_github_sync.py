"""The tracking-issue sync against a real HTTP server on 127.0.0.1 that plays GitHub's REST API.

The server keeps issues, pull requests and comments in memory, records every request, paginates
with Link headers like GitHub, and can be told to answer the next requests with rate limits.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from generator.cli import main
from generator.diagnostics import HandbookError
from generator.publish import SyncResult, sync_issue
from generator.report.issue import MARKER

TOKEN = "ghp_Sup3rS3cretT0ken_do_not_leak_0123456789"
REPO = "o/r"
NOW = 1_800_000_000.0  # the injected clock


@dataclass
class Recorded:
    method: str
    path: str  # with the query
    headers: dict[str, str]
    body: str


@dataclass
class FakeGitHub:
    prefix: str = ""  # "/api/v3" plays GitHub Enterprise Server
    page_size: int | None = None  # force small pages, whatever per_page asks
    items: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, list[str]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    scripted: list[tuple[int, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    base: str = ""
    link_base: str | None = None  # where next-page links point (default: this server)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- test helpers ---------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return self.base + self.prefix

    def add(
        self, body: str | None, *, pull: bool = False, state: str = "open", outsider: bool = False
    ) -> int:
        """An issue; by default written by the Actions bot, as the job's own issues are."""
        number = len(self.items) + 1
        self.items[number] = {
            "number": number,
            "title": "a pull request" if pull else "an issue",
            "body": body,
            "state": state,
            "html_url": f"https://github.example/{REPO}/{'pull' if pull else 'issues'}/{number}",
            "user": (
                {"login": "someone", "type": "User"}
                if outsider
                else {"login": "github-actions[bot]", "type": "Bot"}
            ),
            "author_association": "NONE",
            **({"pull_request": {"url": "…"}} if pull else {}),
        }
        self.comments[number] = []
        return number

    def then_answer(self, status: int, headers: dict[str, str], body: dict[str, Any]) -> None:
        self.scripted.append((status, headers, body))

    def writes(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests if r.method != "GET"]

    def tracking(self) -> list[dict[str, Any]]:
        return [i for i in self.items.values() if (i["body"] or "").startswith(MARKER)]

    # -- the API --------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], raw: str) -> Any:
        with self.lock:
            self.requests.append(Recorded(method, target, headers, raw))
            if self.scripted:
                return self.scripted.pop(0)
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401, {}, {"message": "Bad credentials"}
            url = urlsplit(target)
            if not url.path.startswith(self.prefix + f"/repos/{REPO}/issues"):
                return 404, {}, {"message": "Not Found"}
            rest = url.path[len(self.prefix + f"/repos/{REPO}/issues") :].strip("/").split("/")
            data = json.loads(raw) if raw else {}
            if method == "GET" and rest == [""]:
                return self.list_open(parse_qs(url.query))
            if method == "POST" and rest == [""]:
                number = self.add(data["body"])
                self.items[number]["title"] = data["title"]
                return 201, {}, self.items[number]
            number = int(rest[0])
            if number not in self.items:
                return 404, {}, {"message": "Not Found"}
            if method == "PATCH" and len(rest) == 1:
                self.items[number].update(data)
                return 200, {}, self.items[number]
            if method == "POST" and rest[1:] == ["comments"]:
                self.comments[number].append(data["body"])
                return 201, {}, {"id": 1, "body": data["body"]}
            return 404, {}, {"message": "Not Found"}

    def list_open(self, query: dict[str, list[str]]) -> Any:
        assert query["state"] == ["open"]
        size = self.page_size or int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        open_items = [i for _, i in sorted(self.items.items()) if i["state"] == "open"]
        chunk = open_items[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(open_items):
            base = self.link_base or self.api_url
            nxt = f"{base}/repos/{REPO}/issues?state=open&per_page={size}&page={page + 1}"
            headers["Link"] = f'<{nxt}>; rel="next", <{base}/x?page=9>; rel="last"'
        return 200, headers, chunk


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        self.reply("GET")

    def do_POST(self) -> None:
        self.reply("POST")

    def do_PATCH(self) -> None:
        self.reply("PATCH")

    def reply(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        status, headers, body = self.server.fake.handle(
            method, self.path, dict(self.headers.items()), raw
        )
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output (which is checked for the token) to what the code prints


class Server(ThreadingHTTPServer):
    fake: FakeGitHub


def serve(fake: FakeGitHub) -> Iterator[FakeGitHub]:
    server = Server(("127.0.0.1", 0), Handler)
    server.fake = fake
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    yield from serve(FakeGitHub())


@pytest.fixture
def ghes() -> Iterator[FakeGitHub]:
    yield from serve(FakeGitHub(prefix="/api/v3"))


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def sync(fake: FakeGitHub, body: str | None, **kwargs: Any) -> SyncResult:
    kwargs.setdefault("sleep", Sleeps())
    return sync_issue(
        api_url=fake.api_url,
        repo=REPO,
        token=TOKEN,
        body=body,
        clock=lambda: NOW,
        timeout=5,
        **kwargs,
    )


def body(text: str) -> str:
    return f"{MARKER}\n## Stale AI-tool approvals\n\n{text}\n"


# -- the life of one tracking issue -----------------------------------------------------------


def test_create_leave_edit_close(github: FakeGitHub) -> None:
    github.add("an unrelated issue")
    github.add(None)  # GitHub sends null for an empty body

    first = sync(github, body("acme-chat: certification expired"))
    assert first == SyncResult("created", 3, f"https://github.example/{REPO}/issues/3")
    assert github.writes() == [("POST", f"/repos/{REPO}/issues")]
    assert github.items[3]["title"] == "Stale AI-tool approvals"
    assert github.items[3]["body"] == body("acme-chat: certification expired")

    github.requests.clear()
    again = sync(github, body("acme-chat: certification expired"))
    assert again == SyncResult("unchanged", 3, f"https://github.example/{REPO}/issues/3")
    assert github.writes() == []

    github.requests.clear()
    changed = sync(github, body("acme-chat: certification expired\nbeta: review overdue"))
    assert changed.action == "updated" and changed.number == 3
    assert github.writes() == [("PATCH", f"/repos/{REPO}/issues/3")]
    assert json.loads(github.requests[-1].body) == {
        "body": body("acme-chat: certification expired\nbeta: review overdue")
    }
    assert len(github.tracking()) == 1  # edited, not duplicated

    github.requests.clear()
    closed = sync(github, None, comment="All approvals are current as of 2026-11-28.")
    assert closed == SyncResult("closed", 3, f"https://github.example/{REPO}/issues/3")
    assert github.writes() == [
        ("POST", f"/repos/{REPO}/issues/3/comments"),
        ("PATCH", f"/repos/{REPO}/issues/3"),
    ]
    assert github.comments[3] == ["All approvals are current as of 2026-11-28."]
    assert github.items[3]["state"] == "closed"
    assert json.loads(github.requests[-1].body) == {"state": "closed", "state_reason": "completed"}

    github.requests.clear()
    assert sync(github, None) == SyncResult("none", None, None)
    assert github.writes() == []

    # Stale again later: a new issue (the closed one stays closed, as history).
    reopened = sync(github, body("beta: review overdue"))
    assert reopened.action == "created" and reopened.number == 4


def test_every_request_is_authenticated_and_versioned(github: FakeGitHub) -> None:
    sync(github, body("x"))
    assert github.requests
    for r in github.requests:
        assert r.headers["Authorization"] == f"Bearer {TOKEN}"
        assert r.headers["Accept"] == "application/vnd.github+json"
        assert r.headers["X-GitHub-Api-Version"] == "2022-11-28"
        assert r.headers["User-Agent"].startswith("ai-tool-handbook/")
    assert github.requests[0].path == (
        f"/repos/{REPO}/issues?state=open&per_page=100&sort=created&direction=asc"
    )


def test_enterprise_server_api_base(ghes: FakeGitHub) -> None:
    ghes.page_size = 1
    ghes.add("unrelated")
    ghes.add(body("old"))
    result = sync(ghes, body("new"))
    assert result.action == "updated" and result.number == 2
    assert [r.path.split("?")[0] for r in ghes.requests] == [
        f"/api/v3/repos/{REPO}/issues",
        f"/api/v3/repos/{REPO}/issues",
        f"/api/v3/repos/{REPO}/issues/2",
    ]


# -- finding the issue ------------------------------------------------------------------------


def test_pagination_finds_the_issue_on_page_two(github: FakeGitHub) -> None:
    github.page_size = 3
    for i in range(4):
        github.add(f"issue {i}")
    github.add(body("the findings"))  # number 5: on page 2
    result = sync(github, body("the findings"))
    assert result == SyncResult("unchanged", 5, f"https://github.example/{REPO}/issues/5")
    assert [r.path for r in github.requests] == [
        f"/repos/{REPO}/issues?state=open&per_page=100&sort=created&direction=asc",
        f"/repos/{REPO}/issues?state=open&per_page=3&page=2",
    ]


def test_pull_requests_are_ignored(github: FakeGitHub) -> None:
    github.add(body("a PR description that quotes the marker"), pull=True)
    result = sync(github, body("findings"))
    assert result.action == "created" and result.number == 2
    assert github.items[1]["body"] == body("a PR description that quotes the marker")


def test_marker_must_start_the_body(github: FakeGitHub) -> None:
    github.add(f"How does the report find its issue? With `{MARKER}`.")
    result = sync(github, body("findings"))
    assert result.action == "created" and result.number == 2


def test_a_strangers_marked_issue_is_not_taken_for_ours(github: FakeGitHub) -> None:
    """In a public repository anyone can open an issue that starts with the marker."""
    github.add(body("fake: nothing is stale"), outsider=True)
    result = sync(github, body("findings"))
    assert (result.action, result.number) == ("created", 2)
    assert github.items[1]["body"] == body("fake: nothing is stale")
    assert github.writes() == [("POST", f"/repos/{REPO}/issues")]
    assert sync(github, None).action == "closed"  # and closing leaves the stranger's issue open
    assert github.items[1]["state"] == "open"


def test_a_members_marked_issue_is_ours(github: FakeGitHub) -> None:
    """A maintainer who ran the report with a personal token wrote the issue."""
    github.add(body("from a local run"), outsider=True)
    github.items[1]["author_association"] = "MEMBER"
    assert (sync(github, body("findings")).action, github.writes()) == (
        "updated",
        [("PATCH", f"/repos/{REPO}/issues/1")],
    )


def test_the_oldest_of_several_marked_issues_is_used(github: FakeGitHub) -> None:
    github.add(body("first"))
    github.add("unrelated")
    github.add(body("second"))
    github.add(body("third"))
    result = sync(github, body("now"))
    assert (result.action, result.number, result.duplicates) == ("updated", 1, (3, 4))
    assert github.writes() == [("PATCH", f"/repos/{REPO}/issues/1")]
    assert "left alone: #3, #4" in result.describe()


# -- rate limits ------------------------------------------------------------------------------


def test_429_with_retry_after_is_waited_out(github: FakeGitHub) -> None:
    github.then_answer(429, {"Retry-After": "1"}, {"message": "slow down"})
    sleeps = Sleeps()
    result = sync(github, body("x"), sleep=sleeps)
    assert sleeps == [pytest.approx(1.0)]
    assert result.action == "created"
    assert [r.method for r in github.requests] == ["GET", "GET", "POST"]


def test_secondary_rate_limit_with_reset_is_waited_out(github: FakeGitHub) -> None:
    github.add(body("old"))
    github.then_answer(200, {}, [github.items[1]])  # the list succeeds...
    github.then_answer(  # ...the edit is throttled
        403,
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 42)},
        {"message": "You have exceeded a secondary rate limit."},
    )
    sleeps = Sleeps()
    result = sync(github, body("new"), sleep=sleeps)
    assert sleeps == [pytest.approx(42.0)]
    assert result.action == "updated"
    assert github.items[1]["body"] == body("new")
    assert github.writes() == [("PATCH", f"/repos/{REPO}/issues/1")] * 2


def test_secondary_rate_limit_without_headers_waits_a_minute(github: FakeGitHub) -> None:
    github.then_answer(403, {}, {"message": "You have exceeded a secondary rate limit"})
    sleeps = Sleeps()
    assert sync(github, body("x"), sleep=sleeps).action == "created"
    assert sleeps == [60.0]


def test_rate_limit_beyond_max_wait_fails_clearly(github: FakeGitHub) -> None:
    for _ in range(3):
        github.then_answer(429, {"Retry-After": "50"}, {"message": "slow down"})
    sleeps = Sleeps()
    with pytest.raises(HandbookError) as caught:
        sync(github, body("x"), sleep=sleeps, max_wait=120)
    assert sleeps == [50.0, 50.0]
    assert caught.value.message == (
        f"GitHub rate-limited GET /repos/{REPO}/issues (HTTP 429): it asks to wait 50s more, "
        "after 100s of waiting already; this run waits at most 120s"
    )
    assert caught.value.hint == "run the report again later"
    assert github.writes() == []


def test_plain_403_is_a_permission_error_not_a_wait(github: FakeGitHub) -> None:
    github.then_answer(
        403,
        {"x-ratelimit-remaining": "4999"},
        {"message": "Resource not accessible by integration"},
    )
    sleeps = Sleeps()
    with pytest.raises(HandbookError) as caught:
        sync(github, body("x"), sleep=sleeps)
    assert sleeps == []
    assert caught.value.message == (
        f"GitHub answered 403 to GET /repos/{REPO}/issues: Resource not accessible by integration"
    )
    assert caught.value.hint is not None and "issues: write" in caught.value.hint


# -- the token never leaks --------------------------------------------------------------------


def test_the_token_appears_nowhere(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    messages: list[str] = []

    sync(github, body("x"))
    sync(github, body("y"))
    sync(github, None)
    # A server that echoes what it was sent (some proxies do) in its error message.
    github.then_answer(401, {}, {"message": f"Bad credentials: Bearer {TOKEN}"})
    with pytest.raises(HandbookError) as caught:
        sync(github, body("z"))
    messages += [caught.value.message, caught.value.hint or "", str(caught.value)]
    assert "Bearer ***" in caught.value.message
    # A server that is not there at all.
    dead = FakeGitHub(base="http://127.0.0.1:9")
    with pytest.raises(HandbookError) as caught:
        sync(dead, body("z"))
    messages += [caught.value.message, caught.value.hint or "", str(caught.value)]
    assert caught.value.message.startswith(f"cannot reach GitHub (GET /repos/{REPO}/issues): ")
    # A next-page link to another host is not followed (it would carry the token there).
    github.page_size = 1
    github.add("one more")
    github.add("and another")
    github.link_base = "http://127.0.0.2:9/?token=" + TOKEN
    with pytest.raises(HandbookError) as caught:
        sync(github, body("z"))
    messages.append(caught.value.message)
    assert caught.value.message.startswith(
        f"GitHub's next-page link for GET /repos/{REPO}/issues leaves "
    )

    out, err = capsys.readouterr()
    assert github.requests
    for r in github.requests:
        assert TOKEN not in r.body and TOKEN not in r.path
    for text in [*messages, out, err, caplog.text]:
        assert TOKEN not in text


def test_no_token_no_request(github: FakeGitHub) -> None:
    with pytest.raises(HandbookError) as caught:
        sync_issue(api_url=github.api_url, repo=REPO, token="", body=body("x"))
    assert caught.value.message == "no GitHub token to publish the issue with"
    assert github.requests == []


@pytest.mark.parametrize("repo", ["o", "o/r/../../x", "o/r?x=1", ""])
def test_bad_repository_names_are_refused(github: FakeGitHub, repo: str) -> None:
    with pytest.raises(HandbookError):
        sync_issue(api_url=github.api_url, repo=repo, token=TOKEN, body=body("x"))
    assert github.requests == []


def test_a_caller_session_is_used_and_left_open(github: FakeGitHub) -> None:
    with requests.Session() as session:
        assert sync(github, body("x"), session=session).action == "created"
        assert sync(github, body("x"), session=session).action == "unchanged"


# -- through the CLI, as the nightly workflow runs it -----------------------------------------

RECORD_THE_AUDITS = """\
  output_audits:
    - date: 2026-10-30
      reviewer: Rachel Kim (Research)
      drift: false
      sample_size: 40
      errors: 3
  vendor_review:
    date: 2026-10-30
    reviewer: Dana Ruiz (Security)
    changes: none
"""


def test_handbook_report_github_issue(
    github: FakeGitHub,
    handbook_tree: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = handbook_tree()
    monkeypatch.setenv("GITHUB_API_URL", github.api_url)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    argv = ["report", "--root", str(root), "--out", str(tmp_path / "out"), "--github-issue"]
    outputs = []

    assert main(argv) == 1  # two overdue audits in the base tree
    out, err = capsys.readouterr()
    outputs += [out, err]
    assert (
        out.splitlines()[-1] == f"github issue #1 created: https://github.example/{REPO}/issues/1"
    )
    issue = github.items[1]
    assert issue["title"] == "Stale AI-tool approvals"
    assert issue["body"].startswith(f"{MARKER}\n## Stale AI-tool approvals\n\n")
    assert (
        "Checked on **2026-11-01** (pinned in registry/policy.yaml): 2 errors for 1 tool."
        in issue["body"]
    )
    assert "rule `output-audit-overdue`" in issue["body"]
    assert "rule `vendor-review-overdue`" in issue["body"]

    github.requests.clear()
    assert main(argv) == 1
    out, err = capsys.readouterr()
    outputs += [out, err]
    assert out.splitlines()[-1] == (
        f"github issue #1 unchanged: https://github.example/{REPO}/issues/1"
    )
    assert github.writes() == []

    tool = root / "registry" / "tools" / "acme-chat.yaml"
    tool.write_text(tool.read_text(encoding="utf-8") + RECORD_THE_AUDITS, encoding="utf-8")
    assert main(argv) == 0
    out, err = capsys.readouterr()
    outputs += [out, err]
    assert out.splitlines()[-1] == f"github issue #1 closed: https://github.example/{REPO}/issues/1"
    assert github.items[1]["state"] == "closed"
    assert github.comments[1] == [
        "All approvals are current as of 2026-11-01 (pinned in registry/policy.yaml). "
        "Closing this issue."
    ]

    assert main(argv) == 0
    out, err = capsys.readouterr()
    outputs += [out, err]
    assert out.splitlines()[-1] == "github issue: nothing stale and no tracking issue open"

    for text in outputs:
        assert TOKEN not in text
    for r in github.requests:
        assert TOKEN not in r.body


def test_handbook_report_github_issue_errors_exit_2_without_the_token(
    github: FakeGitHub,
    handbook_tree: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", github.api_url)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    github.then_answer(401, {}, {"message": f"Bad credentials ({TOKEN})"})
    argv = ["report", "--root", str(handbook_tree()), "--out", str(tmp_path / "out")]
    assert main([*argv, "--github-issue"]) == 2
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert err.endswith(
        f"handbook: error: GitHub answered 401 to GET /repos/{REPO}/issues: "
        "Bad credentials (***)\n"
        "  hint: the token is missing, expired or revoked (GITHUB_TOKEN)\n"
    )
