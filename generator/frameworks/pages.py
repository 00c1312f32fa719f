"""The frameworks' coverage pages and the EU AI Act's class pages (pure: Site in, Markdown out).

* ``frameworks/index.md``: every framework with its source, licence and share of entries mapped,
  and each tool's coverage of each framework;
* ``frameworks/<id>.md``: the attribution, each entry with what is mapped to it and the states
  of the tools in scope on it, each tool's coverage, and the gaps (entries nothing maps to);
* ``eu-ai-act/index.md``: the classes, the tools in each, the obligations with their dates;
* ``eu-ai-act/<class>.md``: the tools of one class and the state of each obligation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator import sitenames as names
from generator.frameworks.coverage import SUPPORTED, WORST_FIRST, Mapped, in_scope
from generator.frameworks.data import AI_ACT_CLASS_WORDS, AI_ACT_CLASSES, Framework
from generator.frameworks.obligations import obligation_states
from generator.model import RELYING, Tool

if TYPE_CHECKING:
    from generator.render import Site

#: States whose tools an entry's row names; the others (done, not yet) it counts.
NAMED = ("stale", "missing", "due-soon", "excepted")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def anchors(fw: Framework) -> dict[str, str]:
    """Entry id -> a unique HTML id on the framework's page ('GOVERN 6.1' -> 'entry-govern-6-1').
    The prefix keeps entries clear of the page's own headings ('Entries', 'Coverage') and of
    its groups' ('group-govern-6'), whatever a framework file names its entries."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for e in fw.entries:
        base = "entry-" + (slug(e.id) or "x")
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        out[e.id] = anchor
    return out


def percent(part: int, whole: int) -> str:
    """'40%' (rounded down, so 99.6% never reads 100%); '—' of nothing."""
    return f"{part * 100 // whole}%" if whole else "—"


@dataclass(frozen=True, slots=True)
class EntryRow:
    mapped: Mapped
    anchor: str
    counts: Mapping[str, int]  # state -> tools in scope in it
    named: tuple[tuple[str, tuple[Tool, ...]], ...]  # (state, tools) for NAMED states


@dataclass(frozen=True, slots=True)
class ToolRow:
    """One tool's count of entries in each state (``counts``), of ``applicable`` entries."""

    tool: Tool
    supported: int
    applicable: int
    counts: Mapping[str, int]

    @property
    def share(self) -> str:
        return percent(self.supported, self.applicable)

    @property
    def attention(self) -> bool:
        """Whether an entry is stale, missing or accepted by an exception for the tool."""
        return any(self.counts[s] for s in ("stale", "missing", "excepted"))


def tool_rows(site: Site, fw: Framework, tools: Iterable[Tool]) -> list[ToolRow]:
    rows = []
    for tool in tools:
        states = list(site.coverage(tool).of(fw.id).values())
        counts = {s: states.count(s) for s in WORST_FIRST}
        rows.append(ToolRow(tool, sum(counts[s] for s in SUPPORTED), len(states), counts))
    return rows


