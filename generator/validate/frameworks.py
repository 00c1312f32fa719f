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

from typing import Any

from generator.load import Document
from generator.schema import dotted
from generator.validate.checker import Checker
from generator.validate.identity import skeleton, stem
from generator.validate.suggest import closest

FOLDER = "frameworks"


def catalogue(check: Checker) -> tuple[dict[str, list[str]], set[str]]:
    """The entry ids of each valid framework file, and the ids whose entries are unknown: an
    invalid file's, and an id two files claim (reported as id-duplicate), so that references
    to them are not reported again."""
    valid: dict[str, list[str]] = {}
    broken: set[str] = set()
    for doc in check.tree.of_kind("framework"):
        ident = doc.data.get("id") if isinstance(doc.data, dict) else None
        if doc.path not in check.valid or not isinstance(ident, str):
            broken.add(stem(doc.path))
            if isinstance(ident, str):
                broken.add(ident)
        elif ident in valid:
            broken.add(ident)
        else:
            valid[ident] = [e["id"] for e in doc.data["entries"]]
    return valid, broken


ALIKE = "ids must differ by more than case, spacing, punctuation or look-alike characters"


def unique_ids(
    check: Checker, doc: Document, items: list[Any], where: list[str | int], what: str, hint: str
) -> None:
    """``id-duplicate`` for each of ``items`` (mappings with an ``id``) whose id is an earlier
    one's once case, spacing, punctuation and look-alikes are ignored (:func:`skeleton`)."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        fold = skeleton(item["id"]) or item["id"]
        if fold in seen:
            j = seen[fold]
            first = items[j]["id"]
            alike = "" if first == item["id"] else f" ({first!r}): {ALIKE}"
            check.emit(
                "id-duplicate",
                doc,
                [*where, i, "id"],
                f"{what} {item['id']!r} is also {dotted(where)}[{j}]{alike}",
                hint,
            )
        seen.setdefault(fold, i)


def framework_file(check: Checker, doc: Document) -> None:
    """Unique entry and group ids; groups named by entries exist."""
    listed = doc.data.get("groups", [])
    unique_ids(check, doc, listed, ["groups"], "group", "give each group one entry")
    groups = {g["id"]: i for i, g in reversed(list(enumerate(listed)))}
    entries = doc.data["entries"]
    unique_ids(
        check,
        doc,
        entries,
        ["entries"],
        "entry",
        "entry ids are what steps map to, so each is listed once: merge the two",
    )
    for i, e in enumerate(entries):
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
            near = closest(fw, valid, prefix=True)
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
        obligations = doc.data.get("eu_ai_act", {}).get("obligations", [])
        unique_ids(
            check,
            doc,
            obligations,
            ["eu_ai_act", "obligations"],
            "obligation",
            "tools name their evidence by obligation id: give each obligation its own",
        )
        for i, ob in enumerate(obligations):
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
        todo = (
            "reject it (status rejected)"
            if status == "proposed"
            else "stop the use now: revoke the keys and wipe the data, then set the status to "
            "offboarded (rejected if it was never used)"
        )
        check.emit(
            "ai-act-prohibited",
            doc,
            ["eu_ai_act", "class"],
            f"the tool's use is classified as a prohibited practice (Article 5), but its "
            f"status is {status!r}",
            f"{todo}; if the classification is wrong, correct it and its rationale",
        )
    _consistent(check, doc, use)
    if not check.of_kind("policy"):
        return  # an invalid policy: its obligations are unknown, and its own errors say why
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


def _consistent(check: Checker, doc: Document, use: dict[str, Any]) -> None:
    """A basis and an Annex III area belong to a high-risk use only, an area to Annex III."""
    where = ["eu_ai_act"]
    if use["class"] != "high-risk":
        for key in ("basis", "annex_iii_area"):
            if key in use:
                check.emit(
                    "ai-act-inconsistent",
                    doc,
                    [*where, key],
                    f"eu_ai_act.{key} is set, but the class is {use['class']!r}: only a "
                    "high-risk use has a basis and an Annex III area",
                    f"remove {key}, or classify the use as high-risk if it is one",
                )
    elif use.get("basis") == "annex-i" and "annex_iii_area" in use:
        check.emit(
            "ai-act-inconsistent",
            doc,
            [*where, "annex_iii_area"],
            "eu_ai_act.annex_iii_area is set, but the basis is 'annex-i' (a product under "
            "Annex I, Article 6(1))",
            "remove annex_iii_area, or set basis: annex-iii if the use is listed in Annex III",
        )
