"""A table and its mapping -> an import plan: the distinct products, the tool and vendor entries
they would become, the ones already registered, and every problem at ``FILE:ROW:COLUMN``.

Pure: nothing is written here (:mod:`.write` does that, for ``--write``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from generator import sitenames
from generator.diagnostics import Diagnostic, HandbookError, Severity
from generator.inventory import values
from generator.inventory.cells import Reader, RowFacts, kept
from generator.inventory.cluster import NearMiss, Product, cluster
from generator.inventory.known import Directory, Known
from generator.inventory.mapping import Mapping, find_columns
from generator.inventory.names import is_placeholder, spelling, split_cell
from generator.inventory.tables import Table, usable
from generator.load import slug
from generator.model import Vendor
from generator.schema import Schemas
from generator.validate.identity import skeleton

#: The most distinct spellings one import compares, each with every other (memory grows with
#: the square: 6,000 take about 300 MB).
MAX_SPELLINGS = 6_000


@dataclass(slots=True)
class Facts:
    """What the kept rows of one product say beyond its name."""

    teams: Counter[str] = field(default_factory=Counter)
    use_cases: Counter[str] = field(default_factory=Counter)
    vendors: Counter[str] = field(default_factory=Counter)
    contacts: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    data_classes: Counter[str] = field(default_factory=Counter)
    users: dict[str, values.Range] = field(default_factory=dict)  # per team (or row)
    since: list[date] = field(default_factory=list)
    vendor_rows: dict[str, list[int]] = field(default_factory=dict)  # vendor cell -> rows


@dataclass(slots=True)
class Planned:
    """One product and what the import does with it.

    ``action`` is ``"create"`` (a new tool, ``tool_id``), ``"registered"`` (``known`` is a
    registered tool; ``new_spellings`` are spellings its aliases lack) or ``"skip"`` (``why``)."""

    product: Product
    facts: Facts
    action: str
    tool_id: str = ""
    vendor_name: str | None = None
    vendor_id: str | None = None
    vendor_new: bool = False
    known: Known | None = None
    new_spellings: list[str] = field(default_factory=list)
    why: str = ""
    aliases: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # spellings another entry goes by

    @property
    def users(self) -> values.Range | None:
        """Users across teams: the sum of each team's range (open-ended if any is)."""
        if not self.facts.users:
            return None
        ranges = list(self.facts.users.values())
        highs = [r.high for r in ranges]
        high = None if None in highs else sum(h for h in highs if h is not None)
        return values.Range(sum(r.low for r in ranges), high)


@dataclass(slots=True)
class Plan:
    """Everything ``handbook import`` found: counts, products, near misses and problems."""

    table: Table
    rows_read: int = 0
    rows_kept: int = 0
    names_read: int = 0
    placeholders: int = 0
    planned: list[Planned] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    def of(self, action: str) -> list[Planned]:
        return [p for p in self.planned if p.action == action]

    @property
    def new_vendors(self) -> dict[str, str]:
        """vendor id -> name of the vendors the plan creates."""
        return {
            p.vendor_id: p.vendor_name or p.vendor_id
            for p in self.planned
            if p.action == "create" and p.vendor_new and p.vendor_id
        }


