import numpy as np
import pytest

from classifiers.model.calibration import apply_platt
from classifiers.training.calibrate import choose_threshold, fit_platt, midway_below
from classifiers.training.data import Example
from classifiers.training.fit import fit_head, head_logits
from classifiers.training.config import TrainConfig
from classifiers.training.metrics import category_metrics, expected_calibration_error
from classifiers.training.split import split_examples


def _examples(n: int) -> list[Example]:
    return [Example(f"text {i}", "en" if i % 3 else "ru", ("incitement",) if i % 4 == 0 else (), "synthetic")
            for i in range(n)]


def test_split_is_seeded_stratified_and_disjoint():
    examples = _examples(400)
    a, b = split_examples(examples, 0.2, seed=7), split_examples(examples, 0.2, seed=7)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not set(a["train"]) & set(a["test"]) and not set(a["calibration"]) & set(a["test"])
    assert sum(len(v) for v in a.values()) == 400
    positives_in_test = sum(1 for i in a["test"] if examples[i].labels)
    assert 8 <= positives_in_test <= 12  # 10% of 100 positives
    assert not np.array_equal(a["test"], split_examples(examples, 0.2, seed=8)["test"])


def test_excluding_one_source_leaves_every_other_sources_rows_in_their_parts():
    kept = _examples(400)
    # "identity-templates" sorts before "synthetic": a shared random stream would reshuffle the rest
    other = [Example(f"other {i}", "en", ("xenophobia",) if i % 2 else (), "identity-templates")
             for i in range(300)]
    alone = split_examples(kept, 0.2, seed=13)
    mixed = split_examples(other + kept, 0.2, seed=13)
    for part in alone:
        assert [kept[i].text for i in alone[part]] == [
            (other + kept)[i].text for i in mixed[part] if i >= len(other)]


def test_platt_scaling_calibrates_overconfident_logits():
    rng = np.random.default_rng(0)
    labels = (rng.random((2000, 1)) < 0.3).astype(float)
    logits = (labels * 2 - 1) * 6 + rng.normal(0, 6, size=labels.shape)  # overconfident
    scale, bias = fit_platt(logits, labels)
    raw = 1 / (1 + np.exp(-logits[:, 0]))
    calibrated = apply_platt(logits, scale, bias)[:, 0]
    assert expected_calibration_error(calibrated, labels[:, 0]) < expected_calibration_error(raw, labels[:, 0])


def test_threshold_reaches_the_target_precision_or_falls_back():
    probs = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.95])
    labels = np.array([0, 0, 1, 0, 1, 1, 1, 1])
    threshold, how = choose_threshold(probs, labels, 0.8)
    assert "precision" in how and category_metrics(probs, labels, threshold)["precision"] >= 0.8
    assert choose_threshold(probs, np.zeros(8), 0.8)[0] == 0.5


def test_head_training_is_reproducible():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(256, 16)).astype(np.float32)
    y = (x[:, :2] > 0).astype(np.float32)
    config = TrainConfig(model_version="t", epochs=2, batch_size=64, hidden=8)
    first = head_logits(fit_head(x, y, np.ones(256), config), x)
    second = head_logits(fit_head(x, y, np.ones(256), config), x)
    assert np.array_equal(first, second)


def test_the_threshold_sits_midway_below_the_lowest_flagged_score_and_flags_the_same_rows():
    probs = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.95])
    labels = np.array([0, 0, 1, 0, 1, 1, 1, 1])
    threshold, how = choose_threshold(probs, labels, 0.8)
    assert 0.2 < threshold < 0.3 and "midway" in how  # best F1 flags from 0.3 (precision 5/6); next lower 0.2
    assert threshold == pytest.approx(1 / (1 + np.exp(-(np.log(0.2 / 0.8) + np.log(0.3 / 0.7)) / 2)))
    assert (probs >= threshold).tolist() == (probs >= 0.3).tolist()
    assert midway_below(0.1, probs) == 0.1  # nothing below: the chosen score itself
    assert midway_below(1.0, np.array([1.0 - 1e-12, 1.0])) <= 1.0
