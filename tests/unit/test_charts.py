"""generator/charts: static SVG with a title, a description and a text equivalent; marks shaped
by state, links to the right page, values escaped, and nothing the site's sanitizer removes."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from generator import sanitize
from generator.charts import dashboard, pages, svg
from generator.charts.deadlines import Deadline, state
from generator.evidence.measures import Audit, Benchmark, Metric
from generator.evidence.summary import Summary
from generator.model import Step

TODAY = date(2026, 11, 1)
EVIL = 'Evil <script>alert(1)</script> "q" & co'


def tool(tid: str, name: str | None = None, status: str = "approved") -> Any:
    return SimpleNamespace(id=tid, name=name or tid.title(), status=status)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("most", "expected"),
    [
        (0.597, [0, 0.2, 0.4, 0.6]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (1, [0, 0.25, 0.5, 0.75, 1]),
        (7, [0, 2, 4, 6, 8]),
        (12, [0, 5, 10, 15]),
        (0.04, [0, 0.01, 0.02, 0.03, 0.04]),
        (0, [0, 1]),
        (3e-13, [0, 1e-13, 2e-13, 3e-13]),
        (float("inf"), [0, 1]),
    ],
)
def test_ticks_are_round_and_reach_the_largest_value(most: float, expected: list[float]) -> None:
    assert svg.ticks(most) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("least", "most", "expected"),
    [
        (-50, -30, [-60, -40, -20, 0]),  # time saved can be negative: all of it in view
        (-3, 7, [-5, -2.5, 0, 2.5, 5, 7.5]),
        (-0.5, 0, [-0.6, -0.4, -0.2, 0]),
    ],
)
def test_ticks_take_in_negative_values(least: float, most: float, expected: list[float]) -> None:
    assert svg.ticks(most, least) == pytest.approx(expected)


def test_negative_time_saved_stays_inside_the_chart() -> None:
    metrics = [
        Metric(0, date(2026, 5, 1), 0.1, 900, -50),
        Metric(1, date(2026, 8, 1), 0.1, 900, -30),
    ]
    chart = pages.metrics(summary([], metrics))
    html = check_figure(chart, 2)
    ys = [float(v) for v in re.findall(r'<circle cx="[\d.]+" cy="([-\d.]+)"', html)]
    assert len(ys) == 2 and all(16 <= v <= 166 for v in ys)


@pytest.mark.parametrize(
    ("due", "window", "expected"),
    [
        (days(-1), 30, "late"),
        (days(0), 30, "soon"),  # due today is not late yet (the checks' rule)
        (days(30), 30, "soon"),
        (days(31), 30, "later"),
        (days(1), 0, "later"),
    ],
)
def test_deadline_state_agrees_with_the_checks(due: date, window: int, expected: str) -> None:
    assert state(due, TODAY, window) == expected


def elements(html: str) -> list[str]:
    return re.findall(r"<([a-z]+)[\s>/]", html)


def check_figure(chart: svg.Chart | None, rows: int) -> str:
    """The shared promises: title and description named by aria-labelledby, the same title in
    the caption, a collapsed table with ``rows`` rows, nothing the sanitizer removes, no script,
    no reference to another file."""
    assert chart is not None
    html = svg.figure(chart)
    cid = f"hb-chart-{chart.key}"
    assert f'aria-labelledby="{cid}-t {cid}-d"' in html
    assert f'<title id="{cid}-t">' in html and f'<desc id="{cid}-d">' in html
    assert "<figcaption>" in html and "<details" in html and "<summary>" in html
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert table.count("<tr>") == rows
    assert sanitize.removed(html) == []
    assert "\n\n" not in html  # one raw HTML block for Python-Markdown
    assert not re.search(r"<(script|use|image|foreignObject|style)\b", html)
    assert "http" not in html  # nothing from another host
    return html


def test_status_bars() -> None:
    chart = dashboard.status_bars([("approved", "approved", 3), ("pilot", "in pilot", 1)])
    html = check_figure(chart, 2)
    assert chart.desc == "4 tools: 3 approved, 1 in pilot."
    assert html.count('class="hb-s-approved"') == 1


def test_deadline_timeline_marks_link_to_their_tool_shaped_by_state() -> None:
    a, b = tool("alpha", EVIL), tool("beta")
    rows = [
        (a, [Deadline("alpha", days(-3), "output audit", "s", "late")]),
        (
            b,
            [
                Deadline("beta", days(10), "access review", "s", "soon"),
                Deadline("beta", days(90), "certificate stops being current", "s", "later"),
            ],
        ),
    ]
    html = check_figure(dashboard.timeline(rows, TODAY, 180), 3)
    marks = re.findall(r'<a xlink:href="\.\./tools/(\w+)/"[^>]*><title>([^<]*)</title><(\w+)', html)
    assert html.count('tabindex="-1"') == 3  # the marks; the rows' names stay in the tab order
    shapes = {(tid, shape) for tid, title, shape in marks if "," in title}
    assert shapes == {("alpha", "path"), ("beta", "polygon"), ("beta", "circle")}
    assert "Evil &lt;script&gt;" in html and "<script>" not in html
    titles = [t for tid, t, _ in marks if tid == "beta" and "," in t]
    assert titles == [
        "Beta: access review, due in 10 days (on 2026-11-11): due soon",
        "Beta: certificate stops being current, due in 90 days (on 2027-01-30): scheduled",
    ]


def test_empty_timeline_says_so() -> None:
    chart = dashboard.timeline([], TODAY, 180)
    assert chart.desc == "No deadline falls in the next 180 days."
    check_figure(chart, 0)


def step(sid: str) -> Step:
    return Step(sid, sid.title(), "purpose", "owner", (), (), "p")


def test_heatmap_cells_link_to_the_steps_evidence() -> None:
    steps = [step("pilot"), step("output-audit")]
    states = [
        SimpleNamespace(step=steps[0], state="stale"),
        SimpleNamespace(step=steps[1], state="done"),
    ]
    html = check_figure(dashboard.heatmap([(tool("alpha"), states)], steps), 1)
    cell = '<a xlink:href="../tools/alpha/#hb-step-pilot" tabindex="-1"><title>Alpha · Pilot: stale'
    assert cell in html  # out of the tab order: the table's cells link to the same places
    assert '<td><a href="../tools/alpha/#hb-step-pilot">✗ stale</a></td>' in html
    assert re.search(r'class="hb-k-stale"/><text [^>]*class="hb-sym"[^>]*>✗</text>', html)
    assert '<td><a href="../tools/alpha/#hb-step-output-audit">✓ done</a></td>' in html


def test_completion_per_phase_shares() -> None:
    rows = [("Phase 1: Assess", "../procedure/phase-1/", {"done": 3, "stale": 1})]
    chart = dashboard.completion(rows)
    html = check_figure(chart, 1)
    assert "75% done" in html and ">✗ 25%<" in html and ">✓ 75%<" in html
    assert "<title>Phase 1: Assess: stale, 1 of 4 steps (25%)</title>" in html
    assert '<td><a href="../procedure/phase-1/">Phase 1: Assess</a></td>' in html


def test_a_narrow_share_still_says_its_state() -> None:
    """A share too narrow for its percentage keeps its symbol; one too narrow for that keeps
    its title (and the table): never colour alone."""
    counts = {"done": 200, "due-soon": 8, "excepted": 1}  # 18 and 2 units wide
    html = check_figure(dashboard.completion([("Phase 2", "../p/", counts)]), 1)
    assert re.search(r"<title>Phase 2: due soon, 8 of 209 steps \(4%\)</title><rect[^>]*/>"
                     r"<text[^>]*>!</text>", html)  # fmt: skip
    assert re.search(r"<title>Phase 2: exception, 1 of 209 steps \(0%\)</title><rect[^>]*/></g>",
                     html)  # fmt: skip


def test_status_history_in_order_with_dates() -> None:
    changes = [
        (date(2026, 1, 5), None, "proposed", "abc1234", "Propose"),
        (date(2026, 2, 1), "proposed", "sandbox", "bcd2345", "Sandbox <b>it</b>"),
        (date(2026, 4, 1), "sandbox", "approved", "cde3456", "Approve"),
    ]
    chart = pages.status_history(changes, TODAY, lambda s: s)
    html = check_figure(chart, 3)
    assert chart is not None
    assert chart.desc.startswith(
        "From the repository's history, dated by commit: "
        "proposed (2026-01-05) → sandbox (2026-02-01) → "
        "approved (2026-04-01)"
    )
    assert "Sandbox &lt;b&gt;it&lt;/b&gt;" in html
    assert pages.status_history([], TODAY, str) is None


def test_status_history_after_a_pinned_as_of_day_stays_in_the_picture() -> None:
    changes = [(date(2026, 11, 28), None, "approved", "abc1234", "Add")]
    chart = pages.status_history(changes, TODAY, str)
    html = check_figure(chart, 1)
    assert chart is not None and "(1 committed after that day" in chart.desc
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', html)]
    assert xs and all(16 <= x <= pages.WIDTH - 16 for x in xs)


COMMITTED = (date(2026, 1, 5), None, "proposed", "abc1234", "Propose")
LATER = (date(2026, 11, 28), "proposed", "pilot", "bcd2345", "Pilot")
#: after a pinned as-of day, a change that is not committed yet keeps the timeline in order
PENDING_AFTER = (date(2026, 11, 28), "pilot", "approved", "", "")
FILES_NOW = "the pages show the files as they were when the site was built"


@pytest.mark.parametrize(
    ("changes", "path", "note"),
    [
        ([COMMITTED], "proposed (2026-01-05)", ""),
        (
            [COMMITTED, LATER],
            "proposed (2026-01-05) → pilot (2026-11-28)",
            f" (1 committed after that day: {FILES_NOW}, dates judged as of that day)",
        ),
        (
            [COMMITTED, (TODAY, "proposed", "approved", "", "")],
            "proposed (2026-01-05) → approved (not committed yet)",
            f" (the last change is not committed yet: {FILES_NOW})",
        ),
        (
            [COMMITTED, LATER, PENDING_AFTER],
            "proposed (2026-01-05) → pilot (2026-11-28) → approved (not committed yet)",
            f" (1 committed after that day, and the last change not committed yet: {FILES_NOW},"
            " dates judged as of that day)",
        ),
        (
            [(TODAY, None, "proposed", "", "")],  # a new file
            "proposed (not committed yet)",
            f" (the last change is not committed yet: {FILES_NOW})",
        ),
    ],
)
def test_status_history_caption_says_what_the_pages_show(
    changes: list[tuple[date, str | None, str, str, str]], path: str, note: str
) -> None:
    """A change with no commit is the work tree's, not committed yet: said in the caption, on
    its label (instead of a date) and in the table (instead of a commit)."""
    chart = pages.status_history(changes, TODAY, str)
    html = check_figure(chart, len(changes))
    assert chart is not None
    assert chart.desc == (
        f"From the repository's history, dated by commit: {path}; as of {TODAY}{note}."
    )
    labels = re.findall(r'class="hb-label"[^>]*>[^<]*</text><text [^>]*>([^<]*)</text>', html)
    pending = [c for c in changes if not c[3]]
    assert labels == [str(c[0]) for c in changes if c[3]] + ["not committed yet"] * len(pending)
    cells = re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>(.*?)</td></tr>", html)
    assert cells[len(changes) - len(pending) :] == ["not committed yet"] * len(pending)


def test_tool_deadlines_one_row_each() -> None:
    found = [
        Deadline("a", days(-5), "output audit", "A: output audit due", "late"),
        Deadline("a", days(400), "vendor review", "A: vendor review due", "later"),
    ]
    html = check_figure(pages.deadlines(found, TODAY), 2)
    assert "overdue by 5 days" in html
    assert pages.deadlines([], TODAY) is None


def summary(audits: list[Audit], metrics: list[Metric] | None = None) -> Summary:
    bench = Benchmark(date(2026, 1, 1), 40, 36, 37, 1)
    verdicts = tuple(SimpleNamespace(audit=a, rate=None, drift=False, too_small=a.index == 3,
                                     tested=a.index == 3) for a in audits)  # fmt: skip
    return Summary(bench, None, verdicts, (), None, tuple(metrics or ()))  # type: ignore[arg-type]


def test_audits_over_time_with_intervals_and_the_benchmark() -> None:
    audits = [
        Audit(0, date(2026, 6, 1), "R", False, 30, 3),
        Audit(1, date(2026, 7, 1), "R", True, 30, 9),
        Audit(2, date(2026, 8, 1), "R", False, None, None),  # not counted: not drawn
        Audit(3, date(2026, 9, 1), "R", True, 20, 2),  # too small for the test; drift recorded
    ]
    chart = pages.audits(summary(audits), lambda v: f"{100 * v:.0f}%")
    html = check_figure(chart, 3)
    assert "benchmark 10%" in html  # 4 errors in 40 tasks
    assert html.count('class="hb-whisker"') == 3
    # the reviewer's verdicts count, as in the page's audit table
    assert html.count("hb-cross") == 2
    assert "<td>too small to tell; the reviewer recorded drift</td>" in html
    assert "<td>not tested; the reviewer recorded drift</td>" in html
    assert chart is not None and "; 2 showing drift" in chart.desc
    assert pages.audits(summary(audits[:1]), str) is None  # one audit is no trend


def test_metrics_over_time() -> None:
    metrics = [
        Metric(0, date(2026, 5, 1), 0.1, 900, 12, 40, 5),
        Metric(1, date(2026, 8, 1), 0.08, 800, 15),
    ]
    chart = pages.metrics(summary([], metrics))
    check_figure(chart, 2)
    assert chart is not None and "12 min first, 15 min latest" in chart.desc
    assert pages.metrics(summary([], metrics[:1])) is None


def test_certificate_validity_bars() -> None:
    certs = [
        ("SOC 2 Type II", date(2025, 6, 1), days(-10), "lapsed"),
        (EVIL, date(2025, 1, 1), days(20), "expiring soon"),
    ]
    chart = pages.validity(certs, TODAY)
    html = check_figure(chart, 2)
    assert chart is not None and "1 lapsed" in chart.desc
    assert html.count('class="hb-k-late hb-bar"') == 1
    assert pages.validity([], TODAY) is None


def test_no_value_can_end_the_raw_html_block() -> None:
    """A blank line would end Python-Markdown's raw HTML block and let Markdown read the rest."""
    chart = dashboard.status_bars([("approved", "line one\n\n# heading", 1)])
    html = check_figure(chart, 1)
    assert "line one # heading" in html


