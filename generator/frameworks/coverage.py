"""Each framework entry's state per tool, from the steps and obligations mapped to it (pure).

The crosswalk (:class:`Crosswalk`) is the procedure read backwards: for each entry of each
framework, the steps (``frameworks:`` in ``content/procedure/*.yaml``) and the EU AI Act
obligations (``eu_ai_act.obligations[].frameworks`` in the policy) that help satisfy it. An
entry nothing maps to is a *gap* in the procedure.

An entry's state for one tool is the worst state among what is mapped to it and concerns the
tool: every mapped step (:func:`generator.status.step_states`, the dashboard's states) and every
mapped obligation that applies to the tool's classified use
(:func:`generator.frameworks.obligations.obligation_states`). Worst first: ``stale``,
``missing``, ``not-yet``, ``excepted``, ``due-soon``, ``done``. So an entry whose evidence went
stale (an expired certificate, an overdue audit) is stale wherever it is shown: the framework
pages, the tool page, ``report.json``, ``frameworks-coverage.csv``, ``registry.json`` and the
CycloneDX attestations. An entry is *supported* by a tool's evidence when its state is ``done``
or ``due-soon`` (current, if soon due).

Tools in scope: those in sandbox, pilot, approved or restricted status (the statuses in which a
tool touches real work or data). Coverage of a tool: supported entries over the entries mapped
to something that concerns it. Coverage of a framework: entries mapped over all its entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.frameworks.data import Framework, FrameworkEntry, Obligation, Ref
from generator.frameworks.obligations import ObligationState, coverage_state, obligation_states
from generator.model import RELYING, Handbook, Policy, Step, Tool, shift, value_at
from generator.status import StepState

#: The keys that date an evidence record, in the order they are looked for.
DATE_KEYS = ("date", "last_review", "start", "started", "measured", "verified_on")

#: States, worst first: an entry takes the worst of what is mapped to it.
WORST_FIRST = ("stale", "missing", "not-yet", "excepted", "due-soon", "done")
_RANK = {s: i for i, s in enumerate(WORST_FIRST)}
#: States in which a tool's evidence supports an entry.
SUPPORTED = ("done", "due-soon")
#: Statuses whose tools the coverage is computed for.
IN_SCOPE = RELYING


@dataclass(frozen=True, slots=True)
class Mapped:
    """What is mapped to one entry."""

    framework: Framework
    entry: FrameworkEntry
    steps: tuple[Step, ...] = ()
    obligations: tuple[Obligation, ...] = ()

    @property
    def gap(self) -> bool:
        return not self.steps and not self.obligations

    @property
    def ref(self) -> Ref:
        return (self.framework.id, self.entry.id)


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """Every framework entry and what is mapped to it, by framework id then entry id."""

    entries: Mapping[str, Mapping[str, Mapped]]
    by_step: Mapping[str, tuple[Ref, ...]] = field(default_factory=dict)
    by_obligation: Mapping[str, tuple[Ref, ...]] = field(default_factory=dict)

    def mapped(self, framework_id: str) -> list[Mapped]:
        return list(self.entries.get(framework_id, {}).values())

    def gaps(self, framework_id: str) -> list[Mapped]:
        return [m for m in self.mapped(framework_id) if m.gap]

    def share_mapped(self, framework_id: str) -> tuple[int, int]:
        """(entries mapped to a step or obligation, all entries)."""
        all_ = self.mapped(framework_id)
        return sum(1 for m in all_ if not m.gap), len(all_)


def crosswalk(handbook: Handbook) -> Crosswalk:
    """The crosswalk of ``handbook``; references to unknown entries are ignored (validation
    reports them)."""
    steps: dict[Ref, list[Step]] = {}
    obligations: dict[Ref, list[Obligation]] = {}
    by_step: dict[str, tuple[Ref, ...]] = {}
    by_obligation: dict[str, tuple[Ref, ...]] = {}
    for phase in handbook.phases:
        for step in phase.steps:
            by_step[step.id] = step.frameworks
            for ref in step.frameworks:
                steps.setdefault(ref, []).append(step)
    for ob in handbook.policy.obligations:
        by_obligation[ob.id] = ob.frameworks
        for ref in ob.frameworks:
            obligations.setdefault(ref, []).append(ob)
    entries = {
        fw.id: {
            e.id: Mapped(
                fw,
                e,
                tuple(steps.get((fw.id, e.id), ())),
                tuple(obligations.get((fw.id, e.id), ())),
            )
            for e in fw.entries
        }
        for fw in handbook.frameworks.values()
    }
    return Crosswalk(entries, by_step, by_obligation)


def record_date(value: Any) -> date | None:
    """The date of an evidence record: its first dated key; of a list, the newest."""
    if isinstance(value, list):
        days = [d for d in (record_date(v) for v in value) if d is not None]
        return max(days, default=None)
    if isinstance(value, Mapping):
        for key in DATE_KEYS:
            if isinstance(value.get(key), str):
                try:
                    return date.fromisoformat(value[key])
                except ValueError:
                    return None
    return None


def step_date(tool: Tool, step: Step) -> date | None:
    """The newest date among the records of the step's evidence fields."""
    days = [record_date(value_at(tool.raw, f)) for f in step.evidence]
    return max((d for d in days if d is not None), default=None)


