"""The charts of a tool's page (status history, its deadlines, audits and metrics over time) and
of a vendor's page (each certificate's validity against the build's day).

Each function takes plain data and returns a :class:`~generator.charts.svg.Chart`, or None when
there is nothing to draw (the page then says so in words).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from generator.charts import svg
from generator.charts.deadlines import STATES as DEADLINE_STATES
from generator.charts.deadlines import Deadline
from generator.charts.svg import h
from generator.checks.due import when
from generator.evidence import stats
from generator.evidence.judge import AuditVerdict
from generator.evidence.summary import Summary
from generator.model import shift

WIDTH = 760


#: Said of a change of the work tree, in place of its date (on the chart) or commit (in the table).
PENDING = "not committed yet"


def status_history(
    changes: Sequence[tuple[date, str | None, str, str, str]], today: date,
    words: Callable[[str], str],
) -> svg.Chart | None:  # fmt: skip
    """A tool's status over time: ``changes`` are (date, old, new, commit, subject), oldest
    first, from git (:func:`generator.history.scan`); a last change with no commit ("") is the
    work tree's, not committed yet (the page shows it), labelled so instead of its date. Each
    status a band from its change to the next (the last to ``today``), each change a tick
    labelled with the status and date (on as many lanes as keep labels apart:
    :func:`label_lanes`). ``words`` turns a status into its words."""
    if not changes:
        return None
    end = max(today, changes[-1][0])  # a pinned as-of day may come before the last commit
    start = min(changes[0][0], shift(end, -30))
    scale = svg.TimeScale(start, end, 16, WIDTH - 16)
    top, band = 40, 22
    body = svg.month_axis(scale, top, top + band)
    for i, (day, _old, new, _sha, _subject) in enumerate(changes):
        until = changes[i + 1][0] if i + 1 < len(changes) else end
        x, x2 = scale.x(day), scale.x(until)
        body.append(svg.rect(x, top, max(x2 - x, 2), band, svg.status_class(new)))
    labels = [
        (scale.x(day), words(new), str(day) if sha else PENDING)
        for day, _old, new, sha, _subject in changes
    ]
    lanes = label_lanes([(x, max(len(a), len(b)) * LABEL_UNITS) for x, a, b in labels])
    for (x, word, dated), lane in zip(labels, lanes, strict=True):
        y = top + band + 16 + 26 * lane
        anchor = "start" if x < WIDTH * 0.7 else "end"
        body.append(svg.line(x, top, x, y - 11, "hb-tick"))
        body.append(svg.text(x, y, word, "hb-label", anchor))
        body.append(svg.text(x, y + 11, dated, "hb-small", anchor))
    path = " → ".join(
        f"{words(new)} ({day if sha else PENDING})" for day, _o, new, sha, _s in changes
    )
    return svg.Chart(
        "history",
        "Status history",
        f"From the repository's history, dated by commit: {path}; as of {today}"
        f"{_history_note(changes, today)}.",
        WIDTH,
        top + band + 30 + 26 * (max(lanes) + 1),
        body,
        svg.Table(
            ("Date", "From", "To", "Commit"),
            [
                (
                    str(day),
                    h(words(old)) if old else "(file added)",
                    h(words(new)),
                    f"<code>{h(sha)}</code> {h(subject)}" if sha else PENDING,
                )
                for day, old, new, sha, subject in changes
            ],
        ),
    )


#: Width of a label's character, in SVG units (12px text: a little over an average glyph).
LABEL_UNITS = 6.6
#: Space between two labels on one lane.
LABEL_GAP = 8


def label_lanes(labels: Sequence[tuple[float, float]]) -> list[int]:
    """A lane (0, 1, 2...) for each label of ``labels``, (x of its tick, width), in order of x:
    the first lane where it does not overlap the lane's last label. A label starts at its tick,
    or ends there in the right 30% of the chart (as drawn)."""
    ends: list[float] = []  # right edge of each lane's last label
    out = []
    for x, width in labels:
        left = x if x < WIDTH * 0.7 else x - width
        lane = next((i for i, e in enumerate(ends) if left >= e + LABEL_GAP), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = left + width
        out.append(lane)
    return out


def _history_note(changes: Sequence[tuple[date, str | None, str, str, str]], today: date) -> str:
    """Why the history goes past the as-of day or past the last commit: the pages show the
    files as they were at the build (the work tree), dates judged as of ``today``; '' when it
    does neither."""
    later = sum(1 for day, _o, _n, sha, _s in changes if sha and day > today)
    pending = not changes[-1][3]
    files = "the pages show the files as they were when the site was built"
    if later and pending:
        return (
            f" ({later} committed after that day, and the last change {PENDING}: {files}, "
            "dates judged as of that day)"
        )
    if later:
        return f" ({later} committed after that day: {files}, dates judged as of that day)"
    return f" (the last change is {PENDING}: {files})" if pending else ""


def deadlines(found: Sequence[Deadline], today: date) -> svg.Chart | None:
    """A tool's own deadlines, one row each, as marks against a time axis with today marked."""
    if not found:
        return None
    left, top = 230, 30
    # a year back and five ahead at most; a date outside sits at the edge, its label saying so
    start = max(min(found[0].day, shift(today, -30)), shift(today, -365))
    end = min(max(found[-1].day, shift(today, 90)), shift(today, 5 * 365))
    scale = svg.TimeScale(start, shift(end, 7), left, WIDTH - 12)
    bottom = top + svg.ROW * len(found)
    body = [svg.rect(scale.x0, top, scale.x(today) - scale.x0, bottom - top, "hb-past")]
    body += svg.month_axis(scale, top, bottom)
    for i, d in enumerate(found):
        y = top + i * svg.ROW
        shape, word = DEADLINE_STATES[d.state]
        body.append(svg.text(left - 8, y + 13, svg.clip(d.kind, 34), "hb-label", "end"))
        x = scale.x(d.day)
        body.append(svg.mark(shape, x, y + svg.ROW / 2, f"hb-k-{d.state}"))
        outside = " (beyond the axis)" if d.day > end or d.day < start else ""
        label = f"{d.day}{outside}, {word}"
        anchor = "start" if x < WIDTH - 140 else "end"
        body.append(
            svg.text(x + (9 if anchor == "start" else -9), y + 13, label, "hb-small", anchor)
        )
    x = scale.x(today)
    body.append(svg.line(x, top - 2, x, bottom, "hb-today"))
    body.append(svg.text(x, bottom + 14, f"today, {today}", "hb-small", "middle"))
    late = [d for d in found if d.state == "late"]
    return svg.Chart(
        "deadlines",
        "Deadlines",
        f"{svg.many(len(found), 'deadline')} from {found[0].day} to {found[-1].day}"
        + (f"; {len(late)} overdue" if late else "; none overdue")
        + "".join(
            f"; {n} covered by an exception"
            for n in [sum(1 for d in found if d.state == "excepted")]
            if n
        )
        + f"; as of {today}.",
        WIDTH,
        bottom + 20,
        body,
        svg.Table(
            ("Due", "Deadline", "When", "State"),
            [
                (str(d.day), h(d.summary), h(when(d.day, today)), h(DEADLINE_STATES[d.state][1]))
                for d in found
            ],
        ),
    )


