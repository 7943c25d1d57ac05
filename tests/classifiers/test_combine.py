"""Combining the model, the rules and known content into one decision per category."""

from __future__ import annotations

import pytest

from classifiers.combine import ModelPart, combine
from classifiers.known.bank import KnownMatch
from classifiers.rules.matcher import RuleMatch
from classifiers.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()


def decide(model_p: float | None = None, rule: float | None = None, known: float | None = None,
           category: str = "xenophobia", threshold: float = 0.4):
    part = None if model_p is None else ModelPart({category: model_p}, {category: threshold}, {category: (0, 4)})
    rules = [] if rule is None else [RuleMatch(category, 0, 4, "text", "entry", rule)]
    found = [] if known is None else [KnownMatch("known-1", known, (category,), None)]
    return combine("text", TAXONOMY, part, rules, found, language="en", in_coverage=True)


def test_one_layer_alone_gives_its_own_score() -> None:
    assert decide(model_p=0.3).scores["xenophobia"] == 0.3
    assert decide(rule=0.35).scores["xenophobia"] == 0.35
    assert decide(known=0.8).scores["xenophobia"] == 0.8


def test_model_and_rules_agreeing_score_above_either_alone() -> None:
    both = decide(model_p=0.3, rule=0.35).scores["xenophobia"]
    assert both == pytest.approx(1 - 0.7 * 0.65, abs=1e-4)
    assert both > max(decide(model_p=0.3).scores["xenophobia"], decide(rule=0.35).scores["xenophobia"])


def test_texts_a_rule_flags_rank_by_what_the_model_reads_in_them() -> None:
    assert decide(model_p=0.6, rule=0.7).scores["xenophobia"] > decide(model_p=0.05, rule=0.7).scores["xenophobia"]


def test_a_known_copy_needs_no_support_and_is_not_added_to() -> None:
    assert decide(model_p=0.2, rule=0.2, known=0.9).scores["xenophobia"] == 0.9


@pytest.mark.parametrize("model_p, rule, labelled", [
    (0.3, 0.35, False),  # joined they score 0.545, but neither layer reaches its own threshold
    (0.45, None, True),  # the model's own threshold (0.4), under the taxonomy's 0.5
    (None, 0.5, True),
    (0.1, 0.7, True),
])
def test_labels_follow_each_layer_s_own_threshold_not_the_score(model_p, rule, labelled) -> None:
    decision = decide(model_p=model_p, rule=rule)
    assert ("xenophobia" in decision.labels) is labelled
