"""Documents x schemas + the rules a schema cannot express -> list[Diagnostic].

Schema checks come first; the cross-field and cross-file rules then run on every document that
passed them (so one typo does not cascade into a dozen follow-on messages):

* ``identity``     file names that are ids (for every file, first); unique ids and names;
                   references to vendors, steps, tool fields and rules
* ``frameworks``   framework files, and the entries steps and obligations map to
* ``vendors``      certification dates
* ``policy``       the policy's regular expressions
* ``tools``        per-tool dates, status requirements, personal data, license, exceptions
* ``credentials``  keys pasted into a file
* ``placeholders`` values a scaffold left to fill in

Each reports through one :class:`~generator.validate.checker.Checker`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator import codeowners
from generator.diagnostics import Diagnostic, Severity
from generator.load import Tree, slug
from generator.model import Skip
from generator.schema import Schemas, summary
from generator.validate.checker import Checker
from generator.validate.credentials import _SECRET
from generator.validate.frameworks import mappings
from generator.validate.identity import file_names, identities, procedure, skeleton, stem
from generator.validate.placeholders import placeholders
from generator.validate.policy import patterns, ranges
from generator.validate.tools import tool
from generator.validate.usable import record_of, usable
from generator.validate.vendors import certifications

__all__ = ["_SECRET", "Validation", "skeleton", "slug", "validate"]


@dataclass(slots=True)
class Validation:
    """What validation found, and which documents later stages may use.

    ``valid``: the documents that passed their schema (the cross rules read only these).
    ``usable``: each document that can still be used, mapped to the invalid records to leave
    out of it (empty for a valid document); see :mod:`generator.validate.usable`.
    """

    diagnostics: list[Diagnostic] = field(default_factory=list)
    valid: set[str] = field(default_factory=set)
    usable: dict[str, Skip] = field(default_factory=dict)


def validate(tree: Tree, schemas: Schemas, today: date) -> Validation:
    """Schema checks, then the cross rules (on valid documents only), over a loaded tree."""
    out = Validation()
    found = out.diagnostics
    found += file_names(tree, schemas.is_id)
    loaded = [d for d in tree.documents if d.data is not None]
    for doc in loaded:
        failures = schemas.failures(doc.kind, doc.data)
        problems = schemas.explain(doc, failures)
        found += problems
        if not problems:
            out.valid.add(doc.path)
            out.usable[doc.path] = frozenset()
            continue
        errors = functools.partial(schemas.errors, doc.kind)
        skip = usable(doc.kind, doc.data, errors, summary(failures))
        if skip is not None:
            out.usable[doc.path] = skip
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
    checker = Checker(tree, today, out.valid)
    valid = [d for d in loaded if d.path in out.valid]
    identities(checker, valid, schemas.is_id)
    procedure(checker, schemas)
    mappings(checker)
    # Every vendor file counts as existing; an invalid one's certifications are unknown.
    vendors: dict[str, dict[str, Any] | None] = {}
    for d in tree.of_kind("vendor"):
        ident = d.data.get("id") if d.path in out.valid else None
        if not isinstance(ident, str):
            ident = stem(d.path)
            if not schemas.is_id(ident):
                continue  # reported as file-name; never offered as a vendor id
        vendors[ident] = d.data if d.path in out.valid else None
    for doc in valid:
        placeholders(checker, doc)
        if doc.kind == "policy":
            patterns(checker, doc)
            ranges(checker, doc)
        elif doc.kind == "vendor":
            certifications(checker, doc)
        elif doc.kind == "tool":
            tool(checker, doc, vendors)
    found += checker.found + codeowners.stale(tree)
    by_path = {d.path: d for d in loaded}
    for path, places in checker.unusable.items():
        doc = by_path[path]
        records = {record_of(doc.kind, where, doc.data) for where in places}
        # a record the entry cannot do without (status.since) stays: judged as written
        out.usable[path] = out.usable.get(path, frozenset()) | {r for r in records if r}
    return out
