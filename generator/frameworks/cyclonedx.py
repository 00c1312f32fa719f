"""The registry, the procedure and its attestations as a CycloneDX 1.6 document
(``registry.cdx.json``), for the tools auditors use to read such files.

* ``services``: one per tool: its provider (the vendor), the data classes it may receive
  (``data``: flow and classification), external references to the certification reports it
  relies on and to its evidence (reports, task records), and its status, owner and EU AI Act
  class as properties;
* ``definitions.standards``: the procedure as a standard, one requirement per phase and one per
  step (its parent the phase; the framework entries it maps to as properties), and each
  framework of ``frameworks/`` as a standard of its own, one requirement per entry;
* ``declarations``: the handbook as the (first-party) assessor; per tool and recorded step the
  evidence, dated ``created`` (the record's date) and ``expires`` (when it falls due, or the
  certificate's last current day); per tool and step a claim; and per tool an attestation that
  maps each step's requirement to its claim with a conformance score: 1 for done or due soon,
  0.5 for a finding accepted by an exception, 0 for stale, missing or not yet recorded.

The document is deterministic: its timestamp is the as-of date, its serial number a UUID made
from its own content. :func:`problems` validates it with cyclonedx-python-lib's strict JSON
validator for schema 1.6, and checks what the schema cannot (unique ``bom-ref`` values, every
reference resolving); the build runs it in a second process while MkDocs builds
(:func:`checking`) and treats any problem as a bug (:class:`InvalidBom`, exit 3).
Specification: https://cyclonedx.org/docs/1.6/json/
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit, urlunsplit

from generator import urls
from generator.checks.due import current_until
from generator.frameworks.coverage import IN_SCOPE, claim_state, record_date
from generator.frameworks.data import Framework
from generator.model import Tool, value_at
from generator.status import StepState

if TYPE_CHECKING:
    from generator.render import Site

SPEC_VERSION = "1.6"
NAMESPACE = uuid.UUID("6f1c1f5e-4d0b-5b8e-9a57-2f0c3a6d9e41")  # this project's, for uuid5
# bom-ref values by kind of object, each under its own prefix: ids (tools, steps, phases,
# frameworks) hold no ':', so no two objects can share a value, whatever the ids are.
ASSESSOR = "assessor:handbook"
PROCEDURE = "procedure"
SCORE = {"done": 1.0, "due-soon": 1.0, "excepted": 0.5}  # every other state: 0
RATIONALE = {
    "done": "the evidence is recorded and current",
    "due-soon": "the evidence is recorded and current, and falls due soon",
    "excepted": "a finding about the evidence is accepted by an open exception",
    "stale": "the evidence is stale: a staleness check reports an error, or it is older than "
    "the step's cadence",
    "missing": "the tool's status requires the evidence, and none is recorded",
    "not-yet": "no evidence is recorded, and the tool's status does not require it yet",
    "unjudged": "not judged while the tool is {status}: its evidence is no longer, or not yet, "
    "kept current",
}


class InvalidBom(Exception):
    """The generated document does not validate: a bug in this module, not in the data."""


def stamp(day: date) -> str:
    """A date as a CycloneDX date-time: midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


_TABLE = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9._-]*/)*[A-Za-z0-9_][A-Za-z0-9._-]*\.csv")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"


def reference(value: str) -> str | None:
    """``value`` as a URI reference the CycloneDX schema accepts, or None when it is not a
    link: a web or mailto address the handbook accepts (:mod:`generator.urls`), or an
    evidence table's path in the repository. Characters RFC 3986 does not allow where they
    stand (``[`` in a query, a second ``#``, a letter outside ASCII) are percent-encoded;
    anything still not a URI reference is None."""
    from rfc3986_validator import validate_rfc3986

    if urls.link_problem(value) is None:
        parts = urlsplit(value)
        value = urlunsplit(
            (
                parts.scheme,
                parts.netloc,
                quote(parts.path, safe=_PATH_SAFE),
                quote(parts.query, safe=_QUERY_SAFE),
                quote(parts.fragment, safe=_QUERY_SAFE),
            )
        )
    elif not _TABLE.fullmatch(value):
        return None
    return value if validate_rfc3986(value, rule="URI_reference") else None


