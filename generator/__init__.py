"""AI-tool governance as code: load -> validate -> model -> render -> build -> check -> report."""

from __future__ import annotations

__version__ = "0.1.0"
