"""A tool's record at two revisions: status transitions and the evidence the policy requires,
evidence removed, data classifications, approved and prohibited uses, owner, vendor, license tier,
exceptions (matched by rule, then order), and every other changed value in general terms. Which
way is looser comes from the table in looser.py.
"""

from __future__ import annotations

from typing import Any

from generator.diff.changes import ATTENTION, INFO, WARNING, Changes, Value
from generator.diff.fields import get, get_list, get_map, stem
from generator.diff.leaves import Deltas, items, shown
from generator.diff.looser import Add, items_level, level_of, report
from generator.diff.measured import compare_measured, tables
from generator.diff.revisions import Snapshot
from generator.model import IN_USE, USE_RANK, has_path

TOOL = "tool"


class Requirements:
    """What the head revision's policy and procedure ask of each status, and the evidence
    tables of both revisions."""

    def __init__(self, head: Snapshot, base: Snapshot | None = None) -> None:
        self.before = tables(base.docs) if base is not None else {}
        self.after = tables(head.docs)
        policy = next(iter(head.of("policy").values()), None)
        self.requirements: dict[str, list[str]] = {
            str(k): [str(s) for s in v]
            for k, v in get_map(policy, "requirements").items()
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
    deltas = Deltas(old, new)
    _status(add, ctx, deltas, old, new)
    _evidence_removed(add, deltas, old, new)
    _data_and_uses(add, deltas)
    for key in ("team", "contact", "github"):
        for d in deltas.take("owner", key):
            add(
                level_of(TOOL, d),
                "owner-changed",
                f"owner {key}: {{old}} → {{new}}",
                old=shown(d.old),
                new=shown(d.new),
            )
    for key in ("vendor", "name"):
        for d in deltas.take(key):
            add(INFO, f"{key}-changed", f"{key} {{old}} → {{new}}", old=d.old, new=d.new)
    for d in deltas.take("license", "tier"):
        add(
            level_of(TOOL, d), "license-changed", "license tier {old} → {new}", old=d.old, new=d.new
        )
    _exceptions(add, deltas)
    compare_measured(add, old, new, ctx.before, ctx.after)
    report(add, TOOL, deltas.left)


def _status(add: Add, ctx: Requirements, deltas: Deltas, old: Any, new: Any) -> None:
    """A status move, with the evidence recorded alongside and what the policy requires."""
    was, status = get(old, "status", "value"), get(new, "status", "value")
    added, updated, _ = _sections(get(old, "evidence"), get(new, "evidence"))
    if was != status:
        deltas.take("status", "value")
        deltas.take("status", "since")
        # a move up USE_RANK (restricted -> approved) is an approval: a reviewer must see it
        wider = USE_RANK.get(str(status), 0) > USE_RANK.get(str(was), 0)
        template = "status {old} → {new}" + (" (wider use)" if wider else "")
        values: dict[str, Value] = {"old": shown(was), "new": shown(status)}
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
        add(ATTENTION if wider else INFO, "status", template, **values)
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


def _evidence_removed(add: Add, deltas: Deltas, old: Any, new: Any) -> None:
    """Evidence sections deleted, and entries deleted from list-valued evidence (audits,
    incidents): the line names them, so their values are not repeated one by one. Less
    evidence is a loosening by the table (``evidence.**``); fields deleted inside a section are
    left for it, one line each."""
    _, _, removed = _sections(get(old, "evidence"), get(new, "evidence"))
    taken = []
    for section in removed:
        taken += deltas.take("evidence", section)
    dropped = []
    for section, before in get_map(old, "evidence").items():
        if isinstance(before, list) and section not in removed:
            gone = deltas.take("evidence", section, where=lambda d: d.is_item and d.new is None)
            taken += gone
            if gone:
                dropped.append(f"{section} ({len(gone)} of {len(before)} entries)")
    if removed or dropped:
        add(
            level_of(TOOL, *taken),
            "evidence-removed",
            "evidence removed: {removed}",
            removed=removed + dropped,
        )


def _data_and_uses(add: Add, deltas: Deltas) -> None:
    """Data classes and uses, item by item: which of added or removed loosens is the table's."""
    for d in deltas.take("data", "allowed"):
        wider, narrower = items(d)
        if wider:
            add(
                items_level(TOOL, d.path, wider, []),
                "data-widened",
                "data classifications widened: {added} newly allowed (now {now})",
                added=wider,
                now=shown(d.new) or [],
            )
        if narrower:
            add(
                items_level(TOOL, d.path, [], narrower),
                "data-narrowed",
                "data classifications narrowed: {removed} no longer allowed",
                removed=narrower,
            )
        if not wider and not narrower:  # not lists, or only reordered
            report(add, TOOL, [d])
    for key, what in (("prohibited", "prohibited uses"), ("approved", "approved uses")):
        for d in deltas.take("uses", key):
            extra, gone = items(d)
            if gone:
                add(
                    items_level(TOOL, d.path, [], gone),
                    f"{key}-removed",
                    f"removed from the {what}: {{items}}",
                    items=gone,
                )
            if extra:
                add(
                    items_level(TOOL, d.path, extra, []),
                    f"{key}-added",
                    f"added to the {what}: {{items}}",
                    items=extra,
                )
            if not extra and not gone:
                report(add, TOOL, [d])


def _exceptions(add: Add, deltas: Deltas) -> None:
    """Exceptions added or removed, one line each with its terms. The changed terms of an
    exception that stays (a later ``until``, another approver) are left for the table."""
    for d in deltas.take("exceptions", where=lambda d: d.is_item):
        whole = d.new if d.new is not None else d.old
        values: dict[str, Value] = {
            "rule": shown(get(whole, "rule")),
            "until": shown(get(whole, "until")),
            "approver": shown(get(whole, "approver")),
            "reason": shown(get(whole, "reason")),
            "rules": [str(shown(get(whole, "rule")))],
        }
        if d.new is not None:
            template = "exception added for rule {rule}: until {until}, approver {approver}"
            add(level_of(TOOL, d), "exception-added", template, **values)
        else:
            template = "exception removed for rule {rule} (was until {until})"
            add(level_of(TOOL, d), "exception-removed", template, **values)


def _requirements(add: Add, ctx: Requirements, tool: Any, status: Any) -> None:
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
