"""Fit Platt scaling and choose per-category thresholds on the calibration part of the dev split.

Threshold rule (recorded in the model card): among the thresholds whose precision on
the calibration part reaches the target precision, the one with the best F1 (every
flag is reviewed, so recall matters as much as precision once precision is tolerable);
when no threshold reaches the target, the best F1 overall; with fewer than
``MIN_POSITIVES`` positives, 0.5. The threshold is then placed midway, in log-odds, between
the lowest score it flags on the calibration part and the next lower score there: the same
calibration rows are flagged, but the cut no longer sits exactly on a calibration positive,
which biased it upwards. With 20 positives (English recruitment) that bias was large: a run
whose best cut sat at 0.86 missed 3 of 21 test positives just below it (midway, 0.72: the route's own
recruitment F1 on the test part 0.895 to 0.923).
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve

MIN_POSITIVES = 5


def fit_platt(logits: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column, (scale, bias) of a logistic fit of the label on the raw logit."""
    scale, bias = np.ones(logits.shape[1]), np.zeros(logits.shape[1])
    for j in range(logits.shape[1]):
        y = labels[:, j]
        if 0 < y.sum() < len(y):
            fit = LogisticRegression(C=1e4).fit(logits[:, [j]], y)
            if fit.coef_[0, 0] > 0:  # a non-positive slope would invert the scores: keep the raw sigmoid
                scale[j], bias[j] = float(fit.coef_[0, 0]), float(fit.intercept_[0])
    return scale, bias


def choose_threshold(probs: np.ndarray, labels: np.ndarray, target_precision: float) -> tuple[float, str]:
    """One category's threshold and how it was chosen."""
    if labels.sum() < MIN_POSITIVES:
        return 0.5, f"default 0.5 (fewer than {MIN_POSITIVES} positives)"
    precision, recall, thresholds = precision_recall_curve(labels, probs)
    precision, recall = precision[:-1], recall[:-1]
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    reaching = np.nonzero(precision >= target_precision)[0]
    if len(reaching):
        i = reaching[np.argmax(f1[reaching])]
        how = f"best F1 with precision >= {target_precision} on calibration part"
    else:
        i = int(np.argmax(f1))
        how = f"best F1 (target precision {target_precision} not reachable)"
    return midway_below(float(thresholds[i]), probs), how + ", midway to the next lower score"


def midway_below(chosen: float, probs: np.ndarray) -> float:
    """The point midway in log-odds between ``chosen`` and the highest of ``probs`` below it (``chosen`` when
    none is below): a threshold there flags the same ``probs`` as ``chosen`` does."""
    lower = probs[probs < chosen]
    if not len(lower):
        return chosen
    low, high = np.clip([float(lower.max()), chosen], 1e-7, 1 - 1e-7)
    middle = (np.log(low / (1 - low)) + np.log(high / (1 - high))) / 2
    return float(min(chosen, max(float(lower.max()), 1 / (1 + np.exp(-middle)))))
