"""Documents x schemas + the rules a schema cannot express -> list[Diagnostic].

Schema checks come first; the cross-field and cross-file rules then run on every document that
passed them (so one typo does not cascade into a dozen follow-on messages):

* ``identity``     unique ids and names; references to vendors, steps, tool fields and rules
* ``vendors``      certification dates
* ``policy``       the policy's regular expressions
* ``tools``        per-tool dates, status requirements, personal data, license, exceptions
* ``credentials``  keys pasted into a file

Each reports through one :class:`~generator.validate.checker.Checker`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from generator import codeowners
from generator.diagnostics import Diagnostic, Severity
from generator.load import Tree
from generator.schema import Schemas
from generator.validate.checker import Checker
from generator.validate.credentials import _SECRET
from generator.validate.identity import identities, procedure, skeleton
from generator.validate.policy import patterns
from generator.validate.tools import IN_USE, has_path, tool
from generator.validate.vendors import certifications

__all__ = ["IN_USE", "_SECRET", "has_path", "skeleton", "validate"]


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
    identities(checker, loaded)
    procedure(checker, schemas, valid)
    # Every vendor file counts as existing; an invalid one's certifications are unknown.
    vendors: dict[str, dict[str, Any] | None] = {}
    for d in tree.of_kind("vendor"):
        ident = d.data.get("id") if isinstance(d.data, dict) else None
        if not isinstance(ident, str):
            ident = d.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        vendors[ident] = d.data if d.path in valid else None
    for doc in tree.of_kind("policy"):
        if doc.path in valid:
            patterns(checker, doc)
    for doc in tree.of_kind("vendor"):
        if doc.path in valid:
            certifications(checker, doc)
    for doc in tree.of_kind("tool"):
        if doc.path in valid:
            tool(checker, doc, vendors)
    return found + checker.found + codeowners.stale(tree)
