"""The catalogue of well-known AI services (``generator/data/ai-services.yaml``, schema
``schemas/catalogue.schema.json``), and any team's own catalogue files given with
``--catalogue``: names, aliases, domains and card-statement words of AI services, so that one
nobody registered is still recognised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.inventory.datafile import load_checked
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


def load_catalogue(
    schemas: Schemas, extra: Sequence[Path] = (), *, built_in: bool = True
) -> tuple[list[Service], list[Diagnostic]]:
    """The services of the built-in catalogue, then of each ``extra`` file; an entry of a later
    file replaces one with the same id. Problems come back as Diagnostics at file:line (an
    invalid file contributes nothing); an unreadable file raises HandbookError."""
    files = [(BUILT_IN, BUILT_IN_SHOWN)] if built_in else []
    files += [(p, str(p)) for p in extra]
    services: dict[str, Service] = {}
    problems: list[Diagnostic] = []
    for path, shown in files:
        doc, found = load_checked(path, "catalogue", schemas, shown=shown)
        problems += found
        if doc is None:
            continue
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
            services[raw["id"]] = _service(raw, shown)
    return list(services.values()), problems
