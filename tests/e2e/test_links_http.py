"""The external link checker against real HTTP servers on 127.0.0.1, started here.

Each ``Host`` is a ThreadingHTTPServer on its own port (so several act as several hosts). Routes
are small functions; every request is recorded with its method, path and time, and the server
tracks how many requests it was serving at once.
"""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.checks.links import Options, check_urls
from generator.checks.links.collect import Occurrence
from generator.checks.links.fetch import Settings, retry_after
from generator.checks.links.probe import probe
from generator.cli import main
from generator.diagnostics import Diagnostic

Route = Callable[["Handler"], None]
FAST = Settings(timeout=1.0, backoff=0.05, retry_after_max=5.0, allow_private=True)


@dataclass
class Seen:
    method: str
    path: str
    at: float


@dataclass
class Host:
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str | None = None, method: str | None = None) -> int:
        return sum(
            1
            for s in self.seen
            if (path is None or s.path == path) and (method is None or s.method == method)
        )


class Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"
    answering = False  # counted in the host's ``active``

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle_one(self) -> None:
        host = self.server.host
        self.answering = True
        with host.lock:
            host.seen.append(Seen(self.command, self.path, time.monotonic()))
            host.active += 1
            host.max_active = max(host.max_active, host.active)
        try:
            route = host.routes.get(self.path.split("?", 1)[0])
            if route is None:
                self.reply(404, b"<html>not found</html>")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.answered()

    def answered(self) -> None:
        """The request no longer counts as in flight. ``reply`` calls this before the answer is
        sent: once the client has the whole answer it may send the next request before this
        handler's thread returns, and that request must not count as a second one in flight."""
        if self.answering:
            self.answering = False
            with self.server.host.lock:
                self.server.host.active -= 1

    do_GET = do_HEAD = handle_one

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.answered()  # before the first byte of the answer leaves
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    host: Host


@pytest.fixture
def hosts() -> Iterator[Callable[[], Host]]:
    made: list[Host] = []

    def make() -> Host:
        host = Host()
        server = _Server(("127.0.0.1", 0), Handler)
        server.host = host
        host.server = server
        host.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        host.thread.start()
        made.append(host)
        return host

    yield make
    for host in made:
        host.stop.set()
        assert host.server is not None and host.thread is not None
        host.server.shutdown()
        host.server.server_close()
        host.thread.join()


# -- routes ---------------------------------------------------------------------------------


def page(
    status: int = 200, body: bytes = b"<html><h1 id='top-id'>hi</h1></html>", **headers: str
) -> Route:
    def route(h: Handler) -> None:
        h.reply(status, body, {k.replace("_", "-"): v for k, v in headers.items()})

    return route


def redirect(status: int, location: str) -> Route:
    return page(status, b"", Location=location)


def sequence(*routes: Route) -> Route:
    """The n-th request gets the n-th route (the last one repeats)."""
    calls = [0]

    def route(h: Handler) -> None:
        i = min(calls[0], len(routes) - 1)
        calls[0] += 1
        routes[i](h)

    return route


def head_refused(h: Handler) -> None:
    if h.command == "HEAD":
        h.reply(405)
    else:
        h.reply(200, b"<html>ok</html>")


def slow(delay: float) -> Route:
    def route(h: Handler) -> None:
        time.sleep(delay)
        h.reply(200, b"<html>slow</html>")

    return route


def drip_headers(h: Handler) -> None:
    """Start an answer, then send one byte at a time, forever (until the client leaves)."""
    h.wfile.write(b"HTTP/1.0 200 OK\r\n")
    h.wfile.flush()
    host = h.server.host
    for _ in range(200):
        if host.stop.is_set():
            return
        time.sleep(0.05)
        h.wfile.write(b"X")
        h.wfile.flush()


