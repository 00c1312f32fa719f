"""Status timelines for a 1,000-tool registry: one `git log` vs one `git log --follow` per tool.

    python benchmarks/bench_history.py [--tools 1000] [--commits 6]

Builds a git repository in a temporary folder: every tool added in one commit, then COMMITS
commits that each move a third of the tools one status further (and rename a few files).
Then times, once each:
  timelines()        one `git log --raw` over registry/tools + one `git cat-file --batch`
  status_timeline()  per tool (what a naive site build would do), on the first 100 tools,
                     extrapolated to all of them
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from generator import history

STATUSES = ["proposed", "sandbox", "pilot", "approved", "restricted", "deprecated", "offboarded"]
ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def tool_text(i: int, status: str) -> str:
    return (
        "# yaml-language-server: $schema=../../schemas/tool.schema.json\n"
        f"id: tool-{i:05}\nname: Tool {i}\nvendor: vendor-{i % 50}\n"
        "owner:\n  team: Team\n  contact: team@example.com\n"
        f"status:\n  value: {status}\n  since: 2026-01-01\n"
        f"problem: Tool {i} saves time on routine work number {i}.\n"
        "license:\n  tier: enterprise\ndata:\n  allowed:\n    - internal\n"
    )


def build(root: Path, tools: int, commits: int) -> None:
    folder = root / "registry" / "tools"
    folder.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    names = {i: folder / f"tool-{i:05}.yaml" for i in range(tools)}
    level = dict.fromkeys(range(tools), 0)
    for i, path in names.items():
        path.write_text(tool_text(i, STATUSES[0]), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the registry")
    for c in range(commits):
        for i in range(c % 3, tools, 3):
            level[i] = min(level[i] + 1, len(STATUSES) - 1)
            names[i].write_text(tool_text(i, STATUSES[level[i]]), encoding="utf-8")
        for i in range(c, tools, 97):  # a few renames, which the timelines must follow
            new = names[i].with_name(f"tool-{i:05}-r{c}.yaml")
            git(root, "mv", str(names[i]), str(new))
            names[i] = new
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Move a third of the tools on ({c + 1})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tools", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        build(root, args.tools, args.commits)
        print(f"built {args.tools} tools x {args.commits + 1} commits in "
              f"{time.perf_counter() - start:.1f}s")  # fmt: skip

        start = time.perf_counter()
        found = history.timelines(root)
        one_pass = time.perf_counter() - start
        assert found is not None
        changes = sum(len(v) for v in found.values())
        print(f"timelines()        {one_pass:7.2f}s  ({len(found)} files, {changes} changes)")

        sample = sorted(found)[:100]
        start = time.perf_counter()
        for rel in sample:
            history.status_timeline(root, rel)
        per_tool = (time.perf_counter() - start) / len(sample)
        print(f"status_timeline()  {per_tool * len(found):7.2f}s  (per tool x {len(found)}, "
              f"extrapolated from {len(sample)})")  # fmt: skip


if __name__ == "__main__":
    main()
