"""What a change means for governance: the registry and procedure at two revisions, compared.

read (two snapshots: ``git ls-tree`` + ``git cat-file --batch``, or the working tree) -> pair
(by path, then git's rename detection, then same name in a different file) -> compare (status
transitions, data classifications, prohibited uses, certifications, evidence, owners, policy
numbers, procedure steps) -> a :class:`GovDiff` of :class:`Change` values; diff_render.py turns
it into text, versioned JSON or the Markdown comment the pull-request workflow posts.

Each change is a template in our words plus the user's values, kept apart so that every renderer
can quote the values its own way: Markdown puts them in code spans or escapes them, so a tool
name cannot mention people, embed images or inject HTML into the pull-request comment.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, sorted_diagnostics
from generator.history import Repo, open_repo
from generator.load import KINDS, decode, discover, parse_yaml
from generator.validate import IN_USE, has_path, skeleton

FOLDERS = ("registry", "content")
WARNING, ATTENTION, INFO = "warning", "attention", "info"
LEVELS = (WARNING, ATTENTION, INFO)
AREAS = ("tool", "vendor", "policy", "procedure", "guidance")

Value = str | int | float | bool | None | list[str]


def plain(value: Value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(value) if value else "(none)"
    return str(value)


# -- reading -----------------------------------------------------------------------------------


def kind_of(path: str) -> str | None:
    for pattern, kind in KINDS.items():
        if path.count("/") == pattern.count("/") and fnmatch.fnmatchcase(path, pattern):
            return kind
    return None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The handbook's YAML files at one revision (``rev`` None: the working tree)."""

    label: str
    rev: str | None
    docs: Mapping[str, Any]  # path -> parsed data; None when the file cannot be read
    problems: tuple[Diagnostic, ...] = ()

    def of(self, kind: str) -> dict[str, Any]:
        return {p: d for p, d in self.docs.items() if kind_of(p) == kind}


def _parse(label: str, rev: str | None, raw: Mapping[str, bytes]) -> Snapshot:
    docs: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for path, content in sorted(raw.items()):
        text, found = decode(content, path)
        data = None
        if text is not None:
            data, found = parse_yaml(text, path)
        docs[path] = data if isinstance(data, dict) else None
        problems += found
    return Snapshot(label, rev, docs, tuple(problems))


def at_revision(repo: Repo, rev: str) -> Snapshot:
    sha = repo.resolve(rev)
    paths = [p for p in repo.files(sha, FOLDERS) if kind_of(p)]
    return _parse(repo.short(sha), sha, repo.read(sha, paths))


def working_tree(root: Path) -> Snapshot:
    files, _ = discover(root)
    raw: dict[str, bytes] = {}
    for file, _kind in files:
        rel = file.relative_to(root).as_posix()
        try:
            raw[rel] = file.read_bytes()
        except OSError:
            continue  # reported by `handbook validate`
    return _parse("working tree", None, raw)


# -- the result --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One governance-relevant change: ``template`` is ours, ``values`` are the user's data."""

    level: str  # warning | attention | info
    kind: str  # stable id, e.g. "status", "data-widened"
    area: str  # tool | vendor | policy | procedure | guidance
    subject: str  # the tool, vendor or step id; "policy"; "guidance"
    path: str
    template: str
    values: Mapping[str, Value] = field(default_factory=dict)
    name: str | None = None  # the entry's display name

    def text(self) -> str:
        return self.template.format_map({k: plain(v) for k, v in self.values.items()})


@dataclass(frozen=True, slots=True)
class GovDiff:
    base: str
    head: str
    base_rev: str | None
    head_rev: str | None
    changes: tuple[Change, ...]
    problems: tuple[Diagnostic, ...] = ()

    def count(self, level: str) -> int:
        return sum(1 for c in self.changes if c.level == level)


