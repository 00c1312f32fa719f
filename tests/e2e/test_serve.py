"""`handbook serve` for real: a process serving 127.0.0.1 that rebuilds when registry/ changes,
and keeps the last good site while the registry does not validate."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import MakeTree

pytestmark = pytest.mark.slow

CURRENT = """\
  output_audits:
    - date: 2026-10-20
      reviewer: Ben Carter
      drift: false
  vendor_review:
    date: 2026-09-01
    reviewer: Hannah Okafor (Legal)
    changes: none
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(check: Callable[[], bool], timeout: float, proc: subprocess.Popen[str]) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            pytest.fail(f"handbook serve exited with {proc.returncode}")
        try:
            if check():
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"not seen within {timeout} s")


@contextlib.contextmanager
def serving(root: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A `handbook serve` process for ``root`` on a free port, and its base URL; stopped (and
    its stderr left in ``proc.stderr_text``) on leaving."""
    addr = f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(root), "--dev-addr", addr],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc, f"http://{addr}"
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        proc.stderr_text = err  # type: ignore[attr-defined]


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(handbook_tree: MakeTree) -> None:
    root = handbook_tree()
    tool = root / "registry/tools/acme-chat.yaml"
    tool.write_text(tool.read_text(encoding="utf-8") + CURRENT, encoding="utf-8")
    with serving(root) as (proc, base):
        url = f"{base}/tools/acme-chat/"
        wait_for(lambda: "Acme Chat" in fetch(url), 60, proc)
        text = tool.read_text(encoding="utf-8")
        tool.write_text(text.replace("name: Acme Chat", "name: Acme Chat Plus"), encoding="utf-8")
        seconds = wait_for(lambda: "Acme Chat Plus" in fetch(url), 20, proc)
        assert seconds < 20
        assert "Acme Chat Plus" in fetch(f"{base}/tools/")
        # an invalid registry: the old pages stay, the diagnostics are printed
        tool.write_text(text.replace("vendor: acme-ai", "vendor: nobody"), encoding="utf-8")
        time.sleep(2)
        assert "Acme Chat Plus" in fetch(url)
    err = proc.stderr_text  # type: ignore[attr-defined]
    assert proc.returncode == 0
    served = re.search(r"serving (\S+) on http://127\.0\.0\.1:", err)
    assert served is not None
    assert not Path(served.group(1)).exists()  # the temporary site is removed on exit
    assert "error[ref-unknown-vendor]" in err
    assert "still showing the last good site" in err
    assert not (root / "site").exists()  # the preview builds into a temporary folder


def test_serve_rebuilds_when_an_evidence_table_changes(handbook_tree: MakeTree) -> None:
    root = handbook_tree()
    records = root / "evidence/acme-chat/benchmark-2025-12.csv"
    with serving(root) as (proc, base):
        url = f"{base}/tools/acme-chat/"
        wait_for(lambda: "<td>37 of 40 (92.5%)</td>" in fetch(url), 60, proc)
        # the YAML stays as it is: only a row of the table changes (T01: the AI now wrong)
        text = records.read_text(encoding="utf-8")
        records.write_text(text.replace("T01,summary,yes,", "T01,summary,no,"), encoding="utf-8")
        wait_for(lambda: "<td>36 of 40 (90%)</td>" in fetch(url), 20, proc)


def test_preview_warns_when_git_refuses_the_repository(
    handbook_tree: MakeTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rebuild of the preview says it once, with the findings, as the build does."""
    from datetime import date

    from generator.build import Layout
    from generator.serve import Preview

    root = handbook_tree()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, capture_output=True)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own test switch
    said: list[str] = []
    layout = Layout.at(root, tmp_path / "site")
    preview = Preview(layout.root, None, lambda: date(2026, 11, 1), layout, out=said.append)
    assert preview.regenerate() is not None
    assert "".join(said).count("warning[history-unreadable]") == 1
    assert "safe.directory" in "".join(said)
