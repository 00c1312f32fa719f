"""EU AI Act findings: ``ai-act-obligation-missing`` for each obligation that applies to a
tool's classified use and has no evidence (:mod:`generator.frameworks.obligations`).

A warning before the date from which the obligation applies, an error from that date on (the
dates are the policy's, from the Act's Article 113, so a team moves them when an amending act
does). The finding concerns the compliance review, the step that classifies the tool, and is
addressed to the tool's owner; an exception for the rule covers it as for any other finding.
A prohibited use is refused by validation (``ai-act-prohibited``), whatever the date.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.findings import Findings
from generator.diagnostics import Diagnostic, Severity
from generator.frameworks.data import AI_ACT_CLASS_WORDS
from generator.frameworks.obligations import RULE, obligation_states
from generator.model import Tool

STEP = "compliance-review"


def obligations(run: Findings, tool: Tool) -> Iterator[Diagnostic]:
    """One finding per applicable obligation the tool has no evidence for."""
    use = tool.ai_act
    if use is None or tool.status in ("rejected", "offboarded"):
        return
    for st in obligation_states(run.policy, tool, run.today):
        if st.record is not None:
            continue
        ob = st.obligation
        when = st.starts.isoformat()
        applies = f"applies from {when}" if run.today < st.starts else f"has applied since {when}"
        yield run.finding(
            RULE,
            Severity.WARNING if run.today < st.starts else Severity.ERROR,
            f"{run.tool_ref(tool)} is classified {AI_ACT_CLASS_WORDS[use.cls].lower()} with the"
            f" organisation as {use.role}; obligation {ob.id!r} ({ob.article}: {ob.title}) "
            f"{applies} ({ob.source}) and no evidence is recorded",
            tool.path,
            tool.at("eu_ai_act", "class"),
            f"record it under eu_ai_act.obligations.{ob.id} (date, by, evidence): {ob.record}",
            subject=tool.id,
            owner=tool.contact,
            due=st.starts,
            step=STEP,
            tools=(tool,),
            frameworks=tuple(f"{fw}:{entry}" for fw, entry in ob.frameworks),
        )