def drip_body(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    if h.command == "HEAD":
        return
    h.wfile.write(b"<html><p id='early'>")
    host = h.server.host
    for _ in range(200):
        if host.stop.is_set():
            return
        time.sleep(0.05)
        h.wfile.write(b"x")
        h.wfile.flush()


def reset(h: Handler) -> None:
    """Close the connection with a TCP reset instead of answering."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


class Connections:
    """Records every address the checker connects to (``socket.create_connection``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[tuple[str, int]] = []
        real = socket.create_connection

        def record(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
            self.seen.append((address[0], address[1]))
            return real(address, *args, **kwargs)

        monkeypatch.setattr(socket, "create_connection", record)

    @property
    def hosts(self) -> set[str]:
        return {ip for ip, _ in self.seen}


def empty_reply(h: Handler) -> None:
    """Close the connection without a byte of answer."""
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_RDWR)


def garbled(h: Handler) -> None:
    """Answer with something that is not HTTP."""
    h.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    h.close_connection = True


def head_fails(failure: Route, then: Route | None = None) -> Route:
    """HEAD gets ``failure``; GET gets ``then`` (a page by default)."""
    ok = then or page()

    def route(h: Handler) -> None:
        (failure if h.command == "HEAD" else ok)(h)

    return route


@dataclass
class Limiter:
    """A host's rate limit: ``allowed`` requests a window of ``window`` s, then 429 with
    ``Retry-After: wait`` and a pause of ``wait`` s. Counts what it received during its pauses."""

    allowed: int
    window: float = 1.0
    wait: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)
    window_start: float = float("-inf")
    count: int = 0
    paused_until: float = 0.0
    answered_429: int = 0
    during_pause: list[str] = field(default_factory=list)

    def __call__(self, route: Route) -> Route:
        def limited(h: Handler) -> None:
            now = time.monotonic()
            with self.lock:
                if now < self.paused_until:
                    self.during_pause.append(h.path)
                    refuse = True
                else:
                    if now - self.window_start >= self.window:
                        self.window_start, self.count = now, 0
                    self.count += 1
                    refuse = self.count > self.allowed
                    if refuse:
                        self.paused_until = now + self.wait
                self.answered_429 += refuse
            if refuse:
                h.reply(429, b"slow down", {"Retry-After": str(self.wait)})
            else:
                route(h)

        return limited


def run(
    urls: list[str] | dict[str, int], settings: Settings = FAST, **kw: object
) -> list[Diagnostic]:
    occ = [Occurrence(u, "source.md", i + 1, 1) for i, u in enumerate(urls)]
    return check_urls(occ, Options(settings=settings), **kw)  # type: ignore[arg-type]


def rules(diags: list[Diagnostic]) -> list[tuple[str, str, int | None]]:
    return sorted((d.rule, d.severity.value, d.line) for d in diags)


# -- tests ----------------------------------------------------------------------------------


def test_ok_uses_head_only(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/ok"] = page()
    assert run([h.url("/ok")]) == []
    assert [(s.method, s.path) for s in h.seen] == [("HEAD", "/ok")]


def test_redirect_chain_reports_final_target(hosts: Callable[[], Host]) -> None:
    a, b = hosts(), hosts()
    a.routes["/old"] = redirect(301, "/older")
    a.routes["/older"] = redirect(302, b.url("/new"))
    b.routes["/new"] = redirect(308, "/final")
    b.routes["/final"] = page()
    a.routes["/temp"] = redirect(302, "/ok")
    a.routes["/ok"] = page()
    diags = run([a.url("/old"), a.url("/temp")])
    assert [(d.rule, d.severity.value) for d in diags] == [("link-redirected", "note")]
    assert diags[0].message == (f"{a.url('/old')!r} redirects permanently to {b.url('/final')!r}")


@pytest.mark.parametrize("status", [404, 410])
def test_gone_is_broken(hosts: Callable[[], Host], status: int) -> None:
    h = hosts()
    h.routes["/gone"] = page(status)
    diags = run([h.url("/gone")])
    assert rules(diags) == [("link-broken", "error", 1)]
    assert f"is broken: {status} " in diags[0].message
    assert diags[0].path == "source.md"


def test_head_refused_falls_back_to_get(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/nohead"] = head_refused
    assert run([h.url("/nohead")]) == []
    assert [s.method for s in h.seen] == ["HEAD", "GET"]


def test_blocked_is_a_warning(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/bot"] = page(403)
    assert rules(run([h.url("/bot")])) == [("link-blocked", "warning", 1)]
    assert [s.method for s in h.seen] == ["HEAD", "GET"]


def test_accepted_status(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/bot"] = page(403)
    occ = [Occurrence(h.url("/bot"), "x.md", 1, 1)]
    opts = Options(settings=FAST, accept_status=frozenset({403}))
    assert check_urls(occ, opts) == []


@pytest.mark.parametrize(
    "failure",
    [page(501), page(500), page(503), page(404), page(400), reset, empty_reply, garbled],
    ids=["501", "500", "503", "404", "400", "reset", "empty-reply", "not-http"],
)
def test_failed_head_is_asked_again_with_get(hosts: Callable[[], Host], failure: Route) -> None:
    h = hosts()
    h.routes["/x"] = head_fails(failure)
    assert run([h.url("/x")]) == []
    assert [s.method for s in h.seen] == ["HEAD", "GET"]
    # with no retries at all, the GET still comes before a verdict
    h.seen.clear()
    assert run([h.url("/x")], Settings(timeout=1.0, retries=0, allow_private=True)) == []
    assert [s.method for s in h.seen] == ["HEAD", "GET"]


def hang(h: Handler) -> None:
    """Keep the connection open without answering, past the test's deadline."""
    time.sleep(1.5)


def test_a_head_that_hangs_is_asked_again_with_get(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/x"] = head_fails(hang)
    assert run([h.url("/x")]) == []
    assert [s.method for s in h.seen] == ["HEAD", "GET"]


def test_a_200_with_a_garbled_retry_after_is_fine(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/x"] = page(200, Retry_After="\u00b2")
    h.routes["/y"] = page(429, Retry_After="\u00b2")
    diags = run(
        [h.url("/x"), h.url("/y")],
        Settings(
            timeout=1.0, backoff=0.05, retry_after_max=5.0, rate_limit_retries=1, allow_private=True
        ),
    )
    assert [(d.rule, d.line) for d in diags] == [("link-rate-limited", 2)]
    assert "internal" not in diags[0].message


def test_failed_head_and_get_is_broken_by_the_get(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/501"] = page(501)
    h.routes["/head-501-get-404"] = head_fails(page(501), page(404))
    h.routes["/reset"] = reset
    diags = run([h.url("/501"), h.url("/head-501-get-404"), h.url("/reset")])
    assert [(d.rule, d.line, d.message) for d in diags] == [
        ("link-broken", 1, f"{h.url('/501')!r} is broken: the server answered 501 "
         "Not Implemented (3 attempts)"),
        ("link-broken", 2, f"{h.url('/head-501-get-404')!r} is broken: 404 Not Found"),
        ("link-broken", 3, f"{h.url('/reset')!r} is unreachable: the connection was closed "
         "before an answer (3 attempts)"),
    ]  # fmt: skip
    # the GET is the first retry: as many requests to a dead server as before, not more
    assert [s.method for s in h.seen if s.path == "/501"] == ["HEAD", "GET", "GET"]
    assert [s.method for s in h.seen if s.path == "/head-501-get-404"] == ["HEAD", "GET"]
    assert [s.method for s in h.seen if s.path == "/reset"] == ["HEAD", "GET", "GET"]


def test_refused_connection_is_not_a_head_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.checks.links.fetch import Fetcher

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    methods: list[str] = []
    real = Fetcher.exchange

    def exchange(self: Fetcher, url: str, method: str, *args: Any) -> Any:
        methods.append(method)
        return real(self, url, method, *args)

    monkeypatch.setattr(Fetcher, "exchange", exchange)
    diags = run([f"http://127.0.0.1:{port}/"])
    assert rules(diags) == [("link-broken", "error", 1)]
    assert methods == ["HEAD", "HEAD", "HEAD"]  # retried, never as GET


def test_retry_after_pauses_the_host(hosts: Callable[[], Host]) -> None:
    h = hosts()
    limited = sequence(page(429, b"", Retry_After="1"), page())
    h.routes["/a"] = limited
    for p in ("/b", "/c", "/d"):
        h.routes[p] = page()
    settings = Settings(timeout=1.0, backoff=0.05, per_host=1, allow_private=True)
    started = time.monotonic()
    diags = run([h.url(p) for p in ("/a", "/b", "/c", "/d")], settings)
    assert diags == []
    first_429 = h.seen[0]
    assert first_429.path == "/a"
    later = h.seen[1:]
    assert len(later) == 4  # /a again, then the three others
    assert {s.method for s in h.seen} == {"HEAD"}  # a 429 is no reason to switch to GET
    assert all(s.at >= first_429.at + 0.95 for s in later), [s.at - first_429.at for s in later]
    assert time.monotonic() - started < 3


def test_retry_after_as_http_date() -> None:
    assert retry_after("Wed, 21 Oct 2015 07:28:30 GMT", "Wed, 21 Oct 2015 07:28:00 GMT") == 30.0
    assert retry_after("120", None) == 120.0
    assert retry_after("soon", None) is None


@pytest.mark.parametrize(
    ("status", "answer"), [(429, "429 Too Many Requests"), (503, "503 Service Unavailable")]
)
def test_too_long_a_wait_is_said_as_it_happened(
    hosts: Callable[[], Host], status: int, answer: str
) -> None:
    h, other = hosts(), hosts()
    paths = ["/a", *(f"/p{i}" for i in range(8))]
    for p in paths:
        h.routes[p] = page(status, b"", Retry_After="3600")
    other.routes["/moved"] = redirect(302, h.url("/p0"))
    settings = Settings(timeout=1.0, allow_private=True, retry_after_max=5)
    started = time.monotonic()
    diags = run([h.url(p) for p in paths] + [other.url("/moved")], settings)
    assert time.monotonic() - started < 1
    assert [s.path for s in h.seen] == ["/a"]  # the host asked for an hour: nothing more sent
    assert {(d.rule, d.severity.value) for d in diags} == {("link-rate-limited", "warning")}
    allows = "longer than this run allows (5 s)"
    assert [d.message for d in diags] == [
        f"{h.url('/a')!r} could not be checked: the server answered {answer} with "
        f"Retry-After: 3600 s, {allows}",
        *(
            f"{h.url(p)!r} was not checked: the host asked us to wait 3600 s, {allows}"
            for p in paths[1:]
        ),
        f"{other.url('/moved')!r} redirects to {h.url('/p0')!r}, which was not checked: "
        f"the host asked us to wait 3600 s, {allows}",
    ]


def test_still_rate_limited_after_waits_is_a_warning(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/a"] = page(429, b"", Retry_After="0")
    diags = run([h.url("/a")], Settings(timeout=1.0, allow_private=True, rate_limit_retries=2))
    assert [(d.rule, d.severity.value, d.message) for d in diags] == [
        (
            "link-rate-limited",
            "warning",
            f"{h.url('/a')!r} could not be checked: the server kept answering "
            "429 Too Many Requests, after 2 waits",
        )
    ]
    assert h.count("/a") == 3


def test_server_error_then_success_is_retried(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/flaky"] = sequence(page(500), page(503), page())
    assert run([h.url("/flaky")]) == []
    assert h.count("/flaky") == 3


def test_persistent_server_error_is_broken(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/down"] = page(502)
    diags = run([h.url("/down")])
    assert rules(diags) == [("link-broken", "error", 1)]
    assert "(3 attempts)" in diags[0].message
    assert h.count("/down") == 3


def test_slow_drip_headers_stop_at_the_deadline(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/drip"] = drip_headers
    settings = Settings(timeout=0.4, backoff=0.05, retries=1, allow_private=True)
    started = time.monotonic()
    diags = run([h.url("/drip")], settings)
    elapsed = time.monotonic() - started
    assert rules(diags) == [("link-timeout", "warning", 1)]
    assert elapsed < 1.5, elapsed  # two attempts of 0.4 s, not 200 x 0.05 s each


def test_slow_drip_body_stops_at_the_deadline(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/drip"] = drip_body
    settings = Settings(timeout=0.4, backoff=0.05, allow_private=True)
    started = time.monotonic()
    diags = run([h.url("/drip#late"), h.url("/drip#early")], settings)
    assert time.monotonic() - started < 1.5  # not 10 s of dripping
    assert rules(diags) == [("link-timeout", "warning", 1)]  # #early was seen before the deadline
    assert h.count("/drip") == 1


def test_connection_reset(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/reset"] = reset
    h.routes["/once"] = sequence(reset, page())
    diags = run([h.url("/reset"), h.url("/once")])
    assert rules(diags) == [("link-broken", "error", 1)]
    assert "unreachable" in diags[0].message
    assert h.count("/reset") == 3
    assert h.count("/once") == 2


def test_refused_connection(hosts: Callable[[], Host]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    diags = run([f"http://127.0.0.1:{port}/"])
    assert rules(diags) == [("link-broken", "error", 1)]
    assert "refused" in diags[0].message


def test_large_body_is_capped(hosts: Callable[[], Host]) -> None:
    h = hosts()
    big = b"<html><h2 id='start'>x</h2>" + b"a" * (5 * 1024 * 1024) + b"<p id='end'></p></html>"
    h.routes["/big"] = page(200, big)
    settings = Settings(timeout=2.0, allow_private=True, body_cap=256 * 1024)
    results = probe({h.url("/big"): True}, settings)
    r = results[h.url("/big")]
    assert r.status == 200 and r.truncated
    assert r.body_bytes == 256 * 1024
    assert "start" in (r.anchors or ())
    diags = run([h.url("/big#start"), h.url("/big#end")], settings)
    assert rules(diags) == [("anchor-unchecked", "note", 2)]  # beyond the cap: not "missing"


def test_gzip_bomb_is_capped(hosts: Callable[[], Host]) -> None:
    h = hosts()
    bomb = gzip.compress(b"<html>" + b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200_000
    h.routes["/bomb"] = page(200, bomb, Content_Encoding="gzip")
    settings = Settings(timeout=2.0, allow_private=True, body_cap=1024 * 1024)
    started = time.monotonic()
    r = probe({h.url("/bomb"): True}, settings)[h.url("/bomb")]
    assert r.body_bytes == 1024 * 1024 and r.truncated
    assert time.monotonic() - started < 1.5


def test_gzip_body_anchor_found(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/gz"] = page(
        200, gzip.compress(b"<html><a name='here'></a></html>"), Content_Encoding="gzip"
    )
    assert run([h.url("/gz#here"), h.url("/gz#there")]) != []
    assert rules(run([h.url("/gz#here")])) == []


def test_redirect_loop(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/a"] = redirect(302, "/b")
    h.routes["/b"] = redirect(302, "/a")
    h.routes["/far"] = redirect(302, "/far2")
    for i in range(2, 15):
        h.routes[f"/far{i}"] = redirect(302, f"/far{i + 1}")
    diags = run([h.url("/a"), h.url("/far")])
    assert rules(diags) == [("link-broken", "error", 1), ("link-broken", "error", 2)]
    assert "redirect loop" in diags[0].message
    assert "more than 10 redirects" in diags[1].message


def test_external_anchors(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/doc"] = page(200, b"<html><h2 id='install'>I</h2><a name='old-name'></a></html>")
    h.routes["/file.pdf"] = page(200, b"%PDF", Content_Type="application/pdf")
    diags = run(
        [
            h.url("/doc#install"),
            h.url("/doc#old-name"),
            h.url("/doc#missing"),
            h.url("/doc#top"),
            h.url("/file.pdf#page=2"),
        ]
    )
    assert rules(diags) == [("anchor-missing", "error", 3)]
    assert diags[0].message == f"{h.url('/doc#missing')!r}: the page has no anchor 'missing'"
    assert h.count("/doc") == 1 and h.count("/doc", "GET") == 1


def test_a_code_hosts_anchors_are_judged_as_a_browser_would(hosts: Callable[[], Host]) -> None:
    """GitHub renders README headings as id="user-content-x" and scrolls '#x' to it; line
    anchors (#L10-L20) are script-made; a page with no ids at all cannot be judged."""
    h = hosts()
    h.routes["/ORG/REPO"] = page(
        200,
        b"<html><article><h2 id='user-content-some-heading'>Some heading</h2>"
        b"<a id='user-content-install' href='#install'>#</a></article></html>",
    )
    h.routes["/app"] = page(200, b"<html><body><div id=root></div></body></html>")
    h.routes["/spa"] = page(200, b"<html><body><script src=app.js></script></body></html>")
    diags = run(
        [
            h.url("/ORG/REPO#some-heading"),
            h.url("/ORG/REPO#user-content-some-heading"),
            h.url("/ORG/REPO#install"),
            h.url("/ORG/REPO#L10-L20"),
            h.url("/ORG/REPO#no-such-heading"),
            h.url("/app#L10"),  # not a code host: a line anchor is an ordinary id there
            h.url("/spa#settings"),
        ]
    )
    assert rules(diags) == [
        ("anchor-missing", "error", 5),
        ("anchor-missing", "error", 6),
        ("anchor-unchecked", "note", 7),
    ]


def test_coalescing_one_request_per_url(hosts: Callable[[], Host]) -> None:
    h = hosts()
    h.routes["/popular"] = page(200, b"<html><p id='a'></p><p id='b'></p></html>")
    urls = [h.url("/popular")] * 30 + [h.url("/popular#a")] * 10 + [h.url("/popular#b")] * 10
    assert run(urls) == []
    assert h.count("/popular") == 1


def test_per_host_limit(hosts: Callable[[], Host]) -> None:
    a, b = hosts(), hosts()
    for h in (a, b):
        for i in range(8):
            h.routes[f"/p{i}"] = slow(0.1)
    settings = Settings(timeout=2.0, per_host=2, ramp=0, max_concurrency=8, allow_private=True)
    started = time.monotonic()
    urls = [h.url(f"/p{i}") for i in range(8) for h in (a, b)]
    assert run(urls, settings) == []
    assert a.max_active == 2 and b.max_active == 2
    assert time.monotonic() - started < 1.2  # in parallel: 4 rounds of 0.1 s (serial: 1.6 s)


def test_cache_skips_successes_and_rechecks_failures(
    hosts: Callable[[], Host], tmp_path: Path
) -> None:
    h = hosts()
    h.routes["/ok"] = page()
    h.routes["/doc"] = page(200, b"<p id='x'></p>")
    h.routes["/moved"] = redirect(301, "/ok")
    urls = [h.url("/ok"), h.url("/doc#x"), h.url("/doc#y"), h.url("/gone"), h.url("/moved")]
    cache = tmp_path / "cache" / "links.json"
    first = run(urls, cache_path=cache, now=1_000_000.0)
    assert rules(first) == [
        ("anchor-missing", "error", 3),
        ("link-broken", "error", 4),
        ("link-redirected", "note", 5),
    ]
    before = len(h.seen)
    second = run(urls, cache_path=cache, now=1_000_000.0 + 3600)
    assert rules(second) == rules(first)
    again = [(s.method, s.path) for s in h.seen[before:]]
    assert sorted(again) == [("GET", "/doc"), ("GET", "/gone"), ("HEAD", "/gone")]
    # past the maximum age (24 h by default) everything is checked again
    before = len(h.seen)
    run(urls, cache_path=cache, now=1_000_000.0 + 25 * 3600)
    assert {s.path for s in h.seen[before:]} == {"/ok", "/doc", "/gone", "/moved"}


def test_private_addresses_refused(
    hosts: Callable[[], Host], monkeypatch: pytest.MonkeyPatch
) -> None:
    h = hosts()
    h.routes["/ok"] = page()
    h.routes["/away"] = redirect(302, "http://127.0.0.1:9/")
    port = h.url("").rsplit(":", 1)[1]
    connections = Connections(monkeypatch)
    settings = Settings(timeout=1.0)
    spellings = [  # of 127.0.0.1, which reach this server on a dual-stack machine
        f"http://[::ffff:127.0.0.1]:{port}/ok",
        f"http://[::ffff:7f00:1]:{port}/ok",
        f"http://[::127.0.0.1]:{port}/ok",
        f"http://[64:ff9b::7f00:1]:{port}/ok",
        f"http://[2002:7f00:1::1]:{port}/ok",
    ]
    urls = [h.url("/ok"), f"http://localhost:{port}/ok", "http://[::1]:9/", *spellings]
    diags = run(urls, settings)
    assert rules(diags) == [("link-private", "warning", n) for n in range(1, len(urls) + 1)]
    assert "127.0.0.1" in diags[1].message  # the name was resolved, and its address refused
    assert diags[3].message == (
        f"{spellings[0]!r} resolves to the non-public address ::ffff:127.0.0.1; "
        "it was not requested"
    )
    assert h.seen == []
    assert connections.seen == []


# link-local and cloud metadata addresses, as redirect targets of a local server
NEVER_FETCHED = {
    "/aws": ("http://169.254.169.254/latest/meta-data/", "cloud metadata", "169.254.169.254"),
    "/aws6": ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata", "fd00:ec2::254"),
    "/mapped": ("http://[::ffff:169.254.169.254]/", "cloud metadata", "::ffff:169.254.169.254"),
    "/nat64": ("http://[64:ff9b::a9fe:a9fe]/", "cloud metadata", "64:ff9b::a9fe:a9fe"),
    "/compat": ("http://[::169.254.169.254]/", "cloud metadata", "::169.254.169.254"),
    "/link-local": ("http://169.254.10.20:8080/x", "link-local", "169.254.10.20"),
    "/link-local6": ("http://[fe80::1]/", "link-local", "fe80::1"),
}


def test_link_local_and_metadata_are_never_fetched(
    hosts: Callable[[], Host], monkeypatch: pytest.MonkeyPatch
) -> None:
    h = hosts()
    for path, (target, _, _) in NEVER_FETCHED.items():
        h.routes[path] = redirect(302, target)
    h.routes["/two-hops"] = redirect(301, "/aws")
    connections = Connections(monkeypatch)
    paths = [*NEVER_FETCHED, "/two-hops"]
    direct = "http://169.254.169.254/latest/meta-data/iam/"
    diags = run([h.url(p) for p in paths] + [direct])  # FAST allows private addresses
    assert connections.hosts == {"127.0.0.1"}  # only the local server was connected to
    assert sorted(s.path for s in h.seen) == sorted([*paths, "/aws"])
    assert rules(diags) == [("link-private", "warning", n) for n in range(1, len(paths) + 2)]
    expected = [
        f"{h.url(path)!r} redirects to {target!r}, which resolves to the {kind} address {ip}; "
        "the redirect was not followed"
        for path, (target, kind, ip) in NEVER_FETCHED.items()
    ]
    expected.append(
        f"{h.url('/two-hops')!r} redirects to {NEVER_FETCHED['/aws'][0]!r}, which resolves to "
        "the cloud metadata address 169.254.169.254; the redirect was not followed"
    )
    expected.append(
        f"{direct!r} resolves to the cloud metadata address 169.254.169.254; it was not requested"
    )
    assert [d.message for d in diags] == expected
    assert diags[0].hint is not None and "even with --allow-private" in diags[0].hint


def test_rate_limited_host_gets_nothing_during_its_pause(hosts: Callable[[], Host]) -> None:
    """The host allows 10 requests a second; ours may have 4 in flight to it. It answers 429
    once, and receives nothing until the end of the pause it asked for."""
    h = hosts()
    limiter = Limiter(allowed=10, window=1.0, wait=1)
    paths = [f"/p{i}" for i in range(20)]
    for p in paths:
        h.routes[p] = limiter(page())
    settings = Settings(timeout=1.0, per_host=4, allow_private=True)
    diags = run([h.url(p) for p in paths], settings)
    assert diags == []
    assert limiter.during_pause == []
    assert limiter.answered_429 == 1  # paced after it: (time to the end of the pause) / 10
    assert h.max_active == 1
    assert len(h.seen) == 21
    after = [s.at for s in h.seen[11:]]
    assert after[0] >= h.seen[10].at + 0.95  # the pause
    gaps = [b - a for a, b in itertools.pairwise(after)]
    assert min(gaps) >= 0.1, gaps  # about (1 s + the first burst) / 10 answers * 1.1


def test_one_server_spelled_two_ways_is_paced_as_one(hosts: Callable[[], Host]) -> None:
    h = hosts()
    limiter = Limiter(allowed=10, window=1.0, wait=1)
    paths = [f"/p{i}" for i in range(20)]
    for p in paths:
        h.routes[p] = limiter(page())
    urls = [
        h.url(p) if i % 2 else h.url(p).replace("127.0.0.1", "[::ffff:127.0.0.1]")
        for i, p in enumerate(paths)
    ]
    assert run(urls, Settings(timeout=1.0, per_host=4, allow_private=True)) == []
    assert limiter.during_pause == []
    assert h.max_active == 1


def test_a_host_earns_parallel_requests(hosts: Callable[[], Host]) -> None:
    h = hosts()
    paths = [f"/p{i}" for i in range(12)]
    for p in paths:
        h.routes[p] = slow(0.1)
    settings = Settings(timeout=2.0, per_host=3, ramp=0.25, allow_private=True)
    assert run([h.url(p) for p in paths], settings) == []
    first, second, third = h.seen[:3]
    assert second.at >= first.at + 0.09 and third.at >= second.at + 0.09  # one at a time
    assert h.max_active == 3


# -- through the command line: positions in the sources --------------------------------------


def test_cli_reports_yaml_and_markdown_positions(
    hosts: Callable[[], Host],
    handbook_tree: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    h = hosts()
    h.routes["/trust"] = page()
    h.routes["/privacy"] = page(200, b"<h2 id='retention'></h2>")
    root = handbook_tree()
    vendor = root / "registry/vendors/globex.yaml"
    text = vendor.read_text(encoding="utf-8")
    text = text.replace("https://globex.example/trust", h.url("/trust"))
    text = text.replace("https://globex.example/privacy", h.url("/privacy#deletion"))
    vendor.write_text(text, encoding="utf-8")
    # the base tree's policy already excludes its fictional example.com and *.example links
    (root / "content/pages").mkdir(parents=True, exist_ok=True)
    (root / "content/pages/help.md").write_text(
        "# Help\n\nSee [the guide](" + h.url("/guide") + ") or `" + h.url("/code") + "`.\n",
        encoding="utf-8",
    )
    code = main(
        ["check-links", "--root", str(root), "--allow-private", "--no-cache", "--format", "text"]
    )
    out, err = capsys.readouterr()
    line = text.splitlines().index("privacy_policy: " + h.url("/privacy#deletion")) + 1
    assert out.splitlines()[0::2] == [
        f"content/pages/help.md:3:17: error[link-broken] {h.url('/guide')!r} is broken: "
        "404 Not Found",
        f"registry/vendors/globex.yaml:{line}:17: error[anchor-missing] "
        f"{h.url('/privacy#deletion')!r}: the page has no anchor 'deletion'",
        "2 errors",
    ]
    assert code == 1
    assert "site/ is not built" in err
    assert h.count("/code") == 0  # code spans are not links


def test_nightly_report_includes_external_links(
    hosts: Callable[[], Host],
    handbook_tree: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    h = hosts()
    h.routes["/trust"] = page(410, b"gone")
    root = handbook_tree()
    vendor = root / "registry/vendors/globex.yaml"
    text = vendor.read_text(encoding="utf-8").replace(
        "https://globex.example/trust", h.url("/trust")
    )
    vendor.write_text(text, encoding="utf-8")
    policy = root / "registry/policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("links:\n", "links:\n  allow_private: true\n"),
        encoding="utf-8",
    )
    out_dir = tmp_path / "report"
    code = main(["report", "--root", str(root), "--out", str(out_dir), "--format", "json"])
    capsys.readouterr()
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    line = text.splitlines().index("trust_page: " + h.url("/trust")) + 1
    found = [
        (d["rule"], d["path"], d["line"])
        for d in report["diagnostics"]
        if d["rule"].startswith("link-")
    ]
    assert found == [("link-broken", "registry/vendors/globex.yaml", line)]
    assert code == 1
    seen = h.count("/trust")
    assert seen >= 1
    # --no-links leaves the network alone
    main(["report", "--root", str(root), "--out", str(out_dir), "--no-links"])
    capsys.readouterr()
    assert h.count("/trust") == seen


# -- TLS --------------------------------------------------------------------------------------


class _TLSServer(_Server):
    context: ssl.SSLContext

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        return self.context.wrap_socket(sock, server_side=True), addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client refusing our self-signed certificate is the point of one test


@pytest.fixture
def tls_host(tmp_path: Path) -> Iterator[tuple[Host, str]]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    host = Host()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = _TLSServer(("127.0.0.1", 0), Handler)
    server.context = context
    server.host = host
    host.server = server
    host.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    host.thread.start()
    try:
        yield host, str(cert)
    finally:
        host.stop.set()
        server.shutdown()
        server.server_close()
        host.thread.join()


def test_tls_untrusted_certificate_is_broken(tls_host: tuple[Host, str]) -> None:
    host, _ = tls_host
    host.routes["/ok"] = page()
    url = host.url("/ok").replace("http://", "https://")
    diags = run([url])
    assert rules(diags) == [("link-broken", "error", 1)]
    assert "TLS certificate is not valid" in diags[0].message
    assert host.seen == []


def test_tls_trusted_ok_and_drip_stopped(tls_host: tuple[Host, str]) -> None:
    host, ca = tls_host
    host.routes["/ok"] = page(200, b"<h2 id='here'></h2>")
    host.routes["/drip"] = drip_headers
    settings = Settings(timeout=0.5, backoff=0.05, retries=0, allow_private=True, ca_file=ca)
    base = host.url("").replace("http://", "https://")
    started = time.monotonic()
    diags = run([base + "/ok#here", base + "/drip"], settings)
    assert rules(diags) == [("link-timeout", "warning", 2)]
    assert time.monotonic() - started < 1.5


def test_unknown_host_is_broken() -> None:
    diags = run(["https://no-such-host.invalid/page", "https://no-such-host.invalid/other"])
    assert rules(diags) == [("link-broken", "error", 1), ("link-broken", "error", 2)]
    assert "host 'no-such-host.invalid' not found" in diags[0].message


def test_check_external_api(hosts: Callable[[], Host], handbook_tree: Callable[..., Path]) -> None:
    """The function `handbook report` calls: tree and policy in, diagnostics out."""
    from generator import siteconfig
    from generator.checks.links import Markdown, check_external
    from generator.load import load_tree
    from generator.model import build

    h = hosts()
    h.routes["/trust"] = page(403)
    root = handbook_tree()
    vendor = root / "registry/vendors/globex.yaml"
    vendor.write_text(
        vendor.read_text(encoding="utf-8").replace("https://globex.example/trust", h.url("/trust")),
        encoding="utf-8",
    )
    tree, _ = load_tree(root)
    policy = build(tree).policy
    policy = type(policy)(
        path=policy.path,
        raw=policy.raw,
        links=type(policy.links)(exclude=(r"\.example(/|$)", r"//docs\.example\.com/")),
    )
    markdown = Markdown(siteconfig.renderer(siteconfig.DEFAULT), {})
    diags = check_external(tree, policy, markdown, allow_private=True, cache_path=None, now=0.0)
    assert [(d.rule, d.path, d.subject) for d in diags] == [
        ("link-blocked", "registry/vendors/globex.yaml", "globex")
    ]
    assert not (root / ".handbook-cache").exists()


def test_check_links_site_uses_the_policys_exclusions_and_statuses(
    hosts: Callable[[], Host],
    handbook_tree: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    h = hosts()
    h.routes["/members"] = page(999)  # e.g. a site that answers bots with 999
    h.routes["/gone"] = page(404)
    root = handbook_tree()
    policy = root / "registry/policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8")
        + "links:\n  accept_status: [999]\n  exclude: ['/gone$']\n",
        encoding="utf-8",
    )
    site = tmp_path / "built"
    site.mkdir()
    (site / "index.html").write_text(
        f'<a href="{h.url("/members")}">m</a> <a href="{h.url("/gone")}">g</a>', encoding="utf-8"
    )
    args = ["check-links", "--site", str(site), "--allow-private", "--no-cache", "--format", "text"]
    assert main([*args, "--root", str(root)]) == 0, capsys.readouterr()
    assert capsys.readouterr().out == "no problems found\n"
    # without a handbook the defaults apply: both links are reported
    assert main([*args, "--root", str(tmp_path / "nothing")]) == 1
    out = capsys.readouterr().out
    assert "999" in out and "404" in out