@dataclass(frozen=True, slots=True)
class Point:
    """One dated value with an optional interval; ``late`` draws it as a cross (drift)."""

    day: date
    value: float
    low: float | None = None
    high: float | None = None
    late: bool = False


def series(
    key: str, title: str, desc: str, points: Sequence[Point], unit: Callable[[float], str],
    table: svg.Table, baseline: tuple[float, str] | None = None,
) -> svg.Chart:  # fmt: skip
    """Dated values as dots joined by a line, with interval whiskers and an optional dashed
    baseline; the y axis from 0 (or the lowest value, when below it) to the largest shown."""
    left, top, height = 70, 16, 150
    first, last = points[0].day, points[-1].day
    pad = max((last - first).days // 20, 10)
    scale = svg.TimeScale(shift(first, -pad), shift(last, pad), left, WIDTH - 20)
    shown = [p.value for p in points] + [
        v for p in points for v in (p.low, p.high) if v is not None
    ]
    shown += [baseline[0]] if baseline else []
    steps = svg.ticks(max(shown), min(shown))  # 0 always in view, negative values too
    least, most = steps[0], steps[-1]

    def y(value: float) -> float:
        return top + height - height * (value - least) / (most - least)

    body = svg.month_axis(scale, top, top + height, below=True)
    for value in steps:
        body.append(svg.line(left, y(value), WIDTH - 20, y(value), "hb-grid"))
        body.append(svg.text(left - 6, y(value) + 4, unit(value), "hb-small", "end"))
    xy = [(scale.x(p.day), y(p.value)) for p in points]
    if baseline is not None:
        body.append(svg.line(left, y(baseline[0]), WIDTH - 20, y(baseline[0]), "hb-baseline"))
        x, anchor = _free_span([px for px, _ in xy], left + 4, WIDTH - 24, 6 * len(baseline[1]))
        body.append(svg.text(x, y(baseline[0]) - 4, baseline[1], "hb-small", anchor))
    if len(xy) > 1:
        pts = " ".join(f"{svg.num(a)},{svg.num(b)}" for a, b in xy)
        body.append(f'<polyline points="{pts}" class="hb-series"/>')
    for p, (px, py) in zip(points, xy, strict=True):
        if p.low is not None and p.high is not None:
            body.append(svg.line(px, y(p.low), px, y(p.high), "hb-whisker"))
        shape, cls = ("cross", "hb-k-late") if p.late else ("circle", "hb-k-point")
        body.append(svg.mark(shape, px, py, cls))
    return svg.Chart(key, title, desc, WIDTH, top + height + 20, body, table)


def _free_span(xs: Sequence[float], x0: float, x1: float, width: float) -> tuple[float, str]:
    """Where a label ``width`` units wide fits between ``x0`` and ``x1`` without covering any
    of ``xs`` (the points and their whiskers): (x, text-anchor), at the left end, the right
    end or the middle of the first gap between two points wide enough; the left end if none
    is free."""
    clear = 8.0  # from a point's centre: its mark and whisker
    spans = [(x0, x0 + width, x0, "start"), (x1 - width, x1, x1, "end")]
    marks = sorted(xs)
    for a, b in itertools.pairwise(marks):
        mid = (a + b) / 2
        spans.append((mid - width / 2, mid + width / 2, mid, "middle"))
    for lo, hi, x, anchor in spans:
        if all(not lo - clear < m < hi + clear for m in marks):
            return x, anchor
    return x0, "start"


def verdict(v: AuditVerdict) -> str:
    """An audit's verdict in the words of the tool page's audit table: the test's, then the
    reviewer's where the two disagree."""
    a = v.audit
    if v.drift:
        return "drift" + ("" if a.drift else "; the reviewer recorded none")
    if v.too_small:
        said = "too small to tell"
    elif v.tested:
        said = "no evidence of drift"
    else:
        return "not tested; the reviewer recorded " + ("drift" if a.drift else "none")
    return said + ("; the reviewer recorded drift" if a.drift else "")


def audits(summary: Summary, percent: Callable[[float], str]) -> svg.Chart | None:
    """Output audits' error rates with 95% Wilson intervals over time, against the benchmark's
    error rate; an audit showing drift, by the exact test or by the reviewer's verdict, is a
    cross. None with fewer than two counted audits (one is a row of the page's table, not a
    trend)."""
    found = sorted(
        (v for v in summary.audits if v.audit.counted), key=lambda v: (v.audit.date, v.audit.index)
    )
    if len(found) < 2:
        return None
    points, rows = [], []
    for v in found:
        a = v.audit
        assert a.errors is not None and a.sample_size is not None  # counted
        rate = v.rate or stats.wilson(a.errors, a.sample_size)
        points.append(Point(a.date, rate.estimate, rate.low, rate.high, v.drift or a.drift))
        rows.append((str(a.date), f"{a.errors} of {a.sample_size}",
                     f"{percent(rate.estimate)} ({percent(rate.low)} to {percent(rate.high)})",
                     h(verdict(v))))  # fmt: skip
    bench = summary.benchmark
    baseline = (bench.error_rate, f"benchmark {percent(bench.error_rate)}") if bench else None
    drift = sum(1 for p in points if p.late)
    return series(
        "audits",
        "Output audits over time",
        f"Error rate of {len(found)} counted audits from {found[0].audit.date} to "
        f"{found[-1].audit.date}, with 95% intervals"
        + (f", against the benchmark's {percent(bench.error_rate)}" if bench else "")
        + (
            f"; {drift} showing drift (by the test or the reviewer's verdict: a cross)."
            if drift
            else "; none showing drift."
        ),
        points,
        percent,
        svg.Table(("Audit", "Errors", "Error rate (95% interval)", "Verdict"), rows),
        baseline,
    )


def metrics(summary: Summary) -> svg.Chart | None:
    """Minutes saved per task at each performance measurement, over time (None with fewer than
    two measurements)."""
    found = summary.metrics
    if len(found) < 2:
        return None

    def minutes(v: float) -> str:
        return f"{v:,.0f} min" if abs(v) >= 10 or v == int(v) else f"{v:,.1f} min"

    points = [Point(m.measured, m.time_saved_minutes) for m in found]
    rows = [
        (str(m.measured), minutes(m.time_saved_minutes), f"{m.error_rate:.1%}",
         f"{m.latency_ms:,.0f} ms",
         f"{m.tasks_per_month:,g}" if m.tasks_per_month is not None else "—",
         f"{m.active_users:,}" if m.active_users is not None else "—")
        for m in found
    ]  # fmt: skip
    return series(
        "metrics",
        "Time saved over time",
        f"Minutes saved per task at {len(found)} measurements from {found[0].measured} to "
        f"{found[-1].measured}: {minutes(found[0].time_saved_minutes)} first, "
        f"{minutes(found[-1].time_saved_minutes)} latest.",
        points,
        minutes,
        svg.Table(
            ("Measured", "Saved per task", "Error rate", "Latency", "Tasks per month", "Users"),
            rows,
            frozenset({1, 2, 3, 4, 5}),
        ),
    )


#: A certificate's state (generator.tables.CERT_STATES) -> the deadline state drawn for it.
CERT_MARKS = {"current": "later", "expiring soon": "soon", "lapsed": "late"}


def validity(certs: Sequence[tuple[str, date, date, str]], today: date) -> svg.Chart | None:
    """Each certificate's validity as a bar from issue to the last day it counts as current
    (``certs``: name, issued, current until, state: a key of :data:`CERT_MARKS`), with today
    marked; the bar's end is shaped by the state like a deadline."""
    if not certs:
        return None
    left, top = 230, 30
    start = min(c[1] for c in certs)
    end = shift(max(max(c[2] for c in certs), today), 30)
    scale = svg.TimeScale(shift(start, -15), end, left, WIDTH - 12)
    bottom = top + 24 * len(certs)
    keys = [(DEADLINE_STATES[k][0], f"hb-k-{k}", word) for word, k in CERT_MARKS.items()]
    body, _ = svg.legend(keys, left, 14)
    body += svg.month_axis(scale, top, bottom)
    for i, (name, issued, until, state) in enumerate(certs):
        y, kind = top + i * 24, CERT_MARKS[state]
        body.append(svg.text(left - 8, y + 15, svg.clip(name, 34), "hb-label", "end"))
        x1, x2 = scale.x(issued), scale.x(until)
        body.append(svg.rect(x1, y + 4, x2 - x1, 14, f"hb-k-{kind} hb-bar"))
        body.append(svg.mark(DEADLINE_STATES[kind][0], x2, y + 11, f"hb-k-{kind}"))
    x = scale.x(today)
    body.append(svg.line(x, top - 2, x, bottom, "hb-today"))
    body.append(svg.text(x, bottom + 14, f"today, {today}", "hb-small", "middle"))
    lapsed = sum(1 for c in certs if c[3] == "lapsed")
    return svg.Chart(
        "validity",
        "Certificate validity",
        f"{svg.many(len(certs), 'certification')}, {lapsed} lapsed as of {today}; each bar runs "
        "from the issue date to the last day the certificate counts as current.",
        WIDTH,
        bottom + 20,
        body,
        svg.Table(
            ("Certification", "Issued", "Current until", "State"),
            [(h(n), str(i), str(u), h(s)) for n, i, u, s in certs],
        ),
    )
