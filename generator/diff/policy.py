"""The policy and the procedure at two revisions.

The policy is compared as effective values (model.effective_policy): a key left out means its
default, so deleting ``cadence_days: {output_audit: 7}`` moves the cadence from 7 to the default,
and writing a default out changes nothing. What each status requires is reported step by step;
every other value in general terms. Procedure steps are matched by id across the phase files:
removed, added, moved, the evidence they ask for, their cadence (compared as the days of the
policy cadence it points to, at each revision), and every other changed value. Which way is
looser comes from the table in looser.py.
"""

from __future__ import annotations

from typing import Any

from generator.diff.changes import ATTENTION, INFO, Changes
from generator.diff.fields import get, get_list, stem
from generator.diff.leaves import Delta, Deltas, items
from generator.diff.looser import Add, items_level, level_of, loosens, report
from generator.diff.revisions import Snapshot
from generator.model import effective_policy

POLICY, PROCEDURE, STEP, PHASE = "policy", "procedure", "step", "phase"


def compare_policy(out: Changes, path: str, old: Any, new: Any) -> None:
    """``old`` or ``new`` None: the file is missing there, so the defaults apply."""

    def add(level: str, kind: str, template: str, **values: object) -> None:
        out.add(level, kind, "policy", "policy", path, template, None, **values)

    deltas = Deltas(effective_policy(old), effective_policy(new))
    for d in deltas.take("requirements"):
        extra, gone = items(d)
        status = d.path[1] if len(d.path) == 2 else None
        if gone and status:
            add(
                items_level(POLICY, d.path, [], gone),
                "requirement-removed",
                "status {status} no longer requires: {steps}",
                status=status,
                steps=gone,
            )
        if extra and status:
            add(
                items_level(POLICY, d.path, extra, []),
                "requirement-added",
                "status {status} now also requires: {steps}",
                status=status,
                steps=extra,
            )
        if not status or not (extra or gone):
            report(add, POLICY, [d])
    report(add, POLICY, deltas.left)


def _steps(snap: Snapshot, skip: set[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    steps: dict[str, tuple[str, dict[str, Any]]] = {}
    for path, data in sorted(snap.of("phase").items()):
        if path in skip:
            continue
        for step in get_list(data, "steps"):
            if isinstance(step, dict) and isinstance(step.get("id"), str):
                steps.setdefault(step["id"], (path, step))
    return steps


def _cadence_days(snap: Snapshot) -> dict[str, Any]:
    policy = next(iter(snap.of("policy").values()), None)
    days = effective_policy(policy).get("cadence_days")
    return days if isinstance(days, dict) else {}


def compare_procedure(out: Changes, base: Snapshot, head: Snapshot) -> None:
    # a phase file that cannot be read at either revision is a problem, not removed steps
    unreadable = {p for s in (base, head) for p, d in s.of("phase").items() if d is None}
    before, after = _steps(base, unreadable), _steps(head, unreadable)
    days = _cadence_days(base), _cadence_days(head)
    for sid in [*before, *(s for s in after if s not in before)]:
        b, a = before.get(sid), after.get(sid)
        path = (a or b or ("", {}))[0]
        title = get((a or b or ("", {}))[1], "title")

        add = out.entry("procedure", sid, path, title)
        if b is None:
            add(INFO, "step-added", "step added to {file}", file=path)
        elif a is None:
            gone = Delta(("steps", f"[{sid}]"), b[1], None)
            add(level_of(PROCEDURE, gone), "step-removed", "step removed from the procedure")
        else:
            if b[0] != a[0]:
                add(INFO, "step-moved", "moved from {old} to {new}", old=b[0], new=a[0])
            _step(add, Deltas(b[1], a[1]), days)
    for path in sorted({*base.of("phase"), *head.of("phase")} - unreadable):
        old, new = base.docs.get(path), head.docs.get(path)
        data = new if new is not None else old
        subject = str(get(data, "id") or stem(path))
        add = out.entry("procedure", subject, path, get(data, "title"))
        report(add, PHASE, Deltas(_without_steps(old), _without_steps(new)).left)


def _without_steps(phase: Any) -> Any:
    return {k: v for k, v in phase.items() if k != "steps"} if isinstance(phase, dict) else None


def _step(add: Add, deltas: Deltas, days: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """One step at both revisions: its evidence, its cadence, and its other values."""
    for d in deltas.take("evidence"):
        extra, lost = items(d)
        if lost:
            add(
                items_level(STEP, d.path, [], lost),
                "step-evidence-removed",
                "no longer asks for evidence: {fields}",
                fields=lost,
            )
        if extra:
            add(
                items_level(STEP, d.path, extra, []),
                "step-evidence-added",
                "now also asks for evidence: {fields}",
                fields=extra,
            )
        if not extra and not lost:
            report(add, STEP, [d])
    for d in deltas.take("cadence", "policy"):
        was, now = d.old, d.new
        n_was = days[0].get(was) if isinstance(was, str) else None
        n_now = days[1].get(now) if isinstance(now, str) else None
        row = loosens(STEP, Delta(("cadence",), n_was, n_now))
        add(
            ATTENTION if row else INFO,
            "step-cadence-changed",
            "cadence {old} → {new} (every {old_days} → {new_days} days"
            + (f"; looser: {row.why})" if row else ")"),
            old=was,
            new=now,
            old_days=n_was,
            new_days=n_now,
        )
    report(add, STEP, deltas.left)