def entry_rows(site: Site, fw: Framework, tools: list[Tool]) -> list[EntryRow]:
    marks = anchors(fw)
    covered = {t.id: site.coverage(t).states for t in tools}
    rows = []
    for m in site.walk.mapped(fw.id):
        counts = dict.fromkeys(WORST_FIRST, 0)
        named: dict[str, list[Tool]] = {}
        for tool in tools:
            state = covered[tool.id].get(m.ref)
            if state is None:
                continue
            counts[state] += 1
            if state in NAMED:
                named.setdefault(state, []).append(tool)
        rows.append(
            EntryRow(
                m,
                marks[m.entry.id],
                counts,
                tuple((s, tuple(named[s])) for s in NAMED if s in named),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class ToolFramework:
    """A tool page's line for one framework: the ids its evidence supports, and the others by
    state (worst first) with their anchors on the framework's page."""

    framework: Framework
    supported: tuple[str, ...]
    applicable: int
    others: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def tool_frameworks(site: Site, tool: Tool) -> list[ToolFramework]:
    """The frameworks with entries that concern ``tool``, in the order of their files."""
    cov = site.coverage(tool)
    out = []
    for fw in site.hb.frameworks.values():
        mine = cov.of(fw.id)
        if not mine:
            continue
        marks = site.anchors[fw.id]
        order = [e.id for e in fw.entries if e.id in mine]
        others = tuple(
            (st, tuple((e, marks[e]) for e in order if mine[e] == st))
            for st in WORST_FIRST
            if st not in SUPPORTED and st in mine.values()
        )
        supported = tuple(e for e in order if mine[e] in SUPPORTED)
        out.append(ToolFramework(fw, supported, len(order), others))
    return out


def render_framework(site: Site, fw: Framework) -> str:
    tools = in_scope(site.hb)
    rows = entry_rows(site, fw, tools)
    mapped, total = site.walk.share_mapped(fw.id)
    groups = dict(fw.groups)
    by_group: dict[str | None, list[EntryRow]] = {}
    for row in rows:
        g = row.mapped.entry.group
        by_group.setdefault(g if g in groups else None, []).append(row)
    return site.page(
        "framework.md.j2",
        fw=fw,
        grouped=[
            (g, groups.get(g) if g else None, "group-" + (slug(g or "") or str(i)), by_group[g])
            for i, g in enumerate([None, *groups])
            if g in by_group
        ],
        gaps=[r for r in rows if r.mapped.gap],
        mapped=mapped,
        total=total,
        share=percent(mapped, total),
        tool_rows=[r for r in tool_rows(site, fw, tools) if r.attention],
        in_scope=len(tools),
        scope=", ".join(RELYING),
    )


def render_index(site: Site) -> str:
    tools = in_scope(site.hb)
    frameworks = list(site.hb.frameworks.values())
    table = [(fw, *site.walk.share_mapped(fw.id), len(site.walk.gaps(fw.id))) for fw in frameworks]
    matrix = [(tool, [site.coverage(tool).share(fw.id) for fw in frameworks]) for tool in tools]
    return site.page(
        "frameworks.md.j2",
        table=table,
        frameworks=frameworks,
        matrix=matrix,
        percent=percent,
        scope=", ".join(RELYING),
    )


def render_ai_act(site: Site) -> str:
    tools = list(site.hb.tools.values())
    by_class = {c: [t for t in tools if t.ai_act and t.ai_act.cls == c] for c in AI_ACT_CLASSES}
    unclassified = [t for t in tools if t.ai_act is None and t.status in RELYING]
    return site.page(
        "ai-act.md.j2",
        classes=AI_ACT_CLASSES,
        words=AI_ACT_CLASS_WORDS,
        by_class=by_class,
        unclassified=unclassified,
        obligations=site.hb.policy.obligations,
    )


def render_ai_act_class(site: Site, cls: str) -> str:
    tools = [t for t in site.hb.tools.values() if t.ai_act and t.ai_act.cls == cls]
    return site.page(
        "ai-act-class.md.j2",
        cls=cls,
        words=AI_ACT_CLASS_WORDS,
        tools=[(t, obligation_states(site.hb.policy, t, site.today)) for t in tools],
        obligations=[o for o in site.hb.policy.obligations if cls in o.classes],
    )


def pages(site: Site) -> dict[str, str]:
    """Every framework and EU AI Act page, by path relative to the docs folder."""
    fws, act, index = names.FRAMEWORKS, names.AI_ACT, f"{names.INDEX}.md"
    out = {f"{fws}/{index}": render_index(site)}
    for fw in site.hb.frameworks.values():
        out[f"{fws}/{fw.id}.md"] = render_framework(site, fw)
    out[f"{act}/{index}"] = render_ai_act(site)
    for cls in AI_ACT_CLASSES:
        out[f"{act}/{cls}.md"] = render_ai_act_class(site, cls)
    return out
