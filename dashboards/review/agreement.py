"""How far two reviewers of the same item agree: Cohen's kappa, per category.

For two raters who each put the same *n* items into categories,

    kappa = (p_o - p_e) / (1 - p_e)

where ``p_o`` is the share of items they put in the same category, and ``p_e`` the share they would
agree on by chance, ``sum over categories k of (n_1k / n) × (n_2k / n)``, with ``n_ik`` the items rater
*i* put in *k*. 1 is perfect agreement, 0 no better than chance. It is undefined (None) without items,
or when chance alone would always agree (both raters always gave the same single answer).

Second reviews are compared per taxonomy category (did each reviewer find that category?), and as a
whole under ``"any"`` (propaganda at all: confirm or relabel, versus reject). Pairs where either
reviewer said escalate or unsure carry no judgement and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from vigil.schemas import CATEGORIES

ANY = "any"
JUDGED = frozenset({"confirm", "relabel", "reject"})


@dataclass(frozen=True)
class Judgement:
    verdict: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    category: str  # a taxonomy category, or "any"
    pairs: int
    agreed: int
    kappa: float | None


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two raters' answers, one ``(first, second)`` pair per item."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(first == second for first, second in pairs) / n
    firsts, seconds = Counter(first for first, _ in pairs), Counter(second for _, second in pairs)
    expected = sum(firsts[k] * seconds[k] for k in firsts) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement(pairs: Sequence[tuple[Judgement, Judgement]]) -> list[Agreement]:
    """Agreement over "any" and then each category, on the pairs where both reviewers judged."""
    judged = [(a, b) for a, b in pairs if a.verdict in JUDGED and b.verdict in JUDGED]
    answers = {ANY: [(a.verdict != "reject", b.verdict != "reject") for a, b in judged]}
    for category in CATEGORIES:
        answers[category] = [(category in a.labels, category in b.labels) for a, b in judged]
    return [Agreement(name, len(values), sum(x == y for x, y in values), cohen_kappa(values))
            for name, values in answers.items()]
