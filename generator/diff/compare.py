"""Two snapshots -> a :class:`GovDiff`: pair each entry with its earlier self, then compare tools,
vendors, the policy, the procedure and the guidance, then the schemas, the site's configuration,
pages and assets (site.py). Every changed value is reported: in the words of a specific
comparison, or as a general ``key: old → new`` line (leaves.py, looser.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diagnostics import sorted_diagnostics
from generator.diff.changes import Changes, GovDiff
from generator.diff.fields import get
from generator.diff.leaves import Deltas
from generator.diff.looser import report
from generator.diff.policy import compare_policy, compare_procedure
from generator.diff.revisions import Snapshot
from generator.diff.site import compare_site
from generator.diff.tools import Requirements, compare_tool
from generator.diff.vendors import compare_vendor, freshness
from generator.validate import skeleton


def pair(
    old: Mapping[str, Any], new: Mapping[str, Any], renames: Mapping[str, str]
) -> list[tuple[str | None, str | None]]:
    """(base path, head path) pairs: same path, git's renames, then the same name elsewhere."""
    gone = [p for p in old if p not in new]
    fresh = [p for p in new if p not in old]
    pairs: list[tuple[str | None, str | None]] = [(p, p) for p in old if p in new]
    for p in list(gone):
        target = renames.get(p)
        if target in fresh:
            pairs.append((p, target))
            gone.remove(p)
            fresh.remove(target)
    by_name: dict[str, str] = {}
    for p in fresh:
        name = get(new[p], "name")
        if isinstance(name, str):
            by_name.setdefault(skeleton(name), p)
    for p in list(gone):
        name = get(old[p], "name")
        target = by_name.get(skeleton(name)) if isinstance(name, str) else None
        if target in fresh:
            pairs.append((p, target))
            gone.remove(p)
            fresh.remove(target)
    pairs += [(p, None) for p in gone] + [(None, p) for p in fresh]
    return sorted(pairs, key=lambda ab: ab[1] or ab[0] or "")


def _pairs(
    base: Snapshot, head: Snapshot, kind: str, renames: Mapping[str, str], unreadable: set[str]
) -> list[tuple[str | None, str | None]]:
    old = {p: d for p, d in base.of(kind).items() if d is not None}
    new = {p: d for p, d in head.of(kind).items() if d is not None}
    # a file that cannot be read is reported as a problem, not as an addition or a removal
    return [
        (a, b) for a, b in pair(old, new, renames) if a not in unreadable and b not in unreadable
    ]


def compare(base: Snapshot, head: Snapshot, renames: Mapping[str, str] | None = None) -> GovDiff:
    out = Changes()
    ctx = Requirements(head, base)
    renames = renames or {}
    unreadable = {p for s in (base, head) for p, d in s.docs.items() if d is None}
    for a, b in _pairs(base, head, "tool", renames, unreadable):
        compare_tool(
            out, ctx, a, b, base.docs.get(a) if a else None, head.docs.get(b) if b else None
        )
    months = freshness(next(iter(head.of("policy").values()), None))
    for a, b in _pairs(base, head, "vendor", renames, unreadable):
        old, new = base.docs.get(a) if a else None, head.docs.get(b) if b else None
        compare_vendor(out, a, b, old, new, months)
    for path in sorted({*base.of("policy"), *head.of("policy")} - unreadable):
        compare_policy(out, path, base.docs.get(path), head.docs.get(path))
    compare_procedure(out, base, head)
    for path in sorted({*base.of("guidance"), *head.of("guidance")} - unreadable):
        add = out.entry("guidance", "guidance", path)
        report(add, "guidance", Deltas(base.docs.get(path), head.docs.get(path)).left)
    for path in sorted({*base.of("framework"), *head.of("framework")} - unreadable):
        name = path.rsplit("/", 1)[-1].removesuffix(".yaml")
        add = out.entry("framework", name, path)
        report(add, "framework", Deltas(base.docs.get(path), head.docs.get(path)).left)
    compare_site(out, base, head)
    problems = tuple(sorted_diagnostics(dict.fromkeys([*base.problems, *head.problems])))
    return GovDiff(base.label, head.label, base.rev, head.rev, tuple(out.changes), problems)
