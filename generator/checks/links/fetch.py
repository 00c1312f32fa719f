"""fetch: one HTTP exchange, start to finish, within a wall-clock deadline. Worker threads call it.

* Host names are resolved here and the connection goes to the address that was checked
  (:func:`.address.refusal`), so a name that resolves to a loopback or private address is refused
  (unless allowed), one that resolves to a link-local or cloud metadata address always is, and
  neither can be swapped in between the check and the connection. Each redirect hop is a new
  exchange, checked the same way before it connects.
* ``socket`` timeouts are per read; the scheduler also shuts down the socket of an exchange past
  its :class:`Watch` deadline, so a server that drips one byte a second cannot hold a worker.
* A body is read only when a fragment must be looked for: streamed and decompressed by hand up
  to ``body_cap`` bytes, so a gzip bomb inflates to the cap and no further.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from generator.checks.links.address import refusal
from generator.checks.links.extract import html_ids

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    timeout: float = 10.0  # wall-clock deadline of one exchange, seconds
    max_concurrency: int = 16
    per_host: int = 4  # at most; a host starts with one (see :mod:`.pace`)
    ramp: float = 1.0  # seconds a host answers without 429 to earn one more; 0: per_host at once
    retries: int = 2  # after the first attempt, for timeouts, connection errors and 5xx
    backoff: float = 0.5  # seconds; doubles with each retry
    retry_after_max: float = 60.0  # seconds; a longer Retry-After gives up on the host this run
    rate_limit_retries: int = 3
    max_redirects: int = 10
    body_cap: int = MIB
    allow_private: bool = False
    user_agent: str = "handbook-link-check/0.1"
    ca_file: str | None = None  # an extra CA bundle (a company proxy's, or a test's)


@dataclass(slots=True)
class Outcome:
    status: int | None = None
    reason: str = ""
    location: str | None = None
    retry_after: float | None = None
    anchors: frozenset[str] | None = None
    truncated: bool = False
    timed_out: bool = False
    body_bytes: int = 0
    error: str | None = None  # dns invalid private link-local metadata tls timeout refused reset
    detail: str = ""  # protocol; for the address refusals, the address


@dataclass(slots=True)
class Watch:
    deadline: float
    sock: socket.socket | None = None
    expired: bool = False


class Expired(Exception):
    pass


_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}$", re.I)


def _ipv4_spelled(host: str) -> str | None:
    """The dotted IPv4 address of a host written as a number the resolver also reads as one
    (``2130706433``, ``127.1``, ``0x7f000001``, ``0177.0.0.1``: inet_aton's forms, which
    getaddrinfo accepts); None for any other host."""
    if not _NUMERIC_HOST.match(host):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


def host_key(url: str) -> str:
    """The server a URL reaches, for pacing and the per-host limit: scheme, host and port,
    with the spellings of one address made one (``[::ffff:127.0.0.1]``, ``2130706433``,
    ``0x7f.1`` and ``127.0.0.1``, an explicit default port, a trailing dot, case). Two names
    for one server stay two."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        address = ipaddress.ip_address(_ipv4_spelled(host) or host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        host = address.compressed
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        port = 0
    return f"{scheme}://{host}:{port}"


def retry_after(
    value: str | None, server_date: str | None, now: float | None = None
) -> float | None:
    """Seconds to wait from a Retry-After header (RFC 9110 10.2.3): delta-seconds (ASCII
    digits) or an HTTP date, counted from the server's Date header when it sent one, else
    from ``now`` (seconds since the epoch; default the clock). None when it is neither."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        then = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if now is None:
        now = time.time()
    if server_date:
        with contextlib.suppress(TypeError, ValueError, OverflowError):
            now = email.utils.parsedate_to_datetime(server_date).timestamp()
    try:
        return max(0.0, then.timestamp() - now)
    except (OverflowError, ValueError, OSError):
        return None


def _target(url: str) -> str:
    p = urlsplit(url)
    path = quote(p.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(p.query, safe="/%:@!$&'()*+,;=-._~?")
    return path + (f"?{query}" if query else "")


class _Resolver:
    """Host names to addresses, once per run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple[str, int], list[str] | OSError | UnicodeError] = {}

    def __call__(self, host: str, port: int) -> list[str]:
        with self._lock:
            known = self._known.get((host, port))
        if known is None:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                known = list(dict.fromkeys(str(info[4][0]) for info in infos))
            except (OSError, UnicodeError) as exc:
                known = exc
            with self._lock:
                self._known[(host, port)] = known
        if isinstance(known, BaseException):
            raise known
        return known


