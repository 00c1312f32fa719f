"""JUnit XML for CI test panels: one testsuite per rule, one testcase per finding.

Errors and warnings are failures (``type`` says which); notes, such as findings accepted by an
exception, are skipped test cases. With no findings there is one empty, passing suite. Built with
ElementTree, so markup in user data is escaped; characters XML 1.0 cannot carry are replaced.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Severity, count, sorted_diagnostics

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def case(suite: ET.Element, d: Diagnostic) -> None:
    name = d.location + (f" ({d.subject})" if d.subject else "")
    tc = ET.SubElement(suite, "testcase", name=clean(name), classname=clean(d.rule))
    if d.path:
        tc.set("file", clean(d.path))
        if d.line:
            tc.set("line", str(d.line))
    body = [f"{d.location}: {d.severity.value}[{d.rule}] {d.message}"]
    if d.hint:
        body.append(f"hint: {d.hint}")
    for key in ("owner", "due", "days"):
        value = getattr(d, key)
        if value is not None:
            body.append(f"{key}: {value}")
    if d.severity is Severity.NOTE:
        ET.SubElement(tc, "skipped", message=clean(d.message)).text = clean("\n".join(body))
    else:
        failure = ET.SubElement(tc, "failure", message=clean(d.message), type=d.severity.value)
        failure.text = clean("\n".join(body))


def render(diags: Sequence[Diagnostic]) -> str:
    n = count(diags)
    failures = n[Severity.ERROR] + n[Severity.WARNING]
    root = ET.Element(
        "testsuites",
        name="handbook",
        tests=str(len(diags)),
        failures=str(failures),
        errors="0",
        skipped=str(n[Severity.NOTE]),
    )
    by_rule: dict[str, list[Diagnostic]] = {}
    for d in sorted_diagnostics(diags):
        by_rule.setdefault(d.rule, []).append(d)
    if not by_rule:
        ET.SubElement(root, "testsuite", name="handbook", tests="0", failures="0", errors="0")
    for rule in sorted(by_rule):
        found = by_rule[rule]
        k = count(found)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=rule,
            tests=str(len(found)),
            failures=str(k[Severity.ERROR] + k[Severity.WARNING]),
            errors="0",
            skipped=str(k[Severity.NOTE]),
        )
        for d in found:
            case(suite, d)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
