"""`handbook reconcile`: what is really in use, against what the registry approves.

read inputs (:mod:`.sources`) -> match each event to a registered tool or a catalogue service
(names exactly, then by similarity; hosts; card-statement words) -> usage per product ->
findings (rules ``shadow-ai``, ``use-of-rejected``, ``use-of-offboarded``,
``personal-account``, ``unknown-spelling``), each at the first line of its evidence, with counts.

No personal data leaves this module except through :func:`details`: usage holds counts, and
findings say how many users, never who.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process

from generator.diagnostics import Diagnostic, Severity, plural
from generator.inventory import Registry, registry
from generator.inventory.known import Directory, Hit, Known
from generator.inventory.names import Rules, spelling
from generator.reconcile.sources import Event, Read, read_input

#: Similarity (rapidfuzz ratio, 0-100) from which an unknown name is taken for a known one.
FUZZY_AT = 90.0


@dataclass
class Usage:
    """Use of one product over the inputs: distinct users, sign-ins or requests, spend."""

    known: Known
    users: set[str] = field(default_factory=set, repr=False)
    events: int = 0
    spend: dict[str, float] = field(default_factory=dict)
    #: rule -> the first use it is about (where the finding points) and all of them
    first: dict[str, tuple[Event, Hit]] = field(default_factory=dict, repr=False)
    per_rule: dict[str, Usage] = field(default_factory=dict, repr=False)
    by_what: dict[str, int] = field(default_factory=dict)  # "sign-in" -> how many
    files: set[str] = field(default_factory=set)
    teams_only: bool = True  # every use came from an inventory sheet (its "users" are teams)

    def add(self, event: Event) -> None:
        if event.user:
            self.users.add(event.user.casefold())
        self.events += event.count
        self.by_what[event.what] = self.by_what.get(event.what, 0) + event.count
        self.files.add(event.path)
        self.teams_only &= event.kind == "inventory"
        if event.amount:
            self.spend[event.currency] = self.spend.get(event.currency, 0.0) + event.amount

    @property
    def user_count(self) -> int:
        return len(self.users)

    def spend_text(self) -> str:
        """'60.00 USD, 12.00 (no currency given)'."""
        return ", ".join(
            f"{v:,.2f} {c or '(no currency given)'}" for c, v in sorted(self.spend.items())
        )


@dataclass
class Reconciled:
    """Every input read, the usage per product, the findings and the lines matched."""

    reads: list[Read]
    usage: dict[str, Usage]
    findings: list[Diagnostic]
    matched: list[tuple[Event, Hit]]
    unmatched: int = 0


def _key(known: Known) -> str:
    return f"{known.kind}:{known.id}"


class Matcher:
    """Event -> Hit, remembering fuzzy answers (a log repeats the same names)."""

    def __init__(self, directory: Directory, overrides: Mapping[str, str] | None = None) -> None:
        self.directory = directory
        self.keys = directory.name_keys()
        self._memo: dict[tuple[str, bool], Hit | None] = {}
        rules = directory.rules
        #: the import mapping's names.products: a spelling -> the product it means
        self.overrides = {spelling(k, rules).words: v for k, v in (overrides or {}).items()}

    def match(self, event: Event) -> Hit | None:
        if event.host:
            return self.directory.by_host(event.host)
        if event.merchant:
            hit = self.directory.by_merchant(event.merchant)
            if hit is None:  # a plan's name in an expense line ("ChatGPT Plus")
                hit = self._by_name(event.merchant, guess=False)
            return hit
        return self._by_name(event.name)

    def _by_name(self, text: str, *, guess: bool = True) -> Hit | None:
        """The product ``text`` names; with ``guess``, the most similar one when none does."""
        if (text, guess) in self._memo:
            return self._memo[text, guess]
        meant = self.overrides.get(spelling(text, self.directory.rules).words)
        hit = self.directory.by_name(meant if meant is not None else text)
        if hit is not None and meant is not None:
            hit = Hit(hit.known, "names.products in the mapping", hit.consumer)
        if hit is None and guess and self.keys:
            words = spelling(text, self.directory.rules).words
            best = process.extractOne(
                words, [k for k, _, _ in self.keys], scorer=fuzz.ratio, score_cutoff=FUZZY_AT
            )
            if best is not None:
                _, known, spelled = self.keys[best[2]]
                hit = Hit(known, f"similar: similarity {best[1]:.0f}", matched=spelled)
        self._memo[text, guess] = hit
        return hit


def reconcile_reads(
    reads: Sequence[Read],
    directory: Directory,
    *,
    inventory: tuple[Directory, Mapping[str, str]] | None = None,
) -> Reconciled:
    """Match the events of ``reads`` and derive usage and findings (pure). ``inventory``: the
    directory built with an import mapping's rules and its ``names.products``, for the events
    of inventory sheets only."""
    plain = Matcher(directory)
    sheets = Matcher(*inventory) if inventory else plain
    usage: dict[str, Usage] = {}
    matched: list[tuple[Event, Hit]] = []
    guesses: dict[
        tuple[str, str], Usage
    ] = {}  # (file, name) -> uses of a name matched by similarity
    unmatched = 0
    for read in reads:
        for event in read.events:
            hit = (sheets if event.kind == "inventory" else plain).match(event)
            if hit is None:
                unmatched += 1
                continue
            matched.append((event, hit))
            if hit.how.startswith("similar"):
                # a guess: not counted as use of that product until someone confirms it
                guess = guesses.setdefault((hit.matched, hit.known.id), Usage(hit.known))
                guess.add(event)
                guess.first.setdefault("unknown-spelling", (event, hit))
                continue
            use = usage.setdefault(_key(hit.known), Usage(hit.known))
            use.add(event)
            for rule in _rules_of(event, hit):
                use.first.setdefault(rule, (event, hit))
                use.per_rule.setdefault(rule, Usage(hit.known)).add(event)
    findings = [d for use in [*usage.values(), *guesses.values()] for d in _findings(use)]
    findings += shared_services(directory)
    for read in reads:
        findings += read.problems
    return Reconciled(list(reads), usage, findings, matched, unmatched)


def _rules_of(event: Event, hit: Hit) -> list[str]:
    known = hit.known
    rules = []
    if known.kind == "service":
        rules.append("shadow-ai")
    elif known.status == "rejected":
        rules.append("use-of-rejected")
    elif known.status in ("offboarded", "deprecated"):
        rules.append("use-of-offboarded")
    # a card payment for a company-licensed tool is a personal plan by definition
    company = known.kind == "tool" and known.tier in ("enterprise", "team")
    if company and (hit.consumer or event.kind == "expenses"):
        rules.append("personal-account")
    return rules


def _counts(use: Usage) -> str:
    """'3 payments, 12 requests, 4 users, spend 60.00 USD, in 2 inputs': counts only."""
    parts = [plural(n, what) for what, n in sorted(use.by_what.items())]
    if use.user_count:  # an export without a person column says nothing about users
        parts.append(plural(use.user_count, "team" if use.teams_only else "user"))
    if use.spend:
        parts.append("spend " + use.spend_text())
    if len(use.files) > 1:
        parts.append(f"in {len(use.files)} inputs")
    return ", ".join(parts)


def shared_services(directory: Directory) -> list[Diagnostic]:
    """A warning for each catalogue service two registered tools go by: its hosts and
    statement words count for the first only."""
    found = []
    for service, tools in directory.shared.values():
        first, *others = tools
        found.append(
            Diagnostic(
                "name-duplicate",
                Severity.WARNING,
                f"tools {', '.join(repr(k.id) for k in tools)} all go by names of catalogue "
                f"service {service.id!r} ({service.name}); its hosts and statement words count "
                f"for {first.id!r} only",
                others[0].path,
                hint="keep the service's names on one tool; give the others their own names",
            )
        )
    return found


_SAY = {
    "shadow-ai": (
        Severity.ERROR,
        "{name} ({vendor}) is in use but has no registry entry: {counts}; matched by {how}",
        "propose it (handbook new-tool, or handbook import) or block it; if it is registered "
        "under another name, add this name to the tool's aliases",
    ),
    "use-of-rejected": (
        Severity.ERROR,
        "{name} was rejected, but is in use: {counts}; matched by {how}",
        "stop the use (block the domain, remove the app), or reopen the proposal",
    ),
    "use-of-offboarded": (
        Severity.ERROR,
        "{name} is {status}, but is still in use: {counts}; matched by {how}",
        "finish offboarding: revoke access and keys, or move users to the approved successor",
    ),
    "personal-account": (
        Severity.ERROR,
        "{name} is licensed as a company ({tier}) tier, but is paid for on a card or used "
        "through a personal plan: {counts}; matched by {how}",
        "move the people to the company's {tier} account and stop the personal subscription",
    ),
    "unknown-spelling": (
        Severity.WARNING,
        "{seen!r} may be {name} ({why}: {matched!r}), so it is counted for no product yet: "
        "{counts}",
        "if it is that product, add the name (or the statement words) to its aliases, or to a "
        "catalogue file given with --catalogue; if not, register it or leave it",
    ),
}


def _findings(use: Usage) -> list[Diagnostic]:
    out = []
    known = use.known
    for rule, (event, hit) in use.first.items():
        severity, message, hint = _SAY[rule]
        if rule == "use-of-offboarded" and known.status == "deprecated":
            severity = Severity.WARNING  # still being offboarded: a warning until it is done
        values = {
            "name": known.name,
            "vendor": known.vendor,
            "status": known.status,
            "tier": known.tier,
            "how": _how(hit, event),
            "counts": _counts(use.per_rule.get(rule, use)),
            "seen": redact(event.label or event.name or event.merchant),
            "why": hit.how.removeprefix("similar: "),
            "matched": hit.matched,
        }
        out.append(
            Diagnostic(
                rule,
                severity,
                message.format(**values),
                event.path,
                event.line,
                1,
                hint=hint.format(**values),
                subject=known.id if known.kind == "tool" else None,
            )
        )
    return out


def _how(hit: Hit, event: Event) -> str:
    """How the use was matched, quoting the registry's or catalogue's words: an input's own
    text (a host, a card line, an app's label) can hold a person's name or address."""
    if event.host:
        return f"domain {hit.matched!r} ({hit.known.label})"
    if event.merchant and hit.how == "merchant":
        return f"statement words {hit.matched!r} ({hit.known.label})"
    return f"{hit.how} {hit.matched!r} ({hit.known.label})"


_EMAIL = re.compile(r"[^\s@()<>,;]+@[^\s@()<>,;]+")
_ADDRESS = re.compile(r"\b(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\b", re.I)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def redact(text: str) -> str:
    """``text`` with what could identify a person masked: e-mail addresses, IP addresses and
    anything in brackets ('Gemini (ana.lima)' -> 'Gemini (…)'); for the one message that must
    quote an input's own text (a name matched only by a guess)."""
    text = _EMAIL.sub("<e-mail>", text)
    text = _ADDRESS.sub("<address>", text)
    return _BRACKETED.sub("(…)", text)[:80]


def reconcile(
    root: Path,
    inputs: Sequence[Path],
    *,
    kind: str | None,
    catalogues: Sequence[Path],
    today: date,
    shown: dict[Path, str] | None = None,
    mapping: Path | None = None,
) -> tuple[Reconciled, Registry]:
    """Read every input (HandbookError when one cannot be read or recognised) and reconcile
    it with the handbook at ``root`` and the catalogue. With ``mapping`` (an import mapping),
    a spreadsheet whose header has the mapping's product column is read as an inventory, and
    names are matched with the mapping's rules (abbreviations, ignored words)."""
    from generator.inventory.mapping import load_mapping
    from generator.reconcile.inventory import is_inventory, read_inventory

    reg = registry(root, catalogues, today)
    names = shown or {}
    rules, problems, loaded = Rules(), list(reg.problems), None
    if mapping is not None:
        loaded, found = load_mapping(mapping, reg.checked.schemas)
        problems += found
        if loaded is None:
            return Reconciled([], {}, problems, []), reg
        rules = loaded.rules
    reads = []
    for path in inputs:
        shown_as = names.get(path, str(path))
        if kind == "inventory" or (kind is None and is_inventory(path, loaded, kind)):
            assert loaded is not None  # is_inventory says no without a mapping
            reads.append(read_inventory(path, shown_as, loaded))
        else:
            reads.append(read_input(path, shown_as, kind))
    # the mapping's rules (abbreviations, names.products) are for its inventory's cells only:
    # every other input is matched by the registry's and the catalogue's own names
    sheets = (reg.directory(rules), loaded.products) if loaded else None
    result = reconcile_reads(reads, reg.directory(Rules()), inventory=sheets)
    result.findings = problems + result.findings
    return result, reg


@dataclass(frozen=True, slots=True)
class UsageLine:
    """One product's use for the site: ``tool`` is the registered tool's id ('' for a catalogue
    service nobody registered); counts only."""

    name: str
    tool: str
    status: str
    users: int
    events: int
    spend: str
    sources: str


def usage_lines(result: Reconciled) -> list[UsageLine]:
    """The usage per product, unregistered ones first, then by users (for pages)."""
    lines = []
    for use in sorted(
        result.usage.values(),
        key=lambda u: (u.known.kind == "tool", -u.user_count, u.known.name.casefold()),
    ):
        k = use.known
        lines.append(
            UsageLine(
                k.name,
                k.id if k.kind == "tool" else "",
                k.status or "",
                use.user_count,
                use.events,
                use.spend_text(),
                plural(len(use.files), "input"),
            )
        )
    return lines


def input_files(folder: Path) -> list[Path]:
    """The files of a usage folder (``--usage DIR``), sorted; hidden files, README files and
    ``--details`` output (``*.details.csv``) left out."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith((".", "README"))
        and not p.name.endswith(".details.csv")
    )
