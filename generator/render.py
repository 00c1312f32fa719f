"""Handbook -> {relative path: Markdown text}. Pure: no files, no clock, no network.

Every value from the registry reaches a page through :mod:`generator.escape` (the templates
never print a raw value), so a ``<script>`` in a description shows as text. The procedure's own
Markdown fields (intro, details, guidance) keep their formatting, minus raw HTML.

Page paths are fixed or derived from ids (``tools/<id>.md``), which the schema restricts to
lower-case letters, digits and hyphens. The fixed names come from :mod:`generator.sitenames`,
which validation reads to refuse an id or page name that would take one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jinja2

from generator import escape
from generator import sitenames as names
from generator.charts import dashboard as dashboard_charts
from generator.charts import pages as page_charts
from generator.charts.deadlines import Deadline, deadlines, excepted, in_window
from generator.charts.embed import wrap
from generator.charts.svg import Chart, figure
from generator.checks.due import Due, current_until, obligations
from generator.checks.exceptions import OpenException
from generator.diagnostics import Diagnostic, Severity, plural, sorted_diagnostics
from generator.evidence import stats, words
from generator.evidence.records import AUDIT, BENCHMARK
from generator.evidence.summary import Summary, savings, summarize
from generator.frameworks import pages as framework
from generator.frameworks.coverage import ToolCoverage, crosswalk, tool_coverage
from generator.model import CLASSIFICATIONS, Handbook, Phase, Tool, Vendor, value_at
from generator.rules import RULES
from generator.status import (
    LABELS,
    STATES,
    SYMBOLS,
    StepState,
    findings_by_tool,
    required_steps,
    step_states,
)
from generator.tables import CertState, findings_anchor, vendor_certs

#: Hand-written pages that keep their place in the navigation (see generator/sitenames.py).
FIXED_PAGES = names.FIXED_PAGES
STATUS_WORDS = {
    "proposed": "proposed",
    "sandbox": "in sandbox",
    "pilot": "in pilot",
    "approved": "approved",
    "restricted": "approved with restrictions",
    "deprecated": "deprecated",
    "offboarded": "offboarded",
    "rejected": "rejected",
}


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a page may show besides the handbook itself, computed by the caller."""

    today: date
    findings: Sequence[Diagnostic] = ()  # staleness findings (generator.checks.expiry.check)
    exceptions: Sequence[OpenException] = ()
    last_changed: Mapping[str, date] | None = None  # repo-relative path -> date; None: no git
    field_docs: Mapping[str, str] = field(default_factory=dict)  # "evidence.pilot" -> description
    #: Use per product from `handbook build --usage DIR` (None: no usage inputs were given):
    #: counts only, never who (generator.reconcile.UsageLine).
    usage: Sequence[Any] | None = None
    #: Each tool file's status changes from git (generator.history.StatusChange, oldest first),
    #: by repo-relative path; None: history unavailable (``history_missing`` says why).
    timelines: Mapping[str, Sequence[Any]] | None = None
    #: Why there is no history (generator.history.Unavailable: reason, hint, command); None
    #: when there is one, or when the caller gave none.
    history_missing: Any = None


# -- small formatters, available to templates as filters ----------------------------------------


def badge(status: str) -> str:
    word = status_words(status)
    return f'<span class="hb-badge hb-status-{escape.attr(status)}">{escape.html(word)}</span>'


def state_badge(state: str) -> str:
    return f'<span class="hb-state hb-state-{state}">{SYMBOLS[state]} {LABELS[state]}</span>'


def severity_badge(severity: Severity) -> str:
    return f'<span class="hb-sev hb-sev-{severity.value}">{severity.value}</span>'


def humanize(key: str) -> str:
    return key.replace("_", " ").capitalize()