def test_a_status_from_an_old_revision_cannot_leave_its_attribute() -> None:
    """An old revision's status can be any text: it is a class token and escaped text."""
    evil = 'a-->b" onmouseover="alert(1)" x="'
    changes = [
        (date(2026, 1, 5), None, evil, "abc1234", "x"),
        (date(2026, 2, 1), evil, "pilot", "b", "y"),
    ]
    html = check_figure(pages.status_history(changes, TODAY, str), 2)
    assert 'class="hb-s-other"' in html and 'onmouseover="' not in html
    assert svg.token("") == "other"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        ("approved", "hb-s-approved"),
        ("restricted", "hb-s-restricted"),
        # not a status of the schema: an old or mistyped value, even one named like a state
        ("in-review", "hb-s-other"),
        ("late", "hb-s-other"),
        ("soon", "hb-s-other"),
        ("Approved", "hb-s-other"),
        ("", "hb-s-other"),
        (None, "hb-s-other"),
    ],
)
def test_a_status_is_painted_by_its_own_class(status: str | None, cls: str) -> None:
    """Statuses and deadline states do not share classes: a status once written "late" is not
    drawn as an overdue deadline, and an unknown one is drawn as such, not black."""
    assert svg.status_class(status) == cls


@pytest.mark.parametrize(
    ("start", "end", "most"),
    [
        (date(2026, 1, 1), date(2026, 7, 1), 7),  # every month
        (date(2020, 1, 1), date(2030, 1, 1), 11),  # every year
        (date(1900, 1, 1), date(2999, 12, 31), 12),  # the schema's limits: every century
        (date(1970, 1, 1), date(9999, 12, 31), 14),  # a commit dated past year 9999
    ],
)
def test_a_time_axis_keeps_room_for_its_labels(start: date, end: date, most: int) -> None:
    scale = svg.TimeScale(start, end, 0, 700)
    parts = svg.month_axis(scale, 10, 100)
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)"', "".join(parts))]
    assert 2 <= len(xs) <= most
    assert all(b - a >= 48 for a, b in itertools.pairwise(xs))