def links_in(value: Any) -> Iterator[str]:
    """The links an evidence record names (reports, task records, channels), as references;
    free text that merely contains an address is not one."""
    if isinstance(value, list):
        for v in value:
            yield from links_in(v)
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from links_in(v)
    elif isinstance(value, str) and (ref := reference(value)) is not None:
        yield ref


def service(site: Site, tool: Tool) -> dict[str, Any]:
    vendor = site.hb.vendors.get(tool.vendor)
    provider: dict[str, Any] = {"name": vendor.name if vendor else tool.vendor}
    website = reference(vendor.website) if vendor and vendor.website else None
    if website is not None:
        provider["url"] = [website]
    refs: list[dict[str, str]] = []
    for cert in vendor.certifications if vendor else ():
        url = reference(cert.evidence)
        if cert.id in tool.relied_certifications and url is not None:
            until = current_until(cert, site.hb.policy)
            refs.append(
                {
                    "type": "certification-report",
                    "url": url,
                    "comment": f"{cert.name} issued by {cert.issuer}, current until {until}",
                }
            )
    seen: set[str] = set()
    for url in links_in(tool.evidence):
        if url not in seen:
            seen.add(url)
            refs.append({"type": "evidence", "url": url})
    props = [
        ("handbook:status", tool.status),
        ("handbook:status-since", tool.since.isoformat()),
        ("handbook:owner-team", tool.team),
        ("handbook:owner-contact", tool.contact),
        ("handbook:license", tool.license_tier),
    ]
    if tool.ai_act is not None:
        props += [
            ("eu-ai-act:class", tool.ai_act.cls),
            ("eu-ai-act:role", tool.ai_act.role),
            ("eu-ai-act:general-purpose", tool.ai_act.general_purpose),
        ]
    out: dict[str, Any] = {
        "bom-ref": f"tool:{tool.id}",
        "provider": provider,
        "name": tool.name,
        "description": (tool.description or tool.problem).strip(),
        "data": [{"flow": "bi-directional", "classification": c} for c in tool.data_allowed],
        "properties": [{"name": k, "value": v} for k, v in props if v],
    }
    if refs:
        out["externalReferences"] = refs
    return out


def procedure_standard(site: Site) -> dict[str, Any]:
    reqs: list[dict[str, Any]] = []
    for phase in site.phases:
        reqs.append(
            {
                "bom-ref": f"phase:{phase.id}",
                "identifier": f"phase-{phase.number}",
                "title": phase.title,
                "text": phase.summary.strip(),
            }
        )
        for step in phase.steps:
            req: dict[str, Any] = {
                "bom-ref": f"step:{step.id}",
                "identifier": step.id,
                "title": step.title,
                "text": step.purpose.strip(),
                "descriptions": list(step.checklist),
                "parent": f"phase:{phase.id}",
            }
            if step.frameworks:
                req["properties"] = [
                    {"name": "handbook:maps-to", "value": f"{fw}:{entry}"}
                    for fw, entry in step.frameworks
                ]
            reqs.append(req)
    return {
        "bom-ref": PROCEDURE,
        "name": "AI tool governance procedure",
        "version": site.today.isoformat(),
        "description": "The procedure every AI tool follows: assess, test, deploy, maintain.",
        "requirements": reqs,
    }


def framework_standard(fw: Framework) -> dict[str, Any]:
    out: dict[str, Any] = {
        "bom-ref": f"framework:{fw.id}",
        "name": fw.title,
        "version": fw.version,
        "owner": fw.publisher,
        "requirements": [
            {"bom-ref": f"entry:{fw.id}:{e.id}", "identifier": e.id, "title": e.title}
            for e in fw.entries
        ],
    }
    url = reference(fw.url)
    if url is not None:
        out["externalReferences"] = [{"type": "documentation", "url": url}]
    return out


