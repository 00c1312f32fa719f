"""Load + validate a 10,000-tool registry: `handbook validate` against plain baselines, one run.

    python benchmarks/bench_validate.py [--tools 10000]

Rows (each timed once, same machine, same tree):
  baseline        yaml.safe_load (pure-Python PyYAML) + jsonschema (Python, formats on), per file
  fast baseline   yaml.CSafeLoader + jsonschema-rs, per file, no positions, no cross-file rules
  handbook        the whole `handbook validate` process (startup, positions, all rules)
Prints figures and ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import yaml
from referencing import Registry, Resource

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_handbook

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


def handbook(root: Path) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--root", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    summary = json.loads(proc.stdout)["summary"] if proc.stdout.startswith("{") else proc.stderr
    return elapsed, proc.returncode, str(summary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_handbook(Path(tmp) / "handbook", args.tools)
        sizes = [f.stat().st_size for f in (root / "registry" / "tools").glob("*.yaml")]
        print(f"{args.tools:,} tools, mean file {sum(sizes) / len(sizes) / 1024:.2f} KiB")
        ours, code, summary = handbook(root)
        print(f"handbook validate : {ours:7.2f} s  exit {code}  {summary}")
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
