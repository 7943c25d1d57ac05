"""Per-category quality figures: precision, recall, F1, PR-AUC and calibration error."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_fscore_support


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.mean() * abs(probs[mask].mean() - labels[mask].mean())
    return float(error)


def category_metrics(probs: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, float | int]:
    predicted = probs >= threshold
    p, r, f, _ = precision_recall_fscore_support(labels, predicted, average="binary", zero_division=0)
    positives = int(labels.sum())
    return {
        "support": positives,
        "precision": round(float(p), 4),
        "recall": round(float(r), 4),
        "f1": round(float(f), 4),
        "pr_auc": round(float(average_precision_score(labels, probs)), 4) if 0 < positives < len(labels) else None,
        "ece": round(expected_calibration_error(probs, labels), 4),
        "threshold": round(threshold, 4),
    }


def macro_f1(per_category: dict[str, dict], categories: tuple[str, ...], min_support: int = 5) -> float | None:
    values = [per_category[c]["f1"] for c in categories if c in per_category and per_category[c]["support"] >= min_support]
    return round(float(np.mean(values)), 4) if values else None
