"""`handbook new-tool` and `handbook new-vendor`: scaffold an entry that validates as written."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator import pipeline
from generator.cli.common import add_root, command, emit, today
from generator.diagnostics import exit_code
from generator.schema import Schemas


def add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(sub, "new-tool", "scaffold registry/tools/ID.yaml")
    add_root(p)
    p.add_argument("id", help="the new tool's id: lower-case letters, digits and hyphens")
    p.add_argument("--vendor", required=True, help="the vendor's id (registry/vendors/VENDOR.yaml)")
    p.add_argument("--name", help="the tool's name (default: from the id)")
    p.add_argument(
        "--owner",
        help="the owning team's contact address, or its GitHub handle (@org/team)",
    )
    p.set_defaults(run=run_tool)

    p = command(sub, "new-vendor", "scaffold registry/vendors/ID.yaml")
    add_root(p)
    p.add_argument("id", help="the new vendor's id: lower-case letters, digits and hyphens")
    p.add_argument("--name", help="the vendor's name (default: from the id)")
    p.set_defaults(run=run_vendor)


def run_tool(args: argparse.Namespace) -> int:
    from generator import scaffold

    pipeline.check_root(args.root)
    ctx = scaffold.context(args.root, Schemas(args.root / "schemas").raw)
    name = args.name or scaffold.default_name(args.id)
    scaffold.check_new_id(ctx, "tool", args.id, name)
    scaffold.check_vendor(ctx, args.vendor)
    contact, github = scaffold.split_owner(args.owner)
    day = pipeline.resolve_as_of(None, ctx.tree, today()).day
    text = scaffold.tool_text(ctx, args.id, args.vendor, name, day, contact, github)
    return created(args.root, f"registry/tools/{args.id}.yaml", text)


def run_vendor(args: argparse.Namespace) -> int:
    from generator import scaffold

    pipeline.check_root(args.root)
    ctx = scaffold.context(args.root, Schemas(args.root / "schemas").raw)
    name = args.name or scaffold.default_name(args.id)
    scaffold.check_new_id(ctx, "vendor", args.id, name)
    day = pipeline.resolve_as_of(None, ctx.tree, today()).day
    return created(
        args.root, f"registry/vendors/{args.id}.yaml", scaffold.vendor_text(ctx, args.id, name, day)
    )


def created(root: Path, rel: str, text: str) -> int:
    """Write a scaffold, then validate the tree and show any finding about the new file; a
    scaffold with an error is removed again (it was this command's own file), exit 1."""
    from generator import scaffold

    path = scaffold.create(root, rel, text)
    try:
        checked = pipeline.check(root, None, today())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    mine = [d for d in checked.diagnostics if d.path == rel]
    left = sum(1 for d in mine if d.rule == "placeholder-left")  # expected in a new file
    mine = [d for d in mine if d.rule != "placeholder-left"]
    if exit_code(mine):  # a scaffold that fails validation is not left behind
        path.unlink(missing_ok=True)
        emit(mine, "text")
        print(f"not created: {rel} would not validate (see above)")
        return exit_code(mine)
    print(f"created {rel}")
    if mine:
        emit(mine, "text")
    print(
        f"next: replace its {left} placeholder{'s' if left != 1 else ''} (TODOs and replace-me "
        "addresses); `handbook validate --strict` lists those left and fails until none is"
    )
    return exit_code(mine)
