"""A small GitHub REST client for the publishers (generator/publish.py): auth headers, timeouts,
rate-limit waits, pagination, and errors that never carry the token.

Works against github.com and GitHub Enterprise Server (``api_url`` like
``https://ghe.example.com/api/v3``). Rate limits are waited out, up to ``max_wait`` seconds in
all. The token is sent only to ``api_url``'s host (requests drops it on redirects elsewhere, and
next-page links must stay on the same API) and never appears in an error message.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from generator import __version__
from generator.checks.links.fetch import retry_after
from generator.diagnostics import HandbookError

API_VERSION = "2022-11-28"
REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
PER_PAGE = 100
MAX_PAGES = 100  # 10,000 items: beyond that, something is wrong
MAX_ATTEMPTS = 20  # per request, counting rate-limit retries
SECONDARY_WAIT = 60.0  # GitHub: "wait at least one minute" when it gives no time

HINTS = {
    401: "the token is missing, expired or revoked (GITHUB_TOKEN)",
    403: "the token needs permission to write issues (permissions: issues: write)",
    404: "check the repository name (GITHUB_REPOSITORY) and that the token can see it",
    410: "issues are disabled in this repository",
    422: "GitHub rejected the request; the report artifact has the full findings",
}


class GitHubError(HandbookError):
    """GitHub answered with an error status (after any rate-limit waits)."""

    def __init__(self, message: str, hint: str | None, *, status: int, method: str) -> None:
        super().__init__(message, hint)
        self.status = status
        self.method = method


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
        hints: Mapping[int, str] = HINTS,
        again: str = "run the report again later",
    ) -> None:
        self.base = api_base(api_url)
        self.token = token
        self.session = session
        self.timeout = timeout
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.hints = hints
        self.again = again
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
                    return self.answer(method, shown, response)
            if self.waited + wait > self.max_wait:
                raise HandbookError(
                    f"GitHub rate-limited {shown} (HTTP {response.status_code}): it asks to wait "
                    f"{wait:.0f}s more, after {self.waited:.0f}s of waiting already; this run "
                    f"waits at most {self.max_wait:.0f}s",
                    self.again,
                )
            self.sleep(wait)
            self.waited += wait
        raise HandbookError(f"GitHub kept rate-limiting {shown}", self.again)

    def answer(self, method: str, shown: str, response: requests.Response) -> Answer:
        if not 200 <= response.status_code < 300:
            message = self.scrub(github_message(response))
            raise GitHubError(
                f"GitHub answered {response.status_code} to {shown}: {message}",
                self.hints.get(response.status_code),
                status=response.status_code,
                method=method,
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


@contextmanager
def client(
    *,
    api_url: str,
    repo: str,
    token: str,
    purpose: str,
    session: requests.Session | None = None,
    timeout: float = 30.0,
    max_wait: float = 120.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    hints: Mapping[int, str] = HINTS,
    again: str = "run the report again later",
) -> Iterator[GitHub]:
    """A checked client; a session made here is closed on the way out (a caller's is not)."""
    check_target(api_url=api_url, repo=repo, token=token, purpose=purpose)
    own = session is None
    http = requests.Session() if session is None else session
    try:
        yield GitHub(
            api_url,
            token,
            http,
            timeout=timeout,
            max_wait=max_wait,
            sleep=sleep,
            clock=clock,
            hints=hints,
            again=again,
        )
    finally:
        if own:
            http.close()


def api_base(api_url: str) -> str:
    """The API's base address without a trailing slash; only http(s) is accepted."""
    base = api_url.rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HandbookError(
            f"the GitHub API address {api_url!r} is not an http(s) URL",
            "use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server",
        )
    return base


def check_target(*, api_url: str, repo: str, token: str, purpose: str) -> None:
    """Refuse, before any request, what cannot work. ``purpose`` completes "no GitHub token
    to ...", e.g. "publish the issue with"."""
    if not token:
        raise HandbookError(
            f"no GitHub token to {purpose}",
            "set GITHUB_TOKEN (in Actions: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})",
        )
    if not REPO.fullmatch(repo):
        raise HandbookError(
            f"{repo!r} is not a repository name like 'owner/name'", "set GITHUB_REPOSITORY"
        )
    api_base(api_url)


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
    reset = reset.strip() if reset else None
    if (
        headers.get("x-ratelimit-remaining") == "0"
        and reset
        and reset.isascii()
        and reset.isdigit()
    ):
        return max(int(reset) - now, 1.0)
    if response.status_code == 429 or "rate limit" in github_message(response).lower():
        return SECONDARY_WAIT
    return None  # a plain 403: no permission


def parse_retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a Retry-After header, as the link checker reads it (one parser)."""
    return retry_after(value, None, now)
