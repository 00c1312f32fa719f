"""Framework files and every reference to their entries.

* a framework file: entry and group ids unique (``id-duplicate``), each entry's group one of the
  file's groups (``ref-unknown-entry``);
* a procedure step's and a policy obligation's ``frameworks``: the framework has a file
  (``ref-unknown-framework``) and the entry is in it (``ref-unknown-entry``), each with the
  closest id as "did you mean";
* the policy's obligations: ids unique; a tool's ``eu_ai_act.obligations`` names obligations
  of the policy (``ref-unknown-obligation``), dated no later than today.

A reference to a framework whose file is invalid is not checked: its entries are unknown, and
the file's own errors say why.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from generator.load import Document
from generator.validate.checker import Checker
from generator.validate.identity import skeleton, stem

FOLDER = "frameworks"


def closest(wanted: str, known: Iterable[str]) -> str | None:
    """The known id that ``wanted`` most likely meant: the same once case, spaces and
    punctuation are ignored ('govern6.1', 'A-6-2-6'), else the nearest by spelling."""
    known = list(known)
    key = skeleton(wanted)
    same = [k for k in known if skeleton(k) == key]
    if same:
        return same[0]
    folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(wanted.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def catalogue(check: Checker) -> tuple[dict[str, list[str]], set[str]]:
    """The entry ids of each valid framework file, and the ids of the files that are invalid."""
    valid: dict[str, list[str]] = {}
    broken: set[str] = set()
    for doc in check.tree.of_kind("framework"):
        if doc.path in check.valid:
            valid.setdefault(doc.data["id"], [e["id"] for e in doc.data["entries"]])
        else:
            broken.add(stem(doc.path))
    return valid, broken


def framework_file(check: Checker, doc: Document) -> None:
    """Unique entry and group ids; groups named by entries exist."""
    groups: dict[str, int] = {}
    for i, g in enumerate(doc.data.get("groups", [])):
        if g["id"] in groups:
            check.emit(
                "id-duplicate",
                doc,
                ["groups", i, "id"],
                f"group {g['id']!r} is also listed as groups[{groups[g['id']]}]",
                "give each group one entry",
            )
        groups.setdefault(g["id"], i)
    seen: dict[str, int] = {}
    for i, e in enumerate(doc.data["entries"]):
        if e["id"] in seen:
            check.emit(
                "id-duplicate",
                doc,
                ["entries", i, "id"],
                f"entry {e['id']!r} is also entries[{seen[e['id']]}]",
                "entry ids are what steps map to, so each is listed once: merge the two",
            )
        seen.setdefault(e["id"], i)
        group = e.get("group")
        if group is not None and group not in groups:
            near = closest(group, groups)
            check.emit(
                "ref-unknown-entry",
                doc,
                ["entries", i, "group"],
                f"entry {e['id']!r} names group {group!r}, which the file does not list",
                f"did you mean {near!r}?" if near else "add it under groups:, or remove group:",
            )


def references(
    check: Checker,
    doc: Document,
    where: list[str | int],
    refs: dict[str, list[str]],
    known: tuple[dict[str, list[str]], set[str]],
) -> None:
    """``refs`` (a ``frameworks:`` mapping at ``where`` in ``doc``) names real entries."""
    valid, broken = known
    for fw, entries in refs.items():
        if fw in broken:
            continue
        if fw not in valid:
            near = closest(fw, valid)
            check.emit(
                "ref-unknown-framework",
                doc,
                [*where, fw],
                f"no framework has id {fw!r}",
                f"did you mean {near!r}?"
                if near
                else f"add {FOLDER}/{fw}.yaml, or use one of: {', '.join(sorted(valid)) or 'none'}",
            )
            continue
        for j, entry in enumerate(entries):
            if entry in valid[fw]:
                continue
            near = closest(entry, valid[fw])
            check.emit(
                "ref-unknown-entry",
                doc,
                [*where, fw, j],
                f"framework {fw!r} has no entry {entry!r}",
                f"did you mean {near!r}?"
                if near
                else f"its entries are listed in {FOLDER}/{fw}.yaml",
            )


def mappings(check: Checker) -> None:
    """Every ``frameworks:`` of the procedure's steps and the policy's obligations."""
    known = catalogue(check)
    for doc in check.of_kind("framework"):
        framework_file(check, doc)
    for doc in check.of_kind("phase"):
        for i, step in enumerate(doc.data["steps"]):
            if "frameworks" in step:
                references(check, doc, ["steps", i, "frameworks"], step["frameworks"], known)
    for doc in check.of_kind("policy"):
        seen: dict[str, int] = {}
        for i, ob in enumerate(doc.data.get("eu_ai_act", {}).get("obligations", [])):
            if ob["id"] in seen:
                check.emit(
                    "id-duplicate",
                    doc,
                    ["eu_ai_act", "obligations", i, "id"],
                    f"obligation {ob['id']!r} is also eu_ai_act.obligations[{seen[ob['id']]}]",
                    "tools name their evidence by obligation id: give each obligation its own",
                )
            seen.setdefault(ob["id"], i)
            if "frameworks" in ob:
                where: list[str | int] = ["eu_ai_act", "obligations", i, "frameworks"]
                references(check, doc, where, ob["frameworks"], known)


def ai_act_records(check: Checker, doc: Document) -> None:
    """A tool's classification: decided and recorded no later than today, its evidence
    named by the policy's obligation ids, a prohibited use only on a tool not in use."""
    use: dict[str, Any] | None = doc.data.get("eu_ai_act")
    if not use:
        return
    check.not_future(doc, ["eu_ai_act", "decided_on"], use["decided_on"])
    status = doc.data["status"]["value"]
    if use["class"] == "prohibited" and status not in ("rejected", "offboarded"):
        check.emit(
            "ai-act-prohibited",
            doc,
            ["eu_ai_act", "class"],
            f"the tool's use is classified as a prohibited practice (Article 5), but its "
            f"status is {status!r}",
            "stop the use: set the status to rejected (never used) or deprecated and offboard "
            "it; if the classification is wrong, correct it and its rationale",
        )
    ids = [o.id for o in check.policy.obligations]
    for name, rec in use.get("obligations", {}).items():
        check.not_future(doc, ["eu_ai_act", "obligations", name, "date"], rec["date"])
        if name not in ids:
            near = closest(name, ids)
            check.emit(
                "ref-unknown-obligation",
                doc,
                ["eu_ai_act", "obligations", name],
                f"the policy has no EU AI Act obligation {name!r}",
                f"did you mean {near!r}?"
                if near
                else "obligation ids are listed under eu_ai_act.obligations in "
                "registry/policy.yaml",
            )
