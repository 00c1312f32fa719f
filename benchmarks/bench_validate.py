"""Load + validate a 10,000-tool registry: `handbook validate` against plain baselines, one run.

    python benchmarks/bench_validate.py [--tools 10000] [--repeat 1] [--no-baselines]

Rows (each timed once, or the best of ``--repeat`` runs, same machine; the handbook rows give
wall-clock seconds and the CPU seconds of the process and its workers, each over the clean run):
  handbook        the whole `handbook validate` process (startup, positions, all rules) on the
                  clean registry, then on the same registry with one finding in every tool file
                  (synth.FINDINGS: a warning near the top, an error and a schema error on the
                  last line), each with its time over the clean run's
  fast baseline   yaml.CSafeLoader + jsonschema-rs, per file, no positions, no cross-file rules
  baseline        yaml.safe_load (pure-Python PyYAML) + jsonschema (Python, formats on), per file
The baselines run on the clean registry. Prints figures and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import yaml
from referencing import Registry, Resource

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import FINDINGS, make_handbook

KINDS = {
    "registry/tools/*.yaml": "tool",
    "registry/vendors/*.yaml": "vendor",
    "registry/policy.yaml": "policy",
    "content/procedure/*.yaml": "phase",
    "content/guidance.yaml": "guidance",
}


def stringify(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): stringify(v) for k, v in data.items()}
    if isinstance(data, list):
        return [stringify(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()
    return data


def files(root: Path) -> list[tuple[Path, str]]:
    return [(f, kind) for pattern, kind in KINDS.items() for f in sorted(root.glob(pattern))]


def baseline(root: Path) -> tuple[float, int]:
    schemas = {p.name: json.loads(p.read_text()) for p in (root / "schemas").glob("*.json")}
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(s)) for name, s in schemas.items()
    )
    validators = {
        kind: jsonschema.Draft202012Validator(
            schemas[f"{kind}.schema.json"],
            registry=registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        for kind in set(KINDS.values())
    }
    start = time.perf_counter()
    errors = 0
    for f, kind in files(root):
        data = stringify(yaml.safe_load(f.read_text(encoding="utf-8")))
        errors += sum(1 for _ in validators[kind].iter_errors(data))
    return time.perf_counter() - start, errors


def fast_baseline(root: Path) -> tuple[float, int]:
    folder = (root / "schemas").resolve()
    raw = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    reg = jsonschema_rs.Registry([((folder / n).as_uri(), s) for n, s in raw.items()])
    validators = {
        kind: jsonschema_rs.validator_for(
            {**raw[f"{kind}.schema.json"], "$id": (folder / f"{kind}.schema.json").as_uri()},
            registry=reg,
            validate_formats=True,
        )
        for kind in set(KINDS.values())
    }
    start = time.perf_counter()
    errors = 0
    for f, kind in files(root):
        data = stringify(yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
        errors += sum(1 for _ in validators[kind].iter_errors(data))
    return time.perf_counter() - start, errors


def handbook(root: Path) -> tuple[float, float, int, str]:
    """Wall and CPU seconds (the process and its workers) of one `handbook validate` process,
    its exit code, and its findings by rule."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--root", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if not proc.stdout.startswith("{"):
        return elapsed, cpu, proc.returncode, proc.stderr.strip()
    rules = Counter(d["rule"] for d in json.loads(proc.stdout)["diagnostics"])
    found = ", ".join(f"{n:,} {rule}" for rule, n in rules.most_common()) or "no findings"
    return elapsed, cpu, proc.returncode, found


def rows(trees: dict[str, Path], repeat: int) -> dict[str, tuple[float, float, int, str]]:
    """The best of ``repeat`` runs for each tree; rounds interleave the trees, so load on the
    machine from other work falls on all of them alike."""
    runs: dict[str, list[tuple[float, float, int, str]]] = {name: [] for name in trees}
    for _ in range(repeat):
        for name, tree in trees.items():
            runs[name].append(handbook(tree))
    return {name: min(got, key=lambda run: run[0]) for name, got in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1, help="time each handbook row N times")
    parser.add_argument("--no-baselines", action="store_true", help="time handbook rows only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_handbook(Path(tmp) / "handbook", args.tools)
        sizes = [f.stat().st_size for f in (root / "registry" / "tools").glob("*.yaml")]
        print(f"{args.tools:,} tools, mean file {sum(sizes) / len(sizes) / 1024:.2f} KiB")
        trees = {"clean": root}
        for name in FINDINGS:
            trees[name] = make_handbook(Path(tmp) / name, args.tools, finding=name)
        best = f", best of {args.repeat}" if args.repeat > 1 else ""
        print(f"handbook validate (whole process{best}):", flush=True)
        timed = rows(trees, args.repeat)
        ours, ours_cpu = timed["clean"][:2]
        for name, (took, cpu, code, found) in timed.items():
            print(
                f"  {name:<13}: {took:6.2f} s {took / ours:5.2f}x | CPU {cpu:6.2f} s "
                f"{cpu / ours_cpu:5.2f}x | exit {code}  {found}"
            )
            if name in FINDINGS:
                print(f"  {'':<13}  ({FINDINGS[name][0]})")
        print("  (target: one finding in every file costs at most 1.5x the clean run)", flush=True)
        if args.no_baselines:
            return
        fast, fast_errors = fast_baseline(root)
        print(f"fast baseline     : {fast:7.2f} s  ({fast_errors} schema errors)")
        base, base_errors = baseline(root)
        print(f"baseline          : {base:7.2f} s  ({base_errors} schema errors)")
        print(f"speed-up vs baseline      : {base / ours:5.1f}x  (target >= 8x, <= 3 s)")
        if base_errors:
            print(
                "(the baselines' schema errors are YAML 1.1 at work: PyYAML reads the key 'on:'"
                " of each certificate's 'verified' as True)"
            )
        print(f"ours / fast baseline      : {ours / fast:5.2f}")


if __name__ == "__main__":
    main()