def value_html(value: Any) -> str:
    """A scalar or a small structure as one line of escaped HTML (links for URLs)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        safe = escape.href(value)
        if safe is not None:
            host = value.split("//", 1)[-1].split("/", 1)[0] if "//" in value else value[7:]
            return f'<a href="{safe}">{escape.html(host)}</a>'
        return escape.html(value)
    if isinstance(value, Mapping):
        return ", ".join(
            f"{escape.html(humanize(k).lower())} {value_html(v)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(value_html(v) for v in value) if value else "none"
    return escape.html(value)


def is_records(value: Any) -> bool:
    """A non-empty list of mappings (audits, incidents, prompts): shown as a list, one each."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def record_html(value: Any) -> str:
    """An evidence record as one line of "Field: value" pairs; a list of records, a list."""
    if isinstance(value, Mapping):
        return " · ".join(f"{escape.html(humanize(k))}: {value_html(v)}" for k, v in value.items())
    if is_records(value):
        return "<ul>\n" + "".join(f"<li>{record_html(v)}</li>\n" for v in value) + "</ul>"
    return value_html(value)


def block_html(value: Any) -> str:
    """A record (or list of records) as a block of its own: a paragraph or a list."""
    return record_html(value) if is_records(value) else f"<p>{record_html(value)}</p>"


def list_item(head: str, values: Sequence[Any], loose: bool, item_id: str | None = None) -> str:
    """A list item: ``head`` (inline HTML), then the records in ``values``; ``item_id`` (an
    id the templates give, escaped here) lets other pages link to it.

    The first record continues the head's line unless it is a list; the others are blocks.
    ``loose`` items wrap their text in a paragraph, as Markdown does for an item set apart
    from its neighbours by a blank line (the pages looked that way when they were Markdown).
    """
    line, blocks = [head], []
    for i, value in enumerate(values):
        if is_records(value):
            blocks.append(record_html(value))
        elif i == 0:
            line.append(record_html(value))
        else:
            blocks.append(f"<p>{record_html(value)}</p>")
    text = "\n".join(line)
    start = "<li>" if item_id is None else f'<li id="{escape.html(item_id)}">'
    if not loose:
        return f"{start}{text}{''.join(chr(10) + b for b in blocks)}</li>"
    return start + "\n" + "\n".join([f"<p>{text}</p>", *blocks]) + "\n</li>"


def loose_items(blank_after: Sequence[bool]) -> list[bool]:
    """Which items of a list are set apart by a blank line (before it, or after it and before
    the next item), given whether each item ends with one: Python-Markdown's rule."""
    last = len(blank_after) - 1
    return [
        (i > 0 and blank_after[i - 1]) or (blank and i < last)
        for i, blank in enumerate(blank_after)
    ]


def field_docs(tool_schema: Mapping[str, Any]) -> dict[str, str]:
    """Dotted tool-field path -> its schema description (the schemas make good labels)."""
    out: dict[str, str] = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, sub in (node.get("properties") or {}).items():
            path = f"{prefix}{key}"
            if isinstance(sub, Mapping):
                if isinstance(sub.get("description"), str):
                    out[path] = sub["description"]
                walk(sub, path + ".")

    walk(tool_schema, "")
    return out


def edit_url(handbook: Handbook, path: str) -> str | None:
    base = handbook.policy.repository_url
    if not base:
        return None
    policy = handbook.policy
    tail = policy.repository_edit.replace("{branch}", policy.repository_branch)
    return base.rstrip("/") + tail.replace("{path}", path)


# -- the environment ------------------------------------------------------------------------------


def hours(value: float) -> str:
    """Hours as the site shows them: '161.2 h' (one decimal below 100, none above)."""
    return f"{value:,.1f} h" if abs(value) < 100 else f"{value:,.0f} h"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        # Markdown, not HTML: every value goes through an explicit filter for its context.
        autoescape=False,  # noqa: S701
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        t=escape.text,
        p=escape.paragraphs,
        ph=escape.html_paragraphs,
        h=escape.html,
        u=escape.url,
        href=escape.href,
        prose=escape.prose,
        badge=badge,
        state=state_badge,
        sev=severity_badge,
        value=value_html,
        block=block_html,
        human=humanize,
        percent=words.percent,
        points=words.points,
        pvalue=words.p_value,
        interval=words.interval,
        hours=hours,
        plural=plural,
    )
    env.globals.update(a=escape.html_link, at=value_at, LABELS=LABELS, SYMBOLS=SYMBOLS, RULES=RULES)
    return env


