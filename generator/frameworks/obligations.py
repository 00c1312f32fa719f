"""Which EU AI Act obligations apply to a tool, from when, and where each stands (pure).

An obligation of the policy (``eu_ai_act.obligations``) applies to a tool whose classification
(``eu_ai_act``) has one of its classes and roles and meets its ``when`` conditions. It applies
from its ``applies_from`` date (``annex_i_from`` for a high-risk use under Annex I, Article
113(c)). Its state, as of ``today``, in the vocabulary of the step states
(:mod:`generator.status`):

* ``done``: the tool records evidence for it (``eu_ai_act.obligations.<id>``);
* ``not-yet``: no evidence, and the tool is not used (proposed, rejected, offboarded): the
  organisation has no duty yet, or any more;
* ``excepted``: no evidence, and an open exception accepts ``ai-act-obligation-missing``;
* ``due-soon``: no evidence, and the tool is in the sandbox (the evidence is needed before
  pilot) or the obligation does not apply yet (a warning);
* ``missing``: no evidence, the tool is used (pilot, approved, restricted, deprecated) and the
  obligation applies (an error).

A framework entry is never supported by an obligation without evidence: for the coverage, a
``due-soon`` obligation counts as ``not-yet`` (:func:`coverage_state`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.checks.exceptions import covering
from generator.frameworks.data import Obligation
from generator.model import Policy, Tool

RULE = "ai-act-obligation-missing"
#: Statuses in which the tool is used, so that its class's obligations bind the organisation.
USED = ("pilot", "approved", "restricted", "deprecated")
#: Statuses in which the evidence is prepared: a missing record is a warning whatever the date.
PREPARING = ("sandbox",)


@dataclass(frozen=True, slots=True)
class ObligationState:
    obligation: Obligation
    state: str  # done | excepted | due-soon | missing
    starts: date  # the date from which it applies to this tool
    record: Mapping[str, Any] | None = None  # the tool's evidence, when recorded


def applicable(policy: Policy, tool: Tool) -> list[Obligation]:
    """The policy's obligations that concern ``tool``'s classified use, in policy order."""
    use = tool.ai_act
    if use is None:
        return []
    return [o for o in policy.obligations if o.applies_to(use)]


def obligation_states(policy: Policy, tool: Tool, today: date) -> list[ObligationState]:
    """Each applicable obligation's state for ``tool`` as of ``today``."""
    use = tool.ai_act
    if use is None:
        return []
    excepted = any(today <= e.until for e in covering(tool, RULE))
    out = []
    for ob in applicable(policy, tool):
        starts = ob.starts(use)
        record = use.records.get(ob.id)
        if record is not None:
            state = "done"
        elif tool.status not in USED + PREPARING:
            state = "not-yet"
        elif excepted:
            state = "excepted"
        elif tool.status in PREPARING or today < starts:
            state = "due-soon"
        else:
            state = "missing"
        out.append(ObligationState(ob, state, starts, record))
    return out


def coverage_state(st: ObligationState) -> str:
    """The obligation's state as a framework entry reads it: without evidence it supports
    nothing, so a ``due-soon`` obligation counts as ``not-yet``."""
    return "not-yet" if st.state == "due-soon" and st.record is None else st.state
