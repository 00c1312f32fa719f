"""probe: each URL fetched once, politely -> one Result per URL. The link checker's scheduler.

* The calling thread hands single exchanges (:mod:`.fetch`) to a thread pool: at most
  ``max_concurrency`` in flight overall, and per host what its :class:`~.pace.HostPace` allows:
  one request at first, up to ``per_host`` as the host answers without 429. A host that answers
  429 (or 503 with Retry-After) is paused for the time it asked, with no request in flight to
  it if it limited us early, and paced from then on. A host asking for longer than
  ``retry_after_max`` gets nothing more this run: its other URLs are "not checked".
* HEAD first, or GET when a fragment must be checked. A failed HEAD (any 4xx or 5xx but a rate
  limit, a reset, an empty or garbled answer) is asked again as GET before any verdict; for a
  5xx or a broken connection that GET counts as the first retry.
* Redirects are followed here (each hop on its own host's budget), capped and checked for loops.
  Timeouts, connection errors and 5xx are retried with exponential backoff.
* Each exchange has a deadline; the scheduler wakes for it and shuts the socket down.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import queue
import socket
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from generator.checks.links.fetch import Fetcher, Outcome, Settings, Watch, host_key
from generator.checks.links.pace import HostPace

Progress = Callable[[int, int], None]
_RETRYABLE = {"timeout", "reset", "refused", "protocol"}
_HEAD_BROKEN = {"reset", "protocol", "timeout"}  # a HEAD the server dropped, garbled or let hang
_REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}

__all__ = ["PERMANENT", "Prober", "Progress", "Result", "Settings", "probe"]


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one URL (without fragment)."""

    url: str
    status: int | None = None  # the final response's status
    reason: str = ""
    final_url: str = ""
    hops: tuple[tuple[int, str], ...] = ()  # (status, location) of each redirect followed
    error: str | None = None  # dns tls private link-local metadata timeout reset refused
    detail: str = ""  # protocol loop redirects invalid rate-limited not-checked
    anchors: frozenset[str] | None = None  # ids of an HTML body, when one was read
    truncated: bool = False  # the body was cut at the cap (or the deadline)
    timed_out: bool = False  # the deadline hit while reading the body
    body_bytes: int = 0
    attempts: int = 1

    @property
    def permanent_redirect(self) -> bool:
        return any(status in PERMANENT for status, _ in self.hops)