class _Out:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(
        self,
        level: str,
        kind: str,
        area: str,
        subject: str,
        path: str,
        template: str,
        name: object = None,
        **values: object,
    ) -> None:
        clean = {k: _clean(v) for k, v in values.items()}
        shown = name if isinstance(name, str) else None
        self.changes.append(Change(level, kind, area, subject, path, template, clean, shown))


def _clean(value: object) -> Value:
    """Values as JSON-safe scalars or lists of text (the data has not been validated)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


# -- comparing ---------------------------------------------------------------------------------


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _list(data: Any, *keys: str) -> list[Any]:
    value = _get(data, *keys)
    return list(value) if isinstance(value, list) else []


def _added(old: Iterable[Any], new: Iterable[Any]) -> list[str]:
    before = [str(x) for x in old]
    return [str(x) for x in new if str(x) not in before]


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def pair(
    old: Mapping[str, Any], new: Mapping[str, Any], renames: Mapping[str, str]
) -> list[tuple[str | None, str | None]]:
    """(base path, head path) pairs: same path, git's renames, then the same name elsewhere."""
    gone = [p for p in old if p not in new]
    fresh = [p for p in new if p not in old]
    pairs: list[tuple[str | None, str | None]] = [(p, p) for p in old if p in new]
    for p in list(gone):
        target = renames.get(p)
        if target in fresh:
            pairs.append((p, target))
            gone.remove(p)
            fresh.remove(target)
    by_name: dict[str, str] = {}
    for p in fresh:
        name = _get(new[p], "name")
        if isinstance(name, str):
            by_name.setdefault(skeleton(name), p)
    for p in list(gone):
        name = _get(old[p], "name")
        target = by_name.get(skeleton(name)) if isinstance(name, str) else None
        if target in fresh:
            pairs.append((p, target))
            gone.remove(p)
            fresh.remove(target)
    pairs += [(p, None) for p in gone] + [(None, p) for p in fresh]
    return sorted(pairs, key=lambda ab: ab[1] or ab[0] or "")


class _Context:
    """What the head revision's policy and procedure ask of each status."""

    def __init__(self, head: Snapshot) -> None:
        policy = next(iter(head.of("policy").values()), None)
        self.requirements: dict[str, list[str]] = {
            str(k): [str(s) for s in v]
            for k, v in (_get(policy, "requirements") or {}).items()
            if isinstance(v, list)
        }
        self.fields: dict[str, list[str]] = {}
        for data in head.of("phase").values():
            for step in _list(data, "steps"):
                if isinstance(step, dict) and isinstance(step.get("id"), str):
                    self.fields[step["id"]] = [str(f) for f in _list(step, "evidence")]

    def missing(self, tool: dict[str, Any], status: str) -> list[str]:
        return [
            f"{dotted} (step {sid})"
            for sid in self.requirements.get(status, [])
            for dotted in self.fields.get(sid, [])
            if not has_path(tool, dotted.split("."))
        ]


