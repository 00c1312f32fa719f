"""`handbook new-tool` and `handbook new-vendor`: a new registry entry that validates as written.

The comments in a scaffold come from the JSON Schemas' descriptions (the one description of
shape), and the evidence list from the policy's requirements for the next status, so a newcomer
sees what the procedure expects without opening the schema. What the newcomer must fill in is
written with the markers of :mod:`generator.validate.placeholders`, which the placeholder-left
rule finds: the file validates, and `handbook validate --strict` fails until they are replaced.
Text is built here (pure); only :func:`create` touches the disk, and it never overwrites a file.
"""

from __future__ import annotations

import difflib
import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator import output, sitenames
from generator.diagnostics import HandbookError
from generator.load import Document, Tree, discover, load_yaml, parse_yaml
from generator.validate import skeleton, slug
from generator.validate.placeholders import EMAIL as PLACEHOLDER_EMAIL
from generator.validate.placeholders import URL as PLACEHOLDER_URL
from generator.validate.placeholders import todo, url

WIDTH = 100
ID_RULES = (
    "ids use lower-case ASCII letters, digits and hyphens, 1-64 characters, "
    "starting and ending with a letter or digit, e.g. 'acme-chat'"
)
EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
GITHUB = re.compile(r"^@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9._-]+)?$")


@dataclass(frozen=True, slots=True)
class Context:
    """What a scaffold needs to know about the handbook it is added to."""

    root: Path
    schemas: Mapping[str, Any]  # file name -> parsed JSON Schema
    tools: dict[str, str]  # id -> name ("" when unreadable)
    vendors: dict[str, str]
    requirements: dict[str, list[str]]  # status -> step ids
    evidence: dict[str, list[str]]  # step id -> tool fields
    policy: Document | None

    @property
    def tree(self) -> Tree:
        """A tree holding just the policy, for cli.resolve_as_of."""
        return Tree(self.root, [self.policy] if self.policy else [], [])


def _entries(root: Path, documents: list[tuple[str, str]], kind: str) -> dict[str, str]:
    """id (file name) -> name of every readable entry of ``kind``."""
    out: dict[str, str] = {}
    for rel, found in documents:
        if found == kind:
            doc, _ = load_yaml(root, rel, kind)
            name = doc.data.get("name") if isinstance(doc.data, dict) else None
            out[rel.rsplit("/", 1)[-1].removesuffix(".yaml")] = (
                name if isinstance(name, str) else ""
            )
    return out


def context(root: Path, schemas: Mapping[str, Any]) -> Context:
    requirements: dict[str, list[str]] = {}
    policy = None
    documents = discover(root).documents
    if ("registry/policy.yaml", "policy") in documents:
        policy, _ = load_yaml(root, "registry/policy.yaml", "policy")
        req = policy.data.get("requirements") if isinstance(policy.data, dict) else None
        if isinstance(req, dict):
            requirements = {str(k): list(v) for k, v in req.items() if isinstance(v, list)}
    evidence: dict[str, list[str]] = {}
    for rel in (r for r, kind in documents if kind == "phase"):
        doc, _ = load_yaml(root, rel, "phase")
        steps = doc.data.get("steps") if isinstance(doc.data, dict) else None
        for step in steps if isinstance(steps, list) else []:
            if isinstance(step, dict) and isinstance(step.get("id"), str):
                evidence[step["id"]] = [str(x) for x in step.get("evidence") or []]
    return Context(
        root,
        schemas,
        _entries(root, documents, "tool"),
        _entries(root, documents, "vendor"),
        requirements,
        evidence,
        policy,
    )


# -- checks ------------------------------------------------------------------------------------


def is_id(ctx: Context, text: str) -> bool:
    pattern = ctx.schemas["common.schema.json"]["$defs"]["id"]["pattern"]
    return re.fullmatch(pattern, text) is not None


def check_id(ctx: Context, kind: str, new_id: str) -> None:
    """Refuse an id the schema would reject, suggesting one it accepts."""
    if not is_id(ctx, new_id):
        suggestion = slug(new_id)
        hint = ID_RULES + (f"; try {suggestion!r}" if suggestion else "")
        raise HandbookError(f"{new_id!r} is not a valid {kind} id", hint)