@dataclass(slots=True)
class _Job:
    key: str
    url: str
    method: str
    need_body: bool
    hops: list[tuple[int, str]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    attempts: int = 0  # retries used
    limited: int = 0  # 429s absorbed
    sent: int = 0
    sent_at: float = 0.0  # when the request on its way (or the last one) was sent

    @property
    def host(self) -> str:
        return host_key(self.url)


class Prober:
    def __init__(self, settings: Settings, progress: Progress | None = None) -> None:
        self.settings = settings
        self.progress = progress
        self.fetcher = Fetcher(settings)

    def run(self, targets: Mapping[str, bool]) -> dict[str, Result]:
        """Probe every URL of ``targets`` (url -> whether its body is needed for fragments)."""
        s = self.settings
        results: dict[str, Result] = {}
        total = len(targets)
        queues: dict[str, deque[_Job]] = defaultdict(deque)
        delayed: list[tuple[float, int, _Job]] = []
        paces: dict[str, HostPace] = defaultdict(lambda: HostPace(s.per_host, s.ramp))
        gave_up: dict[str, str] = {}
        watches: dict[int, Watch] = {}
        done: queue.Queue[tuple[int, _Job, Outcome]] = queue.Queue()
        ids = itertools.count()
        busy = 0

        def finish(job: _Job, out: Outcome, error: str | None = None, detail: str = "") -> None:
            results[job.key] = Result(
                url=job.key,
                status=out.status,
                reason=out.reason,
                final_url=job.url,
                hops=tuple(job.hops),
                error=error or out.error,
                detail=detail or out.detail,
                anchors=out.anchors,
                truncated=out.truncated,
                timed_out=out.timed_out,
                body_bytes=out.body_bytes,
                attempts=job.sent,
            )
            if self.progress is not None:
                self.progress(len(results), total)

        def work(n: int, job: _Job, watch: Watch) -> None:
            try:
                out = self.fetcher.exchange(job.url, job.method, job.need_body, watch)
            except Exception as exc:  # never lose a job: a bug becomes a finding
                out = Outcome(error="protocol", detail=f"internal: {exc!r}")
            done.put((n, job, out))

        def later(job: _Job, delay: float) -> None:
            heapq.heappush(delayed, (time.monotonic() + delay, next(ids), job))

        for url, need_body in targets.items():
            job = _Job(url, url, "GET" if need_body else "HEAD", need_body, seen={url})
            queues[job.host].append(job)

        with ThreadPoolExecutor(s.max_concurrency, thread_name_prefix="link-probe") as pool:
            while len(results) < total:
                now = time.monotonic()
                while delayed and delayed[0][0] <= now:
                    job = heapq.heappop(delayed)[2]
                    queues[job.host].append(job)
                # dispatch, round robin over the hosts that may be sent to now
                progressed = True
                while progressed and busy < s.max_concurrency:
                    progressed = False
                    for host, jobs in queues.items():
                        if not jobs or busy >= s.max_concurrency:
                            continue
                        if host in gave_up:
                            while jobs:
                                finish(jobs.popleft(), Outcome(), "not-checked", gave_up[host])
                            continue
                        pace = paces[host]
                        if not pace.ready(now):
                            continue
                        job = jobs.popleft()
                        n = next(ids)
                        watches[n] = Watch(now + s.timeout)
                        pace.sent(now)
                        busy += 1
                        job.sent += 1
                        job.sent_at = now
                        pool.submit(work, n, job, watches[n])
                        progressed = True
                if len(results) >= total:
                    break
                # sleep until an answer, a retry, the end of a pause or a deadline
                wake = delayed[0][0] if delayed else float("inf")
                for host, jobs in queues.items():
                    ready_at = paces[host].wake() if jobs and host not in gave_up else None
                    if ready_at is not None and ready_at > now:
                        wake = min(wake, ready_at)
                for w in watches.values():
                    if not w.expired:
                        wake = min(wake, w.deadline)
                try:
                    n, job, out = done.get(
                        timeout=None if wake == float("inf") else max(0.0, wake - now) + 0.001
                    )
                except queue.Empty:
                    self._expire(watches)
                    continue
                while True:
                    watches.pop(n, None)
                    busy -= 1
                    self._settle(job, out, paces[job.host], queues, gave_up, later, finish)
                    try:
                        n, job, out = done.get_nowait()
                    except queue.Empty:
                        break
                self._expire(watches)
        return results

    @staticmethod
    def _expire(watches: dict[int, Watch]) -> None:
        now = time.monotonic()
        for w in watches.values():
            if w.deadline <= now and not w.expired:
                w.expired = True
                sock = w.sock
                if sock is not None:
                    with contextlib.suppress(OSError):
                        # the plain socket's shutdown, also under TLS: wakes a blocked read
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def _settle(
        self,
        job: _Job,
        out: Outcome,
        pace: HostPace,
        queues: dict[str, deque[_Job]],
        gave_up: dict[str, str],
        later: Callable[[_Job, float], None],
        finish: Callable[..., None],
    ) -> None:
        """Decide what an exchange means: done, retry, wait for the host, next hop, or GET.
        ``pace`` is the pace of the host the request went to (``job.host`` until a redirect)."""
        s = self.settings
        host = job.host
        status = out.status
        now = time.monotonic()
        if status == 429 or (status == 503 and out.retry_after is not None):
            wait = out.retry_after
            if wait is None:
                wait = s.backoff * 2**job.limited
            pace.rate_limited(now, job.sent_at, wait)
            answer = f"{status} {out.reason}".strip()
            if wait > s.retry_after_max:
                allowed = f"longer than this run allows ({s.retry_after_max:g} s)"
                asked = f"{wait:.0f} s" if wait < 10**9 else "longer than 30 years"
                gave_up[host] = f"the host asked us to wait {asked}, {allowed}"
                detail = f"the server answered {answer} with Retry-After: {asked}, {allowed}"
                finish(job, out, "rate-limited", detail)
                return
            if job.limited >= s.rate_limit_retries:
                detail = f"the server kept answering {answer}, after {job.limited} waits"
                finish(job, out, "rate-limited", detail)
                return
            job.limited += 1
            queues[host].appendleft(job)
            return
        pace.finished(now, job.sent_at, answered=status is not None)
        if job.method == "HEAD" and (
            (status is not None and status >= 400) or (status is None and out.error in _HEAD_BROKEN)
        ):
            # some servers get HEAD wrong (501, 405, 404, 500, a dropped connection): ask again
            # with GET before any verdict; after a server error or a broken connection that
            # GET is the first retry, so a dead host is not asked more often than before
            job.method = "GET"
            if status is None or status >= 500:
                job.attempts += 1
            queues[host].appendleft(job)
            return
        if status is None:
            if out.error in _RETRYABLE and job.attempts < s.retries:
                job.attempts += 1
                later(job, s.backoff * 2 ** (job.attempts - 1))
            else:
                finish(job, out)
            return
        if status >= 500:
            if job.attempts < s.retries:
                job.attempts += 1
                later(job, s.backoff * 2 ** (job.attempts - 1))
            else:
                finish(job, out)
            return
        if status in _REDIRECTS and out.location:
            target = urlunsplit(
                urlsplit(urljoin(job.url, out.location.strip()))._replace(fragment="")
            )
            job.hops.append((status, target))
            if target in job.seen:
                finish(job, out, "loop", f"redirect loop back to {target!r}")
            elif len(job.hops) > s.max_redirects:
                finish(job, out, "redirects", f"more than {s.max_redirects} redirects")
            elif urlsplit(target).scheme.lower() not in ("http", "https"):
                finish(job, out, "invalid", f"redirects to {target!r}")
            else:
                job.seen.add(target)
                job.url = target
                job.attempts = 0
                queues[job.host].appendleft(job)
            return
        finish(job, out)


def probe(
    targets: Mapping[str, bool], settings: Settings, progress: Progress | None = None
) -> dict[str, Result]:
    return Prober(settings, progress).run(targets)
