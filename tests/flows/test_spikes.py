"""Spike detection on synthetic hourly series with known spikes: precision and recall."""

from __future__ import annotations

import math
import random

import numpy as np

from flows.spikes import detect_spikes, precision_recall, robust_z


def synthetic_series(seed: int, days: int = 28, base: float = 12.0) -> tuple[list[float], set[int]]:
    """Poisson counts with a daily rhythm and a weekend dip, plus injected spikes of known size."""
    rng = np.random.default_rng(seed)
    hours = days * 24
    rate = [base * (1 + 0.6 * math.sin(2 * math.pi * (h % 24 - 6) / 24)) * (0.7 if (h // 24) % 7 >= 5 else 1.0)
            for h in range(hours)]
    values = [float(v) for v in rng.poisson(rate)]
    picker = random.Random(seed)
    spikes = set(picker.sample(range(8 * 24, hours), 8))
    for index in spikes:
        values[index] += max(12.0, 3.0 * rate[index])
    return values, spikes


def test_spikes_are_found_with_high_precision_and_recall() -> None:
    found_all, truth_all = set(), set()
    for seed in range(12):
        values, truth = synthetic_series(seed)
        found = {s.index for s in detect_spikes(values, threshold=4.0, min_count=5)}
        found_all |= {(seed, i) for i in found}
        truth_all |= {(seed, i) for i in truth}
    precision, recall = precision_recall(found_all, truth_all)
    print(f"\nspike detection on 12 synthetic 28-day series, 96 injected spikes: "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.9
    assert recall >= 0.85


def test_the_daily_rhythm_alone_raises_nothing() -> None:
    rng = np.random.default_rng(7)
    rhythm = [float(v) for v in rng.poisson([20 + 15 * math.sin(2 * math.pi * h / 24) for h in range(24 * 21)])]
    assert detect_spikes(rhythm) == []


def test_a_new_series_needs_history_before_it_can_alert() -> None:
    values = [0.0] * 24 * 2 + [40.0]  # a brand-new series (new source or new model version) starting high
    assert detect_spikes(values) == []
    assert detect_spikes([2.0] * 24 * 7 + [40.0], start=24 * 7)[0].index == 24 * 7


def test_robust_z_ignores_a_past_spike_in_the_baseline() -> None:
    expected, z = robust_z(30, [5, 6, 5, 90, 6, 5, 4])
    assert expected == 5 and z > 4