def plan_import(
    table: Table,
    mapping: Mapping,
    directory: Directory,
    vendors: dict[str, Vendor | None],
    taken_ids: set[str],
    schemas: Schemas,
    today: date,
) -> Plan:
    """Plan the import of ``table`` read with ``mapping``. ``directory`` knows the registry's
    tools and the catalogue; ``vendors`` are the registry's vendors by id (None for a vendor
    file that is not valid); ``taken_ids`` are the
    tool ids (and file names) that already exist, which a new tool never takes. A cell whose
    value could not be written into an entry (a character the schema refuses, a contact that is
    no e-mail address, a date after ``today``) is a warning at its cell and is left out."""
    plan = Plan(table, rows_read=len(table.rows))
    plan.problems += table.problems
    columns, missing = find_columns(mapping, table)
    plan.problems += missing
    if missing:
        return plan
    rules = mapping.rules
    places: dict[str, list[tuple[int, int]]] = {}
    row_of: dict[int, RowFacts] = {}
    reader = Reader(table, mapping, columns, schemas, today, plan.problems)
    for row in table.rows:
        keep, problem = kept(table, row, mapping, columns)
        if problem is not None:
            plan.problems.append(problem)
        if not keep:
            continue
        plan.rows_kept += 1
        row_of[row.number] = reader.row(row)
        col = columns["product"]
        for text, _ in split_cell(usable(table, row, col), rules.separators):
            plan.names_read += 1
            if is_placeholder(text, rules):
                plan.placeholders += 1
                continue
            if not spelling(text, rules).squashed or not reader.name(row, col, text):
                continue
            places.setdefault(text, []).append((row.number, col + 1))
    if len(places) > MAX_SPELLINGS:
        raise HandbookError(
            f"{table.path} names {len(places):,} distinct products; comparing each with every "
            f"other is done for up to {MAX_SPELLINGS:,}",
            "import the sheet in parts (by team or by rows), or clean up its names first",
        )
    if plan.rows_read and not plan.rows_kept and mapping.keep:
        line, col = mapping.doc.locate(["keep"])
        plan.problems.append(
            Diagnostic(
                "import-value",
                Severity.WARNING,
                f"keep ({', '.join(f'{k}: {v}' for k, v in mapping.keep.items())}) left none of "
                f"the {plan.rows_read} rows",
                mapping.path,
                line,
                col,
                hint="check the values keep compares (after recode) with the sheet's",
            )
        )
    products, plan.near_misses = cluster(
        places,
        rules,
        directory,
        overrides=mapping.products,
        merge_at=mapping.merge_at,
        near_miss_at=mapping.near_miss_at,
        preferred=[*mapping.vendors, *mapping.products.values()],
    )
    chosen: set[str] = set()
    vendor_col = columns.get("vendor")
    for product in products:
        facts = _facts([row_of[r] for r in product.rows])
        if vendor_col is not None:
            plan.problems += _vendor_conflicts(table, vendor_col, product, facts)
        plan.planned.append(_decide(product, facts, mapping, vendors, taken_ids | chosen))
        if plan.planned[-1].action == "create":
            chosen.add(plan.planned[-1].tool_id)
    _aliases(plan, directory)
    return plan


def _aliases(plan: Plan, directory: Directory) -> None:
    """Each new tool's aliases: its other spellings, minus any another entry goes by (the
    registry's tools, or another new tool), which would make matching by name a guess."""
    owner: dict[str, str] = {}
    for known in directory.known:
        if known.kind == "tool":
            for text in known.spellings:
                owner.setdefault(skeleton(text), f"tool {known.id}")
    creating = plan.of("create")
    for p in creating:
        owner.setdefault(skeleton(p.product.name), p.tool_id)
    for p in creating:
        for text in p.product.spellings:
            key = skeleton(text)
            if key == skeleton(p.product.name):
                continue
            if owner.setdefault(key, p.tool_id) == p.tool_id:
                p.aliases.append(text)
            else:
                p.withheld.append(text)
    for p in plan.of("registered"):  # suggest only spellings no other entry goes by
        assert p.known is not None
        mine = f"tool {p.known.id}"
        p.new_spellings = [s for s in p.new_spellings if owner.get(skeleton(s), mine) == mine]


def _facts(rows: list[RowFacts]) -> Facts:
    """A product's facts: what its rows say, added up."""
    facts = Facts()
    counters = {
        "team": facts.teams,
        "use_case": facts.use_cases,
        "vendor": facts.vendors,
        "contact": facts.contacts,
        "status": facts.statuses,
    }
    for row in rows:
        for key, value in row.texts.items():
            counters[key][value] += 1
        if "vendor" in row.texts:
            facts.vendor_rows.setdefault(row.texts["vendor"], []).append(row.number)
        if row.users is not None:
            facts.users[row.texts.get("team") or f"row {row.number}"] = row.users
        if row.since is not None:
            facts.since.append(row.since)
        for value in row.classes:
            facts.data_classes[value] += 1
    return facts


def column_vendor(product: Product, facts: Facts) -> str:
    """The vendor the product's rows name most often; on a tie, the catalogue's, else the
    first seen."""
    service = product.known.service if product.known is not None else None
    best = max(facts.vendors.values())
    tied = [v for v, n in facts.vendors.items() if n == best]
    if service is not None:
        for v in tied:
            if skeleton(v) == skeleton(service.vendor):
                return v
    return tied[0]


