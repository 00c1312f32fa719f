"""Browser fixtures for the e2e modules that define a ``site`` fixture (a built site folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import Visit, launch, serving


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The module's ``site`` served on 127.0.0.1."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture
def visit(browser: Any, base_url: str) -> Iterator[Visit]:
    v = Visit(browser, base_url)
    try:
        yield v
    finally:
        v.context.close()