def test_only_the_deadline_an_exception_accepts_is_drawn_as_excepted() -> None:
    from generator.charts.deadlines import deadlines
    from generator.checks.due import Due
    from generator.model import Policy

    day = days(-3)
    dues = [
        Due(
            day,
            "a",
            "A: output audit due",
            "t",
            "tool",
            "output_audit",
            "output-audit",
            None,
            ("t",),
        ),
        Due(day, "b", "A: stay ends", "t", "tool", "stage", None, None, ("t",)),
        Due(
            day,
            "c",
            "A: vendor review due",
            "t",
            "tool",
            "vendor_review",
            "vendor-review",
            None,
            ("t",),
        ),
    ]
    accepted = {(str(day), "output-audit", "output-audit-overdue")}
    found = deadlines(dues, "t", Policy("registry/policy.yaml", {}), TODAY, accepted)
    assert [(d.kind, d.state) for d in found] == [
        ("longest stay in status ends", "late"),
        ("output audit", "excepted"),
        ("vendor review", "late"),
    ]


@pytest.mark.parametrize("today", [date(1, 1, 15), date.max, date(9999, 12, 1)])
def test_every_chart_draws_at_the_ends_of_the_calendar(today: date) -> None:
    """``--as-of`` may be any date Python can hold: no chart's axis may step past year 1 or
    9999 (they saturate, as ``model.shift`` does for the checks)."""
    near = [today, date.min if today.year == 1 else date.max]
    a = tool("alpha")
    rows = [(a, [Deadline("alpha", d, "output audit", "s", "later") for d in near])]
    for chart in (
        dashboard.timeline(rows, today, 180),
        dashboard.timeline([], today, 180),
        pages.deadlines(rows[0][1], today),
        pages.status_history([(today, None, "approved", "abc", "x")], today, str),
        pages.validity([("ISO/IEC 27001", near[0], near[1], "current")], today),
        pages.metrics(
            summary([], [Metric(0, near[0], 0.1, 900, 12), Metric(1, near[1], 0.1, 900, 14)])
        ),
    ):
        assert chart is not None
        assert "NaN" not in svg.figure(chart)