def expiry(site: Site, tool: Tool, step_id: str) -> date | None:
    """When the step's evidence falls due for ``tool`` (its earliest due date), if ever."""
    days = [d.day for d in site.due_by_tool.get(tool.id, ()) if d.step == step_id]
    return min(days, default=None)


def declarations(site: Site) -> dict[str, Any]:
    evidence: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    attestations: list[dict[str, Any]] = []
    for tool in site.hb.tools.values():
        states: list[StepState] = site.states[tool.id]
        mapping = []
        for st in states:
            step = st.step
            claim = f"claim:{tool.id}:{step.id}"
            records = [(f, value_at(tool.raw, f)) for f in step.evidence]
            recorded = [(f, v) for f, v in records if v not in (None, "", [], {})]
            claim_rec: dict[str, Any] = {
                "bom-ref": claim,
                "target": f"tool:{tool.id}",
                "predicate": f"{tool.name} has current evidence for the step '{step.title}'",
            }
            if recorded:
                ref = f"evidence:{tool.id}:{step.id}"
                ev: dict[str, Any] = {
                    "bom-ref": ref,
                    "propertyName": "handbook:" + ",".join(f for f, _ in recorded),
                    "description": f"{', '.join(f for f, _ in recorded)} in {tool.path}",
                }
                created = max(
                    (d for d in (record_date(v) for _, v in recorded) if d is not None),
                    default=None,
                )
                if created is not None:
                    ev["created"] = stamp(created)
                ends = expiry(site, tool, step.id)
                if ends is not None:
                    ev["expires"] = stamp(ends)
                evidence.append(ev)
                claim_rec["evidence"] = [ref]
            claims.append(claim_rec)
            findings = sorted({d.rule for d in st.findings})
            state = claim_state(st, tool, site.hb.policy, site.today)
            if tool.status not in IN_SCOPE and step.id != "offboarding":
                state = "unjudged"
            mapping.append(
                {
                    "requirement": f"step:{step.id}",
                    "claims": [claim],
                    "conformance": {
                        "score": SCORE.get(state, 0.0),
                        "rationale": RATIONALE[state].format(status=tool.status)
                        + (f" ({', '.join(findings)})" if findings else ""),
                    },
                }
            )
        attestations.append(
            {
                "summary": f"{tool.name} ({tool.status}): the procedure's steps as of "
                f"{site.today.isoformat()}",
                "assessor": ASSESSOR,
                "map": mapping,
            }
        )
    return {
        "assessors": [
            {
                "bom-ref": ASSESSOR,
                "thirdParty": False,
                "organization": {"name": site.hb.policy.default_owner or "The handbook's owners"},
            }
        ],
        "attestations": attestations,
        "claims": claims,
        "evidence": evidence,
    }


def bom(site: Site) -> dict[str, Any]:
    """The document as plain data, without its serial number."""
    from generator import __version__

    return {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": {
            "timestamp": stamp(site.today),
            "tools": {
                "components": [
                    {"type": "application", "name": "ai-tool-handbook", "version": __version__}
                ]
            },
        },
        "services": [service(site, t) for t in site.hb.tools.values()],
        "definitions": {
            "standards": [
                procedure_standard(site),
                *(framework_standard(f) for f in site.hb.frameworks.values()),
            ]
        },
        "declarations": declarations(site),
    }


def bom_json(site: Site) -> str:
    """``registry.cdx.json``: the document with a serial number made from its content."""
    doc = bom(site)
    head = {"bomFormat": doc.pop("bomFormat"), "specVersion": doc.pop("specVersion")}
    # Compact, and written once: at 1,000 tools the document is about 10 MB.
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    serial = uuid.uuid5(NAMESPACE, hashlib.sha256(body.encode()).hexdigest())
    start = json.dumps({**head, "serialNumber": f"urn:uuid:{serial}"}, separators=(",", ":"))
    return start[:-1] + "," + body[1:] + "\n"


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    # Imported on first use: loading the validator's format checkers takes about 3 s.
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    return JsonStrictValidator(SchemaVersion.V1_6)


