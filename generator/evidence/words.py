"""Figures in words, the same in findings and on the site: percentages, points, p-values."""

from __future__ import annotations

from generator.evidence.stats import Interval


def percent(ratio: float) -> str:
    """0.875 -> '87.5%'; 0.9 -> '90%' (one decimal, none when it is 0)."""
    text = f"{ratio * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def points(diff: float) -> str:
    """A difference of two ratios in percentage points: -0.075 -> '-7.5 points'."""
    text = f"{diff * 100:+.1f}".replace("+0.0", "0").replace("-0.0", "0")
    text = text[:-2] if text.endswith(".0") else text
    return f"{text} points"


def interval(iv: Interval, *, difference: bool = False) -> str:
    """'87.5% (95% interval 73.9% to 94.5%)', or in points for a difference."""
    shown = points if difference else percent
    return f"{shown(iv.estimate)} (95% interval {shown(iv.low)} to {shown(iv.high)})"


def p_value(p: float) -> str:
    """'p = 0.022'; 'p < 0.001' below that; two significant figures."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.2g}" if p < 0.1 else f"p = {p:.2f}"
