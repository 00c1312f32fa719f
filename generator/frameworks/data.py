"""The frozen records of frameworks and of the EU AI Act (built from valid documents only).

A mapping from a step or an obligation to framework entries is a tuple of :data:`Ref`
(framework id, entry id), in the order written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: (framework id, entry id): ``("nist-ai-rmf", "GOVERN 6.1")``.
Ref = tuple[str, str]

#: The classes of use under the EU AI Act (Regulation (EU) 2024/1689), most severe first.
AI_ACT_CLASSES = ("prohibited", "high-risk", "limited", "minimal")
AI_ACT_CLASS_WORDS = {
    "prohibited": "Prohibited practice (Article 5)",
    "high-risk": "High-risk (Article 6)",
    "limited": "Transparency duties (Article 50)",
    "minimal": "Minimal risk",
}
#: Annex III areas (points 1-8) by the id a tool records.
ANNEX_III = {
    "biometrics": "Annex III point 1: biometrics",
    "critical-infrastructure": "Annex III point 2: critical infrastructure",
    "education": "Annex III point 3: education and vocational training",
    "employment": "Annex III point 4: employment and workers management",
    "essential-services": "Annex III point 5: essential private and public services",
    "law-enforcement": "Annex III point 6: law enforcement",
    "migration-border": "Annex III point 7: migration, asylum and border control",
    "justice-democracy": "Annex III point 8: justice and democratic processes",
}
#: Statuses on which a prohibited use may be recorded: the tool is not (or no longer) used.
NOT_USED = ("rejected", "offboarded")


def refs_of(raw: Mapping[str, Any] | None) -> tuple[Ref, ...]:
    """``{"nist-ai-rmf": ["GOVERN 6.1"]}`` -> ``(("nist-ai-rmf", "GOVERN 6.1"),)``."""
    return tuple((fw, entry) for fw, entries in (raw or {}).items() for entry in entries)


@dataclass(frozen=True, slots=True)
class FrameworkEntry:
    id: str
    title: str
    group: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Framework:
    """One ``frameworks/<id>.yaml``: its entries, where they were taken from, their licence."""

    path: str
    id: str
    title: str
    version: str
    publisher: str
    url: str
    source_name: str
    source_url: str
    taken: date
    licence: str
    licence_url: str | None = None
    attribution: str | None = None
    notes: str | None = None
    groups: tuple[tuple[str, str], ...] = ()  # (id, title)
    entries: tuple[FrameworkEntry, ...] = ()

    def entry(self, entry_id: str) -> FrameworkEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def grouped(self) -> list[tuple[str | None, str | None, list[FrameworkEntry]]]:
        """(group id, group title, entries) in file order; ungrouped entries first."""
        titles = dict(self.groups)
        out: dict[str | None, list[FrameworkEntry]] = {}
        for e in self.entries:
            out.setdefault(e.group if e.group in titles else None, []).append(e)
        order = [None, *titles]
        return [(g, titles.get(g) if g else None, out[g]) for g in order if g in out]


def build_framework(path: str, raw: Mapping[str, Any]) -> Framework:
    """A framework from its valid data; a repeated entry id keeps its first entry (validation
    reports the second)."""
    seen: set[str] = set()
    entries = []
    for e in raw["entries"]:
        if e["id"] not in seen:
            seen.add(e["id"])
            entries.append(FrameworkEntry(e["id"], e["title"], e.get("group"), e.get("url")))
    source, licence = raw["source"], raw["licence"]
    return Framework(
        path=path,
        id=raw["id"],
        title=raw["title"],
        version=raw["version"],
        publisher=raw["publisher"],
        url=raw["url"],
        source_name=source["name"],
        source_url=source["url"],
        taken=date.fromisoformat(source["taken"]),
        licence=licence["name"],
        licence_url=licence.get("url"),
        attribution=raw.get("attribution"),
        notes=raw.get("notes"),
        groups=tuple((g["id"], g["title"]) for g in raw.get("groups", ())),
        entries=tuple(entries),
    )


@dataclass(frozen=True, slots=True)
class AiActUse:
    """A tool's classification under the EU AI Act for the organisation's use of it."""

    cls: str  # one of AI_ACT_CLASSES
    general_purpose: str  # none | model | system
    role: str  # deployer | provider
    rationale: str
    decided_by: str
    decided_on: date
    basis: str | None = None  # annex-iii | annex-i, for a high-risk use
    area: str | None = None  # an ANNEX_III key
    fria_required: bool = False
    #: obligation id -> its evidence record ({date, by, evidence?, notes?})
    records: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def words(self) -> str:
        """'High-risk (Article 6), Annex III point 4: employment and workers management'."""
        out = AI_ACT_CLASS_WORDS[self.cls]
        if self.basis == "annex-i":
            out += ", Annex I (Article 6(1))"
        elif self.area:
            out += ", " + ANNEX_III[self.area]
        return out


def build_ai_act_use(raw: Mapping[str, Any] | None) -> AiActUse | None:
    if not raw:
        return None
    return AiActUse(
        cls=raw["class"],
        general_purpose=raw["general_purpose"],
        role=raw["role"],
        rationale=raw["rationale"],
        decided_by=raw["decided_by"],
        decided_on=date.fromisoformat(raw["decided_on"]),
        basis=raw.get("basis"),
        area=raw.get("annex_iii_area"),
        fria_required=bool(raw.get("fria_required", False)),
        records=dict(raw.get("obligations", {})),
    )


@dataclass(frozen=True, slots=True)
class Obligation:
    """What the EU AI Act asks of a class of use (``eu_ai_act.obligations[i]`` in the policy)."""

    id: str
    title: str
    article: str
    classes: tuple[str, ...]
    roles: tuple[str, ...]
    applies_from: date
    source: str
    record: str
    index: int
    when: Mapping[str, Any] = field(default_factory=dict)
    annex_i_from: date | None = None
    frameworks: tuple[Ref, ...] = ()

    def applies_to(self, use: AiActUse) -> bool:
        """True when the obligation concerns a use so classified (class, role, conditions)."""
        if use.cls not in self.classes or use.role not in self.roles:
            return False
        facts = {
            "fria_required": use.fria_required,
            "general_purpose": use.general_purpose,
            "basis": use.basis,
        }
        return all(facts.get(k) == v for k, v in self.when.items())

    def starts(self, use: AiActUse) -> date:
        """The date from which the obligation applies to ``use`` (Article 113: a high-risk use
        under Annex I takes ``annex_i_from`` where the policy sets one)."""
        if use.basis == "annex-i" and self.annex_i_from is not None:
            return self.annex_i_from
        return self.applies_from


def build_obligations(raw: Iterable[Mapping[str, Any]]) -> tuple[Obligation, ...]:
    return tuple(
        Obligation(
            id=o["id"],
            title=o["title"],
            article=o["article"],
            classes=tuple(o["classes"]),
            roles=tuple(o["roles"]),
            applies_from=date.fromisoformat(o["applies_from"]),
            source=o["source"],
            record=o["record"],
            index=i,
            when=dict(o.get("when", {})),
            annex_i_from=date.fromisoformat(o["annex_i_from"]) if o.get("annex_i_from") else None,
            frameworks=refs_of(o.get("frameworks")),
        )
        for i, o in enumerate(raw)
    )
