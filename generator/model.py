"""Frozen dataclasses built from Documents that passed validation. No second validation layer.

Every entry keeps its ``path`` and its loaded ``raw`` mapping (with the loader's marks), so later
stages can point a finding at the exact line of the field to update: ``tool.at("evidence",
"pilot", "end")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from generator.evidence.measures import (
    Audit,
    Benchmark,
    Metric,
    Tables,
    audit,
    benchmark,
    metric,
    tables_of,
)
from generator.frameworks.data import (
    AiActUse,
    Framework,
    Obligation,
    Ref,
    build_ai_act_use,
    build_framework,
    build_obligations,
    refs_of,
)
from generator.load import Document, Mark, Page, Tree, locate

CERT_NAMES = {
    "soc2-type1": "SOC 2 Type I",
    "soc2-type2": "SOC 2 Type II",
    "iso27001": "ISO/IEC 27001",
    "iso27701": "ISO/IEC 27701",
    "iso42001": "ISO/IEC 42001",
}
STATUSES = (
    "proposed",
    "sandbox",
    "pilot",
    "approved",
    "restricted",
    "deprecated",
    "offboarded",
    "rejected",
)
CLASSIFICATIONS = ("public", "internal", "confidential", "personal", "restricted")
#: Statuses in which a tool is used for real work: a current vendor certification of a required
#: type, no personal or free license, no failed review.
IN_USE = ("pilot", "approved", "restricted")
#: Statuses in which a tool's vendor certifications are relied on.
RELYING = ("sandbox", *IN_USE)
#: Statuses that approve a tool for everyone's use ("Which tools may I use?").
APPROVED = ("approved", "restricted")
#: How widely each status lets a tool be used, least first: a move up the scale widens use
#: (``restricted`` -> ``approved``, ``offboarded`` -> ``pilot``).
USE_RANK = {
    "proposed": 0, "rejected": 0, "offboarded": 0, "deprecated": 1, "sandbox": 1,
    "pilot": 2, "restricted": 3, "approved": 4,
}  # fmt: skip


def has_path(data: Any, parts: Iterable[str]) -> bool:
    """True when ``data`` holds a non-empty value at the path ``parts`` (mapping keys)."""
    for part in parts:
        if not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return data not in (None, "", [], {})


def value_at(data: Any, dotted: str) -> Any:
    """The value at a dotted path of mappings (``"evidence.pilot.end"``), or None."""
    for part in dotted.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def shift(start: date, days: int) -> date:
    """``start`` plus ``days`` (negative: minus), kept within the calendar Python can count
    (years 1 to 9999): a cadence of 36,500 days from a late as-of date stays a date."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def is_soc2(cert_type: str) -> bool:
    """Whether a certification type is a SOC 2 report (judged by its period, not an expiry)."""
    return cert_type.startswith("soc2")


def day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Entry:
    """Where an entry came from, for positions."""

    path: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)
    source: Document | None = field(default=None, repr=False, compare=False)

    def at(self, *where: str | int, key: bool = False) -> Mark:
        """Line and column of a field, for findings: ``tool.at("evidence", "pilot", "end")``."""
        if self.source is not None:
            return self.source.locate(list(where), key=key)
        return locate(self.raw, list(where), key=key)


@dataclass(frozen=True, slots=True)
class Certification:
    id: str
    type: str
    name: str
    scope: str | None
    issuer: str
    issued: date
    expires: date | None
    period_start: date | None
    period_end: date | None
    bridge_until: date | None
    evidence: str
    verified_by: str
    verified_on: date
    index: int

    @property
    def is_soc2(self) -> bool:
        return is_soc2(self.type)


@dataclass(frozen=True, slots=True)
class Vendor(Entry):
    id: str = ""
    name: str = ""
    website: str = ""
    trust_page: str = ""
    privacy_policy: str = ""
    terms: str | None = None
    contact: str | None = None
    notes: str | None = None
    certifications: tuple[Certification, ...] = ()

    def certification(self, cert_id: str) -> Certification | None:
        return next((c for c in self.certifications if c.id == cert_id), None)


@dataclass(frozen=True, slots=True)
class Exception_:
    rule: str
    reason: str
    approver: str | None
    until: date
    index: int