def test_one_of_a_kind_is_singular() -> None:
    one = [(tool("alpha"), [Deadline("alpha", days(3), "output audit", "s", "soon")])]
    assert dashboard.timeline(one, TODAY, 180).desc.startswith("1 deadline of 1 tool up to")
    assert dashboard.status_bars([("approved", "approved", 1)]).desc == "1 tool: 1 approved."
    deadlines = pages.deadlines(one[0][1], TODAY)
    assert deadlines is not None and deadlines.desc.startswith("1 deadline from")
    validity = pages.validity([("ISO/IEC 27001", days(-30), days(30), "current")], TODAY)
    assert validity is not None and validity.desc.startswith("1 certification, 0 lapsed")
    assert svg.many(1204, "tool") == "1,204 tools"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Quillmark Draft", "Quillmark Draft"),
        ("A" * 28, "A" * 28),
        ("A" * 29, "A" * 27 + "…"),
        ("Northwind Code Companion Enterprise", "Northwind Code Companion En…"),
        ("Northwind Code Companion E xtra", "Northwind Code Companion E…"),
        ("Northwind Code Companion   Extra", "Northwind Code Companion…"),  # no space before …
        ("文" * 14, "文" * 14),  # wide characters take two columns each
        ("文" * 15, "文" * 13 + "…"),
        ("\uff41" * 30, "\uff41" * 13 + "…"),  # fullwidth letters: two columns too
        ("e\u0301\u0301\u0301\u0301x", "e\u0301\u0301x"),  # at most two marks a character
        ("\u0301\u0301abc", "abc"),  # marks with no character under them
        ("\u200b" * 100 + "Quill", "Quill"),  # zero-width spaces take no column
        # a family (emoji joined by U+200D) and a flag are never cut in the middle
        ("A" * 26 + "\U0001f468\u200d\U0001f469\u200d\U0001f467x", "A" * 26 + "…"),
        (
            "A" * 25 + "\U0001f468\u200d\U0001f469\u200d\U0001f467xyz",
            "A" * 25 + "\U0001f468\u200d\U0001f469\u200d\U0001f467…",
        ),
        ("A" * 26 + "\U0001f1fa\U0001f1f8xx", "A" * 26 + "…"),
        ("A" * 24 + "\U0001f1fa\U0001f1f8xxxx", "A" * 24 + "\U0001f1fa\U0001f1f8x…"),
    ],
)
def test_a_label_is_cut_to_the_width_of_its_column(name: str, shown: str) -> None:
    """Labels are cut by columns, not characters: wide names stay inside the label column and
    stacked combining marks do not spill over the next row (the full name is in the title)."""
    assert svg.clip(name) == shown


