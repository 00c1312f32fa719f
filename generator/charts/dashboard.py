"""The dashboard's charts: tools by status, the deadlines of the next months, the tools x steps
heat map and completion per phase. Each function takes plain data and returns a
:class:`~generator.charts.svg.Chart`.

Links are the published URLs from the dashboard (``/dashboard/``): ``../tools/<id>/``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from generator.charts import svg
from generator.charts.deadlines import STATES as DEADLINE_STATES
from generator.charts.deadlines import Deadline
from generator.charts.svg import h
from generator.checks.due import when
from generator.model import Step, Tool, shift
from generator.status import LABELS, SYMBOLS, StepState

LEFT = 200  # the label column
TOOLS = "../tools/"
#: Days before the build's day a timeline shows (older deadlines sit at its left edge).
PAST_DAYS = 30


def tool_link(tool: Tool, base: str = TOOLS) -> str:
    return f'<a href="{h(base)}{h(tool.id)}/">{h(tool.name)}</a>'


def status_bars(counts: Sequence[tuple[str, str, int]]) -> svg.Chart:
    """Tools by status: ``counts`` is (status, its words, number of tools), in lifecycle order."""
    width, bar = 640, 400
    most = max((n for *_, n in counts), default=0) or 1
    body: list[str] = []
    for i, (status, word, n) in enumerate(counts):
        y = 8 + i * 26
        body.append(svg.text(LEFT - 8, y + 14, word, "", "end"))
        body.append(svg.rect(LEFT, y, bar * n / most, 18, svg.status_class(status)))
        body.append(svg.text(LEFT + bar * n / most + 6, y + 14, f"{n:,}", "hb-num"))
    total = sum(n for *_, n in counts)
    return svg.Chart(
        "status",
        "Tools by status",
        f"{svg.many(total, 'tool')}: "
        + ", ".join(f"{n:,} {word}" for _, word, n in counts if n)
        + ("." if total else "none yet."),
        width,
        16 + 26 * len(counts),
        body,
        svg.Table(("Status", "Tools"), [(h(w), f"{n:,}") for _, w, n in counts], frozenset({1})),
    )


def timeline(rows: Sequence[tuple[Tool, Sequence[Deadline]]], today: date, days: int) -> svg.Chart:
    """Each tool's deadlines from ``PAST_DAYS`` before ``today`` to ``days`` after it, one row
    per tool (soonest first), each deadline a mark linking to the tool's page, shaped and
    coloured by its state. Older overdue deadlines sit at the left edge."""
    width = 760
    top = 46
    scale = svg.TimeScale(shift(today, -PAST_DAYS), shift(today, days),
                          LEFT + 10, width - 12)  # fmt: skip
    bottom = top + svg.ROW * len(rows)
    body, _ = svg.legend([(s, f"hb-k-{k}", w) for k, (s, w) in DEADLINE_STATES.items()], LEFT, 14)
    body.append(svg.rect(scale.x0, top, scale.x(today) - scale.x0, bottom - top, "hb-past"))
    body += svg.month_axis(scale, top, bottom)
    for i, (tool, found) in enumerate(rows):
        y = top + i * svg.ROW
        if i % 2:
            body.append(svg.rect(0, y, width, svg.ROW, "hb-stripe"))
        name = svg.text(LEFT - 8, y + 13, svg.clip(tool.name), "hb-label", "end")
        body.append(svg.link(f"{TOOLS}{tool.id}/", tool.name, name))
        for d in found:
            shape, word = DEADLINE_STATES[d.state]
            label = f"{tool.name}: {d.kind}, {when(d.day, today)}: {word}"
            mark = svg.mark(shape, scale.x(d.day), y + svg.ROW / 2, f"hb-k-{d.state}")
            body.append(svg.link(f"{TOOLS}{tool.id}/", label, mark, focusable=False))
    x = scale.x(today)
    body.append(svg.line(x, top - 2, x, bottom, "hb-today"))
    body.append(svg.text(x, bottom + 14, f"today, {today}", "hb-small", "middle"))
    marks = [(d, t) for t, found in rows for d in found]
    marks.sort(key=lambda p: (p[0].day, p[1].name))
    late = sum(1 for d, _ in marks if d.state == "late")
    soon = sum(1 for d, _ in marks if d.state == "soon")
    return svg.Chart(
        "deadlines",
        f"Deadlines in the next {days} days",
        (
            f"{svg.many(len(marks), 'deadline')} of {svg.many(len(rows), 'tool')} up to "
            f"{shift(today, days)}:"
            f" {late:,} overdue, {soon:,} due soon, {len(marks) - late - soon:,} scheduled."
            if marks
            else f"No deadline falls in the next {days} days."
        ),
        width,
        bottom + 20,
        body,
        svg.Table(
            ("Due", "Tool", "Deadline", "State"),
            [
                (str(d.day), tool_link(t), h(d.kind), h(DEADLINE_STATES[d.state][1]))
                for d, t in marks
            ],
        ),
        linked=True,
    )


def heatmap(
    rows: Sequence[tuple[Tool, Sequence[StepState]]],
    steps: Sequence[Step],
    words: Callable[[str], str] = str,
) -> svg.Chart:
    """The tools x steps matrix: a cell per step, its state by colour and symbol, linking to the
    step's evidence on the tool's page (``#hb-step-<step id>``)."""
    cell, gap, top = 16, 2, 40
    width = LEFT + len(steps) * (cell + gap) + 10
    body, _ = svg.legend(
        [("square", f"hb-k-{s}", f"{SYMBOLS[s]} {LABELS[s]}") for s in LABELS], 8, 14
    )
    for j in range(len(steps)):
        x = LEFT + j * (cell + gap) + cell / 2
        body.append(svg.text(x, top - 6, str(j + 1), "hb-small", "middle"))
    # The cells are the bulk of the page (16,000 for 1,000 tools), so each is written once,
    # short: a row is a group moved into place, a cell a link with its state's class.
    cells = {
        st: (f'" width="{cell}" height="{cell}" class="hb-k-{st}"/><text y="12" class="hb-sym" x="')
        for st in LABELS
    }
    xs = [svg.num(LEFT + j * (cell + gap)) for j in range(len(steps))]
    mids = [svg.num(LEFT + j * (cell + gap) + cell / 2) for j in range(len(steps))]
    for i, (tool, states) in enumerate(rows):
        row = [f'<g transform="translate(0 {top + i * (cell + gap)})">']
        name = svg.text(LEFT - 8, 12, svg.clip(tool.name), "hb-label", "end")
        row.append(svg.link(f"{TOOLS}{tool.id}/", tool.name, name))
        base, who = f'<a {svg.HREF}="{TOOLS}{h(tool.id)}/#hb-step-', h(tool.name)
        for j, s in enumerate(states):
            row.append(
                f'{base}{h(s.step.id)}" tabindex="-1"><title>{who} · {h(s.step.title)}: '
                f'{LABELS[s.state]}</title><rect x="{xs[j]}{cells[s.state]}{mids[j]}">'
                f"{SYMBOLS[s.state]}</text></a>"
            )
        row.append("</g>")
        body.append("".join(row))
    counts = dict.fromkeys(LABELS, 0)
    for _, states in rows:
        for s in states:
            counts[s.state] += 1
    return svg.Chart(
        "matrix",
        "Tools × steps",  # noqa: RUF001 (the multiplication sign, as in the heading)
        (
            f"{svg.many(len(rows), 'tool')} by {svg.many(len(steps), 'step')}: "
            + ", ".join(f"{n:,} {LABELS[s]}" for s, n in counts.items() if n)
            + ". Each cell links to the step's evidence on the tool's page."
            if rows
            else "No tool is in the registry yet."
        ),
        width,
        top + len(rows) * (cell + gap) + 4,
        body,
        svg.Table(
            ("Tool", "Status", *(str(j + 1) for j in range(len(steps)))),
            [
                (
                    tool_link(tool),
                    h(words(tool.status)),
                    *(
                        f'<a href="{TOOLS}{h(tool.id)}/#hb-step-{h(s.step.id)}">'
                        f"{SYMBOLS[s.state]} {LABELS[s.state]}</a>"
                        for s in states
                    ),
                )
                for tool, states in rows
            ],
        ),
        linked=True,
    )


def completion(rows: Sequence[tuple[str, str, Mapping[str, int]]]) -> svg.Chart:
    """Completion per phase: one bar per phase (its label, its page's URL, then states ->
    number of tool steps), split by state in the order of ``LABELS``, with the share done."""
    width, bar = 760, 470
    body, _ = svg.legend(
        [("square", f"hb-k-{s}", f"{SYMBOLS[s]} {LABELS[s]}") for s in LABELS], 8, 14
    )
    for i, (label, _, counts) in enumerate(rows):
        y = 30 + i * 30
        total = sum(counts.values())
        body.append(svg.text(LEFT - 8, y + 15, svg.clip(label), "", "end"))
        x = float(LEFT)
        for state in LABELS:
            n = counts.get(state, 0)
            if not n:
                continue
            w, share = bar * n / total, f"{100 * n / total:.0f}%"
            # each share says its state without colour: its symbol (and share) where there is
            # room, its title everywhere, and a gap of the page's colour from its neighbour
            inner = [svg.rect(x, y, w, 20, f"hb-k-{state} hb-seg")]
            if w >= 12:
                word = f"{SYMBOLS[state]} {share}" if w >= 46 else SYMBOLS[state]
                inner.append(svg.text(x + w / 2, y + 14, word, "hb-in", "middle"))
            tip = f"{label}: {LABELS[state]}, {n:,} of {total:,} steps ({share})"
            body.append(f"<g><title>{h(tip)}</title>{''.join(inner)}</g>")
            x += w
        done = counts.get("done", 0)
        share = f"{100 * done / total:.0f}% done" if total else "no steps"
        body.append(svg.text(LEFT + bar + 8, y + 15, share, "hb-num"))
    states = list(LABELS)
    return svg.Chart(
        "phases",
        "Completion per phase",
        "Share of the tools' steps in each state, per phase of the procedure: "
        + "; ".join(
            f"{label} {100 * c.get('done', 0) / total:.0f}% done"
            if (total := sum(c.values()))
            else f"{label} no steps"
            for label, _, c in rows
        )
        + ".",
        width,
        38 + 30 * len(rows),
        body,
        svg.Table(
            ("Phase", *(LABELS[s] for s in states)),
            [
                (f'<a href="{h(href)}">{h(label)}</a>', *(f"{c.get(s, 0):,}" for s in states))
                for label, href, c in rows
            ],
            frozenset(range(1, len(states) + 1)),
        ),
    )
