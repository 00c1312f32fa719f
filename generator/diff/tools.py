"""A tool's record at two revisions: status transitions and the evidence the policy requires,
data classifications, approved and prohibited uses, owner, vendor, license tier, exceptions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.diff.changes import ATTENTION, INFO, WARNING, Changes, Value
from generator.diff.fields import additions, changed_keys, get, get_list, stem
from generator.diff.revisions import Snapshot
from generator.model import IN_USE, has_path


class Requirements:
    """What the head revision's policy and procedure ask of each status."""

    def __init__(self, head: Snapshot) -> None:
        policy = next(iter(head.of("policy").values()), None)
        self.requirements: dict[str, list[str]] = {
            str(k): [str(s) for s in v]
            for k, v in (get(policy, "requirements") or {}).items()
            if isinstance(v, list)
        }
        self.fields: dict[str, list[str]] = {}
        for data in head.of("phase").values():
            for step in get_list(data, "steps"):
                if isinstance(step, dict) and isinstance(step.get("id"), str):
                    self.fields[step["id"]] = [str(f) for f in get_list(step, "evidence")]

    def missing(self, tool: dict[str, Any], status: str) -> list[str]:
        return [
            f"{dotted} (step {sid})"
            for sid in self.requirements.get(status, [])
            for dotted in self.fields.get(sid, [])
            if not has_path(tool, dotted.split("."))
        ]


def _sections(old: Any, new: Any) -> tuple[list[str], list[str], list[str]]:
    """Evidence sections added, updated and removed."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    added = [k for k in new if k not in old]
    updated = [k for k in new if k in old and new[k] != old[k]]
    removed = [k for k in old if k not in new]
    return added, updated, removed


def _dropped_entries(old: Any, new: Any) -> list[str]:
    """List-valued evidence (audits, incidents) whose existing entries were deleted."""
    out = []
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    for key, before in old.items():
        after = new.get(key)
        if isinstance(before, list) and isinstance(after, list):
            lost = sum(1 for item in before if item not in after)
            if lost:
                out.append(f"{key} ({lost} of {len(before)} entries)")
    return out


_TOOL_HANDLED = {"id", "name", "vendor", "owner", "status", "uses", "evidence", "exceptions"}


def compare_tool(
    out: Changes, ctx: Requirements, old_path: str | None, path: str | None, old: Any, new: Any
) -> None:
    here = path or old_path or ""
    data = new if new is not None else old
    subject = str(get(data, "id") or stem(here))
    name = get(data, "name")

    def add(level: str, kind: str, template: str, **values: object) -> None:
        out.add(level, kind, "tool", subject, here, template, name, **values)

    status = get(new, "status", "value")
    if old is None:
        add(
            ATTENTION if status in IN_USE else INFO,
            "tool-added",
            "added with status {status}, vendor {vendor}, data allowed: {data}",
            status=status,
            vendor=get(new, "vendor"),
            data=[str(x) for x in get_list(new, "data", "allowed")],
        )
        _requirements(add, ctx, new, status)
        return
    if new is None:
        add(
            ATTENTION,
            "tool-removed",
            "removed from the registry (status was {status}); the procedure deprecates and "
            "offboards a tool rather than deleting its record",
            status=get(old, "status", "value"),
        )
        return
    if old_path != path:
        add(
            INFO,
            "tool-renamed",
            "file renamed from {old} to {new}",
            old=old_path,
            new=path,
        )
    was = get(old, "status", "value")
    added, updated, removed = _sections(get(old, "evidence"), get(new, "evidence"))
    if was != status:
        template = "status {old} → {new}"
        values: dict[str, Value] = {"old": was, "new": status}
        since = get(new, "status", "since")
        if since:
            template += " since {since}"
            values["since"] = str(since)
        if added:
            template += "; evidence added alongside: {added}"
            values["added"] = added
        if updated:
            template += "; evidence updated alongside: {updated}"
            values["updated"] = updated
        if not added and not updated:
            template += "; no evidence changed alongside"
        add(INFO, "status", template, **values)
        _requirements(add, ctx, new, status)
    elif added or updated:
        template = "; ".join(
            t
            for t, v in (
                ("evidence added: {added}", added),
                ("evidence updated: {updated}", updated),
            )
            if v
        )
        add(INFO, "evidence-updated", template, added=added, updated=updated)
    dropped = _dropped_entries(get(old, "evidence"), get(new, "evidence"))
    if removed or dropped:
        add(ATTENTION, "evidence-removed", "evidence removed: {removed}", removed=removed + dropped)
    before, after = get_list(old, "data", "allowed"), get_list(new, "data", "allowed")
    if wider := additions(before, after):
        add(
            ATTENTION,
            "data-widened",
            "data classifications widened: {added} newly allowed (now {now})",
            added=wider,
            now=[str(x) for x in after],
        )
    if narrower := additions(after, before):
        add(
            INFO,
            "data-narrowed",
            "data classifications narrowed: {removed} no longer allowed",
            removed=narrower,
        )
    for key, level_gone, level_new, what in (
        ("prohibited", ATTENTION, INFO, "prohibited uses"),
        ("approved", INFO, INFO, "approved uses"),
    ):
        b, a = get_list(old, "uses", key), get_list(new, "uses", key)
        if gone := additions(a, b):
            add(level_gone, f"{key}-removed", f"removed from the {what}: {{items}}", items=gone)
        if extra := additions(b, a):
            add(level_new, f"{key}-added", f"added to the {what}: {{items}}", items=extra)
    for key in ("team", "contact", "github"):
        b, a = get(old, "owner", key), get(new, "owner", key)
        if a != b:
            add(INFO, "owner-changed", f"owner {key}: {{old}} → {{new}}", old=b, new=a)
    if get(old, "vendor") != get(new, "vendor"):
        add(
            INFO,
            "vendor-changed",
            "vendor {old} → {new}",
            old=get(old, "vendor"),
            new=get(new, "vendor"),
        )
    if get(old, "name") != get(new, "name"):
        add(INFO, "name-changed", "name {old} → {new}", old=get(old, "name"), new=get(new, "name"))
    tier_b, tier_a = get(old, "license", "tier"), get(new, "license", "tier")
    if tier_a != tier_b:
        level = ATTENTION if tier_a in {"personal", "free"} else INFO
        add(level, "license-changed", "license tier {old} → {new}", old=tier_b, new=tier_a)
    rules_b = [str(get(e, "rule")) for e in get_list(old, "exceptions")]
    rules_a = [str(get(e, "rule")) for e in get_list(new, "exceptions")]
    if extra := additions(rules_b, rules_a):
        add(ATTENTION, "exception-added", "exceptions added for rules: {rules}", rules=extra)
    if gone := additions(rules_a, rules_b):
        add(INFO, "exception-removed", "exceptions removed for rules: {rules}", rules=gone)
    other = changed_keys(old, new, _TOOL_HANDLED | {"license", "data"})
    other += changed_keys(get(old, "license"), get(new, "license"), {"tier"}, "license.")
    other += changed_keys(get(old, "data"), get(new, "data"), {"allowed"}, "data.")
    if other:
        add(INFO, "other", "also changed: {fields}", fields=other)


def _requirements(add: Callable[..., None], ctx: Requirements, tool: Any, status: Any) -> None:
    if not isinstance(status, str):
        return
    missing = ctx.missing(tool, status)
    if missing:
        add(
            WARNING,
            "evidence-missing",
            "status {status} lacks evidence the policy requires: {missing}",
            status=status,
            missing=missing,
        )
