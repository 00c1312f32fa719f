"""Spellings -> distinct products, with every merge made and every near miss not made.

Two spellings are one product when (in this order, each reason recorded for the person who
confirms it):

1. the import mapping says so (``names.products``);
2. both name the same registered tool or catalogue service (its name, an alias, its id);
3. they have the same words ("Copilot for MS 365" and "Microsoft 365 Copilot") or the same
   letters run together ("AskSage" and "Ask Sage"), see :mod:`.names`;
4. their words are at least ``merge_at`` similar (rapidfuzz ``fuzz.ratio``, 0-100, on the
   sorted words): a typo such as "Plantir Foundry".

Two products are never merged when each is a different known product. Pairs that were not
merged but are at least ``near_miss_at`` similar, or whose words one contains the other's
("Copilot" and "GitHub Copilot"), are near misses for a person to confirm.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy
from rapidfuzz import fuzz, process

from generator.inventory.known import Directory, Known
from generator.inventory.names import Rules, Spelling, spelling

MERGE_AT = 92.0
_DIGITS = re.compile(r"\d+|[+#]+")  # numbers and the marks of C++, C#
NEAR_MISS_AT = 80.0


@dataclass(frozen=True, slots=True)
class Member:
    """One spelling of a product: how it joined, and where it was seen ((row, column) pairs)."""

    text: str
    how: str
    places: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class Product:
    """A distinct product: its name, the known product it is (None: new), its spellings."""

    name: str
    known: Known | None
    members: list[Member] = field(default_factory=list)

    @property
    def rows(self) -> list[int]:
        return sorted({r for m in self.members for r, _ in m.places})

    @property
    def spellings(self) -> list[str]:
        return [m.text for m in self.members]


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Two products not merged that a person should look at: their names and the score."""

    a: str
    b: str
    score: float
    why: str


class _Sets:
    """Union-find over spelling indexes; each set remembers the known product it is."""

    def __init__(self, anchors: list[Known | str | None]) -> None:
        self.parent = list(range(len(anchors)))
        self.anchor = list(anchors)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        x, y = self.anchor[a], self.anchor[b]
        if x is not None and y is not None and _anchor_id(x) != _anchor_id(y):
            return False
        self.parent[b] = a
        self.anchor[a] = x if x is not None else y
        return True


def _anchor_id(anchor: Known | str) -> str:
    return anchor if isinstance(anchor, str) else f"{anchor.kind}:{anchor.id}"


def cluster(
    places: Mapping[str, Sequence[tuple[int, int]]],
    rules: Rules,
    directory: Directory,
    *,
    overrides: Mapping[str, str] | None = None,
    merge_at: float = MERGE_AT,
    near_miss_at: float = NEAR_MISS_AT,
    preferred: Iterable[str] = (),
) -> tuple[list[Product], list[NearMiss]]:
    """Group the spellings of ``places`` (spelling -> where it was seen, in order of first
    sight) into products. ``overrides``: the mapping's ``names.products`` (spelling -> product
    name); ``preferred``: spellings that name their product when it has no known name (those
    the mapping writes). Returns the products (most rows first) and the near misses (highest
    score first)."""
    texts = list(places)
    spells = [spelling(t, rules) for t in texts]
    forced = {_key(spelling(k, rules)): v for k, v in (overrides or {}).items()}
    how: list[str] = ["as written"] * len(texts)
    anchors: list[Known | str | None] = []
    for i, s in enumerate(spells):
        target = forced.get(_key(s))
        hit = directory.by_name(target if target is not None else s)
        if target is not None:
            how[i] = f"names.products in the mapping: {target!r}"
            anchors.append(hit.known if hit else target)
        elif hit is not None:
            how[i] = f"{hit.how} of {hit.known.label}"
            anchors.append(hit.known)
        else:
            anchors.append(None)
    sets = _Sets(anchors)
    by_anchor: dict[str, int] = {}
    by_key: dict[str, int] = {}
    for i, s in enumerate(spells):
        if anchors[i] is not None:
            first = by_anchor.setdefault(_anchor_id(anchors[i]), i)  # type: ignore[arg-type]
            sets.union(first, i)
        for key in ("w:" + s.words, "s:" + s.squashed):
            if len(key) == 2:
                continue
            first = by_key.setdefault(key, i)
            if first != i and sets.union(first, i) and how[i] == "as written":
                how[i] = f"same words as {texts[first]!r}"
    misses = _similar(texts, spells, sets, how, by_anchor, directory, merge_at, near_miss_at)
    return _products(texts, places, sets, how, frozenset(preferred)), misses


