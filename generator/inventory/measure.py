"""Precision and recall of name matching against a labelled list of spellings.

Pairwise, as for any clustering: of the pairs of spellings put in one product, the share a
person labelled as one product (precision); of the pairs labelled as one product, the share put
together (recall). Spellings labelled ``-`` (not a product) are left out of both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True, slots=True)
class Score:
    """Pair counts and the two ratios (1.0 when there is nothing to get wrong)."""

    together_right: int
    together: int
    labelled_together: int

    @property
    def precision(self) -> float:
        return self.together_right / self.together if self.together else 1.0

    @property
    def recall(self) -> float:
        return self.together_right / self.labelled_together if self.labelled_together else 1.0


def pairwise(predicted: Mapping[str, str], labels: Mapping[str, str]) -> Score:
    """``predicted`` and ``labels`` map each spelling to a product (any text naming it)."""
    items = sorted(s for s in labels if labels[s] != "-" and s in predicted)
    right = together = labelled = 0
    for a, b in combinations(items, 2):
        same_p = predicted[a] == predicted[b]
        same_l = labels[a] == labels[b]
        together += same_p
        labelled += same_l
        right += same_p and same_l
    return Score(right, together, labelled)