@dataclass(frozen=True, slots=True)
class Tool(Entry):
    id: str = ""
    name: str = ""
    vendor: str = ""
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    description: str | None = None
    team: str = ""
    contact: str = ""
    github: str | None = None
    status: str = "proposed"
    since: date = date.min
    problem: str = ""
    approved_uses: tuple[str, ...] = ()
    prohibited_uses: tuple[str, ...] = ()
    license_tier: str = "enterprise"
    data_allowed: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False)
    exceptions: tuple[Exception_, ...] = ()
    #: Records left out because their own values are invalid: ("evidence", section) or
    #: ("evidence", section, index); see generator.validate.usable.
    skipped: frozenset[tuple[str | int, ...]] = frozenset()
    #: The measured evidence, as counts (generator.evidence.measures): the benchmark (from its
    #: task records when valid, else its typed numbers), the audits and the metrics in file order.
    benchmark: Benchmark | None = field(default=None, compare=False)
    audits: tuple[Audit, ...] = field(default=(), compare=False)
    metrics: tuple[Metric, ...] = field(default=(), compare=False)
    #: The classification under the EU AI Act (``eu_ai_act``), None when not recorded.
    ai_act: AiActUse | None = field(default=None, compare=False)

    def record(self, section: str) -> Mapping[str, Any] | None:
        if ("evidence", section) in self.skipped:
            return None
        value = self.evidence.get(section)
        return value if isinstance(value, Mapping) else None

    def date_of(self, section: str, key: str) -> date | None:
        rec = self.record(section)
        return day(rec.get(key)) if rec else None

    def records(self, section: str) -> list[tuple[int, Mapping[str, Any]]]:
        """(index in the file, record) of a list section, minus the records left out; a single
        mapping where a list may stand (``metrics``) is a one-item list."""
        value = self.evidence.get(section)
        if isinstance(value, Mapping) and section == "metrics":
            value = [value]
        if not isinstance(value, list) or ("evidence", section) in self.skipped:
            return []
        return [
            (i, r)
            for i, r in enumerate(value)
            if isinstance(r, Mapping) and ("evidence", section, i) not in self.skipped
        ]

    def last_of(self, section: str, key: str = "date") -> tuple[date, int] | None:
        """The newest record of a list section (by its ``key`` date) and its index in the list."""
        found = [(day(a.get(key)), i) for i, a in self.records(section)]
        dated = [(d, i) for d, i in found if d is not None]
        return max(dated) if dated else None

    @property
    def latest_audit(self) -> Audit | None:
        """The newest output audit (the later in the file on a tie)."""
        return max(self.audits, key=lambda a: (a.date, a.index), default=None)

    @property
    def latest_counted_audit(self) -> Audit | None:
        """The newest output audit that records its sample and errors: the one drift is judged
        on, so a newer audit without counts cannot hide an earlier drift."""
        counted = [a for a in self.audits if a.counted]
        return max(counted, key=lambda a: (a.date, a.index), default=None)

    @property
    def latest_metric(self) -> Metric | None:
        return max(self.metrics, key=lambda m: (m.measured, m.index), default=None)

    @property
    def relied_certifications(self) -> tuple[str, ...]:
        rec = self.record("vendor_due_diligence")
        return tuple(rec.get("certifications", ())) if rec else ()


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    title: str
    purpose: str
    owner_role: str
    evidence: tuple[str, ...]
    checklist: tuple[str, ...]
    phase: str
    cadence: str | None = None  # the policy cadence key, e.g. "output_audit"
    cadence_label: str | None = None
    details: str | None = None
    frameworks: tuple[Ref, ...] = ()  # the framework entries the step helps satisfy


@dataclass(frozen=True, slots=True)
class Phase(Entry):
    id: str = ""
    number: int = 0
    title: str = ""
    summary: str = ""
    intro: str | None = None
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True, slots=True)
class Advice:
    id: str
    title: str
    text: str
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Guidance:
    tips: tuple[Advice, ...] = ()
    pitfalls: tuple[Advice, ...] = ()
    faq: tuple[Advice, ...] = ()


DEFAULT_WARNING_DAYS = {
    "certification": 60,
    "output_audit": 7,
    "access_review": 14,
    "vendor_review": 14,
    "compliance_review": 30,
    "pilot": 7,
    "stage": 14,
    "offboarding": 7,
    "exception": 14,
    "metrics": 14,
}
DEFAULT_MAX_DAYS_IN_STATUS = {"sandbox": 90, "pilot": 60}
DEFAULT_CADENCE_DAYS = {
    "output_audit": 31,
    "access_review": 90,
    "vendor_review": 90,
    "compliance_review": 365,
    "metrics": 90,
}


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """The link checker's settings (``links:`` in the policy)."""

    cache_max_age_hours: float = 24.0
    exclude: tuple[str, ...] = ()  # regular expressions, searched in each URL
    accept_status: tuple[int, ...] = ()  # statuses that count as working, e.g. 999
    timeout_seconds: float = 10.0  # the whole of one request, not each read
    max_concurrency: int = 16
    per_host: int = 4
    allow_private: bool = False