class Fetcher:
    """Makes single exchanges; thread-safe (one resolver cache, one TLS context)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._resolve = _Resolver()
        self._tls = ssl.create_default_context()
        with contextlib.suppress(ImportError, OSError):
            import certifi  # requests' CA bundle, when the system has none

            self._tls.load_verify_locations(certifi.where())
        if settings.ca_file:
            self._tls.load_verify_locations(settings.ca_file)

    def exchange(self, url: str, method: str, need_body: bool, watch: Watch) -> Outcome:
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        if scheme not in ("http", "https") or not host:
            return Outcome(error="invalid", detail="not an http(s) address with a host")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            return Outcome(error="invalid", detail="the port is not a number")
        try:
            ips = self._resolve(host, port)
        except (OSError, UnicodeError) as exc:
            why = getattr(exc, "strerror", None) or str(exc)
            return Outcome(error="dns", detail=f"host {host!r} not found ({why})")
        for ip in ips:  # every address, since a connection may fall back to any of them
            refused = refusal(ip, allow_private=self.settings.allow_private)
            if refused is not None:
                return Outcome(error=refused, detail=ip)
        conn: http.client.HTTPConnection | None = None
        try:
            sock = self._connect(ips, port, watch)
            if scheme == "https":
                sock = self._tls.wrap_socket(sock, server_hostname=host)
                watch.sock = sock
            if watch.expired:
                raise Expired
            conn = http.client.HTTPConnection(host, port)
            conn.sock = sock
            default = 443 if scheme == "https" else 80
            netloc = f"[{host}]" if ":" in host else host.encode("idna").decode("ascii")
            headers = {
                "Host": netloc if port == default else f"{netloc}:{port}",
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
                "Connection": "close",
            }
            conn.request(method, _target(url), headers=headers)
            resp = conn.getresponse()
            if watch.expired:  # the shutdown ended a dripping header block early
                raise Expired
            out = Outcome(
                status=resp.status,
                reason=resp.reason,
                location=resp.getheader("Location"),
                retry_after=retry_after(resp.getheader("Retry-After"), resp.getheader("Date")),
            )
            ctype = (resp.getheader("Content-Type") or "text/html").lower()
            if method == "GET" and need_body and 200 <= resp.status < 300 and "html" in ctype:
                self._read_body(resp, watch, out)
            return out
        except ssl.SSLCertVerificationError as exc:
            return Outcome(error="tls", detail=exc.verify_message or str(exc))
        except (Expired, OSError, http.client.HTTPException) as exc:
            if watch.expired or isinstance(exc, TimeoutError):
                return Outcome(error="timeout")
            if isinstance(exc, ConnectionRefusedError):
                return Outcome(error="refused", detail="connection refused")
            if isinstance(exc, ssl.SSLError):
                return Outcome(error="tls", detail=str(exc))
            if isinstance(exc, ConnectionError | http.client.RemoteDisconnected):
                return Outcome(error="reset", detail=type(exc).__name__)
            return Outcome(error="protocol", detail=f"{type(exc).__name__}: {exc}")
        finally:
            watch.sock = None
            if conn is not None:
                conn.close()

    def _connect(self, ips: list[str], port: int, watch: Watch) -> socket.socket:
        error: OSError | None = None
        for ip in ips:
            remaining = watch.deadline - time.monotonic()
            if remaining <= 0 or watch.expired:
                raise Expired
            try:
                sock = socket.create_connection((ip, port), timeout=remaining)
            except OSError as exc:
                error = exc
                continue
            watch.sock = sock
            sock.settimeout(max(0.05, watch.deadline - time.monotonic()))
            return sock
        raise error or OSError("no address")

    def _read_body(self, resp: http.client.HTTPResponse, watch: Watch, out: Outcome) -> None:
        cap = self.settings.body_cap
        encoding = (resp.getheader("Content-Encoding") or "").strip().lower()
        inflate: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)
        body = bytearray()
        try:
            while len(body) < cap:
                if watch.expired or time.monotonic() > watch.deadline:
                    raise Expired
                chunk = resp.read1(65536)
                if not chunk:
                    break
                if inflate is None:
                    body += chunk[: cap - len(body)]
                    continue
                body += inflate.decompress(chunk, cap - len(body))
                while inflate.unconsumed_tail and len(body) < cap:
                    body += inflate.decompress(inflate.unconsumed_tail, cap - len(body))
            out.truncated = len(body) >= cap
            if watch.expired:  # the shutdown ended the body early
                out.truncated = out.timed_out = True
        except (Expired, OSError, http.client.HTTPException):
            if not (watch.expired or time.monotonic() > watch.deadline):
                raise
            out.truncated = out.timed_out = True
        except zlib.error as exc:
            out.error, out.detail = "protocol", f"the compressed body is corrupt ({exc})"
        out.body_bytes = len(body)
        out.anchors = html_ids(body.decode("utf-8", "replace"))
