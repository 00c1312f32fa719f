"""Figures in words, the same in findings and on the site: percentages, points, p-values."""

from __future__ import annotations

from generator.evidence.stats import Interval


def _hundredths(value: float, sign: str = "") -> str:
    """``value`` (already times 100) with one decimal, none when it is 0; two significant
    digits below 0.1, so a tiny setting never reads as 0."""
    if value != 0 and abs(value) < 0.05:
        return f"{value:{sign}.2g}"
    text = f"{value:{sign}.1f}"
    if text in ("+0.0", "-0.0", "0.0"):
        return "0"
    return text[:-2] if text.endswith(".0") else text


def percent(ratio: float) -> str:
    """0.875 -> '87.5%'; 0.9 -> '90%'; 1e-5 -> '0.001%'."""
    return _hundredths(ratio * 100) + "%"


def points(diff: float) -> str:
    """A difference of two ratios in percentage points: -0.075 -> '-7.5 points', +0.1 ->
    '+10 points', 0 -> '0 points'."""
    return f"{_hundredths(diff * 100, '+')} points"


def interval(iv: Interval, *, difference: bool = False) -> str:
    """'87.5% (95% interval 73.9% to 94.5%)', or in points for a difference."""
    shown = points if difference else percent
    return f"{shown(iv.estimate)} (95% interval {shown(iv.low)} to {shown(iv.high)})"


def p_value(p: float) -> str:
    """'p = 0.022'; 'p < 0.001' below that; two significant figures."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.2g}" if p < 0.1 else f"p = {p:.2f}"