@dataclass(frozen=True, slots=True)
class QualityPolicy:
    """The bar a benchmark must clear and how audits detect drift (``benchmark:``, ``drift:``)."""

    max_accuracy_gap: float = 0.20  # AI accuracy minus the expert's: lower 95% bound >= -this
    max_hallucination_rate: float = 0.20  # upper 95% bound of the hallucination rate <= this
    min_accuracy: float | None = None  # lower 95% bound of the AI's accuracy >= this (optional)
    alpha: float = 0.05  # significance level of the drift test
    min_increase: float = 0.15  # the rise in the error rate an audit must be able to detect
    power: float = 0.8  # how likely an audit must be to detect it
    trend_audits: int = 3  # how many of the latest audits the trend test reads


@dataclass(frozen=True, slots=True)
class Policy(Entry):
    as_of: date | None = None
    warning_days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_WARNING_DAYS))
    cadence_days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_DAYS))
    soc2_freshness_months: int = 12
    pilot_min_days: int = 14
    benchmark_min: int = 20
    benchmark_max: int = 50
    max_days_in_status: Mapping[str, int] = field(
        default_factory=lambda: dict(DEFAULT_MAX_DAYS_IN_STATUS)
    )
    offboarding_deadline_days: int = 30
    exception_max_days: int = 90
    required_certifications: tuple[str, ...] = ("soc2-type2", "iso27001")
    requirements: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    repository_url: str | None = None
    repository_branch: str = "main"
    repository_edit: str = "/edit/{branch}/{path}"
    default_owner: str | None = None
    mention_owners: bool = False
    links: LinkPolicy = field(default_factory=LinkPolicy)
    quality: QualityPolicy = field(default_factory=QualityPolicy)
    #: What the EU AI Act asks of each class of use (``eu_ai_act.obligations``).
    obligations: tuple[Obligation, ...] = ()


@dataclass(frozen=True, slots=True)
class Handbook:
    policy: Policy
    phases: tuple[Phase, ...]
    guidance: Guidance
    vendors: Mapping[str, Vendor]
    tools: Mapping[str, Tool]
    pages: tuple[Page, ...] = ()
    frameworks: Mapping[str, Framework] = field(default_factory=dict)

    @property
    def steps(self) -> dict[str, Step]:
        return {s.id: s for p in self.phases for s in p.steps}

    def tools_of(self, vendor_id: str) -> list[Tool]:
        return [t for t in self.tools.values() if t.vendor == vendor_id]


# -- building -----------------------------------------------------------------------------------


def _certification(raw: Mapping[str, Any], index: int) -> Certification:
    period = raw.get("period") or {}
    bridge = raw.get("bridge_letter") or {}
    return Certification(
        id=raw["id"],
        type=raw["type"],
        name=raw.get("name") or CERT_NAMES.get(raw["type"], raw["type"]),
        scope=raw.get("scope"),
        issuer=raw["issuer"],
        issued=date.fromisoformat(raw["issued"]),
        expires=day(raw.get("expires")),
        period_start=day(period.get("start")),
        period_end=day(period.get("end")),
        bridge_until=day(bridge.get("covers_until")),
        evidence=raw["evidence"],
        verified_by=raw["verified"]["by"],
        verified_on=date.fromisoformat(raw["verified"]["on"]),
        index=index,
    )


Skip = frozenset[tuple[str | int, ...]]


def without(data: Any, drop: Iterable[tuple[str | int, ...]]) -> Any:
    """``data`` without the values at the paths ``drop`` (keys of mappings, indexes of lists:
    a list closes up over a removed entry).

    Only the mappings and lists on the way to a removed value are copied; the rest is shared
    with ``data``, which is left as it was.
    """
    if not isinstance(data, (Mapping, list)):
        return data
    gone: set[str | int] = set()
    deeper: dict[str | int, set[tuple[str | int, ...]]] = {}
    for where in drop:
        if len(where) == 1:
            gone.add(where[0])
        elif where:
            deeper.setdefault(where[0], set()).add(where[1:])
    if not gone and not deeper:
        return data
    if isinstance(data, Mapping):
        return {k: without(v, deeper.get(k, ())) for k, v in data.items() if k not in gone}
    return [without(v, deeper.get(i, ())) for i, v in enumerate(data) if i not in gone]


