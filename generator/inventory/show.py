"""An import plan -> the dry run's text: what would be created, what is registered already,
every merge made and every near miss not made. Pure: returns a string."""

from __future__ import annotations

from generator.diagnostics import plural
from generator.inventory.plan import Plan, Planned
from generator.inventory.write import NewFile, rows_text

_WIDE = 34  # characters of a product name in the table


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _spellings(p: Planned) -> str:
    return ", ".join(f"{m.text} ({len(m.places)})" for m in p.product.members)


def render(plan: Plan, files: list[NewFile], *, written: bool, asked: bool = False) -> str:
    """The plan as text for people (the problems are printed apart, as diagnostics);
    ``asked``: --write was given (and ``written`` says whether it happened)."""
    t = plan.table
    out = [
        f"read {t.path} ({t.kind}, {t.detail}): {plural(plan.rows_read, 'row')}, "
        f"{plan.rows_kept} kept, {plural(plan.names_read, 'product name')} "
        f"({plural(plan.placeholders, 'placeholder')}), "
        f"{plural(len(plan.planned), 'distinct product')}",
        "",
    ]
    create, registered, skipped = plan.of("create"), plan.of("registered"), plan.of("skip")
    vendors = plan.new_vendors
    verb = "created" if written else "would create"
    out.append(
        f"{verb.capitalize()} {plural(len(create), 'proposed tool')} and "
        f"{plural(len(vendors), 'vendor')}" + (":" if create else ".")
    )
    if create:
        out.append(f"  {'product':<{_WIDE}} {'new id':<28} {'vendor':<22} {'rows':>5}  spellings")
        for p in create:
            vendor = (p.vendor_name or "") + (" (new)" if p.vendor_new else "")
            out.append(
                f"  {_cut(p.product.name, _WIDE):<{_WIDE}} {_cut(p.tool_id, 28):<28} "
                f"{_cut(vendor, 22):<22} {len(p.product.rows):>5}  {_spellings(p)}"
            )
    if files and not written:
        out.append(
            f"  files: {', '.join(f.path for f in files[:6])}{' ...' if len(files) > 6 else ''}"
        )
    if registered:
        out += ["", f"Already registered ({len(registered)}; not changed):"]
        for p in registered:
            assert p.known is not None
            line = f"  {p.product.name} -> tool {p.known.id!r} ({p.known.path})"
            if p.new_spellings:
                line += "; spellings to add to its aliases: " + ", ".join(p.new_spellings)
            out.append(line)
    if skipped:
        out += ["", f"Not imported ({len(skipped)}):"]
        out += [
            f"  {p.product.name} (rows {rows_text(p.product.rows, 6)}): {p.why}" for p in skipped
        ]
    merges = [(p, m) for p in plan.planned for m in p.product.members[1:]]
    if merges:
        out += ["", f"Merges made ({len(merges)}; confirm them):"]
        out += [f"  {m.text!r} -> {p.product.name}: {m.how}" for p, m in merges]
    if plan.near_misses:
        out += [
            "",
            f"Near misses not merged ({len(plan.near_misses)}; to merge, add the spelling under "
            "names.products in the mapping):",
        ]
        out += [f"  {m.a!r} / {m.b!r}: {m.why} ({m.score:.0f})" for m in plan.near_misses]
    if not written and create:
        out += [
            "",
            "Nothing was written: fix the errors below first."
            if asked
            else "Nothing was written: run again with --write to create these entries.",
        ]
    return "\n".join(out) + "\n"
