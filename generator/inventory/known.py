"""Every product the handbook knows, looked up by name, host or card-statement words: the
registry's tools first, then the catalogue's services (a service whose name or alias is a
registered tool's stands for that tool, so the registry's own entries take precedence)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.inventory.catalogue import Service
from generator.inventory.names import Rules, Spelling, spelling
from generator.model import Tool


@dataclass(frozen=True, slots=True)
class Known:
    """A product the handbook knows.

    ``kind`` is ``"tool"`` (registered; ``id`` is the tool's id, ``vendor`` its vendor's id,
    ``status`` and ``tier`` its own) or ``"service"`` (only in the catalogue; ``vendor`` is the
    vendor's name). ``service`` is the catalogue entry behind it, when there is one."""

    kind: str
    id: str
    name: str
    vendor: str
    spellings: tuple[str, ...]
    domains: tuple[str, ...]
    path: str
    status: str | None = None
    tier: str | None = None
    service: Service | None = None

    @property
    def label(self) -> str:
        """'tool northwind-assist' or 'catalogue service chatgpt', for messages."""
        return f"tool {self.id!r}" if self.kind == "tool" else f"catalogue service {self.id!r}"


@dataclass(frozen=True, slots=True)
class Hit:
    """A lookup's answer: what matched, and how ("name", "alias", "domain", "merchant"); a
    ``how`` starting "similar" is a guess for a person to confirm."""

    known: Known
    how: str
    consumer: bool = False  # a consumer plan or a consumer-only domain
    #: What matched, as the registry or catalogue writes it (the domain, the statement words,
    #: the name): what messages quote, never the input's own text (which may name a person).
    matched: str = ""


#: Letters a service or vendor name needs to be matched on a card statement by name alone.
MERCHANT_LETTERS = 7


def _words(text: str) -> re.Pattern[str]:
    """``text`` as whole words in any case, any punctuation or spacing between them."""
    pattern = r"(?<![A-Za-z0-9])" + r"\W*".join(map(re.escape, text.split()))
    return re.compile(pattern + r"(?![A-Za-z0-9])", re.I)


def _keys(s: Spelling) -> Iterable[str]:
    if s.words:
        yield "w:" + s.words
    if s.squashed:
        yield "s:" + s.squashed


class Directory:
    """Lookups over registered tools and catalogue services (built once per run)."""

    def __init__(self, tools: Sequence[Tool], services: Sequence[Service], rules: Rules) -> None:
        self.rules = rules
        self.known: list[Known] = []
        self._names: dict[str, tuple[Known, str, str]] = {}  # key -> (product, how, spelling)
        self._hosts: dict[str, tuple[Known, bool]] = {}
        #: (pattern, product, the words, how: "" when certain, else why it is only a guess)
        self._merchants: list[tuple[re.Pattern[str], Known, str, str]] = []
        self._plans: dict[str, tuple[Known, str]] = {}
        #: catalogue services two or more registered tools go by: id -> (service, the tools)
        self.shared: dict[str, tuple[Service, list[Known]]] = {}
        registered: list[Known] = []
        for tool in tools:
            known = Known(
                "tool",
                tool.id,
                tool.name,
                tool.vendor,
                (tool.name, *tool.aliases, tool.id),
                tool.domains,
                tool.path,
                tool.status,
                tool.license_tier,
            )
            registered.append(known)
            self._add_names(known)
        self.known += registered
        for service in services:
            found = self._tool_for(service)
            known = found or Known(
                "service",
                service.id,
                service.name,
                service.vendor,
                (service.name, *service.aliases),
                service.domains,
                service.source,
                service=service,
            )
            if found is None:
                self.known.append(known)
                self._add_names(known)
            else:  # the service's names also name the registered tool it is
                for text in (service.name, *service.aliases):
                    for key in _keys(spelling(text, self.rules)):
                        how = f"catalogue name {service.id!r}"
                        self._names.setdefault(key, (found, how, text))
            for host in service.domains:
                self._hosts.setdefault(host, (known, host in service.consumer_domains))
            for plan in service.consumer_plans:
                for key in _keys(spelling(plan, self.rules)):
                    self._plans.setdefault(key, (known, plan))
            self._merchants += [(_words(w), known, w, "") for w in service.merchants]
        for known in registered:  # a tool's own domains come before any service's
            for host in known.domains:
                self._hosts[host] = (known, False)
        self._merchants += self._named_merchants(services)

    def _named_merchants(
        self, services: Sequence[Service]
    ) -> list[tuple[re.Pattern[str], Known, str, str]]:
        """Card-statement words the catalogue does not list: a service's domains ("CLAUDE.AI
        SUBSCRIPTION": certain), then, as guesses a person confirms, its name and its vendor's
        name for the vendor's consumer service (the one with consumer plans, what a person pays
        for on a card): "PERPLEXITY BREWING" is no AI. Only distinctive names: 7 letters or
        more, or with a dot, so "Pi" or "Writer" never match."""

        def distinctive(name: str) -> bool:
            return "." in name or sum(c.isalpha() for c in name) >= MERCHANT_LETTERS

        found = []
        by_service = {k.service.id: k for k in self.known if k.service is not None}
        for service in services:
            known = by_service.get(service.id) or self._tool_for(service)
            if known is None:
                continue
            found += [(_words(d), known, d, "") for d in service.domains]
            # a consumer plan's name on the line ("Claude Pro"): certain, and personal
            found += [(_words(plan), known, plan, "") for plan in service.consumer_plans]
            if distinctive(service.name):
                found.append((_words(service.name), known, service.name, "the service's name"))
            if service.consumer_plans and distinctive(service.vendor):
                found.append((_words(service.vendor), known, service.vendor, "the vendor's name"))
        return found

    def _add_names(self, known: Known) -> None:
        for i, text in enumerate(known.spellings):
            how = "name" if i == 0 else ("id" if text == known.id else "alias")
            for key in _keys(spelling(text, self.rules)):
                self._names.setdefault(key, (known, how, text))

    def _tool_for(self, service: Service) -> Known | None:
        """The registered tool a catalogue service is: the first whose name or alias is one of
        the service's (an id that merely reads the same, "claude" for "Claude Legacy Wrapper",
        does not count). When two tools are, :attr:`shared` records it."""
        tools: list[Known] = []
        for text in (service.name, *service.aliases):
            for key in _keys(spelling(text, self.rules)):
                hit = self._names.get(key)
                if hit is None or hit[0].kind != "tool" or hit[1] == "id":
                    continue
                if hit[0] not in tools:
                    tools.append(hit[0])
        if len(tools) > 1:
            self.shared.setdefault(service.id, (service, tools))
        return tools[0] if tools else None

    def by_name(self, text: str | Spelling) -> Hit | None:
        """The product named ``text`` (same words, or the same letters run together)."""
        s = text if isinstance(text, Spelling) else spelling(text, self.rules)
        for key in _keys(s):
            hit = self._names.get(key)
            if hit is not None:
                return Hit(hit[0], hit[1], consumer=key in self._plans, matched=hit[2])
            plan = self._plans.get(key)
            if plan is not None:
                return Hit(plan[0], "consumer plan", consumer=True, matched=plan[1])
        return None

    def name_keys(self) -> list[tuple[str, Known, str]]:
        """(words key, product, spelling) of every known spelling, for similarity search."""
        return [(k[2:], v[0], v[2]) for k, v in self._names.items() if k.startswith("w:")]

    def by_host(self, host: str) -> Hit | None:
        """The product used at ``host`` or at a domain above it (``a.chatgpt.com`` ->
        ``chatgpt.com``); a registered tool's own domains first."""
        name = host.strip().rstrip(".").lower()
        while name:
            found = self._hosts.get(name)
            if found is not None:
                return Hit(found[0], "domain", consumer=found[1], matched=name)
            name = name.partition(".")[2]
        return None

    def by_merchant(self, text: str) -> Hit | None:
        """The product a card-statement line names (its merchant words, then a plan's name)."""
        for pattern, known, words, guess in self._merchants:
            if pattern.search(text):
                how = f"similar: {guess}" if guess else "merchant"
                consumer = words in (known.service.consumer_plans if known.service else ())
                return Hit(known, how, consumer=consumer, matched=words)
        return None