@contextlib.contextmanager
def _ascii_iris_by_regex() -> Iterator[None]:
    """While validating, check an ASCII-only IRI reference with rfc3986-validator's regular
    expression instead of rfc3987-syntax's Earley parser (0.18 s each: 30 minutes for the
    10,000 addresses of 1,000 tools). The two grammars agree on ASCII text: RFC 3987 only adds
    non-ASCII characters (ucschar, iprivate) to RFC 3986's, so an IRI holding one still goes to
    the parser. jsonschema's Draft 7 format checker is shared, so it is restored afterwards."""
    from jsonschema import Draft7Validator
    from rfc3986_validator import validate_rfc3986

    checker = Draft7Validator.FORMAT_CHECKER
    saved = dict(checker.checkers)
    for name, rule in (("iri", "URI"), ("iri-reference", "URI_reference")):
        if name not in saved:
            continue
        parse, raises = saved[name]

        def check(value: object, parse: Any = parse, rule: str = rule) -> bool:
            if isinstance(value, str) and value.isascii():
                return validate_rfc3986(value, rule=rule) is not None
            return bool(parse(value))

        checker.checkers[name] = (check, raises)
    try:
        yield
    finally:
        checker.checkers.clear()
        checker.checkers.update(saved)


def problems(text: str) -> list[str]:
    """What is wrong with a CycloneDX 1.6 JSON text: the strict schema's errors ("$.path:
    message"), then duplicate ``bom-ref`` values and references that resolve to nothing.
    Empty when valid."""
    with _ascii_iris_by_regex():
        errors = _validator().validate_str(text, all_errors=True)
        found = [f"{e.data.json_path}: {e.data.message}" for e in errors or ()]
    doc = json.loads(text)
    refs: list[str] = []
    used: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "bom-ref":
                    refs.append(v)
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif key in REF_KEYS and isinstance(node, str):
            used.append(node)

    walk(doc)
    seen: set[str] = set()
    for r in refs:
        if r in seen:
            found.append(f"bom-ref {r!r} is not unique")
        seen.add(r)
    found += [f"reference {u!r} resolves to no bom-ref" for u in used if u not in seen]
    return found


#: Keys whose values are references to a bom-ref (refLinkType) in the parts this module writes.
REF_KEYS = frozenset({"target", "assessor", "requirement", "claims", "evidence", "parent"})


def check(text: str) -> None:
    """Raise :class:`InvalidBom` when ``text`` does not validate (see :func:`problems`)."""
    found = problems(text)
    if found:
        raise InvalidBom(
            f"{len(found)} problem(s) in the generated registry.cdx.json: " + "; ".join(found[:5])
        )


def problems_of_file(path: str) -> list[str]:
    """:func:`problems` of the document in the file ``path`` (run in a second process)."""
    return problems(Path(path).read_text(encoding="utf-8"))


class Verdict:
    """The outcome of :func:`checking`, known once its ``with`` block has ended."""

    def __init__(self) -> None:
        self.found: list[str] | None = None

    def raise_if_invalid(self) -> None:
        if self.found:
            raise InvalidBom(
                f"{len(self.found)} problem(s) in the generated registry.cdx.json: "
                + "; ".join(self.found[:5])
            )


@contextlib.contextmanager
def checking(path: Path) -> Iterator[Verdict]:
    """Validate the document at ``path`` in a second process while the ``with`` block runs;
    the verdict holds its problems afterwards. A validator that fails to run raises."""
    verdict = Verdict()
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(problems_of_file, str(path))
        yield verdict
        verdict.found = future.result()
