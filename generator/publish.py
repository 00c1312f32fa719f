"""Keep GitHub in step with the handbook (the only network code besides the link checker): one
tracking issue for the nightly report, one comment per pull request for the governance diff.

Both are found again by the hidden marker their body starts with, so renaming the issue does no
harm and no state is kept anywhere else. The tracking issue, one run, one of:

- findings, no issue open           -> create it                      ("created")
- findings, issue with the same body -> leave it alone                ("unchanged")
- findings, issue with another body  -> edit that issue, never a new one ("updated")
- no findings, issue open           -> comment, then close it         ("closed")
- no findings, no issue             -> nothing                        ("none")

The pull-request comment: created on the first push, edited when the diff changes, left alone
when it does not; comments without the marker (everyone else's) are never touched.

The REST client (auth, timeouts, rate-limit waits, pagination, token scrubbing) is in
generator/github_api.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import requests

from generator.diagnostics import HandbookError
from generator.github_api import (
    API_VERSION,
    HINTS,
    MAX_ATTEMPTS,
    MAX_PAGES,
    PER_PAGE,
    REPO,
    SECONDARY_WAIT,
    Answer,
    GitHub,
    GitHubError,
    check_target,
    client,
    github_message,
    parse_retry_after,
    rate_limit_wait,
)
from generator.report.issue import MARKER

__all__ = [
    "API_VERSION",
    "COMMENT_HINTS",
    "HINTS",
    "MAX_ATTEMPTS",
    "MAX_PAGES",
    "PER_PAGE",
    "REPO",
    "SECONDARY_WAIT",
    "Answer",
    "GitHub",
    "GitHubError",
    "SyncResult",
    "check_comment_target",
    "event_pr_number",
    "github_message",
    "parse_retry_after",
    "rate_limit_wait",
    "sync_issue",
    "upsert_comment",
]

TITLE = "Stale AI-tool approvals"
RESOLVED = "All approvals are current. Closing this issue."
COMMENT_HINTS = {
    401: HINTS[401],
    403: "the token needs permission to comment on pull requests (permissions: pull-requests: "
    "write); a pull request from a fork only ever gets a read-only token",
    404: "check the repository name (GITHUB_REPOSITORY), the pull-request number, and that the "
    "token can see them",
    422: "GitHub rejected the comment",
}

Action = Literal["created", "updated", "unchanged", "closed", "none"]


@dataclass(frozen=True, slots=True)
class SyncResult:
    action: Action
    number: int | None  # the issue, or the pull request the comment is on
    url: str | None  # the issue's, or the comment's
    duplicates: tuple[int, ...] = ()  # other issues (comment ids) carrying the marker, left alone
    kind: Literal["issue", "comment"] = "issue"

    def describe(self) -> str:
        """One line for the CLI, e.g. 'github issue #12 updated: https://…'."""
        url = f": {self.url}" if self.url else ""
        if self.kind == "comment":
            line = f"github pull request #{self.number}: governance-diff comment {self.action}{url}"
            if self.duplicates:
                others = ", ".join(str(n) for n in self.duplicates)
                line += f" (other comments with the marker, left alone: {others})"
            return line
        if self.number is None:
            line = "github issue: nothing stale and no tracking issue open"
        else:
            line = f"github issue #{self.number} {self.action}{url}"
        if self.duplicates:
            others = ", ".join(f"#{n}" for n in self.duplicates)
            line += f" (also marked as the tracking issue, left alone: {others})"
        return line


TRUSTED = ("OWNER", "MEMBER", "COLLABORATOR")


def trusted(item: Mapping[str, Any]) -> bool:
    """Written by a bot (the Actions token's own posts) or by someone with access to the repo.

    Anybody may open an issue or comment with the hidden marker in a public repository; such a
    post must not be taken for ours, or the job would edit and close a stranger's issue.
    """
    user = item.get("user")
    is_bot = isinstance(user, Mapping) and user.get("type") == "Bot"
    return is_bot or item.get("author_association") in TRUSTED


def is_tracking(issue: Mapping[str, Any]) -> bool:
    """An open issue (not a pull request) whose body starts with the marker, by a trusted hand."""
    if "pull_request" in issue or not isinstance(issue.get("number"), int):
        return False
    body = issue.get("body")
    return isinstance(body, str) and body.lstrip().startswith(MARKER) and trusted(issue)


def same_text(a: str | None, b: str | None) -> bool:
    def norm(s: str | None) -> str:
        return (s or "").replace("\r\n", "\n").rstrip()

    return norm(a) == norm(b)


def url_of(issue: Mapping[str, Any]) -> str | None:
    url = issue.get("html_url")
    return url if isinstance(url, str) else None


def sync_issue(
    *,
    api_url: str,
    repo: str,
    token: str,
    body: str | None,
    title: str = TITLE,
    comment: str = RESOLVED,
    session: requests.Session | None = None,
    timeout: float = 30.0,
    max_wait: float = 120.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> SyncResult:
    """Create, edit, leave or close the one tracking issue so that it shows ``body``.

    ``body`` None means nothing is stale: an open tracking issue gets ``comment`` and is closed.
    """
    with client(
        api_url=api_url,
        repo=repo,
        token=token,
        purpose="publish the issue with",
        session=session,
        timeout=timeout,
        max_wait=max_wait,
        sleep=sleep,
        clock=clock,
    ) as gh:
        return _sync(gh, repo, body=body, title=title, comment=comment)


def _sync(gh: GitHub, repo: str, *, body: str | None, title: str, comment: str) -> SyncResult:
    issues = f"/repos/{repo}/issues"
    query: dict[str, str | int] = {
        "state": "open",
        "per_page": PER_PAGE,
        "sort": "created",
        "direction": "asc",
    }
    marked = sorted(
        (i for i in gh.pages(issues, query) if is_tracking(i)), key=lambda i: i["number"]
    )
    issue = marked[0] if marked else None
    duplicates = tuple(int(i["number"]) for i in marked[1:])

    if issue is None:
        if body is None:
            return SyncResult("none", None, None)
        created = gh.call("POST", gh.url(issues), payload={"title": title, "body": body}).data
        if not isinstance(created, dict) or not isinstance(created.get("number"), int):
            raise HandbookError(f"GitHub's answer to POST {issues} has no issue number")
        return SyncResult("created", created["number"], url_of(created))

    number: int = issue["number"]
    here = gh.url(f"{issues}/{number}")
    if body is None:
        gh.call("POST", f"{here}/comments", payload={"body": comment})
        gh.call("PATCH", here, payload={"state": "closed", "state_reason": "completed"})
        return SyncResult("closed", number, url_of(issue), duplicates)
    if same_text(issue.get("body"), body):
        return SyncResult("unchanged", number, url_of(issue), duplicates)
    gh.call("PATCH", here, payload={"body": body})  # the title is left as people set it
    return SyncResult("updated", number, url_of(issue), duplicates)


# -- the pull-request comment ------------------------------------------------------------------


def upsert_comment(
    *,
    api_url: str,
    repo: str,
    token: str,
    number: int,
    body: str,
    marker: str,
    session: requests.Session | None = None,
    timeout: float = 30.0,
    max_wait: float = 120.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> SyncResult:
    """Make pull request ``number`` show ``body`` in one comment, found by ``marker``.

    The oldest comment whose body starts with ``marker`` is edited when its text differs and left
    alone when it does not; with no such comment, one is posted. ``body`` must start with
    ``marker``, or the next run could not find the comment again.
    """
    if not body.lstrip().startswith(marker):
        raise ValueError("the comment body must start with its marker")
    check_comment_target(api_url=api_url, repo=repo, token=token, number=number)
    with client(
        api_url=api_url,
        repo=repo,
        token=token,
        purpose="post the pull-request comment with",
        session=session,
        timeout=timeout,
        max_wait=max_wait,
        sleep=sleep,
        clock=clock,
        hints=COMMENT_HINTS,
        again="run the job again later",
    ) as gh:
        return _upsert(gh, repo, number, body, marker)


def check_comment_target(*, api_url: str, repo: str, token: str, number: int) -> None:
    """What upsert_comment would refuse before any request, for the CLI to check first."""
    check_target(
        api_url=api_url, repo=repo, token=token, purpose="post the pull-request comment with"
    )
    if number < 1:
        raise HandbookError(f"{number} is not a pull-request number", "pass --pr N with N >= 1")


def _upsert(gh: GitHub, repo: str, number: int, body: str, marker: str) -> SyncResult:
    comments = f"/repos/{repo}/issues/{number}/comments"
    marked = sorted(
        (
            c
            for c in gh.pages(comments, {"per_page": PER_PAGE})
            if isinstance(c.get("id"), int)
            and isinstance(c.get("body"), str)
            and c["body"].lstrip().startswith(marker)
            and trusted(c)
        ),
        key=lambda c: int(c["id"]),
    )
    if not marked:
        created = gh.call("POST", gh.url(comments), payload={"body": body}).data
        if not isinstance(created, dict) or not isinstance(created.get("id"), int):
            raise HandbookError(f"GitHub's answer to POST {comments} has no comment id")
        return SyncResult("created", number, url_of(created), kind="comment")
    mine, others = marked[0], tuple(int(c["id"]) for c in marked[1:])
    if same_text(mine.get("body"), body):
        return SyncResult("unchanged", number, url_of(mine), others, kind="comment")
    here = gh.url(f"/repos/{repo}/issues/comments/{mine['id']}")
    gh.call("PATCH", here, payload={"body": body})
    return SyncResult("updated", number, url_of(mine), others, kind="comment")


def event_pr_number(path: Path) -> int:
    """The pull request's number in a GitHub Actions event file (GITHUB_EVENT_PATH)."""
    hint = "run on a pull_request event, or pass --pr N"
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HandbookError(
            f"cannot read the GitHub event file {str(path)!r}: {exc.strerror}", hint
        ) from None
    except ValueError:
        raise HandbookError(f"the GitHub event file {str(path)!r} is not JSON", hint) from None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    number = pull.get("number") if isinstance(pull, dict) else None
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise HandbookError(
            f"the GitHub event in {str(path)!r} is not a pull request's: "
            "it has no pull_request.number",
            hint,
        )
    return number