def _sections(old: Any, new: Any) -> tuple[list[str], list[str], list[str]]:
    """Evidence sections added, updated and removed."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    added = [k for k in new if k not in old]
    updated = [k for k in new if k in old and new[k] != old[k]]
    removed = [k for k in old if k not in new]
    return added, updated, removed


def _dropped_entries(old: Any, new: Any) -> list[str]:
    """List-valued evidence (audits, incidents) whose existing entries were deleted."""
    out = []
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    for key, before in old.items():
        after = new.get(key)
        if isinstance(before, list) and isinstance(after, list):
            lost = sum(1 for item in before if item not in after)
            if lost:
                out.append(f"{key} ({lost} of {len(before)} entries)")
    return out


_TOOL_HANDLED = {"id", "name", "vendor", "owner", "status", "uses", "evidence", "exceptions"}


def _changed_keys(old: Any, new: Any, skip: set[str], prefix: str = "") -> list[str]:
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    keys = [*old, *(k for k in new if k not in old)]
    return [prefix + k for k in keys if k not in skip and old.get(k) != new.get(k)]


def _tool(
    out: _Out, ctx: _Context, old_path: str | None, path: str | None, old: Any, new: Any
) -> None:
    here = path or old_path or ""
    data = new if new is not None else old
    subject = str(_get(data, "id") or _stem(here))
    name = _get(data, "name")

    def add(level: str, kind: str, template: str, **values: object) -> None:
        out.add(level, kind, "tool", subject, here, template, name, **values)

    status = _get(new, "status", "value")
    if old is None:
        add(
            ATTENTION if status in IN_USE else INFO,
            "tool-added",
            "added with status {status}, vendor {vendor}, data allowed: {data}",
            status=status,
            vendor=_get(new, "vendor"),
            data=[str(x) for x in _list(new, "data", "allowed")],
        )
        _requirements(add, ctx, new, status)
        return
    if new is None:
        add(
            ATTENTION,
            "tool-removed",
            "removed from the registry (status was {status}); the procedure deprecates and "
            "offboards a tool rather than deleting its record",
            status=_get(old, "status", "value"),
        )
        return
    if old_path != path:
        add(
            INFO,
            "tool-renamed",
            "file renamed from {old} to {new}",
            old=old_path,
            new=path,
        )
    was = _get(old, "status", "value")
    added, updated, removed = _sections(_get(old, "evidence"), _get(new, "evidence"))
    if was != status:
        template = "status {old} → {new}"
        values: dict[str, Value] = {"old": was, "new": status}
        since = _get(new, "status", "since")
        if since:
            template += " since {since}"
            values["since"] = str(since)
        if added:
            template += "; evidence added alongside: {added}"
            values["added"] = added
        if updated:
            template += "; evidence updated alongside: {updated}"
            values["updated"] = updated
        if not added and not updated:
            template += "; no evidence changed alongside"
        add(INFO, "status", template, **values)
        _requirements(add, ctx, new, status)
    elif added or updated:
        template = "; ".join(
            t
            for t, v in (
                ("evidence added: {added}", added),
                ("evidence updated: {updated}", updated),
            )
            if v
        )
        add(INFO, "evidence-updated", template, added=added, updated=updated)
    dropped = _dropped_entries(_get(old, "evidence"), _get(new, "evidence"))
    if removed or dropped:
        add(ATTENTION, "evidence-removed", "evidence removed: {removed}", removed=removed + dropped)
    before, after = _list(old, "data", "allowed"), _list(new, "data", "allowed")
    if wider := _added(before, after):
        add(
            ATTENTION,
            "data-widened",
            "data classifications widened: {added} newly allowed (now {now})",
            added=wider,
            now=[str(x) for x in after],
        )
    if narrower := _added(after, before):
        add(
            INFO,
            "data-narrowed",
            "data classifications narrowed: {removed} no longer allowed",
            removed=narrower,
        )
    for key, level_gone, level_new, what in (
        ("prohibited", ATTENTION, INFO, "prohibited uses"),
        ("approved", INFO, INFO, "approved uses"),
    ):
        b, a = _list(old, "uses", key), _list(new, "uses", key)
        if gone := _added(a, b):
            add(level_gone, f"{key}-removed", f"removed from the {what}: {{items}}", items=gone)
        if extra := _added(b, a):
            add(level_new, f"{key}-added", f"added to the {what}: {{items}}", items=extra)
    for key in ("team", "contact", "github"):
        b, a = _get(old, "owner", key), _get(new, "owner", key)
        if a != b:
            add(INFO, "owner-changed", f"owner {key}: {{old}} → {{new}}", old=b, new=a)
    if _get(old, "vendor") != _get(new, "vendor"):
        add(
            INFO,
            "vendor-changed",
            "vendor {old} → {new}",
            old=_get(old, "vendor"),
            new=_get(new, "vendor"),
        )
    if _get(old, "name") != _get(new, "name"):
        add(
            INFO, "name-changed", "name {old} → {new}", old=_get(old, "name"), new=_get(new, "name")
        )
    tier_b, tier_a = _get(old, "license", "tier"), _get(new, "license", "tier")
    if tier_a != tier_b:
        level = ATTENTION if tier_a in {"personal", "free"} else INFO
        add(level, "license-changed", "licence tier {old} → {new}", old=tier_b, new=tier_a)
    rules_b = [str(_get(e, "rule")) for e in _list(old, "exceptions")]
    rules_a = [str(_get(e, "rule")) for e in _list(new, "exceptions")]
    if extra := _added(rules_b, rules_a):
        add(ATTENTION, "exception-added", "exceptions added for rules: {rules}", rules=extra)
    if gone := _added(rules_a, rules_b):
        add(INFO, "exception-removed", "exceptions removed for rules: {rules}", rules=gone)
    other = _changed_keys(old, new, _TOOL_HANDLED | {"license", "data"})
    other += _changed_keys(_get(old, "license"), _get(new, "license"), {"tier"}, "license.")
    other += _changed_keys(_get(old, "data"), _get(new, "data"), {"allowed"}, "data.")
    if other:
        add(INFO, "other", "also changed: {fields}", fields=other)


def _requirements(add: Callable[..., None], ctx: _Context, tool: Any, status: Any) -> None:
    if not isinstance(status, str):
        return
    missing = ctx.missing(tool, status)
    if missing:
        add(
            WARNING,
            "evidence-missing",
            "status {status} lacks evidence the policy requires: {missing}",
            status=status,
            missing=missing,
        )


# -- vendors -----------------------------------------------------------------------------------


def _valid_until(cert: Any) -> str | None:
    for keys in (("expires",), ("bridge_letter", "covers_until"), ("period", "end")):
        value = _get(cert, *keys)
        if value:
            return str(value)
    return None


def _cert_dates(cert: Any) -> dict[str, str]:
    """The dates that decide whether a certification is current."""
    keys = (
        ("issued",),
        ("expires",),
        ("period", "start"),
        ("period", "end"),
        ("bridge_letter", "covers_until"),
    )
    return {".".join(k): str(_get(cert, *k)) for k in keys if _get(cert, *k) is not None}


def _vendor(out: _Out, old_path: str | None, path: str | None, old: Any, new: Any) -> None:
    here = path or old_path or ""
    data = new if new is not None else old
    subject = str(_get(data, "id") or _stem(here))
    name = _get(data, "name")

    def add(level: str, kind: str, template: str, **values: object) -> None:
        out.add(level, kind, "vendor", subject, here, template, name, **values)

    if old is None:
        certs = [str(_get(c, "id")) for c in _list(new, "certifications")]
        add(INFO, "vendor-added", "added, with certifications: {certs}", certs=certs)
        return
    if new is None:
        add(ATTENTION, "vendor-removed", "removed from the registry")
        return
    if old_path != path:
        add(INFO, "vendor-renamed", "file renamed from {old} to {new}", old=old_path, new=path)
    before = {str(_get(c, "id")): c for c in _list(old, "certifications")}
    after = {str(_get(c, "id")): c for c in _list(new, "certifications")}
    gone = [c for c in before if c not in after]
    for cid, cert in after.items():
        prev = before.get(cid)
        if prev is None:
            same_type = [g for g in gone if _get(before[g], "type") == _get(cert, "type")]
            if same_type:
                old_id = same_type[0]
                gone.remove(old_id)
                add(
                    INFO,
                    "certification-renewed",
                    "certification {old} replaced by {new} ({type}): valid until {was} → {now}",
                    old=old_id,
                    new=cid,
                    type=_get(cert, "type"),
                    was=_valid_until(before[old_id]),
                    now=_valid_until(cert),
                )
            else:
                add(
                    INFO,
                    "certification-added",
                    "certification {id} ({type}) added, valid until {until}",
                    id=cid,
                    type=_get(cert, "type"),
                    until=_valid_until(cert),
                )
            continue
        if _cert_dates(prev) != _cert_dates(cert):
            until_b, until_a = _valid_until(prev), _valid_until(cert)
            issued_b, issued_a = _get(prev, "issued"), _get(cert, "issued")
            add(
                INFO if until_a is None or until_b is None or until_a >= until_b else ATTENTION,
                "certification-renewed",
                "certification {id} ({type}) renewed: issued {issued_old} → {issued_new}, "
                "valid until {old} → {new}"
                if issued_a != issued_b
                else "certification {id} ({type}) dates changed: valid until {old} → {new}",
                id=cid,
                type=_get(cert, "type"),
                issued_old=_scalar(issued_b),
                issued_new=_scalar(issued_a),
                old=until_b,
                new=until_a,
            )
        other = list(_changed_keys(prev, cert, {"issued", "expires", "period", "bridge_letter"}))
        if other:
            add(
                INFO,
                "certification-changed",
                "certification {id}: changed {fields}",
                id=cid,
                fields=other,
            )
    for cid in gone:
        add(
            ATTENTION,
            "certification-removed",
            "certification {id} ({type}) removed",
            id=cid,
            type=_get(before[cid], "type"),
        )
    other = _changed_keys(old, new, {"id", "certifications"})
    if other:
        add(INFO, "other", "also changed: {fields}", fields=other)


# -- policy and procedure ----------------------------------------------------------------------


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_leaves(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): data}


def _policy(out: _Out, path: str, old: Any, new: Any) -> None:
    def add(level: str, kind: str, template: str, **values: object) -> None:
        out.add(level, kind, "policy", "policy", path, template, None, **values)

    req_b, req_a = _get(old, "requirements") or {}, _get(new, "requirements") or {}
    for status in [*req_b, *(s for s in req_a if s not in req_b)]:
        b, a = _list(req_b, status), _list(req_a, status)
        if gone := _added(a, b):
            add(
                ATTENTION,
                "requirement-removed",
                "status {status} no longer requires: {steps}",
                status=status,
                steps=gone,
            )
        if extra := _added(b, a):
            add(
                INFO,
                "requirement-added",
                "status {status} now also requires: {steps}",
                status=status,
                steps=extra,
            )
    leaves_b = _leaves({k: v for k, v in (old or {}).items() if k != "requirements"})
    leaves_a = _leaves({k: v for k, v in (new or {}).items() if k != "requirements"})
    for key in [*leaves_b, *(k for k in leaves_a if k not in leaves_b)]:
        was, now = leaves_b.get(key), leaves_a.get(key)
        if was == now:
            continue
        if isinstance(was, list) or isinstance(now, list):
            b_list = was if isinstance(was, list) else []
            a_list = now if isinstance(now, list) else []
            add(
                INFO,
                "policy-changed",
                "{key}: added {added}; removed {removed}",
                key=key,
                added=_added(b_list, a_list),
                removed=_added(a_list, b_list),
            )
        else:
            add(
                INFO,
                "policy-changed",
                "{key}: {old} → {new}",
                key=key,
                old=_scalar(was),
                new=_scalar(now),
            )


def _scalar(value: Any) -> Value:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _steps(snap: Snapshot) -> dict[str, tuple[str, dict[str, Any]]]:
    steps: dict[str, tuple[str, dict[str, Any]]] = {}
    for path, data in sorted(snap.of("phase").items()):
        for step in _list(data, "steps"):
            if isinstance(step, dict) and isinstance(step.get("id"), str):
                steps.setdefault(step["id"], (path, step))
    return steps


def _procedure(out: _Out, base: Snapshot, head: Snapshot) -> None:
    before, after = _steps(base), _steps(head)
    for sid in [*before, *(s for s in after if s not in before)]:
        b, a = before.get(sid), after.get(sid)
        path = (a or b or ("", {}))[0]
        title = _get((a or b or ("", {}))[1], "title")

        def add(
            level: str,
            kind: str,
            template: str,
            sid: str = sid,
            path: str = path,
            title: Any = title,
            **values: object,
        ) -> None:
            out.add(level, kind, "procedure", sid, path, template, title, **values)

        if b is None:
            add(INFO, "step-added", "step added to {file}", file=path)
        elif a is None:
            add(ATTENTION, "step-removed", "step removed from the procedure")
        elif a[1] != b[1]:
            fields = _changed_keys(b[1], a[1], set())
            lost = _added(_list(a[1], "evidence"), _list(b[1], "evidence"))
            add(INFO, "step-changed", "changed: {fields}", fields=fields)
            if lost:
                add(
                    ATTENTION,
                    "step-evidence-removed",
                    "no longer asks for evidence: {fields}",
                    fields=lost,
                )
            if b[0] != a[0]:
                add(INFO, "step-moved", "moved from {old} to {new}", old=b[0], new=a[0])
    for path in sorted({*base.of("phase"), *head.of("phase")}):
        old, new = base.docs.get(path), head.docs.get(path)
        fields = _changed_keys(old, new, {"steps"}) if old is not None and new is not None else []
        if fields:
            out.add(
                INFO,
                "phase-changed",
                "procedure",
                str(_get(new, "id") or _stem(path)),
                path,
                "changed: {fields}",
                _get(new, "title"),
                fields=fields,
            )


def _pairs(
    base: Snapshot, head: Snapshot, kind: str, renames: Mapping[str, str], unreadable: set[str]
) -> list[tuple[str | None, str | None]]:
    old = {p: d for p, d in base.of(kind).items() if d is not None}
    new = {p: d for p, d in head.of(kind).items() if d is not None}
    # a file that cannot be read is reported as a problem, not as an addition or a removal
    return [
        (a, b) for a, b in pair(old, new, renames) if a not in unreadable and b not in unreadable
    ]


def compare(base: Snapshot, head: Snapshot, renames: Mapping[str, str] | None = None) -> GovDiff:
    out = _Out()
    ctx = _Context(head)
    renames = renames or {}
    unreadable = {p for s in (base, head) for p, d in s.docs.items() if d is None}
    for a, b in _pairs(base, head, "tool", renames, unreadable):
        _tool(out, ctx, a, b, base.docs.get(a) if a else None, head.docs.get(b) if b else None)
    for a, b in _pairs(base, head, "vendor", renames, unreadable):
        _vendor(out, a, b, base.docs.get(a) if a else None, head.docs.get(b) if b else None)
    for path in sorted({*base.of("policy"), *head.of("policy")}):
        old_p, new_p = base.docs.get(path), head.docs.get(path)
        if old_p is not None and new_p is not None and old_p != new_p:
            _policy(out, path, old_p, new_p)
    _procedure(out, base, head)
    for path in sorted({*base.of("guidance"), *head.of("guidance")}):
        old_g, new_g = base.docs.get(path), head.docs.get(path)
        fields = _changed_keys(old_g, new_g, set())
        if fields and old_g is not None and new_g is not None:
            out.add(
                INFO,
                "guidance-changed",
                "guidance",
                "guidance",
                path,
                "changed: {fields}",
                fields=fields,
            )
    problems = tuple(sorted_diagnostics([*base.problems, *head.problems]))
    return GovDiff(base.label, head.label, base.rev, head.rev, tuple(out.changes), problems)


def diff(root: Path, base: str, head: str | None = None) -> GovDiff:
    """Compare the handbook at ``base`` with ``head`` (None: the working tree)."""
    repo = open_repo(root)
    old = at_revision(repo, base)
    new = working_tree(root) if head is None else at_revision(repo, head)
    renames = repo.renames(old.rev or base, new.rev, ["registry/tools", "registry/vendors"])
    return compare(old, new, renames)