def build_vendor(path: str, raw: Mapping[str, Any], skip: Skip = frozenset()) -> Vendor:
    """A vendor from its valid data; ``skip`` names records left out because they are invalid:
    certifications ("certifications", i), whose index stays the one in the file, and
    descriptive fields ("terms",), which read as empty (:mod:`generator.validate.usable`)."""
    kept = without(raw, frozenset(w for w in skip if len(w) == 1))  # whole fields left out
    return Vendor(
        path=path,
        raw=raw,
        id=raw["id"],
        name=kept.get("name", raw["id"]),
        website=kept.get("website", ""),
        trust_page=kept.get("trust_page", ""),
        privacy_policy=kept.get("privacy_policy", ""),
        terms=kept.get("terms"),
        contact=kept.get("contact"),
        notes=kept.get("notes"),
        certifications=tuple(
            _certification(c, i)
            for i, c in enumerate(kept.get("certifications", []))
            if ("certifications", i) not in skip
        ),
    )


def build_tool(
    path: str,
    raw: Mapping[str, Any],
    skip: Skip = frozenset(),
    tables: Tables | None = None,
) -> Tool:
    """A tool from its valid data; ``skip`` names records left out because they are invalid:
    evidence sections or list entries, exceptions ("exceptions", i), and descriptive fields
    (("license",), ("owner", "team")...), which read as empty (:mod:`generator.validate.usable`).
    ``tables``: the parsed evidence tables the entry names, by path
    (:func:`generator.evidence.measures.tables_of`).
    """
    tool = _tool(path, raw, skip)
    tables = tables or {}
    return replace(
        tool,
        benchmark=benchmark(tool.record("benchmark"), tables),
        audits=tuple(
            audit(i, a, tables) for i, a in tool.records("output_audits") if day(a.get("date"))
        ),
        metrics=tuple(metric(i, m) for i, m in tool.records("metrics") if day(m.get("measured"))),
    )


def _tool(path: str, raw: Mapping[str, Any], skip: Skip) -> Tool:
    kept = without(
        raw,
        frozenset(w for w in skip if len(w) == 1 or w[0] in ("owner", "status", "eu_ai_act")),
    )
    owner, status, uses = kept.get("owner", {}), raw["status"], kept.get("uses", {})
    return Tool(
        path=path,
        raw=raw,
        id=raw["id"],
        name=kept.get("name", raw["id"]),
        vendor=raw["vendor"],
        aliases=tuple(kept.get("aliases", ())),
        domains=tuple(kept.get("domains", ())),
        description=kept.get("description"),
        team=owner.get("team", ""),
        contact=owner.get("contact", ""),
        github=owner.get("github"),
        status=status["value"],
        since=date.fromisoformat(status["since"]),
        problem=kept.get("problem", ""),
        approved_uses=tuple(uses.get("approved", ())),
        prohibited_uses=tuple(uses.get("prohibited", ())),
        license_tier=kept.get("license", {}).get("tier", ""),
        data_allowed=tuple(kept.get("data", {}).get("allowed", ())),
        evidence=kept.get("evidence", {}),
        exceptions=tuple(
            Exception_(e["rule"], e["reason"], e.get("approver"), date.fromisoformat(e["until"]), i)
            for i, e in enumerate(kept.get("exceptions", []))
            if ("exceptions", i) not in skip
        ),
        skipped=frozenset(w for w in skip if w[0] == "evidence"),
        ai_act=build_ai_act_use(kept.get("eu_ai_act")),
    )