def check_new_id(ctx: Context, kind: str, new_id: str, name: str) -> None:
    """Refuse ids the schema would reject, and ids or names that clash with existing entries."""
    folder = "tools" if kind == "tool" else "vendors"
    check_id(ctx, kind, new_id)
    clash = sitenames.taken(kind, new_id)
    if clash is not None:
        raise HandbookError(
            f"{new_id!r} cannot be a {kind} id: its page would replace {clash}",
            f"choose another id, e.g. {new_id}-{kind}",
        )
    existing = ctx.tools if kind == "tool" else ctx.vendors
    if new_id in existing or (ctx.root / "registry" / folder / f"{new_id}.yaml").exists():
        raise HandbookError(
            f"registry/{folder}/{new_id}.yaml already exists",
            "choose another id, or edit the existing file",
        )
    for other, other_name in existing.items():
        if skeleton(other) == skeleton(new_id):
            raise HandbookError(
                f"id {new_id!r} looks the same as the existing {kind} {other!r}",
                "ids must differ by more than case or look-alike characters",
            )
        if other_name and skeleton(other_name) == skeleton(name):
            raise HandbookError(
                f"the {kind} {other!r} already has the name {other_name!r}",
                f"edit registry/{folder}/{other}.yaml, or pass a distinct --name",
            )