def _key(s: Spelling) -> str:
    return s.words or s.squashed


def _similar(
    texts: list[str],
    spells: list[Spelling],
    sets: _Sets,
    how: list[str],
    by_anchor: dict[str, int],
    directory: Directory,
    merge_at: float,
    near_miss_at: float,
) -> list[NearMiss]:
    """Merge close spellings (a typo); return the pairs close enough to show."""
    keys = [s.words for s in spells]
    idx = [i for i, k in enumerate(keys) if k]
    choices = [keys[i] for i in idx]
    # a spelling close to a known product's spelling joins it (unless it is known already)
    known_keys = directory.name_keys()
    if known_keys and choices:
        scores = process.cdist(
            choices,
            [k for k, _, _ in known_keys],
            scorer=fuzz.ratio,
            score_cutoff=merge_at,
            workers=-1,
        )
        for row, i in enumerate(idx):
            if sets.anchor[sets.find(i)] is not None:
                continue
            best = int(scores[row].argmax())
            if scores[row][best] >= merge_at:
                known = known_keys[best][1]
                root = sets.find(i)
                sets.anchor[root] = known
                how[i] = f"similar to {known.label} ({scores[row][best]:.0f})"
                first = by_anchor.setdefault(_anchor_id(known), i)
                sets.union(first, i)  # with the spellings already anchored to it
    if not choices:
        return []
    ratio = process.cdist(choices, choices, scorer=fuzz.ratio, workers=-1)
    contained = process.cdist(
        choices, choices, scorer=fuzz.token_set_ratio, score_cutoff=100, workers=-1
    )
    close = numpy.triu((ratio >= near_miss_at) | (contained >= 100), k=1)
    pairs = [
        (
            float(ratio[a, b]),
            idx[a],
            idx[b],
            "contained" if contained[a, b] >= 100 else "similar",
        )
        for a, b in numpy.argwhere(close)
    ]
    pairs.sort(key=lambda p: -p[0])
    shown: dict[tuple[int, int], NearMiss] = {}
    for score, i, j, why in pairs:
        # "Tool 1" and "Tool 2" differ by one character and name two products
        same_numbers = _DIGITS.findall(texts[i]) == _DIGITS.findall(texts[j])
        if score >= merge_at and why == "similar" and same_numbers and sets.union(i, j):
            if how[j] == "as written":
                how[j] = f"similar to {texts[i]!r} ({score:.0f})"
            continue
        a, b = sets.find(i), sets.find(j)
        if a == b or (sets.anchor[a] is not None and sets.anchor[b] is not None):
            continue  # merged already, or two different known products
        pair = (min(a, b), max(a, b))
        if pair not in shown:
            words = "one's words contain the other's" if why == "contained" else "similar"
            shown[pair] = NearMiss(texts[i], texts[j], score, words)
    # a merge made after a near miss was recorded makes that near miss moot
    return [m for (a, b), m in shown.items() if sets.find(a) != sets.find(b)]


def _products(
    texts: list[str],
    places: Mapping[str, Sequence[tuple[int, int]]],
    sets: _Sets,
    how: list[str],
    preferred: frozenset[str],
) -> list[Product]:
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(sets.find(i), []).append(i)
    products = []
    for root, members in groups.items():
        anchor = sets.anchor[root]
        counts = Counter({i: len(places[texts[i]]) for i in members})
        # the spelling the mapping names (names.vendors, names.products) or else the one seen
        # most names it; on a tie, one not written in capitals only
        top = max(
            members,
            key=lambda i: (texts[i] in preferred, counts[i], not texts[i].isupper(), -i),
        )
        if isinstance(anchor, Known):
            name, known = anchor.name, anchor
        else:
            name, known = (anchor if isinstance(anchor, str) else texts[top]), None
        order = sorted(members, key=lambda i: (i != top, -counts[i], i))
        product = Product(name, known)
        for i in order:
            joined = how[i]
            if i == top and joined.startswith(("same", "similar")):
                joined = "as written"
            elif i != top and joined == "as written":  # the first seen; the top joined it
                joined = how[top].replace(repr(texts[i]), repr(texts[top]), 1)
            product.members.append(Member(texts[i], joined, tuple(places[texts[i]])))
        products.append(product)
    products.sort(key=lambda p: (-len(p.rows), p.name.casefold()))
    return products