def build_policy(path: str, raw: Mapping[str, Any]) -> Policy:
    """The policy of a valid ``registry/policy.yaml``; every key left out takes the default of
    :class:`Policy` (the one place policy defaults are written)."""
    d = Policy(path=path, raw=raw)
    tasks = raw.get("benchmark_tasks", {})
    repo = raw.get("repository", {})
    return Policy(
        path=path,
        raw=raw,
        as_of=day(raw.get("as_of")),
        warning_days={**d.warning_days, **raw.get("warning_days", {})},
        cadence_days={**d.cadence_days, **raw.get("cadence_days", {})},
        soc2_freshness_months=raw.get("soc2_freshness_months", d.soc2_freshness_months),
        pilot_min_days=raw.get("pilot_min_days", d.pilot_min_days),
        benchmark_min=tasks.get("min", d.benchmark_min),
        benchmark_max=tasks.get("max", d.benchmark_max),
        max_days_in_status={**d.max_days_in_status, **raw.get("max_days_in_status", {})},
        offboarding_deadline_days=raw.get("offboarding_deadline_days", d.offboarding_deadline_days),
        exception_max_days=raw.get("exception_max_days", d.exception_max_days),
        required_certifications=tuple(
            raw.get("required_certifications", d.required_certifications)
        ),
        requirements={k: tuple(v) for k, v in raw.get("requirements", {}).items()},
        repository_url=repo.get("url", d.repository_url),
        repository_branch=repo.get("branch", d.repository_branch),
        repository_edit=repo.get("edit", d.repository_edit),
        default_owner=repo.get("default_owner", d.default_owner),
        mention_owners=bool(raw.get("report", {}).get("mention_owners", d.mention_owners)),
        links=build_link_policy(raw.get("links", {})),
        quality=build_quality_policy(raw.get("benchmark", {}), raw.get("drift", {})),
        obligations=build_obligations(raw.get("eu_ai_act", {}).get("obligations", ())),
    )


def build_quality_policy(bar: Mapping[str, Any], drift: Mapping[str, Any]) -> QualityPolicy:
    d = QualityPolicy()
    return QualityPolicy(
        max_accuracy_gap=bar.get("max_accuracy_gap", d.max_accuracy_gap),
        max_hallucination_rate=bar.get("max_hallucination_rate", d.max_hallucination_rate),
        min_accuracy=bar.get("min_accuracy", d.min_accuracy),
        alpha=drift.get("alpha", d.alpha),
        min_increase=drift.get("min_increase", d.min_increase),
        power=drift.get("power", d.power),
        trend_audits=drift.get("trend_audits", d.trend_audits),
    )


def build_link_policy(raw: Mapping[str, Any]) -> LinkPolicy:
    d = LinkPolicy()
    return LinkPolicy(
        cache_max_age_hours=raw.get("cache_max_age_hours", d.cache_max_age_hours),
        exclude=tuple(raw.get("exclude", ())),
        accept_status=tuple(raw.get("accept_status", ())),
        timeout_seconds=raw.get("timeout_seconds", d.timeout_seconds),
        max_concurrency=raw.get("max_concurrency", d.max_concurrency),
        per_host=raw.get("per_host", d.per_host),
        allow_private=bool(raw.get("allow_private", d.allow_private)),
    )


def build_phase(path: str, raw: Mapping[str, Any], skip: Skip = frozenset()) -> Phase:
    steps = tuple(
        Step(
            id=s["id"],
            title=s["title"],
            purpose=s["purpose"],
            owner_role=s["owner_role"],
            evidence=tuple(s["evidence"]),
            checklist=tuple(s["checklist"]),
            phase=raw["id"],
            cadence=(s.get("cadence") or {}).get("policy"),
            cadence_label=(s.get("cadence") or {}).get("label"),
            details=s.get("details"),
            frameworks=refs_of(s.get("frameworks")),
        )
        for i, s in enumerate(raw["steps"])
        if ("steps", i) not in skip
    )
    return Phase(
        path=path,
        raw=raw,
        id=raw["id"],
        number=raw["number"],
        title=raw["title"],
        summary=raw["summary"],
        intro=raw.get("intro"),
        steps=steps,
    )


def build_guidance(raw: Mapping[str, Any], skip: Skip = frozenset()) -> Guidance:
    def advice(section: str, title: str, text: str) -> tuple[Advice, ...]:
        return tuple(
            Advice(e["id"], e[title], e[text], tuple(e.get("steps", ())))
            for i, e in enumerate(raw.get(section, []))
            if (section, i) not in skip
        )

    return Guidance(
        tips=advice("tips", "title", "text"),
        pitfalls=advice("pitfalls", "title", "text"),
        faq=advice("faq", "question", "answer"),
    )