_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV


# -- the pages ------------------------------------------------------------------------------------


class Site:
    """The shared, precomputed facts every page draws on (computed once per render)."""

    def __init__(self, handbook: Handbook, inputs: Inputs) -> None:
        self.hb = handbook
        self.inputs = inputs
        self.today = inputs.today
        self.phases = handbook.phases
        self.findings = sorted_diagnostics(inputs.findings)
        self.by_tool = findings_by_tool(handbook, self.findings)
        self.by_vendor: dict[str, list[Diagnostic]] = {}
        for d in self.findings:
            if d.subject is not None and d.subject in handbook.vendors:
                self.by_vendor.setdefault(d.subject, []).append(d)
        self.states = {
            t.id: step_states(handbook, t, self.by_tool.get(t.id, ()))
            for t in handbook.tools.values()
        }
        self.dues = obligations(handbook)  # the list the staleness findings come from
        self.due_by_tool: dict[str, list[Due]] = {}
        for due in self.dues:
            for tool_id in due.tools:
                self.due_by_tool.setdefault(tool_id, []).append(due)
        self.phase_files = {
            p.id: names.PHASE_PAGE.format(number=i) for i, p in enumerate(self.phases, 1)
        }
        self.step_phase = {s.id: p for p in self.phases for s in p.steps}
        self._links: dict[tuple[str, str, bool], str] = {}
        self._measured: dict[str, Summary] = {}
        self.walk = crosswalk(handbook)  # framework entries and the steps mapped to them
        self._coverage: dict[str, ToolCoverage] = {}
        self._anchors: dict[str, dict[str, str]] | None = None
        self._deadlines: dict[str, list[Deadline]] = {}
        self._vendor_certs: dict[str, list[CertState]] | None = None

    @property
    def vendor_certs(self) -> dict[str, list[CertState]]:
        """Vendor id -> its certificates with their state (computed once per render)."""
        if self._vendor_certs is None:
            self._vendor_certs = vendor_certs(self.hb, self.today)
        return self._vendor_certs

    def deadlines(self, tool: Tool) -> list[Deadline]:
        """The tool's deadlines, soonest first, with how due each is (computed once per render)."""
        got = self._deadlines.get(tool.id)
        if got is None:
            dues = self.due_by_tool.get(tool.id, ())
            accepted = excepted(self.by_tool.get(tool.id, ()))
            got = self._deadlines[tool.id] = deadlines(
                dues, tool.id, self.hb.policy, self.today, accepted
            )
        return got

    def measured(self, tool: Tool) -> Summary:
        """The tool's measured evidence under the policy (computed once per render)."""
        got = self._measured.get(tool.id)
        if got is None:
            got = self._measured[tool.id] = summarize(tool, self.hb.policy.quality)
        return got

    def coverage(self, tool: Tool) -> ToolCoverage:
        """The tool's state on each framework entry (computed once per render)."""
        got = self._coverage.get(tool.id)
        if got is None:
            got = self._coverage[tool.id] = tool_coverage(
                self.walk, self.hb, tool, self.states[tool.id], self.today
            )
        return got

    @property
    def anchors(self) -> dict[str, dict[str, str]]:
        """Framework id -> entry id -> the entry's HTML id on its framework's page."""
        if self._anchors is None:
            self._anchors = {f.id: framework.anchors(f) for f in self.hb.frameworks.values()}
        return self._anchors

    def next_due(self, tool: Tool) -> Due | None:
        """The tool's earliest due date (its own, or a certificate it relies on); may be past."""
        return min(self.due_by_tool.get(tool.id, ()), key=lambda d: (d.day, d.uid), default=None)

    def vendor_name(self, vendor_id: str) -> str:
        vendor = self.hb.vendors.get(vendor_id)
        return vendor.name if vendor else vendor_id

    def step_link(self, step_id: str, prefix: str) -> str:
        """A Markdown link to a step's section; ``prefix`` leads from the page to procedure/."""
        key = (step_id, prefix, False)
        if key not in self._links:
            self._links[key] = self._step_link(step_id, prefix, html=False)
        return self._links[key]

    def step_a(self, step_id: str, prefix: str) -> str:
        """The same link in raw HTML: ``prefix`` is the URL of procedure/ from the page's URL
        (MkDocs rewrites only Markdown links, so raw HTML links use the published URLs)."""
        key = (step_id, prefix, True)
        if key not in self._links:
            self._links[key] = self._step_link(step_id, prefix, html=True)
        return self._links[key]

    def _step_link(self, step_id: str, prefix: str, *, html: bool) -> str:
        phase = self.step_phase.get(step_id)
        if phase is None:
            return escape.html(step_id) if html else escape.text(step_id)
        step = next(s for s in phase.steps if s.id == step_id)
        page = self.phase_files[phase.id]
        if html:
            target = escape.html(f"{prefix}{page}/#{step_id}")
            return f'<a href="{target}">{escape.html(step.title)}</a>'
        return f"[{escape.text(step.title)}]({prefix}{page}.md#{step_id})"

    def grouped(self, states: Iterable[StepState]) -> list[tuple[Phase, list[StepState]]]:
        by_phase: dict[str, list[StepState]] = {}
        for s in states:
            by_phase.setdefault(s.step.phase, []).append(s)
        return [(p, by_phase.get(p.id, [])) for p in self.phases]

    def needed(self, step_id: str) -> str:
        """The statuses whose requirements include the step, in lifecycle order."""
        reqs = self.hb.policy.requirements
        statuses = [s for s in STATUS_WORDS if step_id in reqs.get(s, ())]
        return ", ".join(statuses) if statuses else "not required by any status"

    def page(self, template: str, **context: Any) -> str:
        return (
            env()
            .get_template(template)
            .render(site=self, hb=self.hb, needed=self.needed, states=STATES, **context)
        )


