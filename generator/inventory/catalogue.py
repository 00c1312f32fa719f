"""The catalogue of well-known AI services (``generator/data/ai-services.yaml``, schema
``schemas/catalogue.schema.json``), and any team's own catalogue files given with
``--catalogue``: names, aliases, domains and card-statement words of AI services, so that one
nobody registered is still recognised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, HandbookError, Severity
from generator.inventory.datafile import load_checked
from generator.load import Document
from generator.schema import Schemas

BUILT_IN = Path(__file__).resolve().parent.parent / "data" / "ai-services.yaml"
BUILT_IN_SHOWN = "generator/data/ai-services.yaml"


@dataclass(frozen=True, slots=True)
class Service:
    """One catalogue entry; ``source`` is the file it came from (for messages)."""

    id: str
    name: str
    vendor: str
    category: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    merchants: tuple[str, ...] = ()
    consumer_plans: tuple[str, ...] = ()
    consumer_domains: tuple[str, ...] = ()
    source: str = BUILT_IN_SHOWN


def _service(raw: dict[str, Any], source: str) -> Service:
    consumer = raw.get("consumer", {})
    return Service(
        id=raw["id"],
        name=raw["name"],
        vendor=raw["vendor"],
        category=raw["category"],
        aliases=tuple(raw.get("aliases", ())),
        domains=tuple(raw.get("domains", ())),
        merchants=tuple(raw.get("merchants", ())),
        consumer_plans=tuple(consumer.get("plans", ())),
        consumer_domains=tuple(consumer.get("domains", ())),
        source=source,
    )


#: Letters or digits card-statement words need ("THE" or "*" would match any payment).
MIN_MERCHANT = 4


def _warning(
    doc: Document, where: list[str | int], rule: str, message: str, hint: str
) -> Diagnostic:
    line, col = doc.locate(where)
    return Diagnostic(rule, Severity.WARNING, message, doc.path, line, col, hint=hint)


def _checked_entry(
    doc: Document, i: int, raw: dict[str, Any], services: dict[str, Service], built_in: bool
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The entry as used (statement words too short to tell a payment apart left out) and the
    warnings about it (that, and an id of an earlier file replaced)."""
    found = []
    if raw["id"] in services and not built_in:
        found.append(
            _warning(
                doc,
                ["services", i, "id"],
                "id-duplicate",
                f"service {raw['id']!r} replaces the one of {services[raw['id']].source}",
                "give it another id, unless replacing it is what you mean",
            )
        )
    kept = []
    for j, words in enumerate(raw.get("merchants", [])):
        if sum(c.isalnum() for c in words) >= MIN_MERCHANT:
            kept.append(words)
            continue
        found.append(
            _warning(
                doc,
                ["services", i, "merchants", j],
                "schema",
                f"statement words {words!r} are too short to tell a payment apart; not used",
                f"give at least {MIN_MERCHANT} letters or digits, e.g. 'OPENAI *CHATGPT'",
            )
        )
    return {**raw, "merchants": kept}, found


def load_catalogue(
    schemas: Schemas, extra: Sequence[Path] = (), *, built_in: bool = True
) -> tuple[list[Service], list[Diagnostic]]:
    """The services of the built-in catalogue, then of each ``extra`` file; an entry of a later
    file replaces one with the same id (a warning says so). A file that cannot be read or is
    not valid raises HandbookError: matching without it would call its services unknown."""
    files = [(BUILT_IN, BUILT_IN_SHOWN)] if built_in else []
    files += [(p, str(p)) for p in extra]
    services: dict[str, Service] = {}
    problems: list[Diagnostic] = []
    for path, shown in files:
        doc, found = load_checked(path, "catalogue", schemas, shown=shown)
        problems += found
        if doc is None:  # matching without it would report its services as unknown
            first = next(p for p in found if p.severity is Severity.ERROR)
            raise HandbookError(
                f"{first.location}: {first.message}",
                (first.hint or "") + (" (the catalogue must be valid to match against it)"),
            )
        seen: set[str] = set()
        for i, raw in enumerate(doc.data["services"]):
            if raw["id"] in seen:
                line, col = doc.locate(["services", i, "id"])
                problems.append(
                    Diagnostic(
                        "id-duplicate",
                        Severity.ERROR,
                        f"service id {raw['id']!r} is used twice in this file",
                        shown,
                        line,
                        col,
                        hint="give each service its own id",
                    )
                )
                continue
            seen.add(raw["id"])
            raw, warned = _checked_entry(doc, i, raw, services, path == BUILT_IN)
            problems += warned
            services[raw["id"]] = _service(raw, shown)
    return list(services.values()), problems
