"""What of an invalid document can still be used: the document minus its invalid records.

One bad pull request must not blind the nightly report: a tool whose ``tags`` are malformed still
has a vendor review that can go stale. A document that fails its schema is therefore pruned, one
*record* at a time, until what is left is valid:

* tool: an evidence section (``evidence.pilot``), one entry of a list section
  (``evidence.output_audits[2]``), one exception (``exceptions[0]``), or any other field
  (``license``, ``data``, ``tags``, ``owner.contact``, ``status.reason``...); an entry whose
  contact is left out has its findings addressed to no one;
* vendor: one certification (``certifications[1]``) or any other field (``terms``...);
* policy: one setting, however deep (``pilot_min_days``, ``cadence_days.output_audit``), or
  one entry of a list (``links.exclude[3]``, ``requirements.pilot[0]``); a setting left out
  takes its default;
* phase: one step; guidance: one tip, pitfall or question.

An unknown key is simply dropped, and a descriptive field that is missing is simply absent (its
reader takes a neutral default): a typo such as ``license.tier: enterprize`` must not hide the
tool's overdue audit. An error in what the dates are judged by (:data:`ESSENTIAL`: a tool's
``id``, ``vendor``, ``status.value`` or ``status.since``, a vendor's ``id``) leaves nothing
usable, and the document is reported beside the findings of the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.model import without
from generator.schema import Failure

Path_ = tuple[str | int, ...]
Skip = frozenset[Path_]

ROUNDS = 4  # removing a record can leave a parent missing a required key: look again

#: What, per kind, the dates are judged by: an error here leaves the entry unusable. Every other
#: top-level field is a record of its own (``license``, ``tags``...), and so is each field of a
#: tool's ``owner`` and ``status`` (``owner.contact``, ``status.reason``).
ESSENTIAL: dict[str, frozenset[Path_]] = {
    "tool": frozenset(
        [("id",), ("vendor",), ("status",), ("status", "value"), ("status", "since")]
    ),
    "vendor": frozenset([("id",)]),
}
_NESTED = {"tool": ("owner", "status")}  # mappings whose fields are records one by one


def record_of(kind: str, where: Path_, data: Any) -> Path_ | None:
    """The smallest record of a ``kind`` document that contains the value at ``where``; None
    when the value is one the entry cannot be used without (:data:`ESSENTIAL`)."""
    if not where:
        return None
    if kind in ESSENTIAL:
        if where[:1] in ESSENTIAL[kind] and (len(where) == 1 or where[:2] in ESSENTIAL[kind]):
            return None
        if kind == "tool" and where[0] == "evidence" and len(where) >= 2:
            section = where[1]
            value = data.get("evidence", {}).get(section) if isinstance(data, dict) else None
            if isinstance(value, list) and len(where) >= 3:
                return where[:3]
            return where[:2]
        if where[:2] == ("eu_ai_act", "obligations") and len(where) >= 3:
            return where[:3]  # one obligation's evidence
        if where[0] in ("exceptions", "certifications", *_NESTED.get(kind, ())):
            return where[:2]  # one exception, one certification, owner.contact, status.reason
        return where[:1]
    if kind == "policy":
        return _setting(where, data)
    if kind == "phase":
        return where[:2] if where[:1] == ("steps",) and len(where) >= 2 else None
    if kind == "guidance":
        return where[:2] if len(where) >= 2 else None
    return None


Errors = Callable[[Any], list[Failure]]


def usable(kind: str, data: Any, errors: Errors, found: list[Failure] | None = None) -> Skip | None:
    """The records to leave out of ``data`` so that the rest is valid; None when no such set.

    ``errors(data)`` lists a candidate's schema errors as (instance path, error kind, unknown
    keys for an AdditionalProperties error); ``found``: those of ``data`` itself, when known.
    """
    skip: set[Path_] = set()
    unknown: set[Path_] = set()
    for round_ in range(ROUNDS):
        removed = set(skip)  # what this candidate lacks, for mapping its paths back
        if round_ or found is None:  # the first candidate is ``data`` itself
            found = errors(without(data, skip | unknown))
        found = [f for f in found if not _absent_record(kind, f, data)]
        if not found:
            return frozenset(skip)
        for where, error, keys in found:
            where = _original(where, removed)
            if error == "AdditionalProperties" and keys:
                for key in keys:
                    record = record_of(kind, (*where, key), data)
                    unknown.add(record if record is not None else (*where, key))
                continue
            record = record_of(kind, where, data)
            if record is None:
                return None
            skip.add(record)
    return None


def _setting(where: Path_, data: Any) -> Path_ | None:
    """The policy setting that holds ``where``: down through mappings to the first value that
    is not one (``cadence_days.output_audit``), and one entry of a list (``links.exclude[3]``)."""
    out: list[str | int] = []
    node = data
    for i, step in enumerate(where):
        out.append(step)
        node = node.get(step) if isinstance(node, dict) else None
        if isinstance(node, list) and i + 1 < len(where):
            out.append(where[i + 1])
            break
        if not isinstance(node, dict):
            break
    return tuple(out) or None


def _absent_record(kind: str, failure: Failure, data: Any) -> bool:
    """Whether ``failure`` only says that a whole record is missing: a record may be absent
    (left out of the file, or by :func:`usable`)."""
    where, error, keys = failure
    if error != "Required" or not keys or any(isinstance(s, int) for s in where):
        return False
    missing = (*where, keys[0])
    return record_of(kind, missing, data) == missing


def _original(where: Path_, skip: set[Path_]) -> Path_:
    """An error path in the compacted candidate, mapped back to the indexes of the file."""
    out: list[str | int] = []
    for step in where:
        if isinstance(step, int):
            prefix = tuple(out)
            removed = sorted(
                w[-1]
                for w in skip
                if len(w) == len(prefix) + 1 and w[:-1] == prefix and isinstance(w[-1], int)
            )
            for r in removed:
                if r <= step:
                    step += 1
        out.append(step)
    return tuple(out)