def render(handbook: Handbook, inputs: Inputs) -> dict[str, str]:
    """Every generated page, by path relative to the docs folder."""
    return pages(Site(handbook, inputs))


def pages(site: Site, tool_page: Callable[[Site, Tool], str] | None = None) -> dict[str, str]:
    """Every page of ``site``, by path relative to the docs folder.

    ``tool_page`` renders one tool's page (the preview passes a caching one)."""
    tool_page = tool_page or render_tool
    handbook = site.hb
    pages: dict[str, str] = {}
    for page in handbook.pages:
        pages[f"{page.name}.md"] = page.text
    home, report = f"{names.HOME}.md", f"{names.REPORT_INACCURACY}.md"
    if home not in pages:
        pages[home] = site.page("home.md.j2")
    if report not in pages:  # tool pages link to it
        pages[report] = site.page("report-inaccuracy.md.j2")
    procedure, tools, vendors = (f"{f}/" for f in (names.PROCEDURE, names.TOOLS, names.VENDORS))
    index = f"{names.INDEX}.md"
    pages[procedure + index] = site.page("procedure.md.j2")
    for phase in site.phases:
        pages[f"{procedure}{site.phase_files[phase.id]}.md"] = render_phase(site, phase)
    pages[f"{procedure}{names.GUIDANCE}.md"] = site.page("guidance.md.j2")
    pages[tools + index] = site.page(
        "tools.md.j2",
        tools=list(handbook.tools.values()),
        findings_anchor=findings_anchor(site.today),
    )
    for tool in handbook.tools.values():
        pages[f"{tools}{tool.id}.md"] = tool_page(site, tool)
    pages[vendors + index] = site.page("vendors.md.j2", certs=site.vendor_certs)
    for vendor in handbook.vendors.values():
        pages[f"{vendors}{vendor.id}.md"] = render_vendor(site, vendor)
    dashboard, which, rules, exports = (
        f"{n}.md" for n in (names.DASHBOARD, names.WHICH_TOOLS, names.RULES, names.EXPORTS_PAGE)
    )
    pages[dashboard] = render_dashboard(site)
    pages[which] = site.page("which-tools.md.j2", classes=CLASSIFICATIONS)
    pages[rules] = site.page("rules.md.j2", rules=list(RULES.values()))
    pages[f"{names.HOW_WE_MEASURE}.md"] = render_how_we_measure(site)
    pages[exports] = site.page("exports.md.j2")
    pages.update(framework_pages(site))
    return pages


