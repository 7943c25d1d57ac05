"""Merge the three layers into one decision per category.

A category's score joins the model and the rules as independent evidence, a noisy OR:
``1 - (1 - model) * (1 - rule)``, then the higher of that and the known-item similarity (a
near-copy of a known item needs no support). So a weak rule hit (a quoted or reported slur at 0.35)
with a fair model probability ranks above either alone, and the texts a rule flags rank among
themselves by what the model reads in them; with one layer silent the score is the other's. Each
layer is labelled against its own threshold, whatever the score: the model against the per-category
threshold chosen on the dev split, rules and known items against the taxonomy threshold their weights
were set for. So the score orders (the review queue's priority, a cut at a false-positive budget) and
never changes a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifiers.known.bank import KnownMatch
from classifiers.rules.matcher import RuleMatch
from classifiers.taxonomy import Taxonomy
from vigil.schemas import Evidence

KNOWN_EVIDENCE_CHARS = 300


@dataclass(frozen=True)
class ModelPart:
    """The model's view of one text: probability, threshold and best window per category."""

    probabilities: dict[str, float]
    thresholds: dict[str, float]
    spans: dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Decision:
    scores: dict[str, float]
    labels: list[str]
    evidence: list[Evidence]
    language: str
    in_coverage: bool

    @property
    def needs_review(self) -> bool:
        """Flagged documents and documents outside the evaluated languages go to a reviewer."""
        return bool(self.labels) or not self.in_coverage


def joined(model_p: float, rule_s: float) -> float:
    """The model's probability and the best rule score as independent evidence (a noisy OR)."""
    return 1.0 - (1.0 - model_p) * (1.0 - rule_s)


def combine(text: str, taxonomy: Taxonomy, model: ModelPart | None, rules: list[RuleMatch],
            known: list[KnownMatch], *, language: str, in_coverage: bool, model_factor: float = 1.0) -> Decision:
    """``model_factor`` scales the model's probabilities (the labeller passes the lexicon's
    ``model_context_factor`` when the text reads as news, research or counter-speech)."""
    scores: dict[str, float] = {}
    labels: list[str] = []
    evidence: list[Evidence] = []
    for name, category in taxonomy.categories.items():
        model_p = model.probabilities.get(name) if model else None
        model_p = None if model_p is None else model_p * model_factor
        rule_s = max((m.score for m in rules if m.category == name), default=0.0)
        known_s = max((k.similarity for k in known if name in k.categories), default=0.0)
        scores[name] = round(max(joined(model_p or 0.0, rule_s), known_s), 4)
        by_model = model_p is not None and model_p >= model.thresholds[name]
        if by_model or max(rule_s, known_s) >= category.threshold:
            labels.append(name)
        if by_model:
            start, end = model.spans[name]
            evidence.append(Evidence(category=name, start=start, end=end, text=text[start:end], layer="model"))
    evidence += [Evidence(category=m.category, start=m.start, end=m.end, text=m.text, layer="rules") for m in rules]
    end = min(len(text), KNOWN_EVIDENCE_CHARS)
    for k in known:
        evidence += [Evidence(category=c, start=0, end=end, text=text[:end], layer="known", known_item_id=k.item_id,
                              similarity=round(min(k.similarity, 1.0), 4)) for c in k.categories if c in scores]
    return Decision(scores, labels, evidence, language, in_coverage)