@pytest.mark.parametrize(
    ("xs", "expected"),
    [
        ([300, 400], (74, "start")),  # nothing near the left end
        ([80, 400], (736, "end")),  # a point at the left: the right end
        ([80, 300, 736], (190, "middle")),  # both ends taken: a gap wide enough
        ([80, 120, 700, 736], (410, "middle")),
        ([80, 100, 120, 140, 700, 720, 736], (420, "middle")),
        ([float(x) for x in range(74, 740, 20)], (74, "start")),  # no room anywhere
    ],
)
def test_the_baseline_label_avoids_the_points(xs: list[float], expected: tuple[float, str]) -> None:
    assert pages._free_span(xs, 74, 736, 90) == expected


@pytest.mark.parametrize(
    ("labels", "lanes"),
    [
        ([(20, 100), (300, 100)], [0, 0]),  # far apart: one lane
        ([(20, 100), (60, 100), (100, 100)], [0, 1, 2]),  # three within weeks: three lanes
        ([(20, 100), (60, 100), (200, 100)], [0, 1, 0]),  # the first lane is free again
        ([(600, 100), (640, 100)], [0, 1]),  # right-anchored labels end at their tick
        ([(500, 60), (560, 60)], [0, 1]),  # 500-560 and 500-560 (drawn leftwards)
    ],
)
def test_status_labels_take_as_many_lanes_as_they_need(
    labels: list[tuple[float, float]], lanes: list[int]
) -> None:
    assert pages.label_lanes(labels) == lanes


def test_three_changes_a_week_apart_do_not_overlap() -> None:
    changes = [
        (date(2026, 3, 2), None, "proposed", "a", "x"),
        (date(2026, 3, 9), "proposed", "sandbox", "b", "y"),
        (date(2026, 3, 16), "sandbox", "pilot", "c", "z"),
    ]
    chart = pages.status_history(changes, TODAY, str)
    html = check_figure(chart, 3)
    label = r'<text x="[\d.]+" y="([\d.]+)" class="hb-label"'
    ys = sorted({float(y) for y in re.findall(label, html)})
    assert len(ys) == 3  # each label on its own lane
    assert chart is not None and chart.height >= ys[-1] + 11


def test_a_lone_surrogate_cannot_stop_a_figure() -> None:
    """A pure-Python YAML parser accepts "\\ud800" in an old revision's status: the figure is
    still signed and published (UTF-8 cannot carry a lone surrogate)."""
    changes = [
        (date(2025, 1, 1), None, "approved", "abc", "s"),
        (date(2025, 2, 1), "approved", "x\ud800y", "def", "s\udfff2"),
    ]
    html = check_figure(pages.status_history(changes, TODAY, str), 2)
    assert "x?y" in html and "\ud800" not in html
    html.encode("utf-8")
