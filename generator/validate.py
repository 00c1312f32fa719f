"""Documents x schemas + the rules a schema cannot express -> list[Diagnostic].

Schema checks come first; the cross-field and cross-file rules below then run on every document
that passed them (so one typo does not cascade into a dozen follow-on messages).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from generator import codeowners
from generator.diagnostics import Diagnostic, Severity
from generator.load import Document, Tree
from generator.rules import RULES
from generator.schema import Schemas, dotted

IN_USE = {"pilot", "approved", "restricted"}

# Look-alike characters folded together when comparing ids and names.
_CONFUSABLES = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "$": "s"})
_SECRET = re.compile(
    r"\b(?:sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|github_pat_[A-Za-z0-9_]{30,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}"
    r"|AIza[0-9A-Za-z_-]{35})"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"  # no \b: a dash is not a word character
)


_NOT_ALNUM = re.compile(r"[\W_]+")
# Literal prefixes of _SECRET: a file containing none of them cannot match (a cheap first pass).
_SECRET_PREFIXES = (
    "sk-",
    "gho_",
    "ghp_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "AKIA",
    "xox",
    "AIza",
    "-----BEGIN",
)


def skeleton(text: str) -> str:
    """A comparison key: NFKC, case-folded, look-alikes folded, punctuation and spaces dropped."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold().translate(_CONFUSABLES)
    return _NOT_ALNUM.sub("", folded)