def _vendor_conflicts(table: Table, col: int, product: Product, facts: Facts) -> list[Diagnostic]:
    """A warning when the rows of one product name different vendors, or one the catalogue
    does not give the product: the most common of the rows is used."""
    named = {skeleton(v): v for v in facts.vendor_rows}
    used = column_vendor(product, facts) if facts.vendors else None
    service = product.known.service if product.known is not None else None
    said = []
    if len(named) > 1:
        said.append(
            "its rows name different vendors: "
            + "; ".join(
                f"{v!r} (row{'s' if len(r) > 1 else ''} {', '.join(map(str, r[:5]))})"
                for v, r in facts.vendor_rows.items()
            )
        )
    if service is not None and used is not None and skeleton(used) != skeleton(service.vendor):
        said.append(f"the catalogue of AI services gives it {service.vendor!r}")
    if not said or used is None:
        return []
    first = facts.vendor_rows[used][0]
    return [
        Diagnostic(
            "import-vendor",
            Severity.WARNING,
            f"{product.name!r}: {'; and '.join(said)}; {used!r} is used",
            table.path,
            first,
            col + 1,
            hint="correct the vendor cells, or tell the products apart with names.products",
        )
    ]


def _vendor_of(product: Product, facts: Facts, mapping: Mapping) -> tuple[str | None, str]:
    """The vendor's name and where it came from."""
    if facts.vendors:
        return column_vendor(product, facts), "the vendor column"
    wanted = {skeleton(s) for s in (product.name, *product.spellings)}
    for name, vendor in mapping.vendors.items():
        if skeleton(name) in wanted:
            return vendor, "names.vendors in the mapping"
    known = product.known
    if known is not None and known.service is not None:
        return known.service.vendor, "the catalogue of AI services"
    if mapping.vendor is not None:
        return mapping.vendor, "defaults.vendor in the mapping"
    return None, ""


def _decide(
    product: Product,
    facts: Facts,
    mapping: Mapping,
    vendors: dict[str, Vendor | None],
    taken: set[str],
) -> Planned:
    known = product.known
    if known is not None and known.kind == "tool":
        have = {skeleton(s) for s in known.spellings}
        new = [s for s in product.spellings if skeleton(s) not in have]
        return Planned(product, facts, "registered", known=known, new_spellings=new)
    vendor_name, _ = _vendor_of(product, facts, mapping)
    if vendor_name is None:
        return Planned(
            product,
            facts,
            "skip",
            why="no vendor: map a vendor column, list the product under names.vendors, or set "
            "defaults.vendor",
        )
    vendor_id, new_vendor = _vendor_id(vendor_name, vendors)
    known_vendor = vendors.get(vendor_id) if vendor_id and not new_vendor else None
    if known_vendor is not None:
        vendor_name = known_vendor.name  # the registry's spelling, as the plan shows it
    if vendor_id is None:
        return Planned(
            product,
            facts,
            "skip",
            why=f"vendor {vendor_name!r} makes no id (ids use Latin letters and digits): "
            "give the product a vendor with such a name under names.vendors",
        )
    base = slug(product.name) or slug(f"{vendor_name} tool")
    if not base:
        return Planned(product, facts, "skip", why=f"the name {product.name!r} makes no id")
    tool_id, n = base, 1
    while tool_id in taken or sitenames.taken("tool", tool_id):
        n += 1
        tool_id = f"{base[:60]}-{n}"
    return Planned(
        product,
        facts,
        "create",
        tool_id=tool_id,
        vendor_name=vendor_name,
        vendor_id=vendor_id,
        vendor_new=new_vendor,
        known=known,
    )


_LEGAL = re.compile(
    r"[\s,]+(?:inc|incorporated|ltd|limited|llc|llp|gmbh|ag|sa|sas|bv|nv|plc|co|company|corp"
    r"|corporation|pty|oy|ab|as|srl|spa|kk)\.?$",
    re.I,
)


def company_key(name: str) -> str:
    """A company's name for comparison: legal suffixes off ("Parrotbox, Inc." = "Parrotbox"),
    then :func:`~generator.validate.identity.skeleton`."""
    previous = None
    while previous != name:
        previous, name = name, _LEGAL.sub("", name.strip())
    return skeleton(name)


def _vendor_id(name: str, vendors: dict[str, Vendor | None]) -> tuple[str | None, bool]:
    """(id, is new) of the vendor called ``name``: a registered one with that id or name (a
    vendor file that is invalid counts by its file name), else a new id made from the name."""
    key = company_key(name)
    for vid, vendor in vendors.items():
        if key in (company_key(vid), company_key(vendor.name if vendor else vid)):
            return vid, False
    made = slug(name)
    if not made or sitenames.taken("vendor", made):
        return None, False
    return made, made not in vendors
