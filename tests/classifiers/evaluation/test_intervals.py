"""Bootstrap intervals of the real-text figures: each resample is scored exactly as the figure itself
(the same macro-F1, the same binary cut at a false-positive budget), intervals hold the figure and
narrow with more rows, and a paired interval sees a difference that two separate ones would not."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from classifiers.evaluation.binary import f1_at_fpr
from classifiers.evaluation.intervals import (binary_f1_samples, figure_intervals, label_matrix, macro_f1_samples,
                                              paired_macro_f1_difference, resample_counts)


def _data(rows: int, seed: int, skill: float = 1.5):
    """Rows with three categories, flags that agree with the gold more often than not, and scores with ties."""
    rng = np.random.default_rng(seed)
    gold = rng.random((rows, 3)) < [0.3, 0.15, 0.05]
    flagged = np.where(rng.random((rows, 3)) < 0.8, gold, ~gold)
    scores = np.round(np.clip(gold.any(axis=1) * skill * rng.random(rows) + rng.random(rows), 0, 2) / 2, 2)
    return gold, flagged, scores


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_whole_sample_scores_as_the_figures_do(seed: int) -> None:
    gold, flagged, scores = _data(300, seed)
    whole = np.ones((1, len(gold)))
    expected = np.mean([f1_score(gold[:, c], flagged[:, c], zero_division=0) for c in range(3)])
    assert macro_f1_samples(gold, flagged, whole)[0] == pytest.approx(expected)
    assert binary_f1_samples(scores, gold.any(axis=1), whole, 0.05)[0] == \
        pytest.approx(f1_at_fpr(list(scores), list(gold.any(axis=1)), 0.05)["f1"], abs=1e-4)


def test_a_resample_scores_as_its_rows_written_out_do() -> None:
    """Counts stand for repeated rows: the cut is chosen afresh on the resample, ties kept together."""
    gold, flagged, scores = _data(200, 5)
    positive = gold.any(axis=1)
    counts = resample_counts(len(gold), rounds=20, seed=3)
    binary = binary_f1_samples(scores, positive, counts, 0.05)
    macro = macro_f1_samples(gold, flagged, counts)
    for r in range(len(counts)):
        drawn = np.repeat(np.arange(len(gold)), counts[r].astype(int))
        assert binary[r] == pytest.approx(f1_at_fpr(list(scores[drawn]), list(positive[drawn]), 0.05)["f1"],
                                          abs=1e-4)
        assert macro[r] == pytest.approx(np.mean([f1_score(gold[drawn, c], flagged[drawn, c], zero_division=0)
                                                  for c in range(3)]))


def test_intervals_hold_the_figure_and_narrow_with_more_rows() -> None:
    small, large = (figure_intervals(*_data(rows, 7), max_fpr=0.05, rounds=400) for rows in (150, 3000))
    for name in ("macro_f1", "binary_f1"):
        assert small[name][1] - small[name][0] > 2 * (large[name][1] - large[name][0])
    gold, flagged, scores = _data(3000, 7)
    point = macro_f1_samples(gold, flagged, np.ones((1, len(gold))))[0]
    assert large["macro_f1"][0] <= point <= large["macro_f1"][1]
    assert (large["level"], large["rounds"]) == (0.95, 400)


def test_macro_f1_leaves_out_categories_with_too_few_examples() -> None:
    gold, flagged, scores = _data(400, 11)
    gold[:, 2], flagged[:, 2] = False, False
    gold[:3, 2] = True  # support 3: not averaged, as evaluate's macro-F1 leaves it out
    with_rare = figure_intervals(gold, flagged, scores, 0.05, rounds=200)
    without = figure_intervals(gold[:, :2], flagged[:, :2], scores, 0.05, rounds=200)
    assert with_rare["macro_f1"] == without["macro_f1"]
    assert figure_intervals(gold[:, 2:], flagged[:, 2:], scores, 0.05, rounds=50)["macro_f1"] is None


def test_a_resample_without_negatives_has_no_binary_figure() -> None:
    counts = np.array([[2.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    samples = binary_f1_samples(np.array([0.9, 0.8, 0.1]), np.array([True, True, False]), counts, 0.05)
    assert np.isnan(samples[0]) and samples[1] == 1.0


def test_a_paired_interval_sees_a_small_gain_that_separate_intervals_do_not() -> None:
    gold, flagged, scores = _data(600, 13)
    better = flagged.copy()
    wrong = np.argwhere(better != gold)[:12]  # twelve errors of the first model put right
    better[wrong[:, 0], wrong[:, 1]] = gold[wrong[:, 0], wrong[:, 1]]
    paired = paired_macro_f1_difference([(gold, flagged, better)], rounds=500)
    assert paired["difference"] > 0 and paired["interval"][0] > 0 and paired["share_ahead"] > 0.975
    separate = [figure_intervals(gold, f, scores, 0.05, rounds=500)["macro_f1"] for f in (flagged, better)]
    assert separate[1][0] < separate[0][1]  # the separate intervals overlap
    same = paired_macro_f1_difference([(gold, flagged, flagged)], rounds=100)
    assert same["difference"] == 0 and same["interval"] == [0.0, 0.0] and same["share_ahead"] == 0


def test_a_paired_difference_averages_its_strata_as_the_gate_averages_languages() -> None:
    first, second = _data(500, 17), _data(400, 19)
    gain = first[1].copy()
    wrong = np.argwhere(gain != first[0])[:10]
    gain[wrong[:, 0], wrong[:, 1]] = first[0][wrong[:, 0], wrong[:, 1]]
    alone = paired_macro_f1_difference([(first[0], first[1], gain)], rounds=300)
    both = paired_macro_f1_difference([(first[0], first[1], gain), (second[0], second[1], second[1])], rounds=300)
    assert both["difference"] == pytest.approx(alone["difference"] / 2, abs=1e-4)  # the second language is a tie
    rare = np.zeros_like(second[0])
    assert paired_macro_f1_difference([(rare, rare, rare)])["difference"] is None


def test_label_matrix() -> None:
    assert label_matrix([["a"], [], ["b", "a"]], ["a", "b"]).tolist() == [[True, False], [False, False], [True, True]]
    assert label_matrix([], ["a"]).shape == (0, 1)


def test_paired_figures_compare_two_models_on_the_same_resamples() -> None:
    from classifiers.evaluation.intervals import paired_figures

    gold, flagged, scores = _data(500, 23)
    better_scores = np.where(gold.any(axis=1), np.minimum(scores + 0.2, 1.0), scores)  # positives ranked higher
    better = flagged.copy()
    wrong = np.argwhere(better != gold)[:40]
    better[wrong[:, 0], wrong[:, 1]] = gold[wrong[:, 0], wrong[:, 1]]
    out = paired_figures(gold, flagged, better, scores, better_scores, 0.05, rounds=300)
    whole = np.ones((1, len(gold)))
    positive = gold.any(axis=1)
    assert out["binary_f1"]["difference"] == pytest.approx(
        binary_f1_samples(better_scores, positive, whole, 0.05)[0] - binary_f1_samples(scores, positive, whole, 0.05)[0],
        abs=1e-4)
    for name in ("macro_f1", "binary_f1"):
        assert out[name]["difference"] > 0 and out[name]["interval"][0] > 0 and out[name]["share_ahead"] > 0.975
    same = paired_figures(gold, flagged, flagged, scores, scores, 0.05, rounds=50)
    assert same["binary_f1"] == {"difference": 0.0, "interval": [0.0, 0.0], "share_ahead": 0.0}
