"""The policy and the procedure at two revisions: what each status requires, policy settings,
procedure steps and the evidence they ask for.
"""

from __future__ import annotations

from typing import Any

from generator.diff.changes import ATTENTION, INFO, Changes
from generator.diff.fields import additions, changed_keys, get, get_list, scalar, stem
from generator.diff.revisions import Snapshot


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_leaves(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): data}


def compare_policy(out: Changes, path: str, old: Any, new: Any) -> None:
    def add(level: str, kind: str, template: str, **values: object) -> None:
        out.add(level, kind, "policy", "policy", path, template, None, **values)

    req_b, req_a = get(old, "requirements") or {}, get(new, "requirements") or {}
    for status in [*req_b, *(s for s in req_a if s not in req_b)]:
        b, a = get_list(req_b, status), get_list(req_a, status)
        if gone := additions(a, b):
            add(
                ATTENTION,
                "requirement-removed",
                "status {status} no longer requires: {steps}",
                status=status,
                steps=gone,
            )
        if extra := additions(b, a):
            add(
                INFO,
                "requirement-added",
                "status {status} now also requires: {steps}",
                status=status,
                steps=extra,
            )
    leaves_b = _leaves({k: v for k, v in (old or {}).items() if k != "requirements"})
    leaves_a = _leaves({k: v for k, v in (new or {}).items() if k != "requirements"})
    for key in [*leaves_b, *(k for k in leaves_a if k not in leaves_b)]:
        was, now = leaves_b.get(key), leaves_a.get(key)
        if was == now:
            continue
        if isinstance(was, list) or isinstance(now, list):
            b_list = was if isinstance(was, list) else []
            a_list = now if isinstance(now, list) else []
            add(
                INFO,
                "policy-changed",
                "{key}: added {added}; removed {removed}",
                key=key,
                added=additions(b_list, a_list),
                removed=additions(a_list, b_list),
            )
        else:
            add(
                INFO,
                "policy-changed",
                "{key}: {old} → {new}",
                key=key,
                old=scalar(was),
                new=scalar(now),
            )


def _steps(snap: Snapshot) -> dict[str, tuple[str, dict[str, Any]]]:
    steps: dict[str, tuple[str, dict[str, Any]]] = {}
    for path, data in sorted(snap.of("phase").items()):
        for step in get_list(data, "steps"):
            if isinstance(step, dict) and isinstance(step.get("id"), str):
                steps.setdefault(step["id"], (path, step))
    return steps


def compare_procedure(out: Changes, base: Snapshot, head: Snapshot) -> None:
    before, after = _steps(base), _steps(head)
    for sid in [*before, *(s for s in after if s not in before)]:
        b, a = before.get(sid), after.get(sid)
        path = (a or b or ("", {}))[0]
        title = get((a or b or ("", {}))[1], "title")

        def add(
            level: str,
            kind: str,
            template: str,
            sid: str = sid,
            path: str = path,
            title: Any = title,
            **values: object,
        ) -> None:
            out.add(level, kind, "procedure", sid, path, template, title, **values)

        if b is None:
            add(INFO, "step-added", "step added to {file}", file=path)
        elif a is None:
            add(ATTENTION, "step-removed", "step removed from the procedure")
        elif a[1] != b[1]:
            fields = changed_keys(b[1], a[1], set())
            lost = additions(get_list(a[1], "evidence"), get_list(b[1], "evidence"))
            add(INFO, "step-changed", "changed: {fields}", fields=fields)
            if lost:
                add(
                    ATTENTION,
                    "step-evidence-removed",
                    "no longer asks for evidence: {fields}",
                    fields=lost,
                )
            if b[0] != a[0]:
                add(INFO, "step-moved", "moved from {old} to {new}", old=b[0], new=a[0])
    for path in sorted({*base.of("phase"), *head.of("phase")}):
        old, new = base.docs.get(path), head.docs.get(path)
        fields = changed_keys(old, new, {"steps"}) if old is not None and new is not None else []
        if fields:
            out.add(
                INFO,
                "phase-changed",
                "procedure",
                str(get(new, "id") or stem(path)),
                path,
                "changed: {fields}",
                get(new, "title"),
                fields=fields,
            )
