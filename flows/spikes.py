"""Spike detection on hourly counts: a robust z-score against a seasonal baseline.

Method. For the count ``x[t]`` of hour ``t``, the baseline is the same hour of
the previous ``seasons`` days (``x[t-24]``, ``x[t-48]``, ...), so the daily
rhythm of posting is not mistaken for a spike. The expected value is their
median ``m``; the spread is ``1.4826 * MAD`` (the median absolute deviation,
scaled to a standard deviation for normal data), floored at ``sqrt(m) + 1``
because hourly counts are roughly Poisson and a flat history has MAD 0. An
hour is a spike when ``z = (x[t] - m) / spread >= threshold`` and ``x[t] >=
min_count``. Hours with fewer than ``seasons // 2 + 1`` baseline points are
never judged: a new series (a new source, or a new model version, whose
series starts from zero) first needs a history. Medians make the baseline
robust to past spikes, which would otherwise inflate it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median


@dataclass(frozen=True)
class Spike:
    index: int
    observed: float
    expected: float
    z: float


def baseline(values: Sequence[float | None], index: int, period: int = 24, seasons: int = 7) -> list[float]:
    """The same phase of the previous ``seasons`` periods that exist before ``index``
    (``None`` marks an hour before the series began: no data, which is not zero)."""
    return [v for k in range(1, seasons + 1)
            if index - k * period >= 0 and (v := values[index - k * period]) is not None]


def robust_z(observed: float, history: Sequence[float]) -> tuple[float, float]:
    """(expected, z) of ``observed`` against ``history``."""
    expected = median(history)
    mad = median(abs(v - expected) for v in history)
    spread = max(1.4826 * mad, math.sqrt(expected) + 1.0)
    return expected, (observed - expected) / spread


def spike_at(values: Sequence[float | None], index: int, *, period: int = 24, seasons: int = 7,
             threshold: float = 4.0, min_count: float = 5) -> Spike | None:
    """The spike at ``values[index]`` against its seasonal baseline, or None (not a spike, or too
    little history to judge)."""
    value = values[index]
    if value is None or value < min_count:
        return None
    history = baseline(values, index, period, seasons)
    if len(history) < seasons // 2 + 1:
        return None
    expected, z = robust_z(value, history)
    return Spike(index, float(value), float(expected), round(z, 3)) if z >= threshold else None


def detect_spikes(values: Sequence[float | None], *, period: int = 24, seasons: int = 7, threshold: float = 4.0,
                  min_count: float = 5, start: int = 0) -> list[Spike]:
    """Spikes among ``values[start:]`` (earlier values serve only as history)."""
    found = (spike_at(values, index, period=period, seasons=seasons, threshold=threshold, min_count=min_count)
             for index in range(max(start, 0), len(values)))
    return [spike for spike in found if spike is not None]


def precision_recall(found: set[int], truth: set[int]) -> tuple[float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall
