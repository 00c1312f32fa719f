"""Keep one GitHub tracking issue in step with the nightly report (the only network code besides
the link checker).

The issue is found by the hidden marker its body starts with, so renaming it does no harm and no
state is kept anywhere else. One run, one of:

- findings, no issue open           -> create it                      ("created")
- findings, issue with the same body -> leave it alone                ("unchanged")
- findings, issue with another body  -> edit that issue, never a new one ("updated")
- no findings, issue open           -> comment, then close it         ("closed")
- no findings, no issue             -> nothing                        ("none")

Works against github.com and GitHub Enterprise Server (``api_url`` like
``https://ghe.example.com/api/v3``). Rate limits are waited out, up to ``max_wait`` seconds in
all. The token is sent only to ``api_url``'s host (requests drops it on redirects elsewhere, and
next-page links must stay on the same API) and never appears in an error message.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import requests

from generator import __version__
from generator.diagnostics import HandbookError
from generator.report.issue import MARKER

API_VERSION = "2022-11-28"
TITLE = "Stale AI-tool approvals"
RESOLVED = "All approvals are current. Closing this issue."
REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
PER_PAGE = 100
MAX_PAGES = 100  # 10,000 open issues: beyond that, something is wrong
MAX_ATTEMPTS = 20  # per request, counting rate-limit retries
SECONDARY_WAIT = 60.0  # GitHub: "wait at least one minute" when it gives no time

Action = Literal["created", "updated", "unchanged", "closed", "none"]


@dataclass(frozen=True, slots=True)
class SyncResult:
    action: Action
    number: int | None
    url: str | None
    duplicates: tuple[int, ...] = ()  # other open issues carrying the marker (left alone)

    def describe(self) -> str:
        """One line for the CLI, e.g. 'github issue #12 updated: https://…'."""
        if self.number is None:
            line = "github issue: nothing stale and no tracking issue open"
        else:
            line = f"github issue #{self.number} {self.action}" + (
                f": {self.url}" if self.url else ""
            )
        if self.duplicates:
            others = ", ".join(f"#{n}" for n in self.duplicates)
            line += f" (also marked as the tracking issue, left alone: {others})"
        return line


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    data: Any
    next_url: str | None


class GitHub:
    """A small REST client: auth headers, timeouts, rate-limit waits, errors without the token."""

    def __init__(
        self,
        api_url: str,
        token: str,
        session: requests.Session,
        *,
        timeout: float,
        max_wait: float,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        base = api_url.rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise HandbookError(
                f"the GitHub API address {api_url!r} is not an http(s) URL",
                "use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server",
            )
        self.base = base
        self.token = token
        self.session = session
        self.timeout = timeout
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.waited = 0.0

    def scrub(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token else text

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"ai-tool-handbook/{__version__}",
        }

    def url(self, path: str) -> str:
        return self.base + path

    def call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> Answer:
        shown = f"{method} {self.scrub(self.relative(url))}"
        for _ in range(MAX_ATTEMPTS):
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=payload,
                    headers=self.headers(),
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                raise HandbookError(
                    f"cannot reach GitHub ({shown}): {self.scrub(str(exc))}",
                    f"check the API address {self.base!r} and the network",
                ) from None
            with response:
                wait = rate_limit_wait(response, self.clock())
                if wait is None:
                    return self.answer(shown, response)
            if self.waited + wait > self.max_wait:
                raise HandbookError(
                    f"GitHub rate-limited {shown} (HTTP {response.status_code}): it asks to wait "
                    f"{wait:.0f}s more, after {self.waited:.0f}s of waiting already; this run "
                    f"waits at most {self.max_wait:.0f}s",
                    "run the report again later",
                )
            self.sleep(wait)
            self.waited += wait
        raise HandbookError(f"GitHub kept rate-limiting {shown}", "run the report again later")

    def answer(self, shown: str, response: requests.Response) -> Answer:
        if not 200 <= response.status_code < 300:
            message = self.scrub(github_message(response))
            raise HandbookError(
                f"GitHub answered {response.status_code} to {shown}: {message}",
                HINTS.get(response.status_code),
            )
        try:
            data = response.json() if response.content else None
        except ValueError:
            raise HandbookError(f"GitHub's answer to {shown} is not JSON") from None
        nxt = response.links.get("next", {}).get("url")
        return Answer(response.status_code, data, nxt)

    def relative(self, url: str) -> str:
        return url[len(self.base) :] if url.startswith(self.base) else url

    def same_api(self, url: str) -> bool:
        """Follow only links to the same API, so the token never goes anywhere else."""
        here, there = urlsplit(self.base), urlsplit(url)
        return (there.scheme, there.netloc) == (here.scheme, here.netloc) and there.path.startswith(
            here.path
        )

    def pages(self, path: str, params: Mapping[str, str | int]) -> Iterator[dict[str, Any]]:
        """Every item of a list endpoint, following the Link header's rel="next"."""
        url: str | None = self.url(path)
        query: Mapping[str, str | int] | None = params
        for _ in range(MAX_PAGES):
            if url is None:
                return
            answer = self.call("GET", url, params=query)
            if not isinstance(answer.data, list):
                raise HandbookError(f"GitHub's answer to GET {path} is not a list")
            for item in answer.data:
                if isinstance(item, dict):
                    yield item
            url, query = answer.next_url, None  # the next link carries the query
            if url is not None and not self.same_api(url):
                raise HandbookError(
                    f"GitHub's next-page link for GET {path} leaves {self.base!r}: "
                    f"{self.scrub(url)!r}"
                )
        raise HandbookError(f"GET {path} has more than {MAX_PAGES} pages; giving up")


HINTS = {
    401: "the token is missing, expired or revoked (GITHUB_TOKEN)",
    403: "the token needs permission to write issues (permissions: issues: write)",
    404: "check the repository name (GITHUB_REPOSITORY) and that the token can see it",
    410: "issues are disabled in this repository",
    422: "GitHub rejected the request; the report artifact has the full findings",
}


def github_message(response: requests.Response) -> str:
    """GitHub's own explanation ({"message": ...}), else the status text."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])[:300]
    return response.reason or "no explanation given"


def rate_limit_wait(response: requests.Response, now: float) -> float | None:
    """Seconds to wait before retrying, or None when the answer is not a rate limit."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry_after = headers.get("Retry-After")
    if retry_after:
        seconds = parse_retry_after(retry_after, now)
        if seconds is not None:
            return max(seconds, 1.0)
    reset = headers.get("x-ratelimit-reset")
    if headers.get("x-ratelimit-remaining") == "0" and reset and reset.strip().isdigit():
        return max(int(reset) - now, 1.0)
    if response.status_code == 429 or "rate limit" in github_message(response).lower():
        return SECONDARY_WAIT
    return None  # a plain 403: no permission


def parse_retry_after(value: str, now: float) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - now


def is_tracking(issue: Mapping[str, Any]) -> bool:
    """An open issue (not a pull request) whose body starts with the marker."""
    if "pull_request" in issue or not isinstance(issue.get("number"), int):
        return False
    body = issue.get("body")
    return isinstance(body, str) and body.lstrip().startswith(MARKER)


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
    if not token:
        raise HandbookError(
            "no GitHub token to publish the issue with",
            "set GITHUB_TOKEN (in Actions: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})",
        )
    if not REPO.fullmatch(repo):
        raise HandbookError(
            f"{repo!r} is not a repository name like 'owner/name'", "set GITHUB_REPOSITORY"
        )
    own = session is None
    http = requests.Session() if session is None else session
    try:
        gh = GitHub(
            api_url, token, http, timeout=timeout, max_wait=max_wait, sleep=sleep, clock=clock
        )
        return _sync(gh, repo, body=body, title=title, comment=comment)
    finally:
        if own:
            http.close()


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