def check_vendor(ctx: Context, vendor: str) -> None:
    check_id(ctx, "vendor", vendor)
    if vendor in ctx.vendors:
        return
    named = [v for v in ctx.vendors if is_id(ctx, v)]  # a file named otherwise is no vendor id
    close = difflib.get_close_matches(vendor, named, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise HandbookError(
        f"vendor {vendor!r} has no file in registry/vendors/",
        hint + f"to add the vendor first, run: handbook new-vendor {vendor}",
    )


def split_owner(owner: str | None) -> tuple[str | None, str | None]:
    """--owner is the team's e-mail address or its GitHub handle: (contact, github)."""
    if owner is None:
        return None, None
    if GITHUB.fullmatch(owner):
        return None, owner
    if EMAIL.fullmatch(owner):
        return owner, None
    raise HandbookError(
        f"--owner {owner!r} is neither an e-mail address nor a GitHub handle",
        "pass the owning team's address (team@example.com) or its handle (@org/team)",
    )


def default_name(entry_id: str) -> str:
    return " ".join(part.capitalize() for part in entry_id.split("-"))


# -- text --------------------------------------------------------------------------------------


def _deref(schemas: Mapping[str, Any], node: Mapping[str, Any], file: str) -> Mapping[str, Any]:
    while "$ref" in node:
        target, _, pointer = str(node["$ref"]).partition("#")
        file = target or file
        node = schemas[file]
        for part in pointer.strip("/").split("/"):
            if part:
                node = node[part]
    return node


def describe(schemas: Mapping[str, Any], file: str, *path: str) -> str:
    """The description of the property at ``path``: its own, else its type's."""
    node: Mapping[str, Any] = schemas[file]
    for step in path:
        node = _deref(schemas, node, file).get("properties", {}).get(step, {})
    return str(node.get("description") or _deref(schemas, node, file).get("description") or "")


def comment(text: str, indent: int = 0) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(
        text, WIDTH, initial_indent=pad + "# ", subsequent_indent=pad + "# ", break_on_hyphens=False
    )


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back as this text: plain when YAML reads it so
    (``acme-chat``), else quoted (``404``, ``true``, ``null``, ``1e3``, ``0o17`` would be read
    as numbers, booleans or nothing by the handbook's loader)."""
    data, _ = parse_yaml(f"v: {text}\n", "<scalar>", marks=False)  # as the handbook reads it
    plain = isinstance(data, dict) and data.get("v") == text and "\n" not in text
    return text if plain else quoted(text)


def _next_status_evidence(ctx: Context, status: str) -> Iterable[str]:
    for sid in ctx.requirements.get(status, []):
        yield from ctx.evidence.get(sid, [])


def tool_text(
    ctx: Context,
    tool_id: str,
    vendor: str,
    name: str,
    today: date,
    contact: str | None = None,
    github: str | None = None,
) -> str:
    s = ctx.schemas
    t = "tool.schema.json"

    def doc(*path: str, indent: int = 0) -> list[str]:
        return comment(describe(s, t, *path), indent)

    lines = [
        "# yaml-language-server: $schema=../../schemas/tool.schema.json",
        f"# A proposed AI tool, scaffolded by `handbook new-tool` on {today.isoformat()}.",
        "# Replace every TODO and placeholder: `handbook validate --strict` lists those left and",
        "# fails until none is. Each comment says what the procedure expects in that section;",
        "# delete the comments once you have filled it in.",
        "",
        *doc("id"),
        f"id: {scalar(tool_id)}",
        *doc("name"),
        f"name: {quoted(name)}",
        *doc("vendor"),
        f"vendor: {scalar(vendor)}",
        *doc("description"),
        '# description: "One or two sentences on what the tool does."',
        "owner:",
        *doc("owner", "team", indent=2),
        f"  team: {quoted(todo('the accountable team'))}",
        *doc("owner", "contact", indent=2),
        f"  contact: {quoted(contact or PLACEHOLDER_EMAIL)}",
        *doc("owner", "github", indent=2),
        f"  github: {quoted(github)}" if github else '  # github: "@your-org/your-team"',
        "status:",
        *doc("status", "value", indent=2),
        "  value: proposed",
        *doc("status", "since", indent=2),
        f"  since: {today.isoformat()}",
        *doc("problem"),
        "problem: >-",
        f"  {todo('the pain point in two to five sentences, without naming a product: who is')}",
        "  affected, how much work (tasks per week, hours), today's workaround and its cost.",
        "uses:",
        *doc("uses", "approved", indent=2),
        "  approved:",
        f"    - {quoted(todo('a task the tool would be used for'))}",
        *doc("uses", "prohibited", indent=2),
        "  prohibited:",
        "    - Final decisions on financial transactions or HR matters without human oversight",
        "license:",
        *doc("license", "tier", indent=2),
        "  tier: enterprise",
        "data:",
        *doc("data", "allowed", indent=2),
        *comment(
            "One of: public, internal, confidential, personal (personal data), restricted. "
            "Start narrow; widen only as far as the privacy audit allows.",
            2,
        ),
        "  allowed:",
        "    - public",
        *doc("evidence"),
    ]
    fields = list(dict.fromkeys(_next_status_evidence(ctx, "sandbox")))
    if fields:
        lines.append("# Before the tool can move to sandbox, the policy asks for:")
        for f in fields:
            text = describe(s, t, *f.split("."))
            lines += textwrap.wrap(
                f"{f}: {text}" if text else f,
                WIDTH,
                initial_indent="#   ",
                subsequent_indent="#     ",
                break_on_hyphens=False,
            )
    lines.append("# schemas/tool.schema.json lists every field; editors complete them as you type.")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def vendor_text(ctx: Context, vendor_id: str, name: str, today: date) -> str:
    s = ctx.schemas
    v = "vendor.schema.json"

    def doc(*path: str) -> list[str]:
        return comment(describe(s, v, *path))

    return (
        "\n".join(
            [
                "# yaml-language-server: $schema=../../schemas/vendor.schema.json",
                f"# A vendor, scaffolded by `handbook new-vendor` on {today.isoformat()}.",
                f"# The three links below are placeholders under {PLACEHOLDER_URL}: replace",
                "# each with the vendor's real page before the pull request is merged.",
                "",
                *doc("id"),
                f"id: {scalar(vendor_id)}",
                *doc("name"),
                f"name: {quoted(name)}",
                *doc("website"),
                f"website: {url(vendor_id, 'website')}",
                *doc("trust_page"),
                f"trust_page: {url(vendor_id, 'trust')}",
                *doc("privacy_policy"),
                f"privacy_policy: {url(vendor_id, 'privacy')}",
                *doc("terms"),
                "# terms: https://...",
                *doc("contact"),
                "# contact: security@vendor.example",
                *doc("certifications"),
                *comment(
                    "Each needs id, type, issuer, issued, evidence and verified (by, on); a SOC 2 "
                    "report also needs its audit period, a certificate its expiry date:"
                ),
                "# certifications:",
                "#   - id: soc2-2026",
                "#     type: soc2-type2",
                "#     issuer: The audit firm",
                "#     issued: 2026-08-14",
                "#     period: {start: 2025-07-01, end: 2026-06-30}",
                "#     evidence: https://docs.example.com/vendors/soc2-type2-2026.pdf",
                '#     verified: {by: Your name (Security), "on": 2026-08-28}',
            ]
        )
        + "\n"
    )


def create(root: Path, rel: str, text: str) -> Path:
    """Write a new file; never overwrite one (the check and the write are one step), never
    write through a symbolic link (generator.output.writable)."""
    path = output.writable(root, rel)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise HandbookError(
            f"{rel} already exists", "choose another id, or edit the existing file"
        ) from None
    except OSError as exc:
        raise HandbookError(f"cannot write {rel}: {exc.strerror}") from None
    return path
