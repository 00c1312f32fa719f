"""Shared browser plumbing for the e2e tests: Debian's Chromium through Playwright (never a
downloaded browser), a real http.server on 127.0.0.1, and a page that refuses every request
to another host.

Outside CI the browser tests skip when /usr/bin/chromium (or $HANDBOOK_CHROMIUM) is missing;
with CI=true that is a failure. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
# Debian's chromium; HANDBOOK_CHROMIUM names another installed Chromium-based browser (GitHub's
# Ubuntu runners ship Google Chrome). Never a browser download.
CHROMIUM = Path(os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "tests" / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 by a real http.server; yields its base URL."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=folder)
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def launch() -> Iterator[Any]:
    """Chromium for a module's tests (a generator for a module-scoped fixture)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """A page that records every request and refuses any that is not for 127.0.0.1.

    ``color_scheme`` ("light" or "dark") is the one the page's prefers-color-scheme reports,
    which picks the site's default or slate palette."""

    def __init__(self, browser: Any, base_url: str, color_scheme: str | None = None) -> None:
        self.base = base_url
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme=color_scheme
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []  # alert(), confirm(), prompt(): dismissed and recorded
        # Record every request (pages, scripts, the search worker's fetches); refuse any that
        # is not for 127.0.0.1. Only foreign URLs are routed: routing the local ones would
        # also intercept the search worker, which Playwright handles poorly.
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route(lambda url: not local(url), lambda route: route.abort())
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not local(u)]


def build_example(root: Path, as_of: Any) -> Path:
    """Check the handbook at ``root`` as of ``as_of`` (a date), build its site as
    ``handbook build`` does, and return the site folder; asserts the handbook is valid and the
    build had no problems."""
    from generator import pipeline
    from generator.build import Layout, build_site, inputs_for
    from generator.diagnostics import exit_code

    checked = pipeline.check(root, as_of, as_of)
    assert exit_code(checked.diagnostics) == 0, checked.diagnostics
    handbook = checked.handbook
    findings = pipeline.staleness(checked)
    layout = Layout.at(root)
    result = build_site(
        layout,
        handbook,
        inputs_for(checked, handbook, findings),
        checked.tree,
        checked.site.config,
        banner=checked.as_of.banner,
    )
    assert result.problems == []
    return layout.site_dir


def local(url: str) -> bool:
    return urlsplit(url).hostname == "127.0.0.1"
