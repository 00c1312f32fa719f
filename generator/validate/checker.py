"""The one place cross rules report from: a tree's shared context and ``emit``.

``identity``, ``vendors`` and ``tools`` hold the rules; each takes a :class:`Checker`, reads the
policy and procedure from it and reports through it, so every finding is positioned the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load import Document, Tree
from generator.model import Policy, build_policy
from generator.rules import RULES
from generator.schema import dotted


def as_date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if isinstance(iso, str) else None


#: Rules whose finding leaves the record it is about out of the staleness checks: a future
#: evidence date would push a due date years ahead, an exception beyond the policy's maximum
#: would still accept a finding.
UNUSABLE_RULES = frozenset({"date-future", "exception-invalid"})


class Checker:
    """Runs the cross rules over one tree; ``emit`` positions each finding by the loader's marks.

    Only documents that passed their schema are read (``valid``): the policy (else the defaults
    of :class:`~generator.model.Policy`) and the procedure's steps.
    """

    def __init__(self, tree: Tree, today: date, valid: set[str]) -> None:
        self.tree = tree
        self.today = today
        self.valid = valid
        self.found: list[Diagnostic] = []
        #: Where, per document, a value is wrong in a way that makes its record unusable for
        #: judging dates (a date in the future, an exception the policy does not allow).
        self.unusable: dict[str, list[tuple[str | int, ...]]] = {}
        self.policy = Policy(path="registry/policy.yaml", raw={})
        for doc in tree.of_kind("policy"):
            if doc.path in valid:
                self.policy = build_policy(doc.path, doc.data)
        self.steps = self.step_ids()
        self.unknown_fields: set[str] = set()  # step evidence the tool schema lacks
        #: (evidence table, layout kind) whose problems are reported ("" for reading problems)
        self.reported_tables: set[tuple[str, str]] = set()

    def of_kind(self, kind: str) -> list[Document]:
        """The valid documents of ``kind``."""
        return [d for d in self.tree.of_kind(kind) if d.path in self.valid]

    def step_ids(self) -> dict[str, dict[str, Any]]:
        """Every step by id: those of valid phase files, then the ids of steps in a phase file
        that failed its schema (with no evidence to require), so that one typo in a phase file
        is reported once, not again at every reference to its steps."""
        steps: dict[str, dict[str, Any]] = {}
        for doc in self.of_kind("phase"):
            for step in doc.data["steps"]:
                steps.setdefault(step["id"], step)  # a duplicate is reported; first wins
        for doc in self.tree.of_kind("phase"):
            if doc.path in self.valid or not isinstance(doc.data, dict):
                continue
            listed = doc.data.get("steps")
            for step in listed if isinstance(listed, list) else ():
                if isinstance(step, dict) and isinstance(step.get("id"), str):
                    steps.setdefault(step["id"], {"id": step["id"], "evidence": []})
        return steps

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
        if rule in UNUSABLE_RULES:
            self.unusable.setdefault(doc.path, []).append(tuple(where))

    def order(
        self,
        doc: Document,
        w1: list[str | int],
        d1: str | None,
        w2: list[str | int],
        d2: str | None,
    ) -> None:
        a, b = as_date(d1), as_date(d2)
        if a and b and b < a:
            self.emit(
                "date-order",
                doc,
                w2,
                f"{dotted(w2)} ({d2}) is before {dotted(w1)} ({d1})",
                "correct whichever date is wrong",
            )

    def not_future(self, doc: Document, where: list[str | int], value: str | None) -> None:
        when = as_date(value)
        if when and when > self.today:
            self.emit(
                "date-future",
                doc,
                where,
                f"{dotted(where)} is {value}, after {self.today}",
                "record evidence once it exists, with the date it happened",
            )
