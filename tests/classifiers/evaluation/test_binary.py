"""F1 at a false-positive rate of at most 5%: the threshold is the most permissive one within the budget."""

import pytest

from classifiers.evaluation.binary import f1_at_fpr


def test_perfect_separation_flags_every_positive():
    out = f1_at_fpr([0.9, 0.8, 0.3, 0.2, 0.1], [True, True, False, False, False])
    assert (out["threshold"], out["f1"], out["recall"], out["fpr"]) == (0.8, 1.0, 1.0, 0.0)


def test_one_negative_in_twenty_may_be_flagged_at_five_percent():
    # 20 negatives: one may score above the threshold; the second highest negative may not.
    negatives = [0.95, 0.6] + [0.1] * 18
    positives = [0.9, 0.7, 0.5, 0.4]
    out = f1_at_fpr(positives + negatives, [True] * 4 + [False] * 20)
    assert out["threshold"] == 0.7 and out["fpr"] == 0.05
    assert (out["precision"], out["recall"]) == (round(2 / 3, 4), 0.5)
    assert out["f1"] == round(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5), 4)
    stricter = f1_at_fpr(positives + negatives, [True] * 4 + [False] * 20, max_fpr=0.0)
    assert stricter["threshold"] is None and stricter["f1"] == 0.0 and stricter["fpr"] == 0.0


def test_ties_share_a_threshold():
    # A positive tied with two negatives at the top: flagging it would flag both negatives (10% of 20).
    out = f1_at_fpr([0.9, 0.9, 0.9, 0.5] + [0.1] * 18, [True, False, False, True] + [False] * 18)
    assert out["threshold"] is None and out["recall"] == 0.0


def test_the_threshold_is_the_lowest_within_the_budget_not_the_best_f1():
    # Flagging down to 0.3 adds a negative (1/40 = 2.5% <= 5%) and a positive: recall counts.
    scores = [0.9, 0.3, 0.35] + [0.0] * 39
    gold = [True, True, False] + [False] * 39
    out = f1_at_fpr(scores, gold)
    assert out["threshold"] == 0.3 and out["recall"] == 1.0 and out["fpr"] == 0.025


def test_undefined_without_positives_or_negatives():
    assert f1_at_fpr([0.1, 0.2], [False, False])["f1"] is None
    assert f1_at_fpr([0.1, 0.2], [True, True])["f1"] is None
    with pytest.raises(ValueError):
        f1_at_fpr([0.1], [True, False])
