"""EU AI Act findings: ``ai-act-obligation-missing`` for each obligation that applies to a
tool's classified use and has no evidence (:mod:`generator.frameworks.obligations`).

A warning before the date from which the obligation applies, an error from that date on (the
dates are the policy's, from the Act's Article 113, so a team moves them when an amending act
does). The finding concerns the compliance review, the step that classifies the tool, and is
addressed to the tool's owner; an exception for the rule covers it as for any other finding.
Tools in the sandbox get warnings whatever the date (the evidence is needed before pilot);
proposed, rejected and offboarded tools none. A prohibited use is refused by validation
(``ai-act-prohibited``), whatever the date.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.findings import Findings
from generator.diagnostics import Diagnostic, Severity
from generator.frameworks.obligations import PREPARING, RULE, obligation_states
from generator.model import Tool

STEP = "compliance-review"
#: How a message names each class, in the middle of a sentence.
CLASS_WORDS = {
    "prohibited": "as a prohibited practice (Article 5)",
    "high-risk": "high-risk (Article 6)",
    "limited": "limited risk, with transparency duties (Article 50)",
    "minimal": "minimal risk",
}


def obligations(run: Findings, tool: Tool) -> Iterator[Diagnostic]:
    """One finding per applicable obligation the tool has no evidence for, while the tool is
    in the sandbox (a warning: needed before pilot) or used (by the date)."""
    use = tool.ai_act
    if use is None:
        return
    for st in obligation_states(run.policy, tool, run.today):
        if st.record is not None or st.state == "not-yet":
            continue
        ob = st.obligation
        when = st.starts.isoformat()
        if tool.status in PREPARING:
            severity = Severity.WARNING
            applies = f"applies from {when} once the tool is used, so it is needed before pilot"
        elif run.today < st.starts:
            severity = Severity.WARNING
            applies = f"applies from {when}"
        else:
            severity = Severity.ERROR
            applies = f"has applied since {when}"
        yield run.finding(
            RULE,
            severity,
            f"{run.tool_ref(tool)} is classified {CLASS_WORDS[use.cls]} with the organisation"
            f" as {use.role}; obligation {ob.id!r} ({ob.article}: {ob.title}) {applies}"
            f" ({ob.source}) and no evidence is recorded",
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
