"""`handbook import` on a 5,000-row inventory and `handbook reconcile` on a 200,000-line proxy
log, each as a whole process; and the precision and recall of name matching on the hand-made
labels of the real inventory (tests/data/inventory/cots-labels.csv). One run each.

    python benchmarks/bench_inventory.py [--rows 5000] [--lines 200000]

The inventory is the real OMB sheet's rows repeated with made-up agency names (so spellings
and their mess are real, and the number of distinct spellings grows as in a real sheet only up
to the real sheet's); the proxy log is Squid native format with made-up users, 1 in 20 lines
to an AI service. Prints rows or lines per second and peak memory (max RSS of the process).
Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHEET = REPO / "examples/cots-2025/2025_consolidated_COTS_AI_use_cases.csv"
MAP = REPO / "examples/cots-2025/cots.map.yaml"
HOSTS = ["www.example.org", "login.microsoftonline.com", "slack.com", "zoom.us", "github.com"]
AI_HOSTS = ["chatgpt.com", "claude.ai", "gemini.google.com", "www.perplexity.ai", "otter.ai"]


def inventory(path: Path, rows: int) -> None:
    with SHEET.open(encoding="utf-8-sig", newline="") as f:
        real = list(csv.reader(f))
    header, body = real[0], real[1:]
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(header)
        for i in range(rows):
            row = list(body[i % len(body)])
            row[0] = f"{row[0]} (unit {i // len(body)})"
            w.writerow(row)


def proxy_log(path: Path, lines: int) -> None:
    rng = random.Random(7)
    start = 1_796_025_600.0
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            host = rng.choice(AI_HOSTS) if i % 20 == 0 else rng.choice(HOSTS)
            user = f"user{rng.randrange(3000):04d}"
            out.write(
                f"{start + i * 0.4:.3f} {rng.randrange(5, 900)} 10.20.{i % 200}.{i % 250} "
                f"TCP_TUNNEL/200 {rng.randrange(500, 90000)} CONNECT {host}:443 {user} "
                "HIER_DIRECT/203.0.113.9 -\n"
            )


_PEAK = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB of that one command, its exit code); a small wrapper
    process runs it so the peak is its own, not the largest of every command run so far."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - t0
    code, peak_kb = done.stdout.split()
    return wall, int(peak_kb) / 1024, int(code)


def labels_score() -> tuple[float, float, float, int]:
    sys.path.insert(0, str(REPO))
    import datetime as dt

    from generator.inventory import registry
    from generator.inventory.cluster import cluster
    from generator.inventory.mapping import load_mapping
    from generator.inventory.measure import pairwise

    reg = registry(REPO, [], dt.date(2026, 11, 30))
    mapping, _ = load_mapping(MAP, reg.checked.schemas)
    assert mapping is not None
    with (REPO / "tests/data/inventory/cots-labels.csv").open(encoding="utf-8") as f:
        labels = {r["spelling"]: r["product"] for r in csv.DictReader(f)}
    places = {s: [(i, 1)] for i, s in enumerate(labels) if labels[s] != "-"}
    products, misses = cluster(
        places, mapping.rules, reg.directory(mapping.rules), overrides=mapping.products
    )
    predicted = {s: p.name for p in products for s in p.spellings}
    score = pairwise(predicted, labels)
    # pairs a person labelled as one product that were not merged but shown as a near miss
    shown = {frozenset((predicted[m.a], predicted[m.b])) for m in misses}
    same = [(a, b) for a, b in combinations(sorted(places), 2) if labels[a] == labels[b]]
    offered = sum(
        predicted[a] == predicted[b] or frozenset((predicted[a], predicted[b])) in shown
        for a, b in same
    )
    return score.precision, score.recall, offered / len(same), len(places)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=200_000)
    a = parser.parse_args()
    handbook = shutil.which("handbook") or "handbook"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "hb"
        for folder in ("registry", "content", "frameworks", "schemas"):
            shutil.copytree(REPO / folder, root / folder)
        shutil.copy(REPO / "mkdocs.yml", root)
        sheet, log = Path(tmp) / "inventory.csv", Path(tmp) / "access.log"
        inventory(sheet, a.rows)
        proxy_log(log, a.lines)
        wall, peak, code = timed(
            [handbook, "import", str(sheet), "--map", str(MAP), "--root", str(root)], root
        )
        print(
            f"import    {a.rows:>7,} rows   {wall:6.2f} s  {a.rows / wall:9,.0f} rows/s   "
            f"peak {peak:5.0f} MB  (exit {code})"
        )
        wall, peak, code = timed([handbook, "reconcile", str(log), "--root", str(root)], root)
        print(
            f"reconcile {a.lines:>7,} lines  {wall:6.2f} s  {a.lines / wall:9,.0f} lines/s  "
            f"peak {peak:5.0f} MB  (exit {code}: findings)"
        )
    precision, recall, offered, n = labels_score()
    print(
        f"matching  {n} labelled spellings: precision {precision:.3f}, recall {recall:.3f}; "
        f"pairs merged or shown as near misses: {offered:.3f}"
    )


if __name__ == "__main__":
    main()