def build(tree: Tree, usable: Mapping[str, Skip] | None = None) -> Handbook:
    """The Handbook of a loaded tree.

    ``usable`` (from :class:`generator.validate.Validation`) maps each document that can be used
    to the records to leave out of it; documents not in it are left out. None: every loaded
    document is valid (the tree validated without errors).
    """
    policy = Policy(path="registry/policy.yaml", raw={})
    phases: list[Phase] = []
    guidance = Guidance()
    vendors: dict[str, Vendor] = {}
    tools: dict[str, Tool] = {}
    frameworks: dict[str, Framework] = {}
    for doc in tree.documents:
        if not isinstance(doc.data, Mapping):
            continue
        skip: Skip = frozenset()
        if usable is not None:
            if doc.path not in usable:
                continue
            skip = usable[doc.path]
        if doc.kind == "policy":
            raw = without(doc.data, skip)
            policy = replace(build_policy(doc.path, raw), raw=doc.data, source=doc)
        elif doc.kind == "phase":
            phases.append(replace(build_phase(doc.path, doc.data, skip), source=doc))
        elif doc.kind == "guidance":
            guidance = build_guidance(doc.data, skip)
        elif doc.kind == "vendor":
            vendors[doc.data["id"]] = replace(build_vendor(doc.path, doc.data, skip), source=doc)
        elif doc.kind == "framework" and not skip:
            frameworks.setdefault(doc.data["id"], build_framework(doc.path, doc.data))
        elif doc.kind == "tool":
            tables = tables_of(doc.data, tree.evidence)
            tools[doc.data["id"]] = replace(
                build_tool(doc.path, doc.data, skip, tables), source=doc
            )
    return Handbook(
        policy=policy,
        phases=tuple(sorted(phases, key=lambda p: p.number)),
        guidance=guidance,
        vendors=dict(sorted(vendors.items())),
        tools=dict(sorted(tools.items())),
        pages=tuple(tree.pages),
        frameworks=dict(sorted(frameworks.items())),
    )


# -- effective policy values --------------------------------------------------------------------
# For readers of a policy file that has not been validated (``handbook diff``): the value each
# optional key takes when the file leaves it out. The values are read from the dataclasses above.


def policy_defaults() -> dict[str, Any]:
    """The defaults, shaped like a policy file:
    ``{"cadence_days": {"output_audit": 31, ...}, "exception_max_days": 90, "links": {...}, ...}``.
    Keys without a default (``as_of``, ``requirements``, ``repository.url``) are absent."""
    p, links, q = Policy(path="", raw={}), LinkPolicy(), QualityPolicy()
    return {
        "warning_days": dict(p.warning_days),
        "cadence_days": dict(p.cadence_days),
        "soc2_freshness_months": p.soc2_freshness_months,
        "pilot_min_days": p.pilot_min_days,
        "benchmark_tasks": {"min": p.benchmark_min, "max": p.benchmark_max},
        "benchmark": {
            "max_accuracy_gap": q.max_accuracy_gap,
            "max_hallucination_rate": q.max_hallucination_rate,
        },
        "drift": {
            "alpha": q.alpha,
            "min_increase": q.min_increase,
            "power": q.power,
            "trend_audits": q.trend_audits,
        },
        "max_days_in_status": dict(p.max_days_in_status),
        "offboarding_deadline_days": p.offboarding_deadline_days,
        "exception_max_days": p.exception_max_days,
        "required_certifications": list(p.required_certifications),
        "repository": {"branch": p.repository_branch, "edit": p.repository_edit},
        "report": {"mention_owners": p.mention_owners},
        "links": {
            "cache_max_age_hours": links.cache_max_age_hours,
            "exclude": list(links.exclude),
            "accept_status": list(links.accept_status),
            "timeout_seconds": links.timeout_seconds,
            "max_concurrency": links.max_concurrency,
            "per_host": links.per_host,
            "allow_private": links.allow_private,
        },
    }


def effective_policy(raw: Any) -> dict[str, Any]:
    """``raw`` (parsed, unvalidated policy data) with each absent key set to its default; nested
    mappings are merged key by key, and a value of an unexpected type is kept as written. Not a
    mapping (a missing file): the defaults alone."""

    def merge(default: Any, given: Any) -> Any:
        if isinstance(default, dict) and isinstance(given, Mapping):
            return {
                **{k: merge(v, given.get(k)) for k, v in default.items()},
                **{k: v for k, v in given.items() if k not in default},
            }
        return default if given is None else given

    return dict(merge(policy_defaults(), raw if isinstance(raw, Mapping) else {}))
