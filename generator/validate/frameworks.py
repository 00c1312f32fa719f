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


def framework_file(check: Checker, doc: Document) -> None:
    """Unique entry and group ids; groups named by entries exist."""
    groups: dict[str, int] = {}
    folded: dict[str, int] = {}
    listed = doc.data.get("groups", [])
    for i, g in enumerate(listed):
        fold = skeleton(g["id"]) or g["id"]
        if fold in folded:
            j = folded[fold]
            alike = "" if listed[j]["id"] == g["id"] else f" ({listed[j]['id']!r})"
            check.emit(
                "id-duplicate",
                doc,
                ["groups", i, "id"],
                f"group {g['id']!r} is also listed as groups[{j}]{alike}",
                "give each group one entry; group ids must differ by more than case, spacing, "
                "punctuation or look-alike characters",
            )
        folded.setdefault(fold, i)
        groups.setdefault(g["id"], i)
    seen: dict[str, int] = {}
    entries = doc.data["entries"]
    for i, e in enumerate(entries):
        key = skeleton(e["id"]) or e["id"]
        if key in seen:
            j = seen[key]
            first = entries[j]["id"]
            same = (
                ""
                if first == e["id"]
                else f" ({first!r}): ids must differ by more than case, spacing, punctuation "
                "or look-alike characters"
            )
            check.emit(
                "id-duplicate",
                doc,
                ["entries", i, "id"],
                f"entry {e['id']!r} is also entries[{j}]{same}",
                "entry ids are what steps map to, so each is listed once: merge the two",
            )
        seen.setdefault(key, i)
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
        seen: dict[str, int] = {}
        obligations = doc.data.get("eu_ai_act", {}).get("obligations", [])
        for i, ob in enumerate(obligations):
            fold = skeleton(ob["id"]) or ob["id"]
            if fold in seen:
                j = seen[fold]
                alike = "" if obligations[j]["id"] == ob["id"] else f" ({obligations[j]['id']!r})"
                check.emit(
                    "id-duplicate",
                    doc,
                    ["eu_ai_act", "obligations", i, "id"],
                    f"obligation {ob['id']!r} is also eu_ai_act.obligations[{j}]{alike}",
                    "tools name their evidence by obligation id: give each obligation its own, "
                    "differing by more than punctuation or look-alike characters",
                )
            seen.setdefault(fold, i)
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
