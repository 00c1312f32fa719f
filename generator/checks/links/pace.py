"""pace: how the link checker treats one host -> when the scheduler may send it a request.

A request that is on its way cannot be recalled, so a host that answers 429 with Retry-After
receives, during the pause it announces, every request that was already in flight. To send it
nothing then, have only one request in flight whenever it might answer 429:

* A host starts with one request in flight and earns one more (up to ``per_host``) for each
  ``ramp`` seconds it answers without a 429. A fast host that limits its rate says so while one
  request is on its way; a slow one, with no limit, soon gets its parallel requests.
* A 429 (or a 503 with Retry-After) pauses the host for the time it asked, and paces it from
  then on: one request at a time, each ``interval`` seconds after the previous one was sent.
  The interval is the pace the host showed it accepts, plus a margin: the time from the first
  request sent after the start (or the previous pause) to the end of the wait it asks for,
  divided by the answers to those requests, as a host that allows N requests a window lets N
  through and then asks to wait until the window ends. A 429 to the first request measures
  nothing: the interval doubles (from none: one request at a time, each after the previous
  answer). A later 429 (to a request sent after the previous one arrived) measures again and at
  least doubles the interval; a paced host is not sped up again within the run.

Times are ``time.monotonic()`` seconds, passed in by the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass

MARGIN = 1.1  # the interval is this much longer than the pace the host showed it accepts


@dataclass(slots=True)
class HostPace:
    per_host: int  # at most this many requests in flight
    ramp: float  # seconds without a 429 per extra request in flight; 0: per_host from the start
    limit: int = 1  # requests in flight allowed now
    inflight: int = 0
    paused_until: float = 0.0
    interval: float = 0.0  # seconds between two requests' starts (0: no spacing)
    next_send: float = 0.0
    grown_at: float | None = None  # when ``limit`` last grew (or the first request was sent)
    window_start: float | None = None  # the first request sent since the start or a pause
    answered: int = 0  # answers (not 429) to requests sent since ``window_start``
    limited_at: float = float("-inf")  # when the last 429 arrived

    def __post_init__(self) -> None:
        self.limit = 1 if self.ramp > 0 else self.per_host

    @property
    def paced(self) -> bool:
        """Whether the host has rate-limited us (one request at a time from then on)."""
        return self.limited_at > float("-inf")

    def ready(self, now: float) -> bool:
        """Whether a request may be sent now."""
        return self.inflight < self.limit and now >= max(self.paused_until, self.next_send)

    def wake(self) -> float | None:
        """When a request may be sent, if only time stands in the way; None when the host has
        no free slot (an answer must come first)."""
        if self.inflight >= self.limit:
            return None
        return max(self.paused_until, self.next_send)

    def sent(self, now: float) -> None:
        self.inflight += 1
        self.next_send = now + self.interval
        if self.window_start is None:
            self.window_start = now
        if self.grown_at is None:
            self.grown_at = now

    def finished(self, now: float, sent_at: float, *, answered: bool) -> None:
        """A request sent at ``sent_at`` ended without a 429: with an answer (``answered``),
        or with an error (timeout, reset, ...)."""
        self.inflight -= 1
        if not answered:
            return
        if self.window_start is not None and sent_at >= self.window_start:
            self.answered += 1
        grown = self.grown_at if self.grown_at is not None else now
        if not self.paced and self.limit < self.per_host and now - grown >= self.ramp:
            self.limit += 1
            self.grown_at = now

    def rate_limited(self, now: float, sent_at: float, wait: float) -> None:
        """A request sent at ``sent_at`` was answered 429 (or 503) asking to wait ``wait`` s."""
        self.inflight -= 1
        self.paused_until = max(self.paused_until, now + wait)
        self.next_send = max(self.next_send, self.paused_until)
        if sent_at < self.limited_at:
            return  # on its way before the last 429 arrived: the same episode, measured already
        self.limited_at = now
        if self.answered and self.window_start is not None:
            window = now + wait - self.window_start
            self.interval = max(window / self.answered * MARGIN, 2 * self.interval)
        else:
            self.interval *= 2
        self.limit = 1
        self.window_start = None
        self.answered = 0
