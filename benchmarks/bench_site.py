"""How the site build scales: our steps vs MkDocs at 100, 1,000 and 5,000 tools, and the preview's
edit -> served latency at 1,000 tools.

    python benchmarks/bench_site.py [--sizes 100 1000 5000] [--no-preview]

For each size, in one process: our steps (load + validate, model + expiry check, render + write)
and the strict MkDocs build of the generated folder, during which a second process validates
registry.cdx.json as the build does (the time waited for it afterwards is shown); seconds,
milliseconds per page, and our share of the total. The preview figure starts a real
`handbook serve` on 127.0.0.1, edits a tool's YAML file and times until the served page shows
the edit. Figures are printed; nothing is asserted.
Registries come from benchmarks/synth.py (valid and current as of the policy's date).
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import make_handbook

from generator import pipeline
from generator.build import Layout, Timings, inputs_for, prepare, run_mkdocs
from generator.render import Site

try:  # since the frameworks: the build validates registry.cdx.json beside MkDocs
    from generator.frameworks.cyclonedx import checking
    from generator.sitenames import CYCLONEDX
except ImportError:  # the code before them, for a before/after comparison
    checking, CYCLONEDX = None, ""

OUT = Path(__file__).resolve().parent / "out"


def one_build(n: int) -> None:
    root = make_handbook(OUT / f"site-{n}", n, history=True)
    t0 = time.perf_counter()
    checked = pipeline.check(root, None, date.today())
    t1 = time.perf_counter()
    assert not checked.failed, "the synthetic registry must be valid"
    handbook = checked.handbook
    findings = pipeline.staleness(checked)
    t2 = time.perf_counter()
    layout = Layout.at(root)
    site = Site(handbook, inputs_for(checked, handbook, findings))
    timings = Timings()
    prepare(layout, site, checked.as_of.banner, timings, checked.tree, checked.site.config)
    t3 = time.perf_counter()
    check = checking(layout.docs / CYCLONEDX) if checking else contextlib.nullcontext()
    with check:  # as the build does: registry.cdx.json validated while MkDocs runs
        problems = run_mkdocs(layout, strict=True)
        t4 = time.perf_counter()
    t5 = time.perf_counter()
    pages = sum(1 for _ in layout.docs.rglob("*.md"))
    ours, mkdocs, wait = t3 - t0, t4 - t3, t5 - t4
    total = ours + mkdocs + wait
    print(
        f"{n:>5} tools, {pages:>5} pages: total {total:6.2f} s = ours {ours:5.2f} s "
        f"(load+validate {t1 - t0:.2f}, model+check {t2 - t1:.2f}, "
        f"render {timings.generate:.2f}, write {timings.write:.2f}) + MkDocs {mkdocs:6.2f} s "
        f"+ waiting for the CycloneDX check {wait:.2f} s | "
        f"{1000 * total / pages:4.1f} ms/page (MkDocs {1000 * mkdocs / pages:4.1f}) | "
        f"our share {100 * ours / total:4.1f}% | problems: {len(problems)}",
        flush=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def preview_latency(n: int, edits: int = 5) -> None:
    root = make_handbook(OUT / f"preview-{n}", n)
    port = free_port()
    command = [sys.executable, "-m", "generator", "serve", "--root", str(root)]
    proc = subprocess.Popen(
        [*command, "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/tools/tool-00003/"
    try:
        start = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("handbook serve exited") from None
                time.sleep(0.1)
        print(f"preview at {n} tools: first build and serve {time.perf_counter() - start:.2f} s")
        tool = root / "registry" / "tools" / "tool-00003.yaml"
        original = tool.read_text(encoding="utf-8")
        seen = []
        for i in range(edits):
            time.sleep(1.0)
            marker = f"Edited tool {i}"
            tool.write_text(original.replace("Synthetic Tool 3", marker), encoding="utf-8")
            t = time.perf_counter()
            while marker.encode() not in urllib.request.urlopen(url, timeout=5).read():
                time.sleep(0.02)
            seen.append(time.perf_counter() - t)
        tool.write_text(original, encoding="utf-8")
        print(
            f"preview at {n} tools: edit -> served page, {edits} edits: "
            f"median {sorted(seen)[len(seen) // 2]:.2f} s, worst {max(seen):.2f} s "
            "(includes the 0.1 s polling interval)"
        )
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--no-preview", action="store_true")
    args = parser.parse_args()
    for n in args.sizes:
        one_build(n)
    if not args.no_preview:
        preview_latency(1000)


if __name__ == "__main__":
    main()