def _plus(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:  # --as-of 9999-12-31
        return date.max


def _d(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if isinstance(iso, str) else None


class Checker:
    """Runs the cross rules over one tree; ``emit`` positions each finding by the loader's marks."""

    def __init__(self, tree: Tree, today: date) -> None:
        self.tree = tree
        self.today = today
        self.found: list[Diagnostic] = []
        self.policy: dict[str, Any] = {}
        for doc in tree.of_kind("policy"):
            if isinstance(doc.data, dict):
                self.policy = doc.data
        self.steps = self.step_ids()
        self.unknown_fields: set[str] = set()  # step evidence the tool schema lacks

    def emit(
        self,
        rule: str,
        doc: Document,
        where: list[str | int],
        message: str,
        hint: str | None = None,
    ) -> None:
        line, col = doc.locate(where)
        self.found.append(
            Diagnostic(rule, RULES[rule].severity, message, doc.path, line, col, hint=hint)
        )

    # -- identity and references --------------------------------------------------------------

    def identities(self, docs: list[Document]) -> None:
        seen: dict[tuple[str, str], Document] = {}
        names: dict[tuple[str, str], Document] = {}
        for doc in docs:
            if not isinstance(doc.data, dict) or doc.kind not in {"tool", "vendor", "phase"}:
                continue
            ident = doc.data.get("id")
            stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
            if doc.kind == "phase":
                stem = stem.split("-", 1)[-1]
            if isinstance(ident, str) and ident != stem:
                self.emit(
                    "id-mismatch",
                    doc,
                    ["id"],
                    f"id {ident!r} differs from the file name {stem!r}",
                    f"rename the file to {ident}.yaml, or set id: {stem}",
                )
            if isinstance(ident, str):
                key = (doc.kind, skeleton(ident))
                if key in seen:
                    other = seen[key]
                    self.emit(
                        "id-duplicate",
                        doc,
                        ["id"],
                        f"id {ident!r} clashes with {other.data.get('id')!r} in {other.path}",
                        "ids must differ by more than case or look-alike characters",
                    )
                seen.setdefault(key, doc)
            name = doc.data.get("name")
            if isinstance(name, str) and doc.kind != "phase":
                key = (doc.kind, skeleton(name))
                if key in names:
                    other = names[key]
                    self.emit(
                        "name-duplicate",
                        doc,
                        ["name"],
                        f"name {name!r} looks the same as {other.data.get('name')!r} "
                        f"in {other.path}",
                        "make the names distinct, or merge the two entries",
                    )
                names.setdefault(key, doc)

    def step_ids(self) -> dict[str, dict[str, Any]]:
        steps: dict[str, dict[str, Any]] = {}
        for doc in self.tree.of_kind("phase"):
            if isinstance(doc.data, dict):
                for step in doc.data.get("steps") or []:
                    if isinstance(step, dict) and isinstance(step.get("id"), str):
                        steps.setdefault(step["id"], step)  # a duplicate is reported; first wins
        return steps

    def procedure(self, schemas: Schemas, valid: set[str]) -> None:
        steps = self.steps
        seen_steps: dict[str, str] = {}
        for doc in self.tree.of_kind("phase"):
            if doc.path not in valid:
                continue
            for i, step in enumerate(doc.data["steps"]):
                if step["id"] in seen_steps:
                    other = seen_steps[step["id"]]
                    self.emit(
                        "id-duplicate",
                        doc,
                        ["steps", i, "id"],
                        f"step id {step['id']!r} is also used "
                        + ("earlier in this phase" if other == doc.path else f"in {other}"),
                        "step ids are unique across the whole procedure",
                    )
                seen_steps.setdefault(step["id"], doc.path)
                for j, field in enumerate(step["evidence"]):
                    sub, _ = schemas.at("tool", field.split("."))
                    if not sub:
                        self.unknown_fields.add(field)
                        self.emit(
                            "ref-unknown-field",
                            doc,
                            ["steps", i, "evidence", j],
                            f"step {step['id']!r} names {field!r}, which tools do not have",
                            "use a dotted path from schemas/tool.schema.json",
                        )
        if not steps:
            return  # no procedure at all: reported once, not once per reference
        for doc in self.tree.of_kind("guidance"):
            if doc.path not in valid:
                continue
            for section in ("tips", "pitfalls", "faq"):
                for i, entry in enumerate(doc.data.get(section, [])):
                    for j, sid in enumerate(entry.get("steps", [])):
                        if sid not in steps:
                            self.unknown_step(doc, [section, i, "steps", j], sid, steps)
        for doc in self.tree.of_kind("policy"):
            if doc.path not in valid:
                continue
            for status, needed in doc.data["requirements"].items():
                for j, sid in enumerate(needed):
                    if sid not in steps:
                        self.unknown_step(doc, ["requirements", status, j], sid, steps)

    def unknown_step(
        self, doc: Document, where: list[str | int], sid: str, steps: dict[str, Any]
    ) -> None:
        close = difflib.get_close_matches(sid, list(steps), n=1)
        self.emit(
            "ref-unknown-step",
            doc,
            where,
            f"no procedure step has id {sid!r}",
            f"did you mean {close[0]!r}?" if close else "step ids are listed in content/procedure/",
        )

    # -- vendors -------------------------------------------------------------------------------

    def vendor(self, doc: Document) -> None:
        data = doc.data
        ids: set[str] = set()
        for i, cert in enumerate(data.get("certifications", [])):
            where: list[str | int] = ["certifications", i]
            if cert["id"] in ids:
                self.emit(
                    "id-duplicate",
                    doc,
                    [*where, "id"],
                    f"certification id {cert['id']!r} is used twice",
                    "give each certification its own id",
                )
            ids.add(cert["id"])
            self.order(
                doc, [*where, "issued"], cert["issued"], [*where, "expires"], cert.get("expires")
            )
            if "period" in cert:
                p = [*where, "period"]
                self.order(
                    doc, [*p, "start"], cert["period"]["start"], [*p, "end"], cert["period"]["end"]
                )
                self.order(
                    doc, [*p, "end"], cert["period"]["end"], [*where, "issued"], cert["issued"]
                )
            if "bridge_letter" in cert:
                b = [*where, "bridge_letter"]
                self.order(
                    doc,
                    [*b, "issued"],
                    cert["bridge_letter"]["issued"],
                    [*b, "covers_until"],
                    cert["bridge_letter"]["covers_until"],
                )
            self.not_future(doc, [*where, "issued"], cert["issued"])
            self.not_future(doc, [*where, "verified", "on"], cert["verified"]["on"])

    # -- tools ---------------------------------------------------------------------------------

    def tool(self, doc: Document, vendors: dict[str, dict[str, Any] | None]) -> None:
        """``vendors`` maps every vendor id to its data, or to None when its file is invalid."""
        data = doc.data
        ev = data.get("evidence", {})
        status = data["status"]["value"]
        vendor = vendors.get(data["vendor"])
        self.not_future(doc, ["status", "since"], data["status"]["since"])
        # vendor and certification references
        if data["vendor"] not in vendors:
            close = difflib.get_close_matches(data["vendor"], list(vendors), n=1)
            self.emit(
                "ref-unknown-vendor",
                doc,
                ["vendor"],
                f"vendor {data['vendor']!r} has no file in registry/vendors/",
                f"did you mean {close[0]!r}?"
                if close
                else f"add registry/vendors/{data['vendor']}.yaml",
            )
        elif vendor is not None and "vendor_due_diligence" in ev:
            known = {c["id"] for c in vendor.get("certifications", [])}
            for j, cid in enumerate(ev["vendor_due_diligence"]["certifications"]):
                if cid not in known:
                    self.emit(
                        "ref-unknown-certification",
                        doc,
                        ["evidence", "vendor_due_diligence", "certifications", j],
                        f"vendor {data['vendor']!r} lists no certification {cid!r}",
                        "known: "
                        + (", ".join(sorted(known)) or "none; add them to the vendor file"),
                    )
        self.tool_dates(doc, ev)
        self.tool_status(doc, data, ev, status)
        self.tool_exceptions(doc, data)
        self.secrets(doc)

    def secrets(self, doc: Document) -> None:
        """Credentials pasted into a file: in a value (named by its key) or in a comment."""
        hint = "remove it, revoke the key at the vendor, and store a reference such as vault://..."
        if not any(prefix in doc.text for prefix in _SECRET_PREFIXES):
            return
        found = _SECRET.search(doc.text)
        if found is None:
            return
        in_values = False
        for where, text in strings(doc.data, []):
            if _SECRET.search(text):
                in_values = True
                self.emit(
                    "secret-in-data",
                    doc,
                    where,
                    f"{dotted(where)} looks like it contains a credential",
                    hint,
                )
        if not in_values:
            line = doc.text.count("\n", 0, found.start()) + 1
            column = found.start() - (doc.text.rfind("\n", 0, found.start()) + 1) + 1
            self.found.append(
                Diagnostic(
                    "secret-in-data",
                    RULES["secret-in-data"].severity,
                    "a comment looks like it contains a credential",
                    doc.path,
                    line,
                    column,
                    hint=hint,
                )
            )

    def tool_dates(self, doc: Document, ev: dict[str, Any]) -> None:
        policy = self.policy
        for section, start, end in (("sandbox", "start", "end"), ("pilot", "start", "end")):
            rec = ev.get(section)
            if rec and rec.get(end):
                self.order(
                    doc,
                    ["evidence", section, start],
                    rec[start],
                    ["evidence", section, end],
                    rec[end],
                )
        for section in (
            "privacy_audit",
            "vendor_due_diligence",
            "compliance_review",
            "benchmark",
            "security_review",
            "vendor_review",
        ):
            if section in ev:
                self.not_future(doc, ["evidence", section, "date"], ev[section]["date"])
        for section, key in (
            ("sandbox", "start"),
            ("access_control", "last_review"),
            ("metrics", "measured"),
            ("offboarding", "started"),
        ):
            if section in ev:
                self.not_future(doc, ["evidence", section, key], ev[section][key])
        for i, audit in enumerate(ev.get("output_audits", [])):
            self.not_future(doc, ["evidence", "output_audits", i, "date"], audit["date"])
        for i, inc in enumerate(ev.get("incidents", [])):
            self.not_future(doc, ["evidence", "incidents", i, "date"], inc["date"])
            if inc.get("resolved_on"):
                self.order(
                    doc,
                    ["evidence", "incidents", i, "date"],
                    inc["date"],
                    ["evidence", "incidents", i, "resolved_on"],
                    inc["resolved_on"],
                )
        off = ev.get("offboarding")
        if off and off.get("completed"):
            self.order(
                doc,
                ["evidence", "offboarding", "started"],
                off["started"],
                ["evidence", "offboarding", "completed"],
                off["completed"],
            )
        pilot = ev.get("pilot")
        minimum = int(policy.get("pilot_min_days", 14))
        if pilot:
            days = (_d(pilot["end"]) - _d(pilot["start"])).days  # type: ignore[operator]
            if 0 <= days < minimum:
                self.emit(
                    "pilot-too-short",
                    doc,
                    ["evidence", "pilot", "end"],
                    f"the pilot runs {days} days ({pilot['start']} to {pilot['end']}); "
                    f"the policy asks for at least {minimum}",
                    f"set the end on or after {_d(pilot['start']) + timedelta(days=minimum)}",  # type: ignore[operator]
                )
        bench = ev.get("benchmark")
        lo, hi = (
            (policy.get("benchmark_tasks") or {}).get("min", 20),
            (policy.get("benchmark_tasks") or {}).get("max", 50),
        )
        if bench and not lo <= bench["tasks"] <= hi:
            self.emit(
                "benchmark-size",
                doc,
                ["evidence", "benchmark", "tasks"],
                f"the benchmark ran {bench['tasks']} tasks; the policy asks for {lo} to {hi}",
                "run a benchmark within the range and record it",
            )
        sandbox = ev.get("sandbox")
        if sandbox and sandbox["isolated_from_production"] is False:
            self.emit(
                "sandbox-not-isolated",
                doc,
                ["evidence", "sandbox", "isolated_from_production"],
                f"sandbox {sandbox['environment']!r} is not isolated from production",
                "isolate it before any testing with real data",
            )

    def tool_status(
        self, doc: Document, data: dict[str, Any], ev: dict[str, Any], status: str
    ) -> None:
        steps = self.steps
        needed = (self.policy.get("requirements") or {}).get(status, [])
        for sid in needed:
            step = steps.get(sid)
            if step is None:
                continue  # reported against the policy file
            for field in step.get("evidence", []):
                if field in self.unknown_fields:
                    continue  # reported against the procedure
                if not has_path(data, field.split(".")):
                    self.emit(
                        "evidence-missing",
                        doc,
                        ["status", "value"],
                        f"status {status!r} needs {field} (step {sid!r}), which is missing",
                        f"record {field}, or move the tool back to an earlier status",
                    )
        if status in IN_USE:
            tier = data["license"]["tier"]
            if tier in {"personal", "free"}:
                self.emit(
                    "personal-license",
                    doc,
                    ["license", "tier"],
                    f"a {tier} licence is recorded, yet the tool's status is {status!r}",
                    "company work needs an enterprise or team licence (no personal accounts)",
                )
            for section in ("privacy_audit", "compliance_review", "security_review"):
                rec = ev.get(section)
                key = "outcome" if section == "compliance_review" else "result"
                if rec and rec.get(key) == "fail":
                    self.emit(
                        "review-failed",
                        doc,
                        ["evidence", section, key],
                        f"the {section.replace('_', ' ')} failed, "
                        f"yet the tool's status is {status!r}",
                        "repeat the review after the fixes, or reject the tool",
                    )
        if "personal" in data["data"]["allowed"]:
            audit = ev.get("privacy_audit")
            problems = []
            if not audit:
                problems.append("there is no privacy audit")
            else:
                if not audit["personal_data"]:
                    problems.append("the privacy audit does not allow personal data")
                if not audit["enterprise_instance"]:
                    problems.append("the instance is not an enterprise one")
                if audit["trains_on_our_data"]:
                    problems.append("the vendor trains on our data")
                if audit["result"] == "fail":
                    problems.append("the privacy audit failed")
            if data["license"]["tier"] not in {"enterprise", "team"}:
                problems.append(f"the licence is {data['license']['tier']}")
            if problems:
                i = data["data"]["allowed"].index("personal")
                self.emit(
                    "personal-data-unsafe",
                    doc,
                    ["data", "allowed", i],
                    "personal data is allowed, but " + "; ".join(problems),
                    "remove 'personal' from data.allowed, or record a privacy audit that allows it",
                )
        off = ev.get("offboarding")
        if status == "offboarded" and off:
            missing = [k for k in ("keys_revoked", "data_wiped") if off.get(k) is not True]
            if not off.get("completed"):
                missing.append("completed")
            if missing:
                self.emit(
                    "offboarding-incomplete",
                    doc,
                    ["evidence", "offboarding"],
                    f"the tool is offboarded but offboarding lacks: {', '.join(missing)}",
                    "finish offboarding, or set the status back to deprecated",
                )

    def tool_exceptions(self, doc: Document, data: dict[str, Any]) -> None:
        longest = int(self.policy.get("exception_max_days", 90))
        for i, exc in enumerate(data.get("exceptions", [])):
            where: list[str | int] = ["exceptions", i]
            if exc["rule"] not in RULES:
                close = difflib.get_close_matches(exc["rule"], list(RULES), n=1)
                self.emit(
                    "ref-unknown-rule",
                    doc,
                    [*where, "rule"],
                    f"exception names rule {exc['rule']!r}, which does not exist",
                    f"did you mean {close[0]!r}?" if close else "see the rules reference",
                )
            if not exc.get("approver"):
                self.emit(
                    "exception-invalid",
                    doc,
                    where,
                    f"the exception for {exc['rule']!r} names no approver",
                    "add 'approver:' with the person who accepted the risk",
                )
            until = _d(exc["until"])
            if until and until > _plus(self.today, longest):
                self.emit(
                    "exception-invalid",
                    doc,
                    [*where, "until"],
                    f"the exception for {exc['rule']!r} runs until {exc['until']}, "
                    f"more than {longest} days from {self.today}",
                    f"set 'until' on or before {_plus(self.today, longest)}",
                )

    # -- helpers -------------------------------------------------------------------------------

    def order(
        self,
        doc: Document,
        w1: list[str | int],
        d1: str | None,
        w2: list[str | int],
        d2: str | None,
    ) -> None:
        a, b = _d(d1), _d(d2)
        if a and b and b < a:
            self.emit(
                "date-order",
                doc,
                w2,
                f"{dotted(w2)} ({d2}) is before {dotted(w1)} ({d1})",
                "correct whichever date is wrong",
            )

    def not_future(self, doc: Document, where: list[str | int], value: str | None) -> None:
        when = _d(value)
        if when and when > self.today:
            self.emit(
                "date-future",
                doc,
                where,
                f"{dotted(where)} is {value}, after {self.today}",
                "record evidence once it exists, with the date it happened",
            )


def has_path(data: Any, parts: list[str]) -> bool:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return data not in (None, [], {})


def strings(data: Any, where: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from strings(v, [*where, k])
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from strings(v, [*where, i])


def validate(tree: Tree, schemas: Schemas, today: date) -> list[Diagnostic]:
    """Schema checks, then the cross rules, over a loaded tree."""
    found: list[Diagnostic] = []
    valid: set[str] = set()
    loaded = [d for d in tree.documents if d.data is not None]
    for doc in loaded:
        problems = schemas.check(doc)
        found += problems
        if not problems:
            valid.add(doc.path)
    kinds = {d.kind for d in tree.documents}
    for kind, where in (("policy", "registry/policy.yaml"), ("phase", "content/procedure/")):
        if kind not in kinds:
            found.append(
                Diagnostic(
                    "file-unreadable",
                    Severity.ERROR,
                    f"the handbook has no {kind} file",
                    where,
                    hint="run from the handbook's root, or restore the file from git",
                )
            )
    checker = Checker(tree, today)
    checker.identities(loaded)
    checker.procedure(schemas, valid)
    # Every vendor file counts as existing; an invalid one's certifications are unknown.
    vendors: dict[str, dict[str, Any] | None] = {}
    for d in tree.of_kind("vendor"):
        ident = d.data.get("id") if isinstance(d.data, dict) else None
        if not isinstance(ident, str):
            ident = d.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        vendors[ident] = d.data if d.path in valid else None
    for doc in tree.of_kind("vendor"):
        if doc.path in valid:
            checker.vendor(doc)
    for doc in tree.of_kind("tool"):
        if doc.path in valid:
            checker.tool(doc, vendors)
    return found + checker.found + codeowners.stale(tree)
