"""The framework coverage as data: ``frameworks-coverage.csv`` and the ``frameworks`` and
``eu_ai_act`` parts of ``registry.json`` (pure: Site in, values out).

Every state is the one the site shows (:mod:`.coverage`), so an entry whose evidence went stale
is stale in the exports too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.frameworks.coverage import SUPPORTED, ToolCoverage, in_scope
from generator.model import Tool

if TYPE_CHECKING:
    from generator.render import Site

COVERAGE_COLUMNS = (
    "framework",
    "framework_title",
    "entry",
    "entry_title",
    "mapped_steps",
    "mapped_obligations",
    "tool",
    "tool_name",
    "tool_status",
    "state",
    "supported",
)


def coverage_csv(site: Site, cell: Callable[[object], str]) -> str:
    """One row per (entry, tool in scope) the entry concerns, then one row per gap (no tool,
    state ``gap``); every cell passed through ``cell`` (formula-safe) and quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COVERAGE_COLUMNS)
    tools = in_scope(site.hb)
    covered = [(t, site.coverage(t).states) for t in tools]
    for fw in site.hb.frameworks.values():
        for m in site.walk.mapped(fw.id):
            head = (
                fw.id,
                fw.title,
                m.entry.id,
                m.entry.title,
                ";".join(s.id for s in m.steps),
                ";".join(o.id for o in m.obligations),
            )
            if m.gap:
                writer.writerow(cell(v) for v in (*head, "", "", "", "gap", "no"))
                continue
            for tool, states in covered:
                state = states.get(m.ref)
                if state is None:
                    continue
                row = (*head, tool.id, tool.name, tool.status, state)
                writer.writerow(cell(v) for v in (*row, "yes" if state in SUPPORTED else "no"))
    return out.getvalue()


def tool_frameworks(cov: ToolCoverage) -> dict[str, Any]:
    """``{"nist-ai-rmf": {"supported": 25, "applicable": 33, "entries": {"GOVERN 6.1":
    "done", ...}}, ...}``: the tool's state on each entry that concerns it."""
    out: dict[str, Any] = {}
    for (fw, entry), state in cov.states.items():
        rec = out.setdefault(fw, {"supported": 0, "applicable": 0, "entries": {}})
        rec["entries"][entry] = state
        rec["applicable"] += 1
        rec["supported"] += state in SUPPORTED
    return out


def tool_ai_act(tool: Tool, cov: ToolCoverage) -> dict[str, Any] | None:
    """The tool's classification and the state of each obligation that applies to it."""
    use = tool.ai_act
    if use is None:
        return None
    return {
        "class": use.cls,
        "basis": use.basis,
        "annex_iii_area": use.area,
        "general_purpose": use.general_purpose,
        "role": use.role,
        "fria_required": use.fria_required,
        "rationale": use.rationale,
        "decided_by": use.decided_by,
        "decided_on": use.decided_on.isoformat(),
        "obligations": [
            {
                "id": st.obligation.id,
                "article": st.obligation.article,
                "applies_from": st.starts.isoformat(),
                "state": st.state,
                "record": dict(st.record) if st.record is not None else None,
            }
            for st in cov.obligations
        ],
    }


def frameworks_json(site: Site) -> list[dict[str, Any]]:
    """Each framework: where its data came from, and each entry with what is mapped to it and
    how many tools in scope are in each state on it."""
    tools = in_scope(site.hb)
    covered = [site.coverage(t).states for t in tools]
    out = []
    for fw in site.hb.frameworks.values():
        entries = []
        for m in site.walk.mapped(fw.id):
            counts: dict[str, int] = {}
            for states in covered:
                state = states.get(m.ref)
                if state is not None:
                    counts[state] = counts.get(state, 0) + 1
            entries.append(
                {
                    "id": m.entry.id,
                    "title": m.entry.title,
                    "group": m.entry.group,
                    "steps": [s.id for s in m.steps],
                    "obligations": [o.id for o in m.obligations],
                    "gap": m.gap,
                    "tools": counts,
                }
            )
        mapped, total = site.walk.share_mapped(fw.id)
        out.append(
            {
                "id": fw.id,
                "title": fw.title,
                "version": fw.version,
                "publisher": fw.publisher,
                "url": fw.url,
                "source": {"name": fw.source_name, "url": fw.source_url, "taken": str(fw.taken)},
                "licence": {"name": fw.licence, "url": fw.licence_url},
                "attribution": fw.attribution,
                "mapped": mapped,
                "total": total,
                "entries": entries,
                "page": f"frameworks/{fw.id}/",
                "source_file": fw.path,
            }
        )
    return out