def framework_pages(site: Site) -> dict[str, str]:
    """The frameworks' coverage pages and the EU AI Act's class pages (generator.frameworks.
    pages)."""
    return framework.pages(site)


def sources_of(site: Site) -> dict[str, tuple[str, ...]]:
    """docs path -> the repository files whose text the page shows as written (its Markdown or
    its values), so that a finding about a built page can point at the line to edit."""
    guidance = "content/guidance.yaml"
    out: dict[str, tuple[str, ...]] = {f"{p.name}.md": (p.path,) for p in site.hb.pages}
    for phase in site.phases:
        out[f"procedure/{site.phase_files[phase.id]}.md"] = (phase.path, guidance)
    out["procedure/guidance.md"] = (guidance,)
    out.update({f"tools/{t.id}.md": (t.path,) for t in site.hb.tools.values()})
    out.update({f"vendors/{v.id}.md": (v.path,) for v in site.hb.vendors.values()})
    out.update({f"{names.FRAMEWORKS}/{f.id}.md": (f.path,) for f in site.hb.frameworks.values()})
    return out


def render_phase(site: Site, phase: Phase) -> str:
    guidance = site.hb.guidance
    ids = {s.id for s in phase.steps}

    def about(items: Iterable[Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for item in items:
            for sid in item.steps:
                if sid in ids:
                    out.setdefault(sid, []).append(item)
        return out

    faq = [f for f in guidance.faq if ids & set(f.steps)]
    return site.page(
        "phase.md.j2",
        phase=phase,
        tips=about(guidance.tips),
        pitfalls=about(guidance.pitfalls),
        faq=faq,
        docs=site.inputs.field_docs,
    )


def render_tool(site: Site, tool: Tool) -> str:
    states = site.states[tool.id]
    covered = {
        f.split(".")[1] for s in states for f in s.step.evidence if f.startswith("evidence.")
    }
    other = {k: v for k, v in tool.evidence.items() if k not in covered}
    changed = None if site.inputs.last_changed is None else site.inputs.last_changed.get(tool.path)
    feedback = tool.record("feedback")
    vendor = site.hb.vendors.get(tool.vendor)
    certs = [
        (c, current_until(c, site.hb.policy))
        for c in (vendor.certifications if vendor else ())
        if c.id in tool.relied_certifications
    ]
    return site.page(
        "tool.md.j2",
        tool=tool,
        vendor=vendor,
        certs=certs,
        procedure=procedure_html(site, tool, states),
        findings=site.by_tool.get(tool.id, []),
        exceptions=[e for e in site.inputs.exceptions if e.tool == tool.id],
        other=other,
        next_due=site.next_due(tool),
        changed=changed,
        history_known=site.inputs.last_changed is not None,
        history_missing=unavailable_html(site.inputs.history_missing),
        edit=edit_url(site.hb, tool.path),
        usage=next((u for u in site.inputs.usage or () if u.tool == tool.id), None),
        usage_known=site.inputs.usage is not None,
        feedback=feedback.get("channel") if feedback else None,
        raw=tool.raw,
        measured=site.measured(tool),
        quality=site.hb.policy.quality,
        coverage=site.coverage(tool),
        framework_rows=framework.tool_frameworks(site, tool),
        required=required_steps(site.hb, tool),
        charts=tool_charts(site, tool),
    )


def chart_html(chart: Chart) -> str:
    """A chart as a page carries it: the figure wrapped for the site's hooks
    (generator.charts.embed), so Markdown and the search index pass over its markup."""
    return wrap(figure(chart))


def status_words(status: str | None) -> str:
    return STATUS_WORDS.get(status or "", status or "")


def tool_charts(site: Site, tool: Tool) -> dict[str, str | None]:
    """The tool page's charts as HTML (None: nothing to draw): ``history`` (None only when
    git history is unavailable), ``deadlines``, ``audits``, ``metrics``."""
    changes = status_changes(site, tool)
    history = changes and page_charts.status_history(changes, site.today, status_words)
    found = [
        page_charts.deadlines(site.deadlines(tool), site.today),
        page_charts.audits(site.measured(tool), words.percent),
        page_charts.metrics(site.measured(tool)),
    ]
    out = {"history": chart_html(history) if history else None}
    for key, chart in zip(("deadlines", "audits", "metrics"), found, strict=True):
        out[key] = chart_html(chart) if chart else None
    return out


def unavailable_html(missing: Any) -> str:
    """ "History unavailable: <reason>; <hint> <command>." as HTML, from a
    generator.history.Unavailable (None: a build given no reason)."""
    if missing is None:
        return "History unavailable: this build has no git history of the registry."
    out = f"History unavailable: {escape.html(missing.reason)}"
    if missing.hint:
        out += f"; {escape.html(missing.hint)}"
    if missing.command:
        out += f" <code>{escape.html(missing.command)}</code>"
    return out + "."


def status_changes(site: Site, tool: Tool) -> list[tuple[date, str | None, str, str, str]] | None:
    """The tool's status history as its chart takes it, (date, old, new, commit, subject) oldest
    first; None when git history is unavailable. It ends at the status the page shows (the work
    tree's): when that is not the last committed one (an edit, a new file), a last change with
    no commit, not committed yet, dated the as-of day (or the last commit's, when later)."""
    timelines = site.inputs.timelines
    if timelines is None:
        return None
    rows = [(c.date, c.old, c.new, c.sha, c.subject) for c in timelines.get(tool.path, ())]
    last = rows[-1][2] if rows else None
    if tool.status != last:
        rows.append(
            (max(site.today, rows[-1][0]) if rows else site.today, last, tool.status, "", "")
        )
    return rows


def procedure_html(site: Site, tool: Tool, states: Iterable[StepState]) -> list[tuple[Phase, str]]:
    """Each phase with the tool's steps in it as an HTML list: state, link, evidence records."""
    out = []
    for phase, phase_states in site.grouped(states):
        records = [
            [
                v
                for f in s.step.evidence
                if f != "problem"
                for v in [value_at(tool.raw, f)]
                if v or isinstance(v, Mapping)
            ]
            for s in phase_states
        ]
        loose = loose_items([bool(r) for r in records])
        items = [
            list_item(
                f"{state_badge(s.state)} {site.step_a(s.step.id, '../../procedure/')}"
                + (" (required)" if s.required else ""),
                r,
                is_loose or len(r) > 1,
                f"hb-step-{s.step.id}",  # where the dashboard's heat map links to
            )
            for s, r, is_loose in zip(phase_states, records, loose, strict=True)
        ]
        out.append((phase, "<ul>\n" + "\n".join(items) + "\n</ul>" if items else ""))
    return out


def render_vendor(site: Site, vendor: Vendor) -> str:
    tools = site.hb.tools_of(vendor.id)
    certs = [
        (c, current_until(c, site.hb.policy), [t for t in tools if c.id in t.relied_certifications])
        for c in vendor.certifications
    ]
    return site.page(
        "vendor.md.j2",
        vendor=vendor,
        tools=tools,
        certs=certs,
        validity=vendor_validity(site, vendor),
        findings=site.by_vendor.get(vendor.id, []),
        edit=edit_url(site.hb, vendor.path),
    )


def vendor_validity(site: Site, vendor: Vendor) -> str | None:
    """The vendor page's certificate validity chart as HTML (None without certificates), in
    the states of the vendors table (generator.tables.vendor_certs)."""
    rows = [(c.cert.name, c.cert.issued, c.until, c.state) for c in site.vendor_certs[vendor.id]]
    chart = page_charts.validity(rows, site.today)
    return chart_html(chart) if chart else None


def render_how_we_measure(site: Site) -> str:
    """The "How we measure" page: each figure in plain words, with worked examples computed
    from the policy's own settings."""
    q = site.hb.policy.quality
    widths = [(n, stats.wilson(round(0.9 * n), n)) for n in (20, 30, 40, 50)]
    drift = [(k, 30, 0.12, stats.exceeds(k, 30, 0.12)) for k in (6, 8)]
    sizes = [
        (rate, stats.sample_for_power(rate, q.min_increase, q.alpha, q.power))
        for rate in (0.02, 0.05, 0.10, 0.20)
    ]
    return site.page(
        "how-we-measure.md.j2",
        q=q,
        widths=widths,
        drift=drift,
        sizes=sizes,
        benchmark=BENCHMARK,
        audit=AUDIT,
    )


def render_dashboard(site: Site) -> str:
    counts = []
    for phase in site.phases:
        c = dict.fromkeys(STATES, 0)
        for states in site.states.values():
            for s in states:
                if s.step.phase == phase.id:
                    c[s.state] += 1
        counts.append((phase, c))
    by_status: dict[str, int] = {}
    for tool in site.hb.tools.values():
        by_status[tool.status] = by_status.get(tool.status, 0) + 1
    order = [s for s in STATUS_WORDS if s in by_status] + sorted(set(by_status) - set(STATUS_WORDS))
    saved, total = savings(list(site.hb.tools.values()))
    return site.page(
        "dashboard.md.j2",
        charts=dashboard_figures(site, counts, [(s, by_status[s]) for s in order]),
        steps=[s for p in site.phases for s in p.steps],
        open_exceptions=site.inputs.exceptions,
        usage=site.inputs.usage,
        savings=saved,
        total_hours=total,
        quality_rows=[
            (tool, m)
            for tool in site.hb.tools.values()
            if (m := site.measured(tool)).benchmark is not None
        ],
    )


#: Days ahead the dashboard's deadline timeline shows.
TIMELINE_DAYS = 180


def dashboard_figures(
    site: Site, counts: Sequence[tuple[Phase, dict[str, int]]], by_status: Sequence[tuple[str, int]]
) -> dict[str, str]:
    """The dashboard's charts as HTML: ``status``, ``deadlines``, ``matrix``, ``phases``."""
    tools = list(site.hb.tools.values())
    upcoming = [
        (tool, near)
        for tool in tools
        if (near := in_window(site.deadlines(tool), site.today, TIMELINE_DAYS))
    ]
    upcoming.sort(key=lambda row: (row[1][0].day, row[0].name.casefold(), row[0].id))
    charts = (
        dashboard_charts.status_bars([(s, status_words(s), n) for s, n in by_status]),
        dashboard_charts.timeline(upcoming, site.today, TIMELINE_DAYS),
        dashboard_charts.heatmap(
            [(tool, site.states[tool.id]) for tool in tools],
            [s for p in site.phases for s in p.steps],
            status_words,
        ),
        dashboard_charts.completion(
            [
                (f"Phase {p.number}: {p.title}", f"../procedure/{site.phase_files[p.id]}/", c)
                for p, c in counts
            ]
        ),
    )
    return {c.key: chart_html(c) for c in charts}