def claim_state(st: StepState, tool: Tool, policy: Policy, today: date) -> str:
    """What a step's state says about the currency of its evidence, for a claim about it (an
    entry's coverage, a CycloneDX attestation). As the dashboard's, except that a step the
    dashboard calls done or due soon supports nothing when no evidence is recorded (a warning
    about a step with no record: ``missing`` if required, else ``not-yet``), a warning about
    what the evidence shows rather than a date (a benchmark below the bar in the sandbox, an
    audit too small to detect drift: a finding without a due date) makes it ``not-yet``, and a
    recurring
    step's evidence older than its cadence (``cadence_days``) is ``stale`` even where the
    tool's status does not judge it (a compliance review of 2019 on a tool in the sandbox)."""
    if st.state not in SUPPORTED:
        return st.state
    if not st.present:
        return "missing" if st.required else "not-yet"
    if any(d.severity is Severity.WARNING and d.due is None for d in st.findings):
        return "not-yet"  # a warning about what the evidence shows, not about a date
    days = policy.cadence_days.get(st.step.cadence) if st.step.cadence else None
    newest = step_date(tool, st.step) if days else None
    if days and newest is not None and shift(newest, days) < today:
        return "stale"
    return st.state


def worst(states: Iterable[str]) -> str | None:
    """The worst of ``states`` (WORST_FIRST), None when there are none."""
    return min(states, key=_RANK.__getitem__, default=None)


@dataclass(frozen=True, slots=True)
class ToolCoverage:
    """One tool's state on every entry mapped to something that concerns it."""

    tool: Tool
    states: Mapping[Ref, str]  # entries mapped to nothing that concerns the tool are absent
    obligations: tuple[ObligationState, ...] = ()

    def of(self, framework_id: str) -> dict[str, str]:
        return {e: s for (fw, e), s in self.states.items() if fw == framework_id}

    def supported(self, framework_id: str | None = None) -> list[Ref]:
        return [
            r
            for r, s in self.states.items()
            if s in SUPPORTED and (framework_id is None or r[0] == framework_id)
        ]

    def share(self, framework_id: str) -> tuple[int, int]:
        """(entries supported, entries that concern the tool) in one framework."""
        mine = self.of(framework_id)
        return sum(1 for s in mine.values() if s in SUPPORTED), len(mine)


def tool_coverage(
    walk: Crosswalk,
    handbook: Handbook,
    tool: Tool,
    steps: Sequence[StepState],
    today: date,
) -> ToolCoverage:
    """``tool``'s state on each entry, from its step states (in procedure order) as of
    ``today``."""
    by_step = {s.step.id: claim_state(s, tool, handbook.policy, today) for s in steps}
    obs = obligation_states(handbook.policy, tool, today)
    by_ob = {o.obligation.id: coverage_state(o) for o in obs}
    states: dict[Ref, str] = {}
    for fw_entries in walk.entries.values():
        for m in fw_entries.values():
            if m.gap:
                continue
            found = [by_step[s.id] for s in m.steps if s.id in by_step]
            found += [by_ob[o.id] for o in m.obligations if o.id in by_ob]
            state = worst(found)
            if state is not None:
                states[m.ref] = state
    return ToolCoverage(tool, states, tuple(obs))


def in_scope(handbook: Handbook) -> list[Tool]:
    return [t for t in handbook.tools.values() if t.status in IN_SCOPE]


def ref_label(handbook: Handbook, ref: Ref) -> str:
    """'NIST AI RMF 1.0 GOVERN 6.1'."""
    fw = handbook.frameworks.get(ref[0])
    return f"{fw.title if fw else ref[0]} {ref[1]}"


def affected(walk: Crosswalk, d: Diagnostic) -> tuple[str, ...]:
    """The entries a finding puts at risk, as ``"framework-id:entry-id"``: those it names
    already (an obligation's own entries), then those mapped to its step."""
    refs = list(d.frameworks)
    for fw, entry in walk.by_step.get(d.step, ()) if d.step else ():
        if f"{fw}:{entry}" not in refs:
            refs.append(f"{fw}:{entry}")
    return tuple(refs)


def annotate(handbook: Handbook, found: Sequence[Diagnostic]) -> list[Diagnostic]:
    """``found`` with each finding's ``frameworks`` set to the entries it puts at risk."""
    walk = crosswalk(handbook)
    out = []
    for d in found:
        refs = affected(walk, d)
        out.append(replace(d, frameworks=refs) if refs != d.frameworks else d)
    return out
