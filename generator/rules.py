"""Every rule id the handbook can report: default severity, what it means, how to fix it.

The site renders this table as its rules reference, and every message links to its row, so a
rule id, once published, never changes meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    stage: str
    summary: str
    fix: str


_RULES = [
    # load
    Rule("file-unreadable", E, "load", "A file could not be read.", "Check its permissions."),
    Rule("file-encoding", E, "load", "A file is not UTF-8 text.", "Save it as UTF-8."),
    Rule(
        "yaml-syntax",
        E,
        "load",
        "The YAML cannot be parsed.",
        "Fix indentation, colons or quotes at the line given.",
    ),
    Rule(
        "yaml-empty",
        E,
        "load",
        "A YAML file has no content.",
        "Fill it in from an example, or delete it.",
    ),
    Rule(
        "yaml-multiple-documents",
        E,
        "load",
        "A YAML file holds more than one document.",
        "Keep one document per file; remove the extra '---'.",
    ),
    Rule(
        "yaml-duplicate-key",
        E,
        "load",
        "A key appears twice in one mapping; YAML would silently keep only the last.",
        "Keep one of the two entries.",
    ),
    Rule(
        "yaml-key-type",
        E,
        "load",
        "A mapping key is a number, date or boolean rather than text.",
        "Quote the key.",
    ),
    Rule(
        "yaml-unsafe-tag",
        E,
        "load",
        "A YAML tag such as !!python/object is used; only plain values are allowed.",
        "Remove the tag.",
    ),
    Rule(
        "yaml-too-large",
        E,
        "load",
        "A file is too large, too deeply nested, or its aliases expand too far.",
        "Split or flatten it; write values out instead of nesting aliases.",
    ),
    Rule(
        "schema-comment",
        W,
        "load",
        "A YAML file lacks the '# yaml-language-server: $schema=' first line that lets editors check it as you type.",
        "Add the line shown in the message as the first line.",
    ),
    Rule(
        "file-unexpected",
        W,
        "load",
        "A file in registry/ or content/ is not one the handbook reads.",
        "Move or rename it (YAML files end in .yaml), or delete it.",
    ),
    # validate: schema
    Rule(
        "schema",
        E,
        "validate",
        "A value does not match the JSON Schema for its kind of file.",
        "Follow the message and the hint; the schemas in schemas/ describe every field.",
    ),
    Rule(
        "schema-unknown-key",
        E,
        "validate",
        "A key is not part of the schema (often a typo).",
        "Rename it as suggested, or remove it.",
    ),
    Rule(
        "schema-required",
        E,
        "validate",
        "A required key is missing.",
        "Add the key named in the message.",
    ),
    # validate: cross-field and cross-file
    Rule(
        "id-mismatch",
        E,
        "validate",
        "An entry's id differs from its file name.",
        "Rename the file or change the id so that they match.",
    ),
    Rule(
        "id-duplicate",
        E,
        "validate",
        "Two entries share an id, or ids that differ only by case or look-alike characters.",
        "Give each entry a distinct id.",
    ),
    Rule(
        "name-duplicate",
        W,
        "validate",
        "Two tools or vendors share a name (ignoring case, spacing and look-alike characters).",
        "Make the names distinct, or merge the entries.",
    ),
    Rule(
        "ref-unknown-vendor",
        E,
        "validate",
        "A tool names a vendor that has no file in registry/vendors/.",
        "Fix the vendor id, or add the vendor with `handbook new-vendor`.",
    ),
    Rule(
        "ref-unknown-certification",
        E,
        "validate",
        "Vendor due diligence cites a certification id the vendor does not list.",
        "Use an id from the vendor's certifications, or add the certification to the vendor.",
    ),
    Rule(
        "ref-unknown-step",
        E,
        "validate",
        "The policy or guidance names a procedure step that does not exist.",
        "Use a step id from content/procedure/.",
    ),
    Rule(
        "ref-unknown-field",
        E,
        "validate",
        "A procedure step names an evidence field that the tool schema does not define.",
        "Use a dotted path of schemas/tool.schema.json, e.g. evidence.privacy_audit.",
    ),
    Rule(
        "ref-unknown-rule",
        E,
        "validate",
        "An exception names a rule id that does not exist.",
        "Use an id from the rules reference.",
    ),
    Rule(
        "date-order",
        E,
        "validate",
        "Two dates are out of order (an end before its start, an expiry before its issue).",
        "Correct whichever date is wrong.",
    ),
    Rule(
        "date-future",
        E,
        "validate",
        "A record of something done is dated after the check date.",
        "Record evidence once it exists, with the date it happened.",
    ),
    Rule(
        "pilot-too-short",
        E,
        "validate",
        "The pilot is shorter than the policy's minimum (14 days by default).",
        "Extend the pilot, or correct its dates.",
    ),
    Rule(
        "benchmark-size",
        E,
        "validate",
        "The benchmark ran fewer or more tasks than the policy's range (20-50 by default).",
        "Run a benchmark within the range and record it.",
    ),
    Rule(
        "evidence-missing",
        E,
        "validate",
        "The tool's status requires evidence for a step that is not recorded.",
        "Record the evidence, or move the tool back to an earlier status.",
    ),
    Rule(
        "personal-data-unsafe",
        E,
        "validate",
        "Personal data is allowed without a passing privacy audit that permits it on an enterprise instance that does not train on our data.",
        "Remove 'personal' from data.allowed, or complete the privacy audit.",
    ),
    Rule(
        "personal-license",
        E,
        "validate",
        "A personal or free account is recorded for a tool in use; company work needs an enterprise or team licence.",
        "Obtain an enterprise licence, or keep the tool out of use.",
    ),
    Rule(
        "review-failed",
        E,
        "validate",
        "A tool in use relies on a review whose result is 'fail'.",
        "Repeat the review, or move the tool to rejected or deprecated.",
    ),
    Rule(
        "sandbox-not-isolated",
        E,
        "validate",
        "The sandbox is not isolated from production.",
        "Isolate the sandbox, then record isolated_from_production: true.",
    ),
    Rule(
        "offboarding-incomplete",
        E,
        "validate",
        "An offboarded tool's record does not show keys revoked, data wiped and a completion date.",
        "Finish offboarding, or set the status back to deprecated.",
    ),
    Rule(
        "secret-in-data",
        E,
        "validate",
        "A value looks like a credential (an API key or token).",
        "Remove it, revoke it at the vendor, and store a reference (vault://...) instead.",
    ),
    Rule(
        "exception-invalid",
        E,
        "validate",
        "An exception has no approver or runs longer than the policy allows.",
        "Name an approver and keep 'until' within the policy's maximum.",
    ),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
